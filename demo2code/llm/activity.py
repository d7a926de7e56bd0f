"""What the model is doing right now, and what it did: the running calls (for the live lines
on stderr) and the totals (calls, tokens, cache hits, retries) for the end of a command.

One process-wide `ACTIVITY`, fed by every `ChatClient`, because `eval` makes a client per
variant and the console shows them all. The pipeline names each call through `call_label`
(`demo2code/pipeline/runner.py` sets it to e.g. "scenario 2, level 0").
"""

from __future__ import annotations

import contextlib
import contextvars
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

call_label: contextvars.ContextVar[str] = contextvars.ContextVar("call_label", default="")


@contextlib.contextmanager
def labelled(label: str) -> Iterator[None]:
    """Name the model calls made inside (in this thread) for the live lines."""
    token = call_label.set(label)
    try:
        yield
    finally:
        call_label.reset(token)


@dataclass
class RunningCall:
    stage: str
    label: str
    started: float
    attempt: int = 1
    state: str = "queued"  # queued (waiting for a slot), waiting (for the answer), reading
    received: int = 0  # bytes of the answer so far
    sent_at: float | None = None

    def line(self, now: float) -> str:
        """One line for the console: stage, what, attempt, state and time."""
        what = f" {self.label}" if self.label else ""
        attempt = f" · attempt {self.attempt}" if self.attempt > 1 else ""
        if self.state == "queued":
            status = f"queued {now - self.started:.0f}s"
        else:
            since = self.sent_at if self.sent_at is not None else self.started
            status = f"{self.state} {now - since:.0f}s"
            if self.received:
                status += f", {self.received} bytes"
        return f"{self.stage}{what}{attempt} · {status}"


@dataclass
class Totals:
    calls: int = 0  # answers returned (from the server or the cache)
    cache_hits: int = 0
    failed: int = 0  # calls that ended in an error
    attempts: int = 0  # HTTP requests sent
    retries: int = 0  # attempts after a call's first
    prompt_tokens: int = 0
    completion_tokens: int = 0
    by_stage: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "cache_hits": self.cache_hits,
            "failed": self.failed,
            "attempts": self.attempts,
            "retries": self.retries,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "by_stage": {k: dict(v) for k, v in self.by_stage.items()},
        }


class Activity:
    """Thread-safe record of running calls, totals and one-off notices."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count()
        self.running: dict[int, RunningCall] = {}
        self.totals = Totals()
        self.started = time.monotonic()
        self._notices: set[str] = set()
        self.listeners: list[Callable[[str], None]] = []

    def reset(self) -> None:
        with self._lock:
            self.running.clear()
            self.totals = Totals()
            self.started = time.monotonic()
            self._notices.clear()

    # -- fed by the client ----------------------------------------------------------------
    def begin(self, stage: str) -> int:
        with self._lock:
            call_id = next(self._ids)
            self.running[call_id] = RunningCall(stage, call_label.get(), time.monotonic())
            return call_id

    def update(self, call_id: int, **changes: Any) -> None:
        with self._lock:
            call = self.running.get(call_id)
            if call is not None:
                for name, value in changes.items():
                    setattr(call, name, value)

    def attempt_sent(self, call_id: int, attempt: int) -> None:
        with self._lock:
            self.totals.attempts += 1
            if attempt > 1:
                self.totals.retries += 1
            call = self.running.get(call_id)
            if call is not None:
                call.attempt, call.state, call.received = attempt, "waiting", 0
                call.sent_at = time.monotonic()

    def end(
        self, call_id: int, *, ok: bool, cached: bool = False, prompt: int = 0, completion: int = 0
    ) -> None:
        with self._lock:
            call = self.running.pop(call_id, None)
            t = self.totals
            if not ok:
                t.failed += 1
                return
            t.calls += 1
            t.cache_hits += int(cached)
            t.prompt_tokens += prompt
            t.completion_tokens += completion
            if call is not None:
                row = t.by_stage.setdefault(
                    call.stage, {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0}
                )
                row["calls"] += 1
                row["prompt_tokens"] += prompt
                row["completion_tokens"] += completion

    def notice(self, message: str) -> None:
        """Tell the user once (per distinct message) through the listeners."""
        with self._lock:
            if message in self._notices:
                return
            self._notices.add(message)
            listeners = list(self.listeners)
        for listener in listeners:
            listener(message)

    # -- read by the console --------------------------------------------------------------
    def lines(self) -> list[str]:
        now = time.monotonic()
        with self._lock:
            calls = sorted(self.running.values(), key=lambda c: c.started)
        return [c.line(now) for c in calls]

    def stages(self) -> list[str]:
        with self._lock:
            return sorted({c.stage for c in self.running.values()})

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            data = self.totals.to_json()
        data["wall_seconds"] = round(time.monotonic() - self.started, 3)
        return data


ACTIVITY = Activity()
