"""Demonstrations and execution traces in one shape: initial facts, then the facts each step
made true or false. Comparing a program with a demonstration is then benchmark-free."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from demo2code.demos import Scenario

Fact = tuple[str, ...]
Change = tuple[Fact, bool]


@dataclass(frozen=True)
class Timeline:
    initial: frozenset[Fact]
    steps: tuple[tuple[Change, ...], ...]

    def names(self) -> set[str]:
        """Every object named anywhere in the timeline."""
        out = {a for f in self.initial for a in f[1:]}
        for step in self.steps:
            out |= {a for f, _ in step for a in f[1:]}
        return out


def from_scenario(scen: Scenario) -> Timeline:
    return Timeline(
        frozenset((c.predicate, *c.args) for c in scen.initial_state if c.value),
        tuple(
            tuple(((c.predicate, *c.args), c.value) for c in step.changes) for step in scen.steps
        ),
    )


def from_trace(
    initial: Iterable[Iterable[str]], steps: Iterable[Mapping[str, Any]], keep: frozenset[str]
) -> Timeline:
    """A benchmark trace's `initial` facts and per-step `changes`, keeping the predicates a
    demonstration would show (`keep`)."""
    return Timeline(
        frozenset(tuple(f) for f in initial if next(iter(f), None) in keep),
        tuple(
            tuple(
                ((c["predicate"], *c["args"]), bool(c.get("value", True)))
                for c in step.get("changes", [])
                if c["predicate"] in keep
            )
            for step in steps
        ),
    )


@dataclass(frozen=True)
class Replay:
    """When each fact became true (step numbers from 1; 0 = held initially), and the facts
    at the end."""

    times: dict[Fact, list[int]]
    final: frozenset[Fact]
    states: tuple[frozenset[Fact], ...]  # the state after each step (index 0 = initial)


def replay(timeline: Timeline, exclusive: Iterable[frozenset[str]]) -> Replay:
    """Apply the changes in order. A fact of an exclusive group (e.g. `at`) that becomes true
    ends the group's other facts about the same first argument, so a demonstration that
    lost (or never recorded) a "false" change still ends in a consistent state."""
    groups = list(exclusive)
    state = set(timeline.initial)
    times: dict[Fact, list[int]] = {f: [0] for f in state}
    states = [frozenset(state)]
    for n, step in enumerate(timeline.steps, start=1):
        for fact, value in step:
            if not value:
                state.discard(fact)
                continue
            for group in groups:
                if fact[0] in group and len(fact) > 1:
                    state -= {g for g in state if g[0] in group and g[1:2] == fact[1:2]}
            if fact not in state:
                times.setdefault(fact, []).append(n)
            state.add(fact)
        states.append(frozenset(state))
    return Replay(times, frozenset(state), tuple(states))
