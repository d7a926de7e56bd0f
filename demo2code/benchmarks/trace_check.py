"""Unit tests written as data, judged on an execution trace.

A test names variables by kind (`"p": "patty"`), then:
- `chains`: independent sequences of stages; a stage is one goal or several joined by `&`
  (unordered among themselves). Each goal is a fact such as `atop p b`; it is reached at the
  first step, not before the previous stage was reached, at which the fact BECOMES true
  (or at step 0 if it held initially). Variables keep their binding across all chains and the
  final check, so the patty that was cooked is the one that is stacked.
- `final`: facts that must hold at the end (a leading `!` means must not hold).
- `never`: facts (variables or kinds as wildcards) that must never become true.
- `max_steps`: a step budget; asynchronous tasks set one that only overlapping work meets.
Distinct variables bind distinct objects. The verdict names the first goal that failed under
the binding that got furthest.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from demo2code.benchmarks.base import Verdict
from demo2code.errors import InputError

Fact = tuple[str, ...]
MAX_BINDINGS = 200_000


@dataclass(frozen=True)
class TraceTest:
    objects: dict[str, str]
    chains: tuple[tuple[tuple[Fact, ...], ...], ...]
    final: tuple[tuple[bool, Fact], ...]
    never: tuple[Fact, ...]
    max_steps: int | None = None

    @classmethod
    def from_json(cls, data: Any, source: str) -> TraceTest:
        if not isinstance(data, dict):
            raise InputError(source, "test", "expected an object with objects/chains/final/never")
        objects = data.get("objects", {})
        if not isinstance(objects, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in objects.items()
        ):
            raise InputError(source, "test.objects", "expected a map of variable -> kind")

        def fact(text: Any, where: str) -> Fact:
            if not isinstance(text, str) or not text.split():
                raise InputError(source, where, "expected a fact like 'atop p b'")
            return tuple(text.split())

        chains = []
        for c, chain in enumerate(data.get("chains", [])):
            if not isinstance(chain, list):
                raise InputError(source, f"test.chains[{c}]", "expected a list of stages")
            stages = []
            for s, stage in enumerate(chain):
                where = f"test.chains[{c}][{s}]"
                if not isinstance(stage, str):
                    raise InputError(source, where, "expected a string like 'cooked p & cut l'")
                stages.append(tuple(fact(g, where) for g in stage.split("&")))
            chains.append(tuple(stages))
        final = []
        for n, text in enumerate(data.get("final", [])):
            where = f"test.final[{n}]"
            negated = isinstance(text, str) and text.startswith("!")
            final.append((not negated, fact(text[1:] if negated else text, where)))
        never = tuple(fact(t, f"test.never[{n}]") for n, t in enumerate(data.get("never", [])))
        max_steps = data.get("max_steps")
        if max_steps is not None and (
            not isinstance(max_steps, int) or isinstance(max_steps, bool) or max_steps < 1
        ):
            raise InputError(source, "test.max_steps", "expected an integer >= 1")
        test = cls(dict(objects), tuple(chains), tuple(final), never, max_steps)
        for goal in test._bound_facts():
            for arg in goal[1:]:
                if arg not in objects:
                    raise InputError(source, "test", f"{' '.join(goal)!r}: {arg!r} is no variable")
        return test

    def _bound_facts(self) -> Iterable[Fact]:
        for chain in self.chains:
            for stage in chain:
                yield from stage
        yield from (f for _, f in self.final)

    def to_json(self) -> dict[str, Any]:
        return {
            "objects": self.objects,
            "chains": [[" & ".join(" ".join(g) for g in st) for st in ch] for ch in self.chains],
            "final": [("" if pos else "!") + " ".join(f) for pos, f in self.final],
            "never": [" ".join(f) for f in self.never],
        } | ({"max_steps": self.max_steps} if self.max_steps is not None else {})


def _events(trace: Mapping[str, Any]) -> tuple[dict[Fact, list[int]], set[Fact]]:
    """When each fact became true (0 = held initially), and the facts at the end."""
    times: dict[Fact, list[int]] = {tuple(f): [0] for f in trace.get("initial", [])}
    for n, step in enumerate(trace.get("steps", []), start=1):
        for change in step.get("changes", []):
            if change.get("value", True):
                times.setdefault((change["predicate"], *change["args"]), []).append(n)
    return times, {tuple(f) for f in trace.get("final", [])}


def check_trace(
    test: TraceTest, trace: Mapping[str, Any], kind_of: Callable[[str], str]
) -> Verdict:
    if trace.get("failures"):
        first = trace["failures"][0]
        return Verdict(False, (f"execution failed: {first.get('action')}: {first.get('message')}",))
    times, final = _events(trace)
    reasons = broken_rules(test, trace, times, kind_of)
    pools = variable_pools(test, times, final, kind_of)
    for var, pool in zip(test.objects, pools, strict=True):
        if not pool:
            return Verdict(False, (*reasons, f"no {test.objects[var]} for {var!r}"))
    best: tuple[tuple[int, int], str] | None = None
    for bind in bindings(test, pools):
        score, why = _judge(test, bind, times, final)
        if why is None:
            return Verdict(not reasons, tuple(reasons))
        if best is None or score > best[0]:
            best = (score, why)
    return Verdict(False, (*reasons, best[1] if best else "no binding of the test's objects"))


def broken_rules(
    test: TraceTest,
    trace: Mapping[str, Any],
    times: dict[Fact, list[int]],
    kind_of: Callable[[str], str],
) -> list[str]:
    """The step budget and `never` rules the trace breaks, as sentences; they fail a trace
    whatever binding of the test's objects is chosen."""
    reasons = []
    used = len(trace.get("steps", []))
    if test.max_steps is not None and used > test.max_steps:
        reasons.append(
            f"took {used} steps; the step budget is {test.max_steps}, which only work done "
            "while something cooks, fries or boils can meet"
        )
    for pattern in test.never:
        for fact, when in times.items():
            if _matches(pattern, fact, test.objects, kind_of) and any(t > 0 for t in when):
                reasons.append(f"'{' '.join(fact)}' happened at step {max(when)} but must not")
    return reasons


