"""Run every reference program on every test seed: the catalogue's self-check."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from demo2code.benchmarks.base import Benchmark, TaskVariant


def run_trusted(code: str, episode: Any) -> str | None:
    """Execute trusted code (our own reference programs) in-process; None when it finished.
    Generated code never comes here: it goes through `demo2code.sandbox`."""
    try:
        exec(compile(code, "<reference>", "exec"), {"__builtins__": builtins, **episode.namespace})
    except Exception as err:  # noqa: BLE001 - any failure is reported, not raised
        return f"{type(err).__name__}: {err}"
    return None


@dataclass
class VariantResult:
    id: str
    episodes: int = 0
    passed: int = 0
    failures: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "episodes": self.episodes,
            "passed": self.passed,
            "failures": self.failures,
        }


@dataclass
class VerifyReport:
    benchmark: str
    variants: list[VariantResult]

    @property
    def episodes(self) -> int:
        return sum(v.episodes for v in self.variants)

    @property
    def passed(self) -> int:
        return sum(v.passed for v in self.variants)

    def to_json(self) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "episodes": self.episodes,
            "passed": self.passed,
            "variants": [v.to_json() for v in self.variants],
        }


def verify(
    bench: Benchmark,
    tasks: list[TaskVariant],
    progress: Callable[[], None] | None = None,
) -> VerifyReport:
    results = []
    for task in tasks:
        result = VariantResult(task.id)
        code = bench.reference_code(task)
        for seed in task.seeds:
            episode = bench.episode(task, seed)
            error = run_trusted(code, episode)
            verdict = bench.check(task, episode.trace())
            result.episodes += 1
            if error is None and verdict.passed:
                result.passed += 1
            else:
                result.failures.append(f"seed {seed}: {error or '; '.join(verdict.reasons)}")
            if progress:
                progress()
        results.append(result)
    return VerifyReport(bench.name, results)
