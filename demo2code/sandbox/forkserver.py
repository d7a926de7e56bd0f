"""The fork server: a small, single-threaded process that forks every untrusted episode.

The trusted process (the CLI, an eval worker) may hold API keys and run threads, so it never
forks a program itself. It starts this server once with a fresh `exec` and an empty
environment (`demo2code.sandbox.runner.ForkServer`); the server imports what programs
need, builds the seccomp filter once, makes itself non-dumpable, probes which isolation
layers the machine allows, and then serves one episode at a time:

    trusted -> server   b"S" + the channel's descriptor (SCM_RIGHTS), then a request frame
    server  -> trusted  {"pid": A}
    trusted -> server   {"op": "finish"}              (always, when the episode is over)
    server  -> trusted  {"status": wait status, "cpu": seconds}

On "finish" (or when the trusted side goes away) the server kills the set-up process A and
its process group; A's death kills B (PDEATHSIG) and with it B's whole PID namespace.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from typing import Any, NoReturn

from demo2code.sandbox import isolation, untrusted
from demo2code.sandbox.protocol import FrameReader, read_frame, write_frame

SETUP_FAILED = 120  # A's exit code when a requested layer could not be put in place


def main(control_fd: int) -> None:
    """Serve episodes on `control_fd` until the trusted side closes it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the trusted side's business
    control = socket.socket(fileno=control_fd)
    isolation.make_nondumpable()
    available = isolation.probe()
    write_frame(control_fd, {"ready": True, "available": available, "uid": os.getuid()})
    while True:
        try:
            marker, fds, _, _ = socket.recv_fds(control, 1, 1)
        except OSError:
            return
        if not marker:
            return
        request = read_frame(control_fd, FrameReader())
        if request is None or len(fds) != 1:
            return
        _serve(control_fd, request, fds[0])


def _serve(control_fd: int, request: dict[str, Any], channel_fd: int) -> None:
    layers = frozenset(request["layers"])
    server_pid = os.getpid()
    isolation.sc.prctl(isolation.sc.PR_SET_DUMPABLE, 0 if "parent_nondumpable" in layers else 1)
    pid = os.fork()
    if pid == 0:
        _setup_process(request, layers, channel_fd, server_pid)
    os.close(channel_fd)
    write_frame(control_fd, {"pid": pid})
    finish = read_frame(control_fd, FrameReader())
    grace = float(finish.get("grace", 0.0)) if finish else 0.0
    done = _wait_for(pid, time.monotonic() + min(max(grace, 0.0), 5.0))
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    _, status, usage = done or os.wait4(pid, 0)
    if finish is None:  # the trusted side is gone
        sys.exit(0)
    write_frame(control_fd, {"status": status, "cpu": round(usage.ru_utime + usage.ru_stime, 4)})


def _wait_for(pid: int, until: float) -> tuple[int, int, Any] | None:
    """A's own ending, if it comes before `until` (then its status says how B ended)."""
    while True:
        done = os.wait4(pid, os.WNOHANG)
        if done[0]:
            return done
        if time.monotonic() >= until:
            return None
        time.sleep(0.002)


def _setup_process(
    request: dict[str, Any], layers: frozenset[str], channel_fd: int, server_pid: int
) -> NoReturn:
    """Process A: set up, fork the program's process B, and pass on how B ended."""
    try:
        isolation.enter_setup_process(layers, channel_fd, server_pid)
        program = os.fork()
        if program == 0:
            _program_process(request, layers, channel_fd)
        os.close(channel_fd)
        _, status = os.waitpid(program, 0)
    except BaseException as err:  # noqa: BLE001 - report the layer that failed, then go
        _report_setup_failure(channel_fd, err)
        os._exit(SETUP_FAILED)
    if os.WIFSIGNALED(status):
        os._exit(128 + os.WTERMSIG(status))
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def _program_process(request: dict[str, Any], layers: frozenset[str], channel_fd: int) -> NoReturn:
    """Process B: the last layers, then the program."""
    try:
        isolation.enter_program_process(
            layers, int(request["memory_mb"]), float(request["cpu_seconds"])
        )
    except BaseException as err:  # noqa: BLE001
        _report_setup_failure(channel_fd, err)
        os._exit(SETUP_FAILED)
    try:
        untrusted.run(request, channel_fd)
    except BaseException:  # noqa: BLE001 - never fall back into the server's code
        os._exit(1)


def _report_setup_failure(channel_fd: int, err: BaseException) -> None:
    try:
        write_frame(channel_fd, {"setup_error": f"{type(err).__name__}: {err}"[:300]})
    except OSError:
        pass


if __name__ == "__main__":
    main(int(sys.argv[1]))
