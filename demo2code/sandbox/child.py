"""What runs inside the forked child: limits, the episode, the program, the report.

Everything here ends in ``os._exit``: the child must never fall back into the parent's
code (a pytest run, the CLI), run its atexit hooks or flush its buffers.
"""

from __future__ import annotations

import faulthandler
import functools
import json
import os
import resource
import signal
import struct
import sys
from collections.abc import Callable
from types import CodeType, FrameType
from typing import Any, NoReturn

from demo2code.sandbox.limits import Limits
from demo2code.sandbox.safe_builtins import safe_builtins
from demo2code.sandbox.validate import FILENAME

FAILURE_OUTCOMES = frozenset({"precondition_failed", "step_limit"})
HEADER = struct.Struct("!Q")  # length prefix of the JSON report
EXIT_REPORTED = 0
EXIT_NO_MEMORY = 3  # could not even build a report: memory exhausted
EXIT_BROKEN = 4
MAX_MESSAGE_CHARS = 1000
RESERVE_BYTES = 4 << 20  # freed on MemoryError so the report can still be built
_LIMIT_SIGNALS = {signal.SIGTERM, signal.SIGXCPU}


class CappedWriter:
    """A text sink for print(): keeps the first `cap` characters, drops the rest."""

    def __init__(self, cap: int):
        self.cap, self.parts, self.size, self.truncated = cap, [], 0, False

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError("write() argument must be str")
        room = self.cap - self.size
        if len(text) > room:
            self.truncated = True
            text = text[: max(room, 0)]
        if text:
            self.parts.append(text)
            self.size += len(text)
        return len(text)

    def flush(self) -> None:
        return None

    def getvalue(self) -> str:
        return "".join(self.parts)


class _Run:
    """The child's state, shared with the limit signal handler."""

    def __init__(self, limits: Limits, write_fd: int):
        self.limits, self.write_fd = limits, write_fd
        self.output = CappedWriter(limits.max_output_chars)
        self.episode: Any = None
        self.failures: list[dict[str, Any]] = []  # the first failure a guard saw, with its line
        self.reporting = False

    def report(self, outcome: str, message: str, line: int | None) -> NoReturn:
        """Send the report through the pipe and exit; signals stay blocked from here on."""
        self.reporting = True
        signal.pthread_sigmask(signal.SIG_BLOCK, _LIMIT_SIGNALS)
        trace, trace_error = None, ""
        if self.episode is not None:
            try:
                trace = self.episode.trace()
            except BaseException as err:  # noqa: BLE001 - a broken trace must not lose the report
                trace_error = f" (trace unavailable: {_describe(err)})"
        _cap_failures(trace)
        first = _first_failure(trace, self.failures)
        if first is not None:  # the first failure decides, even if the program caught it
            ended, how = outcome, message
            outcome, message = first["outcome"], str(first.get("message", ""))
            line = first.get("line")
            if ended != "finished" and not (ended == outcome and message in how):
                message += f" (the program then ended with {ended}: {how})"
        report = {
            "outcome": outcome,
            "message": (message + trace_error)[: MAX_MESSAGE_CHARS * 2],
            "line": line,
            "output": self.output.getvalue(),
            "output_truncated": self.output.truncated,
            "trace": trace,
        }
        try:
            payload = json.dumps(report, default=repr).encode()
            if len(payload) > self.limits.max_report_bytes:  # a runaway trace: keep the verdict
                report["trace"] = None
                report["message"] += f" (trace dropped: over {self.limits.max_report_bytes} bytes)"
                payload = json.dumps(report, default=repr).encode()
        except MemoryError:  # keep the verdict, drop the bulky parts
            report.update(trace=None, output="", message=report["message"][:MAX_MESSAGE_CHARS])
            try:
                payload = json.dumps(report).encode()
            except MemoryError:
                os._exit(EXIT_NO_MEMORY)
        _write_all(self.write_fd, HEADER.pack(len(payload)) + payload)
        os._exit(EXIT_REPORTED)


def child_main(
    code: CodeType, episode_factory: Callable[[], Any], limits: Limits, write_fd: int
) -> NoReturn:
    """Entry point after fork. Never returns."""
    try:
        run = _Run(limits, write_fd)
        _isolate(run)
        _set_cpu_limit(limits.cpu_seconds)
        signal.signal(signal.SIGTERM, functools.partial(_on_limit, run))
        signal.signal(signal.SIGXCPU, functools.partial(_on_limit, run))
        try:
            run.episode = episode_factory()
        except BaseException as err:  # noqa: BLE001
            run.report("harness_error", f"episode factory failed: {_describe(err)}", None)
        env = {"__builtins__": safe_builtins(), **_guard_namespace(run)}
        _set_run_limits(limits.memory_mb)
        _execute(run, code, env)
    except BaseException:  # noqa: BLE001 - whatever happens, never return into the parent
        os._exit(EXIT_BROKEN)
    os._exit(EXIT_BROKEN)


