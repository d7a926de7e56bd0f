"""The program's side of an episode: call stubs, the program, one closing message.

This runs in process B, inside every isolation layer, and is assumed compromised: nothing
it says decides a verdict. Its namespace holds the safe builtins and one stub per API
name; a stub sends `(name, args)` to the trusted process and returns the plain value it gets
back, or raises the failure it is told to. No simulator object exists in this process.
"""

from __future__ import annotations

import builtins
import os
import sys
from types import FrameType, SimpleNamespace
from typing import Any, NoReturn

from demo2code.sandbox.protocol import (
    FAILURE_OUTCOMES,
    MAX_STR_CHARS,
    FrameReader,
    ValueRefused,
    decode_value,
    encode_value,
    read_frame,
    write_frame,
)
from demo2code.sandbox.safe_builtins import SAFE_BUILTIN_NAMES, safe_builtins

FILENAME = "<generated>"
MAX_MESSAGE_CHARS = 1000
RESERVE_BYTES = 4 << 20  # freed on MemoryError so the closing message can still be built
_ERRORS = {
    name: getattr(builtins, name)
    for name in SAFE_BUILTIN_NAMES
    if isinstance(getattr(builtins, name), type)
    and issubclass(getattr(builtins, name), BaseException)
}


class CappedWriter:
    """A text sink for print(): keeps the first `cap` characters; `take` hands out what is
    new since the last call, so output travels with each API call and survives a kill."""

    FLUSH_CHARS = 8192  # output is also sent on its own once this much is waiting

    def __init__(self, cap: int):
        self.cap, self.size, self.truncated = cap, 0, False
        self.pending: list[str] = []
        self.pending_size = 0
        self.flush_to: int | None = None  # the channel's descriptor, once it exists

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError("write() argument must be str")
        room = self.cap - self.size
        if len(text) > room:
            self.truncated = True
            text = text[: max(room, 0)]
        if text:
            self.pending.append(text)
            self.size += len(text)
            self.pending_size += len(text)
            if self.pending_size >= self.FLUSH_CHARS or self.size >= self.cap:
                self.flush()
        return len(text)

    def flush(self) -> None:
        if self.flush_to is not None and self.pending:
            write_frame(self.flush_to, {"out": self.take()})

    def take(self) -> str:
        text, self.pending, self.pending_size = "".join(self.pending), [], 0
        return text


