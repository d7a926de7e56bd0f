"""The parent side: validate, fork, watch the clock, read the report, reap the child."""

from __future__ import annotations

import json
import os
import select
import signal
import time
from collections.abc import Callable
from typing import Any

from demo2code.errors import Demo2CodeError
from demo2code.sandbox.child import (
    EXIT_NO_MEMORY,
    HEADER,
    child_main,
)
from demo2code.sandbox.limits import Limits, RunResult
from demo2code.sandbox.validate import SandboxRejected, SandboxSyntaxError, compile_checked

_POLL_SECONDS = 0.05


class SandboxHarnessError(Demo2CodeError):
    """The harness itself failed (e.g. the episode factory raised): not the program's fault."""


def run_program(
    code: str, episode_factory: Callable[[], Any], limits: Limits = Limits()
) -> RunResult:
    """Run generated `code` against a fresh episode built in a child process.

    Never raises for anything the program does; raises SandboxHarnessError if the episode
    factory fails.
    """
    start = time.monotonic()
    try:
        compiled = compile_checked(code)
    except SandboxSyntaxError as err:
        return RunResult("syntax_error", err.message, err.line, seconds=_since(start))
    except SandboxRejected as err:
        return RunResult("rejected", err.construct, err.line, seconds=_since(start))

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child; child_main never returns
        os.close(read_fd)
        child_main(compiled, episode_factory, limits, write_fd)
    os.close(write_fd)
    try:
        result = _watch(pid, read_fd, limits, start)
    finally:
        os.close(read_fd)
        _reap(pid, force=True)
    result.seconds = _since(start)
    if result.outcome == "harness_error":
        raise SandboxHarnessError(result.message)
    return result


def _watch(pid: int, read_fd: int, limits: Limits, start: float) -> RunResult:
    """Read the child's report until it is complete, the child dies, or time runs out."""
    deadline = start + limits.wall_seconds
    buffer = bytearray()
    terminated_at: float | None = None
    status: int | None = None
    rusage: Any = None
    while True:
        now = time.monotonic()
        if terminated_at is None and now >= deadline:
            _signal(pid, signal.SIGTERM)  # the child answers with a partial report
            terminated_at = now
        if terminated_at is not None and now >= terminated_at + limits.grace_seconds:
            _signal(pid, signal.SIGKILL)
            break
        ready, _, _ = select.select([read_fd], [], [], _POLL_SECONDS)
        if ready:
            chunk = os.read(read_fd, 1 << 16)
            buffer += chunk
            if len(buffer) > limits.max_report_bytes + HEADER.size:
                _signal(pid, signal.SIGKILL)
                return RunResult(
                    "memory_limit", f"report larger than {limits.max_report_bytes} bytes"
                )
            if _complete(buffer) or not chunk:
                break
        try:
            done, exit_status, exit_rusage = os.wait4(pid, os.WNOHANG)
        except ChildProcessError:  # someone else reaped it (a SIGCHLD handler)
            break
        if done:
            status, rusage = exit_status, exit_rusage
            buffer += _drain(read_fd)
            break
    if _complete(buffer):
        return _decode(buffer)
    if status is None:  # pipe closed or child killed: collect its status, bounded in time
        status, rusage = _wait_until(pid, time.monotonic() + limits.grace_seconds)
    if terminated_at is not None:
        return RunResult("timeout", f"wall-clock limit of {limits.wall_seconds}s exceeded")
    return _classify_silent_death(status, rusage, limits)


def _complete(buffer: bytearray) -> bool:
    if len(buffer) < HEADER.size:
        return False
    (size,) = HEADER.unpack_from(buffer)
    return len(buffer) >= HEADER.size + size


def _decode(buffer: bytearray) -> RunResult:
    (size,) = HEADER.unpack_from(buffer)
    data = json.loads(bytes(buffer[HEADER.size : HEADER.size + size]))
    return RunResult.from_json(data)


def _classify_silent_death(status: int | None, rusage: Any, limits: Limits) -> RunResult:
    """The child died without a report: decide why from its exit status and CPU use."""
    if status is None:
        return RunResult("runtime_error", "sandbox child vanished without a status")
    if os.WIFEXITED(status):
        code = os.WEXITSTATUS(status)
        if code == EXIT_NO_MEMORY:
            return RunResult("memory_limit", "out of memory while writing the report")
        return RunResult("runtime_error", f"sandbox child exited with code {code} and no report")
    sig = os.WTERMSIG(status)
    cpu = (rusage.ru_utime + rusage.ru_stime) if rusage is not None else 0.0
    if sig == signal.SIGXCPU or (sig == signal.SIGKILL and cpu >= limits.cpu_seconds - 0.05):
        return RunResult("timeout", f"CPU limit of {limits.cpu_seconds}s exceeded")
    if sig == signal.SIGKILL:
        return RunResult("memory_limit", "sandbox child killed (most likely out of memory)")
    return RunResult("runtime_error", f"sandbox child crashed with {signal.Signals(sig).name}")


def _drain(fd: int) -> bytes:
    data = bytearray()
    while select.select([fd], [], [], 0)[0]:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        data += chunk
    return bytes(data)


def _wait_until(pid: int, until: float) -> tuple[int | None, Any]:
    while time.monotonic() < until:
        try:
            done, status, rusage = os.wait4(pid, os.WNOHANG)
        except ChildProcessError:
            return None, None
        if done:
            return status, rusage
        time.sleep(0.005)
    return _reap(pid, force=True)


def _reap(pid: int, force: bool) -> tuple[int | None, Any]:
    """Wait for the child; kill it first if `force` and it is still running."""
    try:
        done, status, rusage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, rusage
        if force:
            _signal(pid, signal.SIGKILL)
        _, status, rusage = os.wait4(pid, 0)
        return status, rusage
    except ChildProcessError:  # already reaped
        return None, None


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _since(start: float) -> float:
    return round(time.monotonic() - start, 4)
