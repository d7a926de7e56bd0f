"""`self_check`: the program in the sandbox, once per demonstrated scenario, each run
compared with what the demonstrator did. The demonstration is all it needs."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from demo2code.benchmarks.base import Benchmark
from demo2code.demos import Demonstration
from demo2code.sandbox import Limits, run_program
from demo2code.sandbox.text import clean_field
from demo2code.selfcheck.compare import compare
from demo2code.selfcheck.order import shared_orders
from demo2code.selfcheck.rules import episode_factory, rules_for
from demo2code.selfcheck.timeline import from_scenario


@dataclass(frozen=True)
class ScenarioCheck:
    scenario: int  # from 1, as the text form numbers them
    agrees: bool
    outcome: str
    line: int | None = None
    message: str = ""
    disagreement: str | None = None  # one sentence, starting "scenario N: "
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "agrees": self.agrees,
            "outcome": self.outcome,
            "line": self.line,
            "message": self.message,
            "disagreement": self.disagreement,
            "seconds": round(self.seconds, 4),
        }


@dataclass(frozen=True)
class CheckReport:
    scenarios: list[ScenarioCheck] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return all(s.agrees for s in self.scenarios)

    @property
    def first(self) -> ScenarioCheck | None:
        """The first disagreeing scenario (what repair is told about)."""
        return next((s for s in self.scenarios if not s.agrees), None)

    @property
    def reason(self) -> str | None:
        first = self.first
        return None if first is None else first.disagreement

    def to_json(self) -> dict[str, Any]:
        return {
            "agrees": self.agrees,
            "first_disagreement": self.reason,
            "scenarios": [s.to_json() for s in self.scenarios],
        }


def self_check(
    bench: Benchmark,
    demo: Demonstration,
    code: str,
    *,
    source: str = "<demonstration>",
    limits: Limits | None = None,
    stop_early: bool = False,
) -> CheckReport:
    """Run `code` in every scenario of `demo` and compare. `stop_early` stops at the first
    disagreement (repair only needs one)."""
    rules = rules_for(bench.name)
    factories = [episode_factory(bench, demo, i, source) for i in range(len(demo.scenarios))]
    timelines = [from_scenario(scen) for scen in demo.scenarios]
    before = shared_orders(timelines, rules)
    out = []
    checked = False  # the same text passes the static filter every time: check it once
    for i, factory in enumerate(factories):
        start = time.monotonic()
        result = run_program(code, factory, limits or Limits(), check=not checked)
        checked = checked or result.outcome not in ("syntax_error", "rejected")
        n = i + 1
        why: str | None = None
        if result.outcome != "finished":
            where = f" at line {result.line}" if result.line else ""
            message = clean_field(result.message)
            why = f"the program did not finish ({result.outcome}{where}): {message}".rstrip(": ")
        elif result.trace is None:
            why = "the program reported no trace"
        elif result.trace.get("failures"):
            fail = result.trace["failures"][0]
            why = f"an action failed: {clean_field(str(fail.get('message')))}"
        else:
            why = compare(timelines[i], rules.timeline(result.trace), rules, before[i])
        out.append(
            ScenarioCheck(
                n,
                why is None,
                result.outcome,
                result.line,
                clean_field(result.message),
                None if why is None else f"scenario {n}: {why}",
                time.monotonic() - start,
            )  # fmt: skip
        )
        if stop_early and why is not None:
            break
    return CheckReport(out)
