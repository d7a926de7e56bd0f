"""A small symbolic kitchen for dish washing: the physics behind the EPIC API.

One robot with two hands stands at one place at a time. The sink holds the tap; dishes start
dirty, a sponge makes a held dish soapy, rinsing under the running tap makes a soapy dish
clean, and a towel dries a clean dish. Every API call is recorded as an event with the
predicates it changed; failed preconditions raise `ActionFailed` and are recorded too.

Design choices (documented because the unit tests depend on them):
* Hands: at most two held objects; the sponge and the towel count.
* Rinsing a dirty dish that was never soaped leaves it dirty (only wet); rinsing a soapy dish
  makes it clean. Soaping a clean dish makes it soapy again (not clean).
* `turn_on` on a running tap and `turn_off` on a closed one are harmless no-ops.
* `soap`, `rinse` and the taps need the robot at the sink; `pick_up`/`place` need it at the
  object's / target place; drying with a towel works anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from demo2code.benchmarks.base import ActionFailed, StepLimitReached
from demo2code.demos import Change

SINK = "sink_1"
TAP = "tap_1"
SPONGE = "sponge_1"
TOWEL = "towel_1"
HANDS = 2
DEFAULT_STEP_LIMIT = 400

# Places whose content is "in" them (the rest have things "on" them), as in the EPIC files.
_CONTAINER_PLACES = ("sink", "dishrack", "drying_rack", "drainer", "dishwasher", "bin", "drawer")
TOOLS = ("sponge", "towel", "cloth", "rag", "brush")


def kind_of(name: str) -> str:
    """`plate_2` -> `plate`: ids are a kind plus a number."""
    head, _, tail = name.rpartition("_")
    return head if head and tail.isdigit() else name


def relation(place: str) -> str:
    return "in" if kind_of(place) in _CONTAINER_PLACES else "on"


def is_tool(name: str) -> bool:
    return kind_of(name) in TOOLS


@dataclass
class Thing:
    """A movable object: where it is and how clean."""

    where: str  # a place, or "hand"
    dirty: bool = False
    soapy: bool = False
    clean: bool = False
    dry: bool = True


@dataclass
class Kitchen:
    """The world state. `places` are fixed locations; `things` can be carried."""

    places: list[str]
    things: dict[str, Thing]
    robot_at: str = SINK
    tap_on: bool = False
    to_clean: list[str] = field(default_factory=list)

    def facts(self) -> set[tuple[str, ...]]:
        """The state as EPIC predicates (name, *args)."""
        out: set[tuple[str, ...]] = {
            ("at", self.robot_at),
            ("is_on" if self.tap_on else "is_off", TAP),
        }
        for name, t in self.things.items():
            if t.where == "hand":
                out.add(("is_in_hand", name))
            else:
                out.add((relation(t.where), name, t.where))
            for flag in ("dirty", "soapy", "clean"):
                if getattr(t, flag):
                    out.add((f"is_{flag}", name))
            if t.dry:
                out.add(("is_dry", name))
        return out

    def held(self) -> list[str]:
        return [n for n, t in self.things.items() if t.where == "hand"]


def diff(before: set[tuple[str, ...]], after: set[tuple[str, ...]]) -> list[Change]:
    """Predicates that became true, then those that became false, each sorted."""
    return [Change(f[0], tuple(f[1:]), True) for f in sorted(after - before)] + [
        Change(f[0], tuple(f[1:]), False) for f in sorted(before - after)
    ]


class Simulator:
    """The API of docs/architecture.md#epic-kitchens over a `Kitchen`, recording a trace."""

    def __init__(self, kitchen: Kitchen, step_limit: int = DEFAULT_STEP_LIMIT):
        self.k = kitchen
        self.step_limit = step_limit
        self.steps = 0
        self.initial = sorted(kitchen.facts())
        self.events: list[dict[str, Any]] = []
        self.failures: list[dict[str, str]] = []

    # --- bookkeeping ----------------------------------------------------------------------

    def _count(self, action: str) -> None:
        self.steps += 1
        if self.steps > self.step_limit:
            err = StepLimitReached(f"step limit of {self.step_limit} actions reached")
            self.failures.append({"outcome": "step_limit", "action": action, "message": str(err)})
            raise err

    def _fail(self, action: str, condition: str) -> ActionFailed:
        err = ActionFailed(action, condition)
        self.failures.append({"outcome": err.outcome, "action": action, "message": str(err)})
        return err

    def _do(self, action: str, args: Iterable[str], effect: Callable[[], None]) -> list[Change]:
        before = self.k.facts()
        effect()
        changes = diff(before, self.k.facts())
        self.events.append(
            {
                "action": action,
                "args": list(args),
                "tap_on": self.k.tap_on,
                "changes": [c.to_json() for c in changes],
            }
        )
        return changes

    def _thing(self, action: str, name: Any) -> Thing:
        if not isinstance(name, str) or name not in self.k.things:
            raise self._fail(action, f"{name!r} is not a movable object in this kitchen")
        return self.k.things[name]

    def _place(self, action: str, loc: Any) -> str:
        if not isinstance(loc, str) or loc not in self.k.places:
            raise self._fail(action, f"{loc!r} is not a place (places: {', '.join(self.k.places)})")
        return loc

    def _holding(self, action: str, name: str) -> Thing:
        t = self._thing(action, name)
        if t.where != "hand":
            raise self._fail(action, f"{name} is not in hand")
        return t

    def _at_sink(self, action: str) -> None:
        if self.k.robot_at != SINK:
            raise self._fail(action, f"robot is at {self.k.robot_at}, not at {SINK}")

    # --- perception -----------------------------------------------------------------------

    def get_all_objects(self) -> list[str]:
        """The objects to clean in this episode."""
        self._count("get_all_objects")
        return list(self.k.to_clean)

    # --- actions --------------------------------------------------------------------------

    def go_to(self, loc: str) -> None:
        self._count("go_to")
        loc = self._place("go_to", loc)
        self._do("go_to", [loc], lambda: setattr(self.k, "robot_at", loc))

    def pick_up(self, obj: str) -> None:
        self._count("pick_up")
        t = self._thing("pick_up", obj)
        if t.where == "hand":
            raise self._fail("pick_up", f"{obj} is already in hand")
        if t.where != self.k.robot_at:
            raise self._fail("pick_up", f"{obj} is at {t.where}, robot is at {self.k.robot_at}")
        if len(self.k.held()) >= HANDS:
            raise self._fail("pick_up", f"both hands are full ({', '.join(self.k.held())})")
        self._do("pick_up", [obj], lambda: setattr(t, "where", "hand"))

    def place(self, obj: str, loc: str) -> None:
        self._count("place")
        t = self._holding("place", obj)
        loc = self._place("place", loc)
        if self.k.robot_at != loc:
            raise self._fail("place", f"robot is at {self.k.robot_at}, not at {loc}")
        self._do("place", [obj, loc], lambda: setattr(t, "where", loc))

    def bring_objects_to_loc(self, obj: str | list[str], loc: str) -> None:
        """Carry one object or a list of them to `loc`, one at a time, and put them there."""
        names = [obj] if isinstance(obj, str) else list(obj)
        loc = self._place("bring_objects_to_loc", loc)
        for name in names:
            t = self._thing("bring_objects_to_loc", name)
            if t.where == loc:
                continue
            if t.where != "hand":
                self.go_to(t.where)
                self.pick_up(name)
            self.go_to(loc)
            self.place(name, loc)

    def turn_on(self, tap: str) -> None:
        self._count("turn_on")
        self._tap("turn_on", tap)
        self._at_sink("turn_on")
        self._do("turn_on", [tap], lambda: setattr(self.k, "tap_on", True))

    def turn_off(self, tap: str) -> None:
        self._count("turn_off")
        self._tap("turn_off", tap)
        self._at_sink("turn_off")
        self._do("turn_off", [tap], lambda: setattr(self.k, "tap_on", False))

    def _tap(self, action: str, tap: Any) -> None:
        if tap != TAP:
            raise self._fail(action, f"{tap!r} is not a tap (the tap is {TAP})")

    def soap(self, obj: str) -> None:
        self._count("soap")
        self._soap("soap", obj, SPONGE)

    def clean_with(self, obj: str, tool: str) -> None:
        """With a sponge: soap `obj`; with a towel, cloth or rag: dry it."""
        self._count("clean_with")
        kind = kind_of(tool) if isinstance(tool, str) else ""
        if kind == "sponge" or kind == "brush":
            self._soap("clean_with", obj, tool)
            return
        if kind not in ("towel", "cloth", "rag"):
            raise self._fail("clean_with", f"{tool!r} is not a sponge, brush or towel")
        t = self._holding("clean_with", obj)
        self._holding("clean_with", tool)
        if t.soapy:
            raise self._fail("clean_with", f"{obj} is soapy (rinse it before drying)")
        self._do("clean_with", [obj, tool], lambda: setattr(t, "dry", True))

    def _soap(self, action: str, obj: str, tool: str) -> None:
        if is_tool(obj) or obj == tool:
            raise self._fail(action, f"{obj} is a cleaning tool, not a dish")
        t = self._holding(action, obj)
        if tool not in self.k.things or self.k.things[tool].where != "hand":
            raise self._fail(action, f"{tool} (a sponge) is not in hand")
        self._at_sink(action)

        def effect() -> None:
            t.soapy, t.clean = True, False

        self._do(action, [obj, tool] if action == "clean_with" else [obj], effect)

    def rinse(self, obj: str) -> None:
        self._count("rinse")
        t = self._holding("rinse", obj)
        self._at_sink("rinse")
        if not self.k.tap_on:
            raise self._fail("rinse", f"{TAP} is off")

        def effect() -> None:
            if t.soapy:
                t.soapy, t.dirty, t.clean = False, False, True
            t.dry = False

        self._do("rinse", [obj], effect)

    # --- episode interface ----------------------------------------------------------------

    def api(self) -> dict[str, Callable[..., Any]]:
        return {
            "get_all_objects": self.get_all_objects,
            "bring_objects_to_loc": self.bring_objects_to_loc,
            "turn_on": self.turn_on,
            "turn_off": self.turn_off,
            "soap": self.soap,
            "rinse": self.rinse,
            "pick_up": self.pick_up,
            "place": self.place,
            "go_to": self.go_to,
            "clean_with": self.clean_with,
        }

    def trace(self) -> dict[str, Any]:
        return {
            "to_clean": list(self.k.to_clean),
            "initial": [list(f) for f in self.initial],
            "events": [dict(e) for e in self.events],
            "final": [list(f) for f in sorted(self.k.facts())],
            "failures": [dict(f) for f in self.failures],
        }
