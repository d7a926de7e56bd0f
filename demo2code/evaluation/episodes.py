"""One program on one (task, seed): the program in the sandbox, the episode and its unit
test here, in the trusted process.

The unit test judges the episode's own trace, never anything the program reported, so a
program cannot tamper with its own verdict.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from demo2code.benchmarks.base import Benchmark, TaskVariant
from demo2code.sandbox import Limits, RunResult, run_program
from demo2code.sandbox.text import clean_field, clean_reasons


@dataclass(frozen=True)
class EpisodeResult:
    """What `demo2code run` prints and what each results row is built from."""

    outcome: str  # a benchmarks.base.Outcome
    passed: bool
    message: str
    line: int | None
    reasons: tuple[str, ...] = ()
    seconds: float = 0.0
    output: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    isolation: tuple[str, ...] = ()  # the sandbox layers that were active

    @property
    def executed(self) -> bool:
        return self.outcome == "finished"

    def to_json(self) -> dict[str, Any]:
        """The `run --json` object."""
        return {
            "outcome": self.outcome,
            "passed": self.passed,
            "message": self.message,
            "line": self.line,
            "reasons": list(self.reasons),
            "isolation": list(self.isolation),
        }


def judge(benchmark: Benchmark, task: TaskVariant, result: RunResult) -> EpisodeResult:
    """A program that did not finish cannot pass; its partial trace still says how far it
    got, which is kept in `reasons`."""
    reasons: tuple[str, ...] = ()
    passed = False
    if result.trace is not None:
        verdict = benchmark.check(task, result.trace)
        passed, reasons = verdict.passed, tuple(verdict.reasons)
    if result.outcome != "finished":
        stopped = f"did not finish: {result.outcome}"
        if result.message:
            stopped += f": {result.message}"
        reasons = (stopped, *(r for r in reasons if r != stopped))
        passed = False
    elif result.trace is None:
        reasons = ("no trace was reported",)
    return EpisodeResult(
        outcome=result.outcome,
        passed=passed,
        message=clean_field(result.message),
        line=result.line,
        reasons=clean_reasons(reasons),
        seconds=result.seconds,
        output=result.output,
        isolation=tuple(result.isolation),
    )


def run_episode(
    benchmark: Benchmark,
    task: TaskVariant,
    seed: int,
    code: str,
    limits: Limits | None = None,
    isolation: str = "best",
) -> EpisodeResult:
    """Sandbox `code` on a fresh episode of (task, seed) and judge the trace.
    `isolation="strict"` refuses to run unless every isolation layer is active."""
    factory = functools.partial(benchmark.episode, task, seed)
    result = run_program(code, factory, limits or Limits(), strict=isolation == "strict")
    return judge(benchmark, task, result)
