"""The trusted side of an episode: the simulator, the step count, the trace and the verdict.

`run_program` validates the program (a first filter, never the boundary), builds the
episode here, in the trusted process, and asks the fork server for an isolated process
that runs the program with call stubs only. Each API call arrives as plain data, is
checked, executed on the episode here, and answered with a plain value or a failure. What
the program says about itself (that it finished, a line number, printed output) is only
ever shown; the trace the verdict is computed from is the episode's own.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from demo2code.errors import Demo2CodeError
from demo2code.sandbox import isolation
from demo2code.sandbox.limits import Limits, RunResult
from demo2code.sandbox.protocol import (
    FAILURE_OUTCOMES,
    FrameReader,
    ProtocolError,
    ValueRefused,
    cpu_budget,
    decode_value,
    encode_value,
    pack,
    write_frame,
)
from demo2code.sandbox.text import clean_block, clean_field
from demo2code.sandbox.validate import SandboxRejected, SandboxSyntaxError, compile_checked

PROGRAM_OUTCOMES = frozenset({"finished", "runtime_error", "memory_limit", "syntax_error"})
_START_SECONDS = 30.0  # a fork server that is not ready by then is broken


class SandboxHarnessError(Demo2CodeError):
    """The harness itself failed (the episode factory raised, the sandbox could not start):
    not the program's fault."""


class SandboxUnavailable(Demo2CodeError):
    """`--isolation strict` and this machine cannot apply every layer."""


# --- the fork server, one per thread -----------------------------------------------------


class ForkServer:
    """A fresh-exec'd, empty-environment process that forks episodes on request."""

    def __init__(self) -> None:
        self.owner = os.getpid()
        ours, theirs = socket.socketpair()
        # The server imports what this process imports (the package, libseccomp's binding),
        # whichever interpreter and environment it was started from.
        paths = [str(Path(__file__).resolve().parents[2])] + [p for p in sys.path if p]
        script = (
            f"import sys; sys.path[:0] = {paths!r}; "
            f"from demo2code.sandbox.forkserver import main; main({theirs.fileno()})"
        )
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-c", script],
                env={},
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=[theirs.fileno()],
                start_new_session=True,  # a Ctrl-C in the terminal does not reach episodes
                cwd="/",
            )
        except OSError as err:
            raise SandboxHarnessError(f"cannot start the sandbox's fork server: {err}") from None
        finally:
            theirs.close()
        self.sock = ours
        self.reader = FrameReader()
        ready = self._receive(_START_SECONDS)
        if not ready or not ready.get("ready"):
            self.close()
            raise SandboxHarnessError("the sandbox's fork server did not start")
        self.available: dict[str, str | None] = ready["available"]

    def start(self, request: dict[str, Any], channel: socket.socket) -> int:
        socket.send_fds(self.sock, [b"S"], [channel.fileno()])
        self.sock.sendall(pack(request))
        answer = self._receive(_START_SECONDS)
        if not answer or "pid" not in answer:
            raise SandboxHarnessError("the sandbox's fork server stopped answering")
        return int(answer["pid"])

    def finish(self, grace: float) -> tuple[int | None, float]:
        """End the episode's processes; (A's wait status, CPU seconds) once they are gone."""
        self.sock.sendall(pack({"op": "finish", "grace": grace}))
        answer = self._receive(_START_SECONDS)
        if not answer or "status" not in answer:
            raise SandboxHarnessError("the sandbox's fork server stopped answering")
        return answer["status"], float(answer.get("cpu", 0.0))

    def _receive(self, timeout: float) -> dict[str, Any] | None:
        deadline = time.monotonic() + timeout
        while True:
            message = self.reader.next()
            if message is not None:
                return message
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                return None
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                return None
            self.reader.feed(chunk)

    def alive(self) -> bool:
        return self.owner == os.getpid() and self.process.poll() is None

    def close(self) -> None:
        """Closing the control socket ends the server; wait for it so no zombie is left."""
        self.sock.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __del__(self) -> None:  # a worker thread ended: its server goes with it
        try:
            if self.owner == os.getpid() and hasattr(self, "process"):
                self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


_LOCAL = threading.local()


def fork_server() -> ForkServer:
    """This thread's fork server, started on first use (and again after a fork)."""
    server: ForkServer | None = getattr(_LOCAL, "server", None)
    if server is None or not server.alive():
        server = _LOCAL.server = ForkServer()
    return server


