"""The kitchen environment: PDDLGym applies the PDDL actions; time-based progress (several
cuts; cooking, frying and boiling that finish some steps after they start, while the robot is
free to do other work; an item in a pot of boiling water that becomes soup) is injected on
top. How many steps each takes is level data (level.py).

Facts are readable tuples such as ("at", "patty1", "stove1"), ("holding", "robot1",
"patty1"), ("cooked", "patty1"). Each step reports the facts that changed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pddlgym.core import PDDLEnv
from pddlgym.structs import State

from robotouille import strips
from robotouille.kinds import ITEM_KINDS, STATION_KINDS, StationKind, id_order, kind_of
from robotouille.level import Level

DOMAIN_FILE = Path(__file__).resolve().parent / "domain.pddl"

# PDDL predicate -> readable fact name. Static type/capability predicates are left out.
FACT_NAMES = {
    "loc": "at",
    "at": "at",
    "has": "holding",
    "on": "on",
    "vacant": "vacant",
    "empty": "empty",
    "atop": "atop",
    "clear": "clear",
    "nothing": "nothing",
    "iscut": "cut",
    "iscooked": "cooked",
    "iscooking": "cooking",
    "isfrying": "frying",
    "isfried": "fried",
    "isfilled": "filled",
    "isheating": "heating",
    "isboiling": "boiling",
    "issimmering": "simmering",
    "issoup": "soup",
}
STATIC = {
    "istable", "isstove", "isboard", "isfryer", "issink",
    "iscuttable", "iscookable", "isfryable", "isboilable", "ispot",
}  # fmt: skip
# Facts the paper's demonstrations show (and the done states of the later release's fryer,
# sink and pot: "fried", "filled", "boiling", "soup"); the rest, "cooking", "frying",
# "heating" and "simmering" included, is bookkeeping that unit tests may read.
SHOWN = frozenset({"at", "holding", "atop", "cut", "cooked", "fried", "filled", "boiling", "soup"})


@dataclass(frozen=True)
class Process:
    """A time-taking process: started by `action`, it runs while the item stays on a station
    that can do it, and turns the `running` fact into the `done` fact after the level's
    duration for it."""

    action: str
    running: str
    done: str
    station: Callable[[StationKind], bool]


PROCESSES = {
    "cook": Process("cook", "cooking", "cooked", lambda k: k.cooks),
    "fry": Process("fry", "frying", "fried", lambda k: k.fries),
    "boil": Process("boil", "heating", "boiling", lambda k: k.boils),
}
# An item on top of a pot of boiling water (the pot on a station that boils) simmers and
# becomes soup after the level's "soup" duration; no action starts it.
SOUP = Process("", "simmering", "soup", lambda k: k.boils)

Fact = tuple[str, ...]


@dataclass(frozen=True)
class Change:
    fact: Fact
    value: bool


class _StripsEnv(PDDLEnv):
    """PDDLEnv for domains without derived predicates.

    PDDLGym recomputes derived predicates after every step by grounding every literal of the
    observation space, which dominates the step time (about 13 ms on a two-burger level).
    Our domain has none, so that pass is skipped when the parsed domain confirms it.
    """

    # parsing once per process, and a direct successor for fully named actions
    # (robotouille/strips.py); the results are PDDLGym's own
    load_pddl = staticmethod(strips.load_pddl)

    def _get_successor_state(self, *args, **kwargs) -> State:
        return strips.successor(*args, **kwargs)

    def _handle_derived_literals(self, state: State) -> State:
        if not any(p.is_derived for p in self.domain.predicates.values()):
            return state
        return super()._handle_derived_literals(state)


class ActionNotAllowed(Exception):
    """A PDDL precondition does not hold; `condition` says which one, readably."""

    def __init__(self, action: str, condition: str):
        super().__init__(f"{action}: {condition}")
        self.action, self.condition = action, condition


class StepBudgetExhausted(Exception):
    pass


def problem_text(level: Level) -> str:
    """The PDDL problem for a level (objects named from sorted positions)."""
    stations, items = level.station_names(), level.item_names()
    objs = ["robot1 - player"]
    objs += [f"{n} - station" for n in stations.values()]
    objs += [f"{n} - item" for n in items.values()]
    init = []
    station_at = {(s.x, s.y): n for s, n in stations.items()}
    robot_at = stations[level.robot_station()]
    for s, n in stations.items():
        init.append(
            {
                "table": "istable",
                "stove": "isstove",
                "cutting_board": "isboard",
                "fryer": "isfryer",
                "sink": "issink",
            }[s.kind]
            + f" {n}"
        )
        if n != robot_at:
            init.append(f"vacant {n}")
    init.append(f"loc robot1 {robot_at}")
    init.append("nothing robot1")
    stacks: dict[str, list] = {}
    for item, n in items.items():
        stacks.setdefault(station_at[(item.x, item.y)], []).append((item.level, n, item))
    for s_name in stations.values():
        if s_name not in stacks:
            init.append(f"empty {s_name}")
    for s_name, stack in stacks.items():
        stack.sort()
        for k, (_, n, item) in enumerate(stack):
            init.append(f"at {n} {s_name}")
            if k == 0:
                init.append(f"on {n} {s_name}")
            else:
                init.append(f"atop {n} {stack[k - 1][1]}")
            if k == len(stack) - 1:
                init.append(f"clear {n}")
            kind = ITEM_KINDS[item.kind]
            if kind.cuttable:
                init.append(f"iscuttable {n}")
            if kind.cookable:
                init.append(f"iscookable {n}")
            if kind.fryable:
                init.append(f"isfryable {n}")
            if kind.boilable:
                init.append(f"isboilable {n}")
            if kind.pot:
                init.append(f"ispot {n}")
            if item.cut:
                init.append(f"iscut {n}")
            if item.cooked:
                init.append(f"iscooked {n}")
    lines = "\n    ".join(f"({i})" for i in init)
    return (
        f"(define (problem {level.name.replace('_', '-') or 'kitchen'})\n"
        f"  (:domain robotouille)\n  (:objects {' '.join(objs)})\n"
        f"  (:init\n    {lines})\n  (:goal (and (nothing robot1))))\n"
    )


class KitchenEnv:
    """One episode on one level. Not thread-safe; cheap to build (a few milliseconds)."""

    def __init__(
        self,
        level: Level,
        *,
        cut_steps: int | None = None,
        cook_steps: int | None = None,
        fry_steps: int | None = None,
        boil_steps: int | None = None,
        soup_steps: int | None = None,
        step_limit: int = 400,
    ):
        """Durations default to the level's own (`durations` in its file)."""
        self.level = level
        self.cut_steps = cut_steps or level.duration("cut")
        self.cook_steps = cook_steps or level.duration("cook")
        self.fry_steps = fry_steps or level.duration("fry")
        self.boil_steps = boil_steps or level.duration("boil")
        self.soup_steps = soup_steps or level.duration("soup")
        self.step_limit = step_limit
        with tempfile.TemporaryDirectory(prefix="robotouille-") as tmp:
            (Path(tmp) / "problem.pddl").write_text(problem_text(level))
            self._pddl = _StripsEnv(
                str(DOMAIN_FILE), tmp, operators_as_actions=True, dynamic_action_space=False
            )
            self._pddl.fix_problem_index(0)
            state, _ = self._pddl.reset()
        self._entities = {o.name: o for o in state.objects}
        self.robot = "robot1"
        # Id order (kind, then number) is the order every list query answers in.
        self.stations = sorted(
            (n for n, e in self._entities.items() if e.var_type == "station"), key=id_order
        )
        self.items = sorted(
            (n for n, e in self._entities.items() if e.var_type == "item"), key=id_order
        )
        self.item_set = frozenset(self.items)
        self.facts: set[Fact] = self._facts_of(state)
        self.cut_progress: dict[str, int] = {}
        self.cooking: dict[str, int] = {}  # item -> steps cooked so far (only once started)
        self.frying: dict[str, int] = {}  # item -> steps fried so far
        self.heating: dict[str, int] = {}  # pot -> steps heated so far
        self.simmering: dict[str, int] = {}  # item in a boiling pot -> steps simmered so far
        self.steps = 0
        self.goal = level.goal

    # --- state ------------------------------------------------------------------------
    @staticmethod
    def _facts_of(state: State) -> set[Fact]:
        out = set()
        for lit in state.literals:
            name = lit.predicate.name
            if name in FACT_NAMES:
                out.add((FACT_NAMES[name], *(v.name for v in lit.variables)))
        return out

    def holds(self, *fact: str) -> bool:
        return tuple(fact) in self.facts

    @property
    def done(self) -> bool:
        """Every goal fact holds for some object (kinds act as wildcards)."""
        return all(self._goal_holds(g.split()) for g in self.goal)

    def _goal_holds(self, words: list[str]) -> bool:
        pred, args = words[0], words[1:]
        for fact in self.facts:
            if (
                fact[0] == pred
                and len(fact) == len(args) + 1
                and all(a == f or a == kind_of(f) for a, f in zip(args, fact[1:], strict=True))
            ):
                return True
        return False

    # --- acting -----------------------------------------------------------------------
    def step(self, action: str, *args: str) -> list[Change]:
        """Apply a PDDL action (or 'wait'), then advance cutting and cooking."""
        if self.steps >= self.step_limit:
            raise StepBudgetExhausted(f"step limit of {self.step_limit} reached")
        before = set(self.facts)
        if action != "wait":
            self._check(action, args)
            op_pred = self._pddl.domain.predicates[action]
            lit = op_pred(*(self._entities[a] for a in args))
            state, *_ = self._pddl.step(lit)
            self.facts = self._facts_of(state)
        self.steps += 1
        self._advance(action, args)
        changes = [Change(f, True) for f in self.facts - before]
        changes += [Change(f, False) for f in before - self.facts]
        changes.sort(key=lambda c: (c.fact, c.value))
        return changes

    def _check(self, action: str, args: tuple[str, ...]) -> None:
        """Name the first precondition that fails, in the paper's wording."""
        op = self._pddl.domain.operators.get(action)
        if op is None:
            raise ActionNotAllowed(action, "no such action")
        if len(args) != len(op.params):
            raise ActionNotAllowed(action, f"expects {len(op.params)} arguments")
        bind = {}
        for param, arg in zip(op.params, args, strict=True):
            entity = self._entities.get(arg)
            if entity is None or entity.var_type != param.var_type:
                raise ActionNotAllowed(action, f"{arg!r} is not a {param.var_type}")
            bind[param.name] = arg
        state = self._pddl.get_state()
        for cond in op.preconds.literals:
            name = cond.predicate.name
            ground = tuple(bind[v.name] for v in cond.variables)
            lit = self._pddl.domain.predicates[name](*(self._entities[a] for a in ground))
            present = lit in state.literals
            if present == cond.is_negative:
                raise ActionNotAllowed(action, describe(name, ground, cond.is_negative))

    def _advance(self, action: str, args: tuple[str, ...]) -> None:
        if action == "cut":
            item = args[1]
            self.cut_progress[item] = self.cut_progress.get(item, 0) + 1
            if self.cut_progress[item] >= self.cut_steps:
                self._inject(("cut", item))
        started = None
        if action in PROCESSES:
            started = args[1]
            self._timers(action).setdefault(started, 0)  # counts from the next step on
        for name, process in PROCESSES.items():
            timers, duration = self._timers(name), self.duration(name)
            for item, done in list(timers.items()):
                if item == started and name == action:
                    continue
                on_station = any(
                    ("at", item, s) in self.facts and process.station(STATION_KINDS[kind_of(s)])
                    for s in self.stations
                )
                if on_station:  # held or moved away: paused
                    timers[item] = done + 1
                    if timers[item] >= duration:
                        del timers[item]
                        self._inject((process.done, item), remove=(process.running, item))
        self._advance_soup()

    def _advance_soup(self) -> None:
        """Items on a boiling pot that stands on a stove simmer, from the step after they
        were first added; an item taken out of the pot, or a pot taken off the stove, pauses
        them (put back, they go on counting from the step that puts them back)."""
        for fact in list(self.facts):
            if fact[0] != "atop" or ("boiling", fact[2]) not in self.facts:
                continue
            item, pot = fact[1], fact[2]
            if not ITEM_KINDS[kind_of(item)].boilable or ("soup", item) in self.facts:
                continue
            if item not in self.simmering:
                self.simmering[item] = 0
                self._inject(("simmering", item))
                continue
            if any(
                ("at", pot, s) in self.facts and SOUP.station(STATION_KINDS[kind_of(s)])
                for s in self.stations
            ):
                self.simmering[item] += 1
                if self.simmering[item] >= self.soup_steps:
                    del self.simmering[item]
                    self._inject(("soup", item), remove=("simmering", item))

    def _timers(self, process: str) -> dict[str, int]:
        return {"cook": self.cooking, "fry": self.frying, "boil": self.heating}[process]

    def duration(self, process: str) -> int:
        return {
            "cut": self.cut_steps,
            "cook": self.cook_steps,
            "fry": self.fry_steps,
            "boil": self.boil_steps,
            "soup": self.soup_steps,
        }[process]

    def _inject(self, fact: Fact, remove: Fact | None = None) -> None:
        """Make `fact` true (and `remove` false) in the PDDL state and in `facts`."""
        state = self._pddl.get_state()
        literals = set(state.literals) | {self._literal(fact)}
        if remove is not None:
            literals.discard(self._literal(remove))
            self.facts.discard(remove)
        self._pddl.set_state(state.with_literals(frozenset(literals)))
        self.facts.add(fact)

    def _literal(self, fact: Fact):
        pddl_name = next(p for p, f in FACT_NAMES.items() if f == fact[0] and p.startswith("is"))
        return self._pddl.domain.predicates[pddl_name](*(self._entities[a] for a in fact[1:]))


