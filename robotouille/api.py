"""The functions generated code calls (names and meaning as in the Demo2Code paper), over one
KitchenEnv, recording a trace of every step and every failure.

Actions whose preconditions fail raise `PreconditionFailed` naming the action and the
condition; the failure is recorded even if the program catches the exception, so a program
cannot hide it. A step budget stops runaway loops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from robotouille.env import SHOWN, ActionNotAllowed, KitchenEnv, StepBudgetExhausted
from robotouille.kinds import ITEM_KINDS, STATION_KINDS, kind_of, normalize_kind


class PreconditionFailed(Exception):
    """Raised to generated code; `outcome` lets the sandbox classify it without importing us."""

    outcome = "precondition_failed"

    def __init__(self, action: str, condition: str):
        super().__init__(f"{action} failed: {condition}")
        self.action, self.condition = action, condition


class StepLimitExceeded(Exception):
    outcome = "step_limit"


MAX_RECORDED_FAILURES = 100
API_FUNCTIONS = (
    "get_all_obj_names_that_match_type",
    "get_all_location_names_that_match_type",
    "is_cut",
    "is_cooked",
    "is_fried",
    "is_cooking",
    "is_frying",
    "is_filled",
    "is_heating",
    "is_boiling",
    "is_simmering",
    "is_soup",
    "is_holding",
    "is_in_a_stack",
    "get_obj_that_is_underneath",
    "get_obj_location",
    "get_curr_location",
    "move",
    "pick_up",
    "place",
    "cut",
    "start_cooking",
    "start_frying",
    "fill",
    "start_boiling",
    "noop",
    "stack",
    "unstack",
)


def _call_text(name: str, args: tuple[Any, ...]) -> str:
    return f"{name}({', '.join(repr(a) for a in args)})"


class KitchenAPI:
    def __init__(self, env: KitchenEnv):
        self.env = env
        self.initial = sorted(list(f) for f in env.facts)
        self.steps: list[dict[str, Any]] = []
        self.failures: list[dict[str, str]] = []
        self.failures_dropped = 0
        self.on_step: Callable[[dict[str, Any]], None] | None = None  # recorders hook in here

    def namespace(self) -> dict[str, Callable[..., Any]]:
        return {name: getattr(self, name) for name in API_FUNCTIONS}

    def trace(self) -> dict[str, Any]:
        return {
            "initial": self.initial,
            "steps": self.steps,
            "final": sorted(list(f) for f in self.env.facts),
            "failures": self.failures,
            "failures_dropped": self.failures_dropped,
            "done": self.env.done,
        }

    # --- helpers ----------------------------------------------------------------------
    def _record(self, outcome: str, action: str, message: str) -> None:
        """Failures are kept even when the program catches them; a program that catches
        them in a loop must not grow the trace without bound, so the count goes on past
        the first hundred."""
        if len(self.failures) < MAX_RECORDED_FAILURES:
            self.failures.append({"outcome": outcome, "action": action, "message": message})
        else:
            self.failures_dropped += 1

    def _fail(self, action: str, condition: str) -> PreconditionFailed:
        self._record("precondition_failed", action, condition)
        return PreconditionFailed(action, condition)

    def _object(self, action: str, name: Any, *, station: bool | None = None) -> str:
        if not isinstance(name, str):
            raise TypeError(f"{action}: expected an object name (str), got {type(name).__name__}")
        pool = self.env.stations if station else self.env.items if station is False else None
        known = pool if pool is not None else self.env.stations + self.env.items
        if name not in known:
            what = "location" if station else "object" if station is False else "object"
            raise self._fail(action, f"'{name}' is not a known {what} in this kitchen")
        return name

    def _do(self, call: str, action: str, *args: str) -> None:
        try:
            changes = self.env.step(action, *args)
        except ActionNotAllowed as err:
            raise self._fail(call, err.condition) from None
        except StepBudgetExhausted as err:
            self._record("step_limit", call, str(err))
            raise StepLimitExceeded(f"{call}: {err}") from None
        step = {
            "action": call,
            "changes": [
                {"predicate": c.fact[0], "args": list(c.fact[1:]), "value": c.value}
                for c in changes
            ],
        }
        self.steps.append(step)
        if self.on_step is not None:
            self.on_step(step)

    def _station_of(self, item: str) -> str | None:
        for fact in self.env.facts:
            if fact[0] == "at" and fact[1] == item:
                return fact[2]
        return None

    # --- perception -------------------------------------------------------------------
    def get_all_obj_names_that_match_type(self, obj_type: str) -> list[str]:
        """Every item of the kind, in id order ('patty1', 'patty2', ...; see level.py for how
        ids are given: the top of a stack comes first)."""
        kind = normalize_kind(str(obj_type))
        if kind not in ITEM_KINDS:
            raise ValueError(
                f"unknown object type {obj_type!r}; expected one of {sorted(ITEM_KINDS)}"
            )
        return [i for i in self.env.items if kind_of(i) == kind]

    def get_all_location_names_that_match_type(self, location_type: str) -> list[str]:
        """The free stations of the kind (no item on them), in id order. Occupied stations
        are left out, as the paper's API does, so the first answer is a place to put things."""
        kind = normalize_kind(str(location_type))
        if kind not in STATION_KINDS:
            raise ValueError(
                f"unknown location type {location_type!r}; expected one of {sorted(STATION_KINDS)}"
            )
        occupied = {f[2] for f in self.env.facts if f[0] == "at" and f[1] in self.env.item_set}
        return [s for s in self.env.stations if kind_of(s) == kind and s not in occupied]

    def is_cut(self, obj: str) -> bool:
        return self.env.holds("cut", self._object("is_cut", obj, station=False))

    def is_cooked(self, obj: str) -> bool:
        return self.env.holds("cooked", self._object("is_cooked", obj, station=False))

    def is_fried(self, obj: str) -> bool:
        return self.env.holds("fried", self._object("is_fried", obj, station=False))

    def is_cooking(self, obj: str) -> bool:
        """True from start_cooking until the item is cooked: a program polls this (or
        is_cooked) to do other work meanwhile instead of blocking."""
        return self.env.holds("cooking", self._object("is_cooking", obj, station=False))

    def is_frying(self, obj: str) -> bool:
        return self.env.holds("frying", self._object("is_frying", obj, station=False))

    def is_filled(self, obj: str) -> bool:
        """True once a pot has been filled with water at a sink."""
        return self.env.holds("filled", self._object("is_filled", obj, station=False))

    def is_heating(self, obj: str) -> bool:
        """True from start_boiling until the pot's water boils."""
        return self.env.holds("heating", self._object("is_heating", obj, station=False))

    def is_boiling(self, obj: str) -> bool:
        return self.env.holds("boiling", self._object("is_boiling", obj, station=False))

    def is_simmering(self, obj: str) -> bool:
        """True while an item added to a pot of boiling water is becoming soup."""
        return self.env.holds("simmering", self._object("is_simmering", obj, station=False))

    def is_soup(self, obj: str) -> bool:
        return self.env.holds("soup", self._object("is_soup", obj, station=False))

    def is_holding(self, obj: str) -> bool:
        return self.env.holds(
            "holding", self.env.robot, self._object("is_holding", obj, station=False)
        )

    def is_in_a_stack(self, obj: str) -> bool:
        """True when `obj` rests on another item (so it must be unstacked, not picked up)."""
        obj = self._object("is_in_a_stack", obj, station=False)
        return any(f[0] == "atop" and f[1] == obj for f in self.env.facts)

    def get_obj_that_is_underneath(self, obj_at_top: str) -> str | None:
        obj = self._object("get_obj_that_is_underneath", obj_at_top, station=False)
        for fact in self.env.facts:
            if fact[0] == "atop" and fact[1] == obj:
                return fact[2]
        return None

    def get_obj_location(self, obj: str) -> str:
        """The station the item is at; a held item is where the robot is."""
        obj = self._object("get_obj_location", obj, station=False)
        return self._station_of(obj) or self.get_curr_location()

    def get_curr_location(self) -> str:
        return next(f[2] for f in self.env.facts if f[0] == "at" and f[1] == self.env.robot)

    # --- actions ----------------------------------------------------------------------
    def move(self, curr_loc: str, target_loc: str) -> None:
        call = _call_text("move", (curr_loc, target_loc))
        curr = self._object(call, curr_loc, station=True)
        target = self._object(call, target_loc, station=True)
        here = self.get_curr_location()
        if curr != here:
            raise self._fail(call, f"'{self.env.robot}' is not at '{curr}'")
        if target != here:  # moving to where the robot already is changes nothing
            self._do(call, "move", self.env.robot, curr, target)

    def pick_up(self, obj: str, loc: str) -> None:
        call = _call_text("pick_up", (obj, loc))
        item = self._object(call, obj, station=False)
        station = self._object(call, loc, station=True)
        self._do(call, "pickup", self.env.robot, item, station)

    def place(self, obj: str, loc: str) -> None:
        call = _call_text("place", (obj, loc))
        item = self._object(call, obj, station=False)
        station = self._object(call, loc, station=True)
        self._do(call, "place", self.env.robot, item, station)

    def _process(self, name: str, action: str, obj: str) -> None:
        call = _call_text(name, (obj,))
        item = self._object(call, obj, station=False)
        station = self._station_of(item)
        if station is None:
            raise self._fail(call, f"'{item}' is not at any station")
        self._do(call, action, self.env.robot, item, station)

    def cut(self, obj: str) -> None:
        """One unit of cutting progress; the item is cut after several."""
        self._process("cut", "cut", obj)

    def start_cooking(self, obj: str) -> None:
        """Cooking then goes on by itself while the item stays on the stove."""
        self._process("start_cooking", "cook", obj)

    def start_frying(self, obj: str) -> None:
        """Frying then goes on by itself while the item stays in the fryer."""
        self._process("start_frying", "fry", obj)

    def fill(self, obj: str) -> None:
        """Fill a pot standing at a sink with water (one step)."""
        self._process("fill", "fill", obj)

    def start_boiling(self, obj: str) -> None:
        """Heat a filled pot on the stove; its water boils a few steps later while it stays
        on the stove (the robot may do other work meanwhile)."""
        self._process("start_boiling", "boil", obj)

    def noop(self) -> None:
        self._do("noop()", "wait")

    def stack(self, obj_to_stack: str, obj_at_bottom: str) -> None:
        call = _call_text("stack", (obj_to_stack, obj_at_bottom))
        top = self._object(call, obj_to_stack, station=False)
        bottom = self._object(call, obj_at_bottom, station=False)
        self._do(call, "stack", self.env.robot, top, bottom, self.get_curr_location())

    def unstack(self, obj_to_unstack: str, obj_at_bottom: str) -> None:
        call = _call_text("unstack", (obj_to_unstack, obj_at_bottom))
        top = self._object(call, obj_to_unstack, station=False)
        bottom = self._object(call, obj_at_bottom, station=False)
        self._do(call, "unstack", self.env.robot, top, bottom, self.get_curr_location())


def shown_changes(step: dict[str, Any]) -> list[dict[str, Any]]:
    """The changes of a trace step that demonstrations keep (the paper's five predicates)."""
    return [c for c in step["changes"] if c["predicate"] in SHOWN]