def available_layers() -> dict[str, str | None]:
    """Layer -> None if this machine applies it, else why not (`demo2code sandbox info`)."""
    return dict(fork_server().available)


def active_layers(requested: frozenset[str] | None = None, strict: bool = False) -> list[str]:
    """The layers an episode gets: those asked for that this machine allows."""
    wanted = isolation.ALL_LAYERS if requested is None else requested
    available = fork_server().available
    active = sorted(name for name in wanted if available.get(name, "unknown") is None)
    if strict:
        missing = [
            f"{name} ({available.get(name) or 'unknown'})"
            for name in sorted(wanted - set(active))
            if not (name == "uid_drop" and os.getuid() != 0)
        ]
        if missing:
            raise SandboxUnavailable(
                "--isolation strict: this machine cannot apply " + "; ".join(missing)
            )
    return active


# --- one episode -----------------------------------------------------------------------


def run_program(
    code: str,
    episode_factory: Callable[[], Any],
    limits: Limits = Limits(),
    *,
    check: bool = True,
    layers: frozenset[str] | None = None,
    strict: bool = False,
) -> RunResult:
    """Run generated `code` against a fresh episode; never raises for anything the program
    does. `check=False` skips the static filter (tests show the boundary holds without it);
    `layers` picks isolation layers (default: every one the machine allows)."""
    start = time.monotonic()
    if check:
        try:
            compile_checked(code)
        except SandboxSyntaxError as err:
            return RunResult(
                "syntax_error", clean_field(err.message), err.line, seconds=_since(start)
            )
        except SandboxRejected as err:
            return RunResult(
                "rejected", clean_field(err.construct), err.line, seconds=_since(start)
            )
    active = active_layers(layers, strict)
    if "parent_nondumpable" in active:
        isolation.make_nondumpable()
    try:
        episode = episode_factory()
    except Exception as err:  # noqa: BLE001 - a broken benchmark, reported as such
        raise SandboxHarnessError(f"episode factory failed: {type(err).__name__}: {err}") from err
    session = _Session(episode, limits)
    request = {
        "code": code,
        "api": sorted(session.api),
        # names the episode declares state-only and side-effect free (docs/sandbox.md)
        "queries": sorted(set(getattr(episode, "queries", ())) & set(session.api)),
        "constants": session.constants(),
        "layers": active,
        "memory_mb": limits.memory_mb,
        "cpu_seconds": limits.cpu_seconds,
        "max_output_chars": limits.max_output_chars,
    }
    server = fork_server()
    ours, theirs = socket.socketpair()
    try:
        try:
            server.start(request, theirs)
        finally:
            theirs.close()
        ended = session.serve(ours, start + limits.wall_seconds)
        # A dead program's set-up process exits right after reaping it: wait for that, so
        # its status can say how the program ended (a loaded machine may be slow).
        grace = {"died": max(limits.grace_seconds, 3.0), "end": 0.2}.get(ended, 0.0)
        status, cpu = server.finish(grace)
    except BaseException:
        _abandon(server)
        raise
    finally:
        ours.close()
    result = session.result(ended, status, max(cpu, 0.0), time.monotonic() - start)
    result.isolation = active
    result.seconds = _since(start)
    return result


def _abandon(server: ForkServer) -> None:
    """An interrupt or a harness failure mid-episode: kill the episode, keep the server
    usable if it answers, drop it otherwise."""
    try:
        server.finish(0.0)
    except Exception:  # noqa: BLE001
        server.close()
        _LOCAL.server = None


