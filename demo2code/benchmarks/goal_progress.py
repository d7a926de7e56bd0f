"""How far a trace has come on a task's unit test: a checklist of its subgoals.

The verdict itself is `check_trace` (demo2code/benchmarks/trace_check.py); this module only
explains it to a person playing the game, so a player sees which subgoal is next instead of a
bare pass/fail. The checklist follows the binding of the test's variables that has ticked
the most goals so far; a binding that passes ticks every goal, so the checklist is complete
exactly when the verdict passes (and no budget or `never` rule is broken).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from demo2code.benchmarks.trace_check import (
    MAX_BINDINGS,
    Fact,
    TraceTest,
    _events,
    _ground,
    _matches,
    check_trace,
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
    objects = sorted({a for fact in times for a in fact[1:]} | {a for f in final for a in f[1:]})
    variables = list(test.objects)
    pools = [[o for o in objects if kind_of(o) == test.objects[v]] for v in variables]
    best: tuple[int, tuple[Subgoal, ...]] | None = None
    for combo in itertools.islice(
        (c for c in itertools.product(*pools) if len(set(c)) == len(c)), MAX_BINDINGS
    ):
        items = _checklist(test, dict(zip(variables, combo, strict=True)), times, final)
        score = sum(item.done for item in items)
        if best is None or score > best[0]:
            best = (score, items)
            if score == len(items):
                break
    if best is None:  # some kind has no object at all: nothing can be ticked
        unbound = {v: v for v in variables}
        best = (0, tuple(Subgoal(f, p, False) for p, f in _goals(test, unbound)))
    problems = _problems(test, trace, times, kind_of)
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


def _problems(
    test: TraceTest,
    trace: Mapping[str, Any],
    times: dict[Fact, list[int]],
    kind_of: Callable[[str], str],
) -> tuple[str, ...]:
    out = []
    used = len(trace.get("steps", []))
    if test.max_steps is not None and used > test.max_steps:
        out.append(f"{used} steps: over the budget of {test.max_steps}")
    for pattern in test.never:
        for fact, when in times.items():
            if _matches(pattern, fact, test.objects, kind_of) and any(t > 0 for t in when):
                out.append(f"'{' '.join(fact)}' must never happen")
    return tuple(out)