class _Channel:
    """Calls to the trusted side. A query (a name the episode declared state-only) asked
    again with the same arguments is answered from the last answer until any other call,
    which may change the state; each answer is decoded afresh, so a program that changes a
    returned list does not change the next answer."""

    def __init__(self, fd: int, output: CappedWriter, queries: frozenset[str] = frozenset()):
        self.fd, self.output, self.reader = fd, output, FrameReader(max_bytes=1 << 30)
        self.queries = queries
        self.answers: dict[str, Any] = {}

    def call(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        try:
            message = {
                "call": name,
                "args": encode_value(list(args), MAX_STR_CHARS),
                "kwargs": encode_value(dict(kwargs), MAX_STR_CHARS),
            }
        except (ValueRefused, RecursionError) as err:
            raise TypeError(
                f"{name}(): arguments must be plain data (str, int, float, bool, None, "
                f"list, tuple, dict) of bounded size: {err}"
            ) from None
        key = repr((name, message["args"], message["kwargs"])) if name in self.queries else None
        if key is None:
            self.answers.clear()
        elif key in self.answers:
            return decode_value(self.answers[key], capped=False)
        message.update(line=_program_line(sys._getframe(2)), out=self.output.take())
        write_frame(self.fd, message)
        reply = read_frame(self.fd, self.reader)
        if reply is None:  # the trusted side ended the episode
            os._exit(0)
        if "ok" in reply:
            if key is not None:
                self.answers[key] = reply["ok"]
            return decode_value(reply["ok"], capped=False)
        error = reply.get("error") or {}
        raise _exception(
            str(error.get("type", "RuntimeError")),
            str(error.get("message", "")),
            error.get("outcome"),
            error.get("args"),
        )

    def end(self, outcome: str, message: str = "", line: int | None = None) -> NoReturn:
        write_frame(
            self.fd,
            {
                "end": outcome,
                "message": message[:MAX_MESSAGE_CHARS],
                "line": line,
                "out": self.output.take(),
                "truncated": self.output.truncated,
            },
        )
        os._exit(0)


_NAMED: dict[tuple[str, str | None], type[Exception]] = {}


def _exception(kind: str, message: str, outcome: Any = None, args: Any = None) -> BaseException:
    """The failure the trusted side reported, as an exception the program can catch; an
    action failure keeps its class name and outcome so an uncaught one is named right."""
    if kind in _ERRORS and outcome is None:
        if args is not None:
            return _ERRORS[kind](*decode_value(args, capped=False))
        return _ERRORS[kind](message)
    if not kind.isidentifier() or kind in _ERRORS:
        kind = "ActionFailed"
    tag = outcome if outcome in FAILURE_OUTCOMES else None
    if (kind, tag) not in _NAMED:
        _NAMED[kind, tag] = type(kind, (Exception,), {"outcome": tag})
    return _NAMED[kind, tag](message)


def _stub(name: str, channel: _Channel) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        return channel.call(name, args, kwargs)

    call.__name__ = call.__qualname__ = name
    return call


def _place(namespace: dict[str, Any], dotted: str, value: Any) -> None:
    """`np.random.choice` becomes attribute `choice` of `random` of a plain namespace `np`."""
    *path, last = dotted.split(".")
    if not path:
        namespace[last] = value
        return
    holder = namespace.setdefault(path[0], SimpleNamespace())
    for part in path[1:]:
        if not hasattr(holder, part):
            setattr(holder, part, SimpleNamespace())
        holder = getattr(holder, part)
    setattr(holder, last, value)


def run(request: dict[str, Any], fd: int) -> NoReturn:
    """Build the namespace, run the program, send the closing message. Never returns."""
    output = CappedWriter(int(request["max_output_chars"]))
    output.flush_to = fd
    channel = _Channel(fd, output, frozenset(request.get("queries", ())))
    sys.stdout = sys.stderr = output  # type: ignore[assignment]
    sys.stdin = None  # type: ignore[assignment]
    namespace: dict[str, Any] = {"__builtins__": safe_builtins()}
    for name, value in decode_value(request["constants"], capped=False).items():
        _place(namespace, name, value)
    for name in request["api"]:
        _place(namespace, name, _stub(name, channel))
    reserve = bytearray(RESERVE_BYTES)
    try:
        code = compile(request["code"], FILENAME, "exec", dont_inherit=True)
    except SyntaxError as err:
        channel.end("syntax_error", str(err.msg), err.lineno)
    except (ValueError, RecursionError, MemoryError) as err:
        channel.end("syntax_error", _describe(err), None)
    try:
        exec(code, namespace)
    except BaseException as err:  # noqa: BLE001 - SystemExit, KeyboardInterrupt included
        del reserve
        line, message = _error_line(err), _describe(err)
        outcome = getattr(type(err), "outcome", None)
        if isinstance(err, MemoryError):
            outcome = "memory_limit"
        elif outcome not in FAILURE_OUTCOMES:
            outcome = "runtime_error"
        _drop_tracebacks(err)
        namespace.clear()  # free what the program built (a memory bomb) before the message
        channel.end(outcome, message, line)
    channel.end("finished")


def _program_line(frame: FrameType | None) -> int | None:
    """The innermost line of the generated program on this stack."""
    while frame is not None:
        if frame.f_code.co_filename == FILENAME:
            return frame.f_lineno
        frame = frame.f_back
    return None


def _error_line(err: BaseException) -> int | None:
    """The deepest traceback entry that belongs to the generated program."""
    line, tb = None, err.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _drop_tracebacks(err: BaseException | None) -> None:
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        err.__traceback__ = None
        err = err.__context__


def _describe(err: BaseException) -> str:
    try:
        text = str(err)
    except Exception:  # noqa: BLE001 - e.g. an int too long to print
        text = "<unprintable message>"
    text = text[:MAX_MESSAGE_CHARS]
    name = type(err).__name__
    return f"{name}: {text}" if text else name