class _Session:
    """Serves one episode's calls and turns what happened into a RunResult."""

    def __init__(self, episode: Any, limits: Limits):
        self.episode, self.limits = episode, limits
        self.api: dict[str, Callable[..., Any]] = {}
        self.plain: dict[str, Any] = {}
        for name, value in dict(episode.namespace).items():
            _flatten(name, value, self.api, self.plain, depth=0)
        self.failures: list[dict[str, Any]] = []  # the first failure a call raised
        self.output: list[str] = []
        self.output_size = 0
        self.end: dict[str, Any] = {}
        self.note = ""

    def constants(self) -> Any:
        try:
            return encode_value(self.plain)
        except ValueRefused as err:
            raise SandboxHarnessError(f"episode namespace holds non-plain data: {err}") from None

    def serve(self, sock: socket.socket, deadline: float) -> str:
        """Answer calls until the program ends ("end"), dies ("died"), breaks the protocol
        ("protocol") or runs out of wall-clock time ("timeout")."""
        reader = FrameReader()
        while True:
            try:
                message = reader.next()
            except ProtocolError as err:
                self.note = f"the program broke the sandbox protocol: {err}"
                return "protocol"
            if message is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return "timeout"
                if not select.select([sock], [], [], left)[0]:
                    return "timeout"
                try:
                    chunk = sock.recv(1 << 16)
                except OSError:
                    chunk = b""
                if not chunk:
                    return "died"
                reader.feed(chunk)
                continue
            self._take_output(message.get("out"))
            if "setup_error" in message:
                raise SandboxHarnessError(
                    f"sandbox set-up failed: {clean_field(message['setup_error'])}"
                )
            if "end" in message:
                self.end = message
                return "end"
            if "call" not in message and "out" in message:
                continue  # printed output sent on its own (a print loop without calls)
            if "call" not in message:
                self.note = "the program broke the sandbox protocol: an unknown message"
                return "protocol"
            reply = self._call(message)
            if time.monotonic() >= deadline:
                return "timeout"
            try:
                sock.sendall(pack(reply))
            except OSError:
                return "died"

    def _take_output(self, text: Any) -> None:
        if type(text) is str and text and self.output_size < self.limits.max_output_chars:
            self.output.append(text)
            self.output_size += len(text)

    def _call(self, message: dict[str, Any]) -> dict[str, Any]:
        name = message.get("call")
        if type(name) is not str or name not in self.api:
            shown = clean_field(name, 60) if type(name) is str else "?"
            return _error("NameError", f"name {shown!r} is not an API function")
        try:
            args = decode_value(message.get("args"))
            kwargs = decode_value(message.get("kwargs"))
            if type(args) is not list or type(kwargs) is not dict:
                raise ValueRefused("malformed call")
            for key in kwargs:
                if type(key) is not str or not key.isidentifier() or key.startswith("_"):
                    raise ValueRefused("keyword names must be plain identifiers")
        except ValueRefused as err:
            return _error("TypeError", f"{name}(): argument refused: {err}")
        line = message.get("line")
        line = line if type(line) is int else None
        try:
            value = self.api[name](*args, **kwargs)
        except Exception as err:  # noqa: BLE001 - the program gets the failure to raise
            outcome = getattr(type(err), "outcome", None)
            text = _describe(err)
            if outcome not in FAILURE_OUTCOMES:
                return _error(type(err).__name__, text, _plain_args(err))
            if not self.failures:
                self.failures.append({"outcome": outcome, "message": text, "line": line})
            return {"error": {"type": type(err).__name__, "message": text, "outcome": outcome}}
        try:
            return {"ok": encode_value(value)}
        except ValueRefused as err:
            return _error("RuntimeError", f"{name}() returned something unsendable: {err}")

    def result(self, ended: str, status: int | None, cpu: float, elapsed: float) -> RunResult:
        trace = self.episode.trace()
        line = None
        if ended == "end":
            outcome = str(self.end.get("end"))
            message = self.end.get("message")
            message = message if type(message) is str else ""
            line = self.end.get("line") if type(self.end.get("line")) is int else None
            if outcome in FAILURE_OUTCOMES and not self.failures:
                outcome = "runtime_error"  # an uncaught action failure the episode never saw
            elif outcome not in PROGRAM_OUTCOMES.union(FAILURE_OUTCOMES):
                outcome, message = "runtime_error", f"unknown outcome {clean_field(outcome, 40)}"
        elif ended == "timeout":
            outcome, message = (
                "timeout",
                f"wall-clock limit of {self.limits.wall_seconds}s exceeded",
            )
        elif ended == "protocol":
            outcome, message = "runtime_error", self.note
        else:
            outcome, message = _classify_death(status, max(cpu, 0.0), elapsed, self.limits)
        outcome, message, line = _first_failure_decides(
            trace, self.failures, outcome, message, line
        )
        truncated = bool(self.end.get("truncated")) or (
            self.output_size >= self.limits.max_output_chars
        )
        return RunResult(
            outcome,
            clean_field(message),
            line,
            output=clean_block("".join(self.output), self.limits.max_output_chars),
            trace=trace,
            output_truncated=truncated,
        )