def _execute(run: _Run, code: CodeType, env: dict[str, Any]) -> NoReturn:
    reserve = bytearray(RESERVE_BYTES)
    try:
        exec(code, env)
    except BaseException as err:  # noqa: BLE001 - SystemExit, KeyboardInterrupt included
        del reserve
        line, message = _generated_line(err), _describe(err)
        outcome = getattr(type(err), "outcome", None)
        if isinstance(err, MemoryError):
            outcome = "memory_limit"
        elif outcome not in FAILURE_OUTCOMES:
            outcome = "runtime_error"
        _drop_tracebacks(err)
        env.clear()  # free what the program built (a memory bomb) before the report
        run.report(outcome, message, line)
    run.report("finished", "", None)


def _drop_tracebacks(err: BaseException | None) -> None:
    """Release the program's frames (and their locals) that tracebacks keep alive."""
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        err.__traceback__ = None
        err = err.__context__


MAX_REPORTED_FAILURES = 100


def _cap_failures(trace: Any) -> None:
    """A program that catches failures in an endless loop piles up thousands of them; only
    the first decides the outcome, so the report keeps the first hundred and a count. This
    keeps the report small enough to be written before the hard CPU limit kills us."""
    if isinstance(trace, dict) and isinstance(trace.get("failures"), list):
        failures = trace["failures"]
        if len(failures) > MAX_REPORTED_FAILURES:
            trace["failures"] = failures[:MAX_REPORTED_FAILURES]
            trace["failures_dropped"] = len(failures) - MAX_REPORTED_FAILURES


def _on_limit(run: _Run, signum: int, frame: FrameType | None) -> NoReturn:
    """SIGTERM (wall clock, from the parent) or SIGXCPU (CPU rlimit): report what we have."""
    if run.reporting:
        return  # a report is already being written; the process exits right after it
    what = "CPU" if signum == signal.SIGXCPU else "wall-clock"
    seconds = run.limits.cpu_seconds if signum == signal.SIGXCPU else run.limits.wall_seconds
    run.report("timeout", f"{what} limit of {seconds}s exceeded", _frame_line(frame))


def _isolate(run: _Run) -> None:
    """Detach the child from the parent's terminal streams; print() goes to the capped sink."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    sys.stdout = sys.stderr = run.output  # type: ignore[assignment]
    sys.stdin = None  # type: ignore[assignment]
    faulthandler.disable()  # it holds a copy of the parent's stderr
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # file writes fail instead of killing us
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _set_cpu_limit(cpu_seconds: float) -> None:
    soft = max(1, int(cpu_seconds + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))  # SIGXCPU, then SIGKILL


def _set_run_limits(memory_mb: int) -> None:
    """Limits that apply to the program only (the factory may need files and processes)."""
    extra = memory_mb * (1 << 20)
    resource.setrlimit(resource.RLIMIT_AS, (_address_space() + extra,) * 2)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    try:
        resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    except (ValueError, OSError):
        pass


def _address_space() -> int:
    """The child's current virtual size: after fork it already maps the parent's libraries."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[0])
    return pages * resource.getpagesize()


def _guard_namespace(run: _Run) -> dict[str, Any]:
    """Wrap API functions so a failure records the generated program's line, even if caught."""
    out: dict[str, Any] = {}
    for name, value in run.episode.namespace.items():
        is_function = callable(value) and not isinstance(value, type)
        out[name] = _guard(value, run.failures) if is_function else value
    return out


def _guard(fn: Callable[..., Any], records: list[dict[str, Any]]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BaseException as err:
            outcome = getattr(type(err), "outcome", None)
            fresh = not records and not getattr(err, "_sandbox_seen", False)
            if outcome in FAILURE_OUTCOMES and fresh:  # only the first failure is needed
                err._sandbox_seen = True  # type: ignore[attr-defined]
                records.append(
                    {"outcome": outcome, "message": _describe(err, False), "line": _caller_line()}
                )
            raise

    return call


def _first_failure(
    trace: dict[str, Any] | None, seen: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The benchmark's first recorded failure (line from our guard when it saw it too)."""
    listed = trace.get("failures") if isinstance(trace, dict) else None
    if isinstance(listed, list) and listed and isinstance(listed[0], dict):
        first = dict(listed[0])
        if first.get("outcome") not in FAILURE_OUTCOMES:
            first["outcome"] = "precondition_failed"
        first["line"] = seen[0]["line"] if seen else None
        return first
    return seen[0] if seen else None


def _caller_line() -> int | None:
    return _frame_line(sys._getframe(2))


def _frame_line(frame: FrameType | None) -> int | None:
    """The innermost line of the generated program on this stack."""
    while frame is not None:
        if frame.f_code.co_filename == FILENAME:
            return frame.f_lineno
        frame = frame.f_back
    return None


def _generated_line(err: BaseException) -> int | None:
    """The deepest traceback entry that belongs to the generated program."""
    line, tb = None, err.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _describe(err: BaseException, with_type: bool = True) -> str:
    try:
        text = str(err)
    except Exception:  # noqa: BLE001 - e.g. an int too long to print
        text = "<unprintable message>"
    text = text[:MAX_MESSAGE_CHARS]
    if not with_type:
        return text
    name = type(err).__name__
    return f"{name}: {text}" if text else name


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
