"""What crosses between the trusted episode and the untrusted program: plain data, in frames.

A frame is a 4-byte big-endian length and a JSON document. Never pickle: unpickling runs
code. Values are tagged so that lists, tuples and dicts survive the trip exactly
(`{"l": [...]}`, `{"t": [...]}`, `{"d": [[key, value], ...]}`); scalars are JSON's own.

`decode_value` is the trusted side's gate: it rebuilds exact `str`/`int`/`float`/`bool`/
`None`/`list`/`tuple`/`dict` values (never a subclass, whatever the program sent) and refuses
anything deeper, longer or larger than the caps below, so a program cannot hand the
simulator an object with its own `__eq__`, or a 4 MB name that ends up in every trace line.
"""

from __future__ import annotations

import json
import os
import struct
from typing import Any

HEADER = struct.Struct("!I")
MAX_FRAME_BYTES = 1 << 20  # a frame from the program larger than this ends the episode
MAX_DEPTH = 8
MAX_ITEMS = 10_000  # values in one call's arguments, all levels together
MAX_STR_CHARS = 2_000  # one string argument
# Outcomes of an action failure: the trusted side records them, the program's side names an
# uncaught one; anything else the program raises ends it as a runtime error.
FAILURE_OUTCOMES = ("precondition_failed", "step_limit")


def cpu_budget(cpu_seconds: float) -> int:
    """RLIMIT_CPU counts whole seconds: the budget rounded up, at least 1."""
    return max(1, int(cpu_seconds + 0.999))


class ProtocolError(Exception):
    """A frame or value that breaks the schema; its message is safe to show."""


class ValueRefused(ProtocolError):
    """An argument that is not plain data of bounded size: the program gets a TypeError."""


def encode_value(value: Any, max_str: int | None = None) -> Any:
    """Tag containers so they come back as the same type. The program's side passes
    `max_str` so an oversized argument fails as a TypeError where it was written."""
    if type(value) is str and max_str is not None and len(value) > max_str:
        raise ValueRefused(f"a string of {len(value)} characters (at most {max_str})")
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is list:
        return {"l": [encode_value(v, max_str) for v in value]}
    if type(value) is tuple:
        return {"t": [encode_value(v, max_str) for v in value]}
    if type(value) is dict:
        return {
            "d": [[encode_value(k, max_str), encode_value(v, max_str)] for k, v in value.items()]
        }
    raise ValueRefused(f"{type(value).__name__} is not plain data")


def decode_value(data: Any, capped: bool = True) -> Any:
    """Rebuild a tagged value with exact built-in types, within the caps (`capped=False`
    only for what the trusted side sends the program)."""
    return _decode(data, 0, [MAX_ITEMS if capped else 1 << 62], capped)


def _decode(data: Any, depth: int, budget: list[int], capped: bool) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise ValueRefused(f"more than {MAX_ITEMS} values in one call")
    if capped and depth > MAX_DEPTH:
        raise ValueRefused(f"nested deeper than {MAX_DEPTH} levels")
    kind = type(data)
    if data is None or kind in (bool, int, float):
        return data
    if kind is str:
        if capped and len(data) > MAX_STR_CHARS:
            raise ValueRefused(f"a string of {len(data)} characters (at most {MAX_STR_CHARS})")
        return str(data)
    if kind is not dict or len(data) != 1:
        raise ValueRefused("not a tagged value")
    ((tag, items),) = data.items()
    if type(items) is not list:
        raise ValueRefused("not a tagged value")
    if tag == "l":
        return [_decode(v, depth + 1, budget, capped) for v in items]
    if tag == "t":
        return tuple(_decode(v, depth + 1, budget, capped) for v in items)
    if tag == "d":
        out: dict[Any, Any] = {}
        for pair in items:
            if type(pair) is not list or len(pair) != 2:
                raise ValueRefused("not a tagged value")
            key = _decode(pair[0], depth + 1, budget, capped)
            try:
                hash(key)
            except TypeError:
                raise ValueRefused("unhashable dict key") from None
            out[key] = _decode(pair[1], depth + 1, budget, capped)
        return out
    raise ValueRefused("not a tagged value")


def pack(message: dict[str, Any]) -> bytes:
    data = json.dumps(message, separators=(",", ":")).encode()
    return HEADER.pack(len(data)) + data


def write_frame(fd: int, message: dict[str, Any]) -> None:
    view = memoryview(pack(message))
    while view:
        view = view[os.write(fd, view) :]


class FrameReader:
    """Collects bytes and hands out whole frames; refuses oversized or malformed ones."""

    def __init__(self, max_bytes: int = MAX_FRAME_BYTES):
        self.max_bytes = max_bytes
        self.buffer = bytearray()

    def feed(self, chunk: bytes) -> None:
        self.buffer += chunk

    def next(self) -> dict[str, Any] | None:
        if len(self.buffer) < HEADER.size:
            return None
        (size,) = HEADER.unpack_from(self.buffer)
        if size > self.max_bytes:
            raise ProtocolError(f"a message of {size} bytes (at most {self.max_bytes})")
        if len(self.buffer) < HEADER.size + size:
            return None
        body = bytes(self.buffer[HEADER.size : HEADER.size + size])
        del self.buffer[: HEADER.size + size]
        try:
            message = json.loads(body)
        except (ValueError, RecursionError):
            raise ProtocolError("a message that is not JSON") from None
        if type(message) is not dict:
            raise ProtocolError("a message that is not a JSON object")
        return message


def read_frame(fd: int, reader: FrameReader) -> dict[str, Any] | None:
    """Blocking read of one frame (the untrusted side and the fork server); None at EOF."""
    while True:
        message = reader.next()
        if message is not None:
            return message
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return None
        reader.feed(chunk)
