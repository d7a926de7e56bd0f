"""What agreement means on each benchmark, and how to rebuild a demonstration's scenario.

Robotouille: final stacks, cuts and cooks up to renaming, and per-item order of them.
Tabletop: final spatial relations (names are colours, so nothing is renamed).
EPIC: per dish, soap before rinse before dry, plus the habits read off the video
(demo2code/selfcheck/habits.py): what every dish ends as, order, the tap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from demo2code.benchmarks.base import Benchmark, Episode
from demo2code.demos import Demonstration
from demo2code.errors import InputError, UnknownName
from demo2code.selfcheck.timeline import Timeline, from_trace


@dataclass(frozen=True)
class Rules:
    kind_of: Callable[[str], str]
    shown: frozenset[str]  # predicates a trace is reduced to (what demonstrations show)
    final: frozenset[str]  # established facts of these predicates must hold at the end
    order: frozenset[str]  # facts whose order is compared
    exclusive: tuple[frozenset[str], ...] = ()  # at most one fact per first argument
    ignore_kinds: frozenset[str] = frozenset()  # the robot, tools: free to end anywhere
    fixed_names: frozenset[str] = frozenset()  # places that exist even if nothing is there
    habits: bool = False  # EPIC: compare the habits of `selfcheck/habits.py` as well
    # Robotouille: the run may not prepare more objects of a kind than the scenario handled
    # (noise drops evidence, it rarely drops every change of an object)
    no_extra: bool = False
    # the facts a noisy demonstration implies, bridged back (selfcheck/bridge.py)
    complete: Callable[[Timeline], Timeline] | None = None
    # orders across objects that every scenario shows alike are compared too
    # (selfcheck/order.py); `at` facts on these place kinds count as events there
    cross_order: bool = False
    order_places: frozenset[str] = frozenset()
    phrases: dict[str, str] = field(default_factory=dict)  # predicate -> "cut it"

    def phrase(self, fact: tuple[str, ...]) -> str:
        """The demonstrator's action in words: `('atop', 'l', 'p')` -> "stacked it on 'p'"."""
        template = self.phrases.get(fact[0])
        if template is None:
            return f"made '{' '.join(fact)}' true"
        return template.format(*(repr(a) for a in fact[1:]))

    def timeline(self, trace: dict[str, Any]) -> Timeline:
        raise NotImplementedError


class _RobotouilleRules(Rules):
    def timeline(self, trace: dict[str, Any]) -> Timeline:
        return from_trace(trace.get("initial", []), trace.get("steps", []), self.shown)


class _TabletopRules(Rules):
    def timeline(self, trace: dict[str, Any]) -> Timeline:
        return from_trace(trace.get("initial_facts", []), trace.get("steps", []), self.shown)


class _EpicRules(Rules):
    def timeline(self, trace: dict[str, Any]) -> Timeline:
        return from_trace(trace.get("initial", []), trace.get("events", []), self.shown)


