"""Runs reasoner calls: records each one under a deterministic key and bounds how many
run at once.

Concurrency is bounded by a semaphore around the reasoner call itself, not by a fixed
thread pool: nested fan-outs (scenarios, then chunks of one scenario) would deadlock a
bounded pool whose workers wait on children queued behind them. Results and records are
ordered by item and key, never by completion time, so any concurrency gives the same run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from demo2code.llm.activity import labelled
from demo2code.pipeline.records import StageRecord
from demo2code.reasoners.base import StageAnswer

T = TypeVar("T")
R = TypeVar("R")
Key = tuple[int, ...]


class Runner:
    def __init__(self, concurrency: int = 4):
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.concurrency = concurrency
        self._slots = threading.BoundedSemaphore(concurrency)
        self._lock = threading.Lock()
        self._records: dict[Key, StageRecord] = {}

    def call(self, key: Key, stage: str, what: str, fn: Callable[[], StageAnswer]) -> StageAnswer:
        """Run one reasoner call in a concurrency slot and record it (failures too)."""
        start = time.monotonic()
        try:
            with self._slots, labelled(what):  # names the model call in the live lines
                answer = fn()
        except Exception as err:
            self._add(
                key,
                StageRecord(
                    stage=stage,
                    input=what,
                    text=str(getattr(err, "text", "") or ""),
                    calls=int(getattr(err, "calls", 0) or 0),
                    prompt_tokens=int(getattr(err, "prompt_tokens", 0) or 0),
                    completion_tokens=int(getattr(err, "completion_tokens", 0) or 0),
                    latency_s=time.monotonic() - start,
                    error=f"{type(err).__name__}: {err}",
                ),
            )
            raise
        self._add(
            key,
            StageRecord(
                stage=stage,
                input=what,
                text=answer.text,
                code=answer.code,
                done=answer.done if stage == "summarize_step" else None,
                calls=answer.calls,
                prompt_tokens=answer.prompt_tokens,
                completion_tokens=answer.completion_tokens,
                latency_s=time.monotonic() - start,
                cached=answer.cached,
            ),
        )
        return answer

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """`[fn(x) for x in items]`, concurrently when allowed. If any item fails, every
        item still finishes and the first failure in item order is raised."""
        results: list[R] = []
        errors: list[BaseException | None] = []
        if self.concurrency == 1 or len(items) <= 1:
            for x in items:
                try:
                    results.append(fn(x))
                    errors.append(None)
                except Exception as err:
                    errors.append(err)
        else:
            with ThreadPoolExecutor(max_workers=min(len(items), self.concurrency)) as pool:
                futures = [pool.submit(fn, x) for x in items]
            errors = [f.exception() for f in futures]
            results = [f.result() for f in futures if f.exception() is None]
        for error in errors:
            if error is not None:
                raise error
        return results

    def records(self) -> list[StageRecord]:
        with self._lock:
            return [self._records[k] for k in sorted(self._records)]

    def _add(self, key: Key, record: StageRecord) -> None:
        with self._lock:
            if key in self._records:
                raise RuntimeError(f"record key {key} used twice")  # a pipeline bug
            self._records[key] = record