def _flatten(
    name: str, value: Any, api: dict[str, Callable[..., Any]], plain: dict[str, Any], depth: int
) -> None:
    """A namespace entry as the program will see it: a function becomes a stub, plain data
    a constant, and an object (e.g. a small `np` stand-in offering `np.random.choice`) its
    public attributes under dotted names, so no object crosses, only its functions' names."""
    if callable(value) and not isinstance(value, type):
        api[name] = value
        return
    try:
        encode_value(value)
    except ValueRefused:
        pass
    else:
        plain[name] = value
        return
    if depth >= 3 or isinstance(value, type):
        raise SandboxHarnessError(
            f"episode namespace entry {name!r} is neither a function nor plain data"
        )
    for attr in dir(value):
        if not attr.startswith("_"):
            _flatten(f"{name}.{attr}", getattr(value, attr), api, plain, depth + 1)


def _error(kind: str, message: str, args: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"type": kind, "message": message}
    if args is not None:
        error["args"] = args
    return {"error": error}


def _plain_args(err: BaseException) -> Any:
    """The exception's arguments when they are small plain data (so `KeyError('k')` is
    rebuilt as itself on the program's side), else None and the message is used."""
    try:
        return encode_value(list(err.args), 200)
    except (ValueRefused, RecursionError):
        return None


def _first_failure_decides(
    trace: Any, seen: list[dict[str, Any]], outcome: str, message: str, line: int | None
) -> tuple[str, str, int | None]:
    """The episode's first recorded failure decides the outcome, even if the program caught
    it; how the program then ended is kept in the message."""
    listed = trace.get("failures") if isinstance(trace, dict) else None
    first: dict[str, Any] | None = None
    if isinstance(listed, list) and listed and isinstance(listed[0], dict):
        first = dict(listed[0])
        if first.get("outcome") not in FAILURE_OUTCOMES:
            first["outcome"] = "precondition_failed"
        first["line"] = seen[0]["line"] if seen else None
    elif seen:
        first = seen[0]
    if first is None:
        return outcome, message, line
    ended, how = outcome, message
    outcome, message = str(first["outcome"]), str(first.get("message", ""))
    if ended != "finished" and not (ended == outcome and message in how):
        message += f" (the program then ended with {ended}: {how})"
    return outcome, message, first.get("line")


def _classify_death(
    status: int | None, cpu: float, elapsed: float, limits: Limits
) -> tuple[str, str]:
    """The program's process ended without a closing message: why, from how it ended."""
    if status is None:
        return "runtime_error", "the program's process vanished"
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
    if code <= 128:
        return "runtime_error", f"the program's process exited with code {code} and no result"
    sig = code - 128
    if sig == signal.SIGSYS:
        return "runtime_error", "stopped by the sandbox: a forbidden system call"
    # RLIMIT_CPU (whole seconds, soft = hard) kills with SIGKILL; rusage counts in ticks and
    # may miss the last of it, so the time the episode ran counts too. RLIMIT_AS makes
    # memory exhaustion a MemoryError, so a SIGKILL well short of the budget is the kernel's
    # out-of-memory killer.
    budget = cpu_budget(limits.cpu_seconds)
    spent = max(cpu, elapsed) if sig == signal.SIGKILL else cpu
    if sig == signal.SIGXCPU or (sig == signal.SIGKILL and spent >= 0.8 * budget):
        return "timeout", f"CPU limit of {limits.cpu_seconds}s exceeded"
    if sig == signal.SIGKILL:
        return "memory_limit", "the program's process was killed (most likely out of memory)"
    try:
        name = signal.Signals(sig).name
    except ValueError:
        name = f"signal {sig}"
    return "runtime_error", f"the program's process crashed with {name}"


def _describe(err: BaseException) -> str:
    try:
        text = str(err)
    except Exception:  # noqa: BLE001
        text = "<unprintable message>"
    return text[:2000]


def _since(start: float) -> float:
    return round(time.monotonic() - start, 4)


__all__ = [
    "ForkServer",
    "SandboxHarnessError",
    "SandboxUnavailable",
    "active_layers",
    "available_layers",
    "fork_server",
    "run_program",
    "write_frame",
]
