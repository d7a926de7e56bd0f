"""The operating-system layers around an untrusted program, each a separate defence.

Per episode the fork server (`demo2code.sandbox.forkserver`) forks a set-up process (A),
which forks the program's process (B). The order follows what established sandboxes do
(see docs/sandbox.md): privileged steps first, then dropping privileges, then the filters
that would also block the set-up calls.

A: new session, fds closed but the channel, (root) drop to an unprivileged uid and gid,
   new user/PID/mount/network/IPC/UTS namespaces with the id maps, fork B.
B: PID 1 of the new PID namespace. Empty read-only root (tmpfs + pivot_root), capabilities
   cleared, rlimits, no-new-privileges, Landlock (no file, TCP, abstract socket or signal
   access), seccomp allow-list; then the program.

Every layer can be switched off for tests (`LAYERS`), so each can be shown to stop its class
of attack alone. `probe()` finds out once, in a throw-away child, which ones this machine
allows; a layer the machine refuses is reported, never silently assumed.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
from collections.abc import Iterable
from typing import Any

from demo2code.sandbox import syscalls as sc
from demo2code.sandbox.protocol import cpu_budget

NOBODY = 65534  # the unprivileged uid/gid a root-started episode drops to

LAYERS: dict[str, str] = {
    "new_session": "own session, no terminal, no descriptor but the channel",
    "rlimits": "CPU, memory, file size 0, no new processes, no core files",
    "uid_drop": "started as root: runs as an unprivileged user and group",
    "namespaces": "own user, PID, mount, network, IPC and UTS namespaces",
    "empty_root": "an empty read-only file system (tmpfs + pivot_root)",
    "no_new_privs": "PR_SET_NO_NEW_PRIVS: no privilege gain through exec",
    "landlock": "Landlock: no file access, no TCP, no abstract sockets or signals out",
    "seccomp": "seccomp allow-list: no socket, kill, ptrace, fork, exec, ioctl, mount",
    "parent_nondumpable": "the trusted process is non-dumpable: no /proc/PID/environ, mem",
}
ALL_LAYERS = frozenset(LAYERS)
NAMESPACE_FLAGS = (
    sc.CLONE_NEWUSER
    | sc.CLONE_NEWPID
    | sc.CLONE_NEWNS
    | sc.CLONE_NEWNET
    | sc.CLONE_NEWIPC
    | sc.CLONE_NEWUTS
)
ROOT_MOUNT = "/tmp"  # only a mount point inside the episode's own mount namespace

# What the program's process needs once seccomp is on: its channel, memory, signals on
# its own behalf, clocks and exit. Lookups of files answer "no such file" (tracebacks and
# linecache ask); anything else kills the process.
SECCOMP_ALLOW = (
    "read", "write", "close", "fstat", "lseek", "mmap", "munmap", "mremap", "mprotect",
    "brk", "madvise", "rt_sigreturn", "rt_sigprocmask", "rt_sigaction", "sigaltstack",
    "futex", "getrandom", "clock_gettime", "clock_getres", "gettimeofday", "clock_nanosleep",
    "nanosleep", "getpid", "gettid", "sched_yield", "restart_syscall", "exit", "exit_group",
)  # fmt: skip
SECCOMP_ENOENT = (
    "open", "openat", "stat", "lstat", "newfstatat", "statx", "readlink", "readlinkat",
    "getcwd", "access", "faccessat", "faccessat2",
)  # fmt: skip

# Landlock rights, by the ABI that introduced them (include/uapi/linux/landlock.h).
_LANDLOCK_FS = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_LANDLOCK_NET_TCP = 0b11  # bind, connect (ABI 4)
_LANDLOCK_SCOPES = 0b11  # abstract unix sockets, signals (ABI 6)


class SetupFailed(Exception):
    """A layer that was asked for could not be put in place for this episode."""


# --- the trusted side ----------------------------------------------------------------


def make_nondumpable() -> None:
    """Close this process's /proc entries (environ, mem) and ptrace to same-uid peers."""
    sc.prctl(sc.PR_SET_DUMPABLE, 0)


# --- probing (in the fork server, once) -------------------------------------------------


def probe() -> dict[str, str | None]:
    """Layer -> None when this machine can apply it, else the reason it cannot."""
    found: dict[str, str | None] = dict.fromkeys(LAYERS)
    if os.getuid() != 0:
        found["uid_drop"] = "not started as root (nothing to drop)"
    namespaces = _probe_in_child(_namespace_trial)
    found["namespaces"] = namespaces
    found["empty_root"] = namespaces and "needs namespaces"
    abi = _safe(sc.landlock_abi, 0)
    found["landlock"] = None if abi >= 1 else "Landlock is not enabled in this kernel"
    if _seccomp_filter() is None:
        found["seccomp"] = "libseccomp (pyseccomp) is not available"
    return found


def _safe(fn: Any, default: Any) -> Any:
    try:
        return fn()
    except OSError:
        return default


def _probe_in_child(trial: Any) -> str | None:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            trial()
            os.write(write_end, b"ok")
        except BaseException as err:  # noqa: BLE001 - the reason is the answer
            os.write(write_end, str(err).encode()[:300] or b"failed")
        os._exit(0)
    os.close(write_end)
    answer = b""
    while chunk := os.read(read_end, 512):
        answer += chunk
    os.close(read_end)
    os.waitpid(pid, 0)
    text = answer.decode(errors="replace")
    return None if text == "ok" else (text or "the trial process died")


def _namespace_trial() -> None:
    """The whole path an episode takes: ids, namespaces, maps, PID 1, empty root."""
    _drop_uid_if_root()
    _enter_namespaces()
    pid = os.fork()
    if pid == 0:
        try:
            _empty_root()
            sc.drop_capabilities()
        except BaseException:  # noqa: BLE001
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        raise SetupFailed("mounting an empty root in the new namespaces failed")


