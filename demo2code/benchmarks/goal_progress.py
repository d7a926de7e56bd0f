"""How far a trace has come on a task's unit test: a checklist of its subgoals.

The verdict itself is `check_trace` (demo2code/benchmarks/trace_check.py); this module only
explains it to a person playing the game, so a player sees which subgoal is next instead of a
bare pass/fail. The checklist follows the binding of the test's variables that has ticked
the most goals so far; a binding that passes ticks every goal, so the checklist is complete
exactly when the verdict passes (and no budget or `never` rule is broken).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from demo2code.benchmarks.trace_check import (
    Fact,
    TraceTest,
    _events,
    _ground,
    bindings,
    broken_rules,
    check_trace,
    variable_pools,
)


@dataclass(frozen=True)
class Subgoal:
    """One goal of the test, with the variables bound to objects of the trace."""

    fact: Fact
    positive: bool  # False for a final `!fact` (must not hold at the end)
    done: bool

    @property
    def text(self) -> str:
        return ("not " if not self.positive else "") + " ".join(self.fact)


@dataclass(frozen=True)
class GoalProgress:
    passed: bool  # check_trace's verdict
    subgoals: tuple[Subgoal, ...]
    problems: tuple[str, ...]  # broken budget or `never` rules, as sentences
    budget: int | None = None  # the test's step budget (asynchronous tasks), if any


def goal_progress(
    test: TraceTest, trace: Mapping[str, Any], kind_of: Callable[[str], str]
) -> GoalProgress:
    """The verdict on `trace` so far and the checklist under the furthest binding."""
    verdict = check_trace(test, trace, kind_of)
    times, final = _events(trace)
    best: tuple[int, tuple[Subgoal, ...]] | None = None
    for bind in bindings(test, variable_pools(test, times, final, kind_of)):
        items = _checklist(test, bind, times, final)
        score = sum(item.done for item in items)
        if best is None or score > best[0]:
            best = (score, items)
            if score == len(items):
                break
    if best is None:  # some kind has no object at all: nothing can be ticked
        unbound = {v: v for v in test.objects}
        best = (0, tuple(Subgoal(f, p, False) for p, f in _goals(test, unbound)))
    problems = tuple(broken_rules(test, trace, times, kind_of))
    return GoalProgress(verdict.passed, best[1], problems, test.max_steps)


def _goals(test: TraceTest, bind: dict[str, str]) -> list[tuple[bool, Fact]]:
    """Chain goals in order, then final facts that no chain already names."""
    out: list[tuple[bool, Fact]] = []
    for chain in test.chains:
        for stage in chain:
            out += [(True, _ground(g, bind)) for g in stage]
    seen = set(out)
    out += [(p, _ground(f, bind)) for p, f in test.final if (p, _ground(f, bind)) not in seen]
    return out


def _checklist(
    test: TraceTest, bind: dict[str, str], times: dict[Fact, list[int]], final: set[Fact]
) -> tuple[Subgoal, ...]:
    reached: dict[Fact, bool] = {}
    for chain in test.chains:
        t_prev, going = 0, True
        for stage in chain:
            when = []
            for goal in stage:
                fact = _ground(goal, bind)
                t = next((t for t in times.get(fact, []) if t >= t_prev), None) if going else None
                reached[fact] = reached.get(fact, False) or t is not None
                when.append(t)
            if going and all(t is not None for t in when):
                t_prev = max([t_prev, *when])  # type: ignore[list-item]
            else:
                going = False
    must = {_ground(f, bind): p for p, f in test.final}
    items = []
    for positive, fact in _goals(test, bind):
        done = reached.get(fact, True) and (fact not in must or (fact in final) == must[fact])
        items.append(Subgoal(fact, positive, done))
    return tuple(items)