_PHRASES = {
    "loc": "'{0}' is at '{1}'",
    "at": "'{0}' is at '{1}'",
    "on": "'{0}' is directly on '{1}'",
    "vacant": "'{0}' is free of robots",
    "empty": "'{0}' is empty",
    "atop": "'{0}' is on top of '{1}'",
    "clear": "nothing is on top of '{0}'",
    "has": "'{0}' is holding '{1}'",
    "nothing": "'{0}' is holding nothing",
    "iscut": "'{0}' is cut",
    "iscooked": "'{0}' is cooked",
    "iscooking": "'{0}' is cooking",
    "isfrying": "'{0}' is frying",
    "isfried": "'{0}' is fried",
    "isfilled": "'{0}' is filled with water",
    "isheating": "'{0}' is heating",
    "isboiling": "'{0}' is boiling",
    "issimmering": "'{0}' is simmering",
    "issoup": "'{0}' is soup",
    "issink": "'{0}' is a sink",
    "ispot": "'{0}' is a pot",
    "isboilable": "'{0}' can be boiled into soup",
    "isfryable": "'{0}' can be fried",
    "istable": "'{0}' is a table",
    "isstove": "'{0}' is a stove",
    "isboard": "'{0}' is a cutting board",
    "isfryer": "'{0}' is a fryer",
    "iscuttable": "'{0}' can be cut",
    "iscookable": "'{0}' can be cooked",
}


def describe(pddl_name: str, args: tuple[str, ...], negative: bool) -> str:
    """The condition that was required, as a sentence: "'robot1' is not at 'stove1'" when
    loc(robot1, stove1) was required, i.e. what is wrong now."""
    text = _PHRASES[pddl_name].format(*args)
    if negative:  # it was required to be false, so it is true now
        return text
    if text.startswith("nothing is on top"):
        return text.replace("nothing is on top of", "something is on top of")
    for verb in (" is ", " can "):
        if verb in text:
            return text.replace(verb, verb + "not ", 1)
    return "not: " + text