# --- set-up steps ----------------------------------------------------------------------


def enter_setup_process(layers: frozenset[str], keep_fd: int, server_pid: int) -> None:
    """In A, right after the fork server's fork: session, descriptors, ids, namespaces."""
    sc.prctl(sc.PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != server_pid:  # the server died before PDEATHSIG was armed
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if "new_session" in layers:
        os.setsid()
    _keep_only(keep_fd)
    if "uid_drop" in layers:
        _drop_uid_if_root()
        sc.prctl(sc.PR_SET_PDEATHSIG, signal.SIGKILL)  # a credential change clears it
        if os.getppid() != server_pid:
            os._exit(1)
    if "namespaces" in layers:
        _enter_namespaces()


def enter_program_process(layers: frozenset[str], memory_mb: int, cpu_seconds: float) -> None:
    """In B: everything that must hold before the first untrusted byte runs."""
    mapped = _address_space()  # read while /proc is still there
    if "namespaces" in layers and "empty_root" in layers:
        _empty_root()
    if "namespaces" in layers:
        sc.drop_capabilities()
    if "rlimits" in layers:
        _rlimits(mapped + memory_mb * (1 << 20), cpu_seconds)
    if "no_new_privs" in layers or "landlock" in layers or "seccomp" in layers:
        sc.prctl(sc.PR_SET_NO_NEW_PRIVS, 1)
    if "landlock" in layers:
        _landlock()
    if "seccomp" in layers:
        flt = _seccomp_filter()
        if flt is None:
            raise SetupFailed("seccomp filter unavailable")
        flt.load()


def _keep_only(fd: int) -> None:
    """stdin/stdout/stderr on /dev/null, every other descriptor closed but `fd` (>= 3)."""
    null = os.open(os.devnull, os.O_RDWR)
    for std in (0, 1, 2):
        os.dup2(null, std)
    if null not in (0, 1, 2, fd):
        os.close(null)
    os.closerange(3, fd)
    os.closerange(fd + 1, _max_fd())


def _max_fd() -> int:
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft if soft != resource.RLIM_INFINITY else 65536


def _drop_uid_if_root() -> None:
    if os.getuid() != 0 and os.geteuid() != 0:
        return
    os.setgroups([])
    os.setresgid(NOBODY, NOBODY, NOBODY)
    os.setresuid(NOBODY, NOBODY, NOBODY)


def _enter_namespaces() -> None:
    """Unshare everything at once (the user namespace owns the rest) and map our ids."""
    uid, gid = os.geteuid(), os.getegid()
    sc.prctl(sc.PR_SET_DUMPABLE, 1)  # a non-dumpable process cannot open its own maps
    sc.unshare(NAMESPACE_FLAGS)
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"0 {uid} 1")
    _write("/proc/self/gid_map", f"0 {gid} 1")


def _write(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _empty_root() -> None:
    """Replace the file system with an empty, read-only tmpfs; detach the host's tree."""
    sc.mount("none", "/", None, sc.MS_REC | sc.MS_PRIVATE, None)
    flags = sc.MS_NOSUID | sc.MS_NODEV | sc.MS_NOEXEC
    sc.mount("none", ROOT_MOUNT, "tmpfs", flags, "size=4k,nr_inodes=2,mode=0555")
    os.chdir(ROOT_MOUNT)
    sc.pivot_root(".", ".")
    sc.umount2(".", sc.MNT_DETACH)
    os.chdir("/")
    sc.mount("none", "/", None, sc.MS_REMOUNT | sc.MS_RDONLY | flags, None)


def _rlimits(size: int, cpu_seconds: float) -> None:
    """Soft = hard everywhere: PID 1 of a namespace ignores SIGXCPU, only SIGKILL stops it."""
    seconds = cpu_budget(cpu_seconds)
    for limit, value in (
        (resource.RLIMIT_CPU, seconds),
        (resource.RLIMIT_AS, size),
        (resource.RLIMIT_FSIZE, 0),
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_NPROC, 0),
        (resource.RLIMIT_MEMLOCK, 0),
    ):
        resource.setrlimit(limit, (value, value))


def _address_space() -> int:
    """The current virtual size: the fork server's interpreter and modules are mapped."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * resource.getpagesize()


def _landlock() -> None:
    abi = sc.landlock_abi()
    if abi < 1:
        raise SetupFailed("Landlock unavailable")
    fs = _LANDLOCK_FS[max(v for v in _LANDLOCK_FS if v <= abi)]
    sc.landlock_restrict(
        fs, _LANDLOCK_NET_TCP if abi >= 4 else 0, _LANDLOCK_SCOPES if abi >= 6 else 0, abi
    )


_FILTER: Any = None


def _seccomp_filter() -> Any:
    """Built once per fork server (importing libseccomp costs ~40 ms); loaded per episode."""
    global _FILTER
    if _FILTER is None:
        try:
            import pyseccomp as seccomp
        except (ImportError, RuntimeError, OSError):
            return None
        flt = seccomp.SyscallFilter(defaction=seccomp.KILL_PROCESS)
        flt.set_attr(seccomp.Attr.ACT_BADARCH, seccomp.KILL_PROCESS)
        _add_rules(flt, seccomp.ALLOW, SECCOMP_ALLOW, seccomp)
        _add_rules(flt, seccomp.ERRNO(errno.ENOENT), SECCOMP_ENOENT, seccomp)
        _FILTER = flt
    return _FILTER


def _add_rules(flt: Any, action: int, names: Iterable[str], seccomp: Any) -> None:
    for name in names:
        try:
            flt.add_rule(action, name)
        except (OSError, ValueError):  # a call this architecture does not have
            continue
