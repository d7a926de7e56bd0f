"""The Linux calls Python 3.11's `os` module lacks, through ctypes, each checked.

Python 3.11 has no `os.unshare`, `mount`, `pivot_root`, `capset` or Landlock, so the
isolation layers (`demo2code.sandbox.isolation`) reach them here. Every wrapper raises
`OSError` with the errno; nothing here decides policy.
"""

from __future__ import annotations

import ctypes
import os
import platform
import struct

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

# unshare(2) flags
CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

# mount(2) flags
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MNT_DETACH = 2

# prctl(2) options
PR_SET_PDEATHSIG = 1
PR_GET_DUMPABLE = 3
PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38
PR_GET_NO_NEW_PRIVS = 39

# Syscall numbers glibc has no wrapper for, per machine.
_NUMBERS = {
    "x86_64": {"pivot_root": 155, "capset": 126},
    "aarch64": {"pivot_root": 41, "capset": 91},
}
# Landlock's numbers are the same on every architecture.
LANDLOCK_CREATE_RULESET, LANDLOCK_ADD_RULE, LANDLOCK_RESTRICT_SELF = 444, 445, 446
LANDLOCK_CREATE_RULESET_VERSION = 1


def _fail(what: str) -> OSError:
    err = ctypes.get_errno()
    return OSError(err, f"{what}: {os.strerror(err)}")


def _number(name: str) -> int:
    numbers = _NUMBERS.get(platform.machine())
    if numbers is None:
        raise OSError(0, f"{name}: unsupported machine {platform.machine()!r}")
    return numbers[name]


def prctl(option: int, arg: int = 0) -> int:
    result = _libc.prctl(ctypes.c_int(option), *(ctypes.c_ulong(v) for v in (arg, 0, 0, 0)))
    if result < 0:
        raise _fail(f"prctl({option})")
    return result


def unshare(flags: int) -> None:
    if _libc.unshare(ctypes.c_int(flags)) != 0:
        raise _fail("unshare")


def mount(source: str, target: str, fstype: str | None, flags: int, data: str | None) -> None:
    result = _libc.mount(
        source.encode(),
        target.encode(),
        fstype.encode() if fstype else None,
        ctypes.c_ulong(flags),
        data.encode() if data else None,
    )
    if result != 0:
        raise _fail(f"mount {target}")


def umount2(target: str, flags: int) -> None:
    if _libc.umount2(target.encode(), ctypes.c_int(flags)) != 0:
        raise _fail(f"umount {target}")


def pivot_root(new_root: str, put_old: str) -> None:
    if _libc.syscall(ctypes.c_long(_number("pivot_root")), new_root.encode(), put_old.encode()):
        raise _fail("pivot_root")


def drop_capabilities() -> None:
    """Clear every capability set (the ones a new user namespace grants its first process)."""
    header = ctypes.create_string_buffer(struct.pack("Ii", 0x20080522, 0))  # v3, this thread
    data = ctypes.create_string_buffer(bytes(24))  # two {effective, permitted, inheritable}
    if _libc.syscall(ctypes.c_long(_number("capset")), header, data) != 0:
        raise _fail("capset")


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 when Landlock is missing or disabled."""
    result = _libc.syscall(
        ctypes.c_long(LANDLOCK_CREATE_RULESET),
        None,
        ctypes.c_long(0),
        ctypes.c_long(LANDLOCK_CREATE_RULESET_VERSION),
    )
    return max(int(result), 0)


def landlock_restrict(fs: int, net: int, scoped: int, abi: int) -> None:
    """Handle `fs`/`net`/`scoped` rights with no rule granting any, then enforce: everything
    handled is denied from here on. The attribute's size follows the ABI."""
    values = [fs] + ([net] if abi >= 4 else []) + ([scoped] if abi >= 6 else [])
    attr = ctypes.create_string_buffer(struct.pack(f"{len(values)}Q", *values))
    fd = _libc.syscall(
        ctypes.c_long(LANDLOCK_CREATE_RULESET), attr, ctypes.c_long(len(attr.raw)), ctypes.c_long(0)
    )
    if fd < 0:
        raise _fail("landlock_create_ruleset")
    try:
        if (
            _libc.syscall(
                ctypes.c_long(LANDLOCK_RESTRICT_SELF), ctypes.c_long(fd), ctypes.c_long(0)
            )
            != 0
        ):
            raise _fail("landlock_restrict_self")
    finally:
        os.close(fd)