def variable_pools(
    test: TraceTest, times: dict[Fact, list[int]], final: set[Fact], kind_of: Callable[[str], str]
) -> list[list[str]]:
    """For each of the test's variables, in order, the trace's objects of its kind."""
    objects = sorted({a for fact in times for a in fact[1:]} | {a for f in final for a in f[1:]})
    return [[o for o in objects if kind_of(o) == test.objects[v]] for v in test.objects]


def bindings(test: TraceTest, pools: list[list[str]]) -> Iterator[dict[str, str]]:
    """Bindings of the test's variables to distinct objects, at most MAX_BINDINGS of them."""
    distinct = (c for c in itertools.product(*pools) if len(set(c)) == len(c))
    for combo in itertools.islice(distinct, MAX_BINDINGS):
        yield dict(zip(test.objects, combo, strict=True))


def _judge(
    test: TraceTest, bind: dict[str, str], times: dict[Fact, list[int]], final: set[Fact]
) -> tuple[tuple[int, int], str | None]:
    done_final = 0
    for positive, goal in test.final:
        fact = _ground(goal, bind)
        if (fact in final) != positive:
            state = "does not hold" if positive else "still holds"
            return (0, done_final), f"final: '{' '.join(fact)}' {state} at the end"
        done_final += 1
    reached = 0
    for chain in test.chains:
        t_prev, prev_text = 0, None
        for n, stage in enumerate(chain):
            stage_time = t_prev
            for goal in stage:
                fact = _ground(goal, bind)
                t = next((t for t in times.get(fact, []) if t >= t_prev), None)
                if t is None:
                    after = f" after '{prev_text}' (step {t_prev})" if prev_text else ""
                    return (reached, done_final), (
                        f"subgoal {n + 1}/{len(chain)} '{' '.join(fact)}' never happened{after}"
                    )
                stage_time = max(stage_time, t)
                reached += 1
            t_prev = stage_time
            prev_text = " & ".join(" ".join(_ground(g, bind)) for g in stage)
    return (reached, done_final), None


def _ground(goal: Fact, bind: dict[str, str]) -> Fact:
    return (goal[0], *(bind[a] for a in goal[1:]))


def _matches(
    pattern: Fact, fact: Fact, variables: dict[str, str], kind_of: Callable[[str], str]
) -> bool:
    if pattern[0] != fact[0] or len(pattern) != len(fact):
        return False
    for p, f in zip(pattern[1:], fact[1:], strict=True):
        kind = variables.get(p, p)
        if kind_of(f) != kind:
            return False
    return True