def rules_for(benchmark: str) -> Rules:
    if benchmark == "robotouille":
        from demo2code.selfcheck.bridge import bridge
        from robotouille.kinds import STATION_KINDS, kind_of

        return _RobotouilleRules(
            kind_of=kind_of,
            shown=frozenset({"at", "atop", "cut", "cooked", "holding"}),
            # not `at`: where a loose item ends is a free choice, and a demonstration that lost
            # a step (noise) cannot say it reliably; stacks are `atop`
            final=frozenset({"atop", "cut", "cooked"}),
            order=frozenset({"atop", "cut", "cooked"}),
            exclusive=(frozenset({"at"}), frozenset({"atop"})),
            ignore_kinds=frozenset({"robot"}),
            no_extra=True,
            complete=lambda timeline: bridge(timeline, lambda name: kind_of(name) == "robot"),
            cross_order=True,
            # an item put where work happens (a stove, a board): when that work started
            order_places=frozenset(
                name
                for name, s in STATION_KINDS.items()
                if s.cuts or s.cooks or s.fries or s.fills or s.boils
            ),
            phrases={
                "cut": "cut it",
                "cooked": "cooked it",
                "atop": "stacked it on {1}",
                "at": "put it at {1}",
            },
        )
    if benchmark == "tabletop":
        relations = {"atop", "at", "left_of", "right_of", "behind", "in_front_of"}
        return _TabletopRules(
            kind_of=lambda name: name,
            shown=frozenset(relations | {"moved"}),
            final=frozenset(relations),
            order=frozenset(),
            fixed_names=frozenset({"table"}),
            phrases={
                "atop": "put it on {1}",
                "at": "put it at {1}",
                "left_of": "put it left of {1}",
                "right_of": "put it right of {1}",
                "behind": "put it behind {1}",
                "in_front_of": "put it in front of {1}",
            },
        )
    if benchmark == "epic":
        from demo2code.benchmarks.epic import sim
        from demo2code.benchmarks.epic.catalog import FIXED_PLACES

        return _EpicRules(
            kind_of=sim.kind_of,
            shown=frozenset(
                {
                    "at",
                    "in",
                    "on",
                    "is_in_hand",
                    "is_on",
                    "is_off",
                    "is_soapy",
                    "is_clean",
                    "is_dry",
                    "is_dirty",
                }
            ),  # fmt: skip
            final=frozenset(),  # per dish, only what every dish shares (selfcheck/habits.py)
            order=frozenset({"is_soapy", "is_clean", "is_dry"}),
            exclusive=(
                frozenset({"in", "on", "is_in_hand"}),
                frozenset({"is_on", "is_off"}),
                frozenset({"at"}),
            ),  # fmt: skip
            ignore_kinds=frozenset({"sponge", "towel", "robot"}),
            fixed_names=frozenset(FIXED_PLACES),
            habits=True,
            phrases={
                "is_soapy": "soaped it",
                "is_clean": "rinsed it clean",
                "is_dry": "dried it",
                "in": "put it in {1}",
                "on": "put it on {1}",
                "is_on": "turned it on",
                "is_off": "turned it off",
            },
        )
    raise UnknownName("benchmark", benchmark, ["robotouille", "tabletop", "epic"])


# --- the scenarios of a demonstration -----------------------------------------------------


def episode_factory(
    bench: Benchmark, demo: Demonstration, index: int, source: str
) -> Callable[[], Episode]:
    """A fresh episode of scenario `index` as it was recorded: its stored level (a
    `robotouille play --record` recording), else its task's level on its seed, or (EPIC) the
    kitchen its initial state describes."""
    scen = demo.scenarios[index]
    where = f"scenarios[{index}]"
    if bench.name == "epic":
        from demo2code.benchmarks.epic.benchmark import EpicEpisode
        from demo2code.benchmarks.epic.catalog import kitchen_from_state

        one = Demonstration(demo.benchmark, demo.task, demo.instruction, [scen])
        return lambda: EpicEpisode(kitchen_from_state(one))
    if bench.name == "robotouille" and scen.extra.get("level") is not None:
        from demo2code.benchmarks.robotouille import STEP_LIMIT, RobotouilleEpisode
        from robotouille.api import KitchenAPI
        from robotouille.env import KitchenEnv
        from robotouille.level import LevelError, level_from_json

        try:
            level = level_from_json(scen.extra["level"], f"{source}: {where}.extra.level")
        except LevelError as err:
            raise InputError(source, f"{where}.extra.level", str(err)) from None
        seed = scen.seed if scen.seed is not None else 0
        return lambda: RobotouilleEpisode(
            KitchenAPI(KitchenEnv(level, step_limit=STEP_LIMIT)), seed
        )
    if scen.seed is None:
        raise InputError(source, f"{where}.seed", "a seed (or a stored level) to rebuild it")
    known = {t.id: t for t in bench.tasks()}
    if demo.task not in known:
        raise InputError(
            source, "task", f"{demo.task!r} is no {bench.name} task, so its scenarios cannot "
            "be rebuilt (record it with `robotouille play --record` to store its levels)",
        )  # fmt: skip
    task, seed = known[demo.task], scen.seed
    return lambda: bench.episode(task, seed)
