"""Per-person preference checks, and reading the same preferences back from a demonstration.

Both an execution trace and a demonstration reduce to a `Record`: the washing events in order
(soap, rinse, dry, tap on/off, each with the tap's state) and where each dish ended. The
checks and the rule-based `infer_preferences` work on that record, so a rule-based reader of
a demonstration and the unit test of a program agree by construction on what a habit means.

Preferences (the `prefs` of a task in data/epic/tasks.json; None = no preference):
* order: "each" (soap and rinse one dish before the next), "all" (soap every dish, then
  rinse every dish), "kind" (dishes of one kind together: soap them all, then rinse them).
* tap_when_soaping: "on" / "off": the tap's state at every soaping.
* tap_between: "off" (turned off after each group of the order before the next group starts)
  or "running" (never turned off between the first and the last rinse).
* tap_at_end: "off": the tap is off at the end.
* destination: where every clean dish ends up. dry: dishes are dried after their last rinse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from demo2code.benchmarks.epic.sim import TAP, is_tool, kind_of
from demo2code.demos import Demonstration

PREF_KEYS = ("order", "tap_when_soaping", "tap_between", "tap_at_end", "destination", "dry")
ORDERS = ("each", "kind", "all")


@dataclass(frozen=True)
class Event:
    kind: str  # soap | rinse | dry | tap_on | tap_off
    obj: str | None
    tap_on: bool  # the tap's state when the event happened (after it, for tap events)


@dataclass
class Record:
    items: list[str]
    events: list[Event]
    final_place: dict[str, str] = field(default_factory=dict)
    final_flags: dict[str, set[str]] = field(default_factory=dict)
    tap_final: bool = False
    failures: list[str] = field(default_factory=list)
    moved_distractors: list[str] = field(default_factory=list)


# --- building records -----------------------------------------------------------------------


def _apply(facts: set[tuple[str, ...]], pred: str, args: Iterable[str], value: bool) -> None:
    fact = (pred, *args)
    if value:
        facts.add(fact)
    else:
        facts.discard(fact)


def _places(facts: Iterable[tuple[str, ...]]) -> dict[str, str]:
    return {f[1]: f[2] for f in facts if f[0] in ("in", "on") and len(f) == 3}


def _flags(facts: Iterable[tuple[str, ...]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in facts:
        if len(f) == 2 and f[0].startswith("is_"):
            out.setdefault(f[1], set()).add(f[0][3:])
    return out


def record_from_trace(trace: dict[str, Any]) -> Record:
    """A simulator trace (`sim.Simulator.trace()`) as a record."""
    events = []
    for e in trace.get("events", []):
        changed = {(c["predicate"], c["value"]) for c in e.get("changes", [])}
        action, args = e["action"], e.get("args", [])
        if action == "soap" or (action == "clean_with" and kind_of(args[1]) in ("sponge", "brush")):
            events.append(Event("soap", args[0], e["tap_on"]))
        elif action == "clean_with":
            events.append(Event("dry", args[0], e["tap_on"]))
        elif action == "rinse":
            events.append(Event("rinse", args[0], e["tap_on"]))
        elif action in ("turn_on", "turn_off") and changed:
            events.append(Event("tap_on" if action == "turn_on" else "tap_off", None, e["tap_on"]))
    final = {tuple(f) for f in trace.get("final", [])}
    initial = {tuple(f) for f in trace.get("initial", [])}
    items = list(trace.get("to_clean", []))
    start, end = _places(initial), _places(final)
    moved = [
        n for n in sorted(start) if n not in items and not is_tool(n) and end.get(n) != start[n]
    ]
    return Record(
        items,
        events,
        end,
        _flags(final),
        ("is_on", TAP) in final,
        [f["message"] for f in trace.get("failures", [])],
        moved,
    )


def record_from_demo(demo: Demonstration, index: int = 0) -> Record:
    """A demonstration scenario (positive EPIC changes) as a record."""
    scen = demo.scenarios[index]
    facts: set[tuple[str, ...]] = set()
    for c in scen.initial_state:
        _apply(facts, c.predicate, c.args, c.value)
    tap_on = ("is_on", TAP) in facts
    items = [entry[0] for entry in scen.extra.get("objects_to_clean", [])]
    events = []
    for step in scen.steps:
        for c in step.changes:
            if c.value and c.predicate in ("in", "on") and len(c.args) == 2:
                facts = {f for f in facts if not (f[0] in ("in", "on") and f[1] == c.args[0])}
            if c.value and c.predicate in ("is_on", "is_off") and c.args == (TAP,):
                facts.discard(("is_off" if c.predicate == "is_on" else "is_on", TAP))
                tap_on = c.predicate == "is_on"
                events.append(Event("tap_on" if tap_on else "tap_off", None, tap_on))
            if c.value and c.predicate in ("is_soapy", "is_clean", "is_dry"):
                if c.predicate != "is_dry":  # drying leaves a clean dish clean, as in the sim
                    for flag in ("is_soapy", "is_clean", "is_dirty"):
                        facts.discard((flag, c.args[0]))
                kind = {"is_soapy": "soap", "is_clean": "rinse", "is_dry": "dry"}[c.predicate]
                events.append(Event(kind, c.args[0], tap_on))
            _apply(facts, c.predicate, c.args, c.value)
    return Record(items, events, _places(facts), _flags(facts), tap_on)


# --- habits on a record ---------------------------------------------------------------------


def _spans(rec: Record, groups: dict[str, list[str]]) -> list[tuple[int, int, str]]:
    """(first soap or rinse, last rinse, group) per group that was washed, by start."""
    out = []
    for name, members in groups.items():
        idx = [i for i, e in enumerate(rec.events) if e.obj in members and e.kind != "dry"]
        rinses = [i for i, e in enumerate(rec.events) if e.obj in members and e.kind == "rinse"]
        if idx and rinses:
            out.append((min(idx), max(rinses), name))
    return sorted(out)


def _soaps_before_rinses(rec: Record, members: list[str]) -> bool:
    soaps = [i for i, e in enumerate(rec.events) if e.obj in members and e.kind == "soap"]
    rinses = [i for i, e in enumerate(rec.events) if e.obj in members and e.kind == "rinse"]
    return not soaps or not rinses or max(soaps) < min(rinses)


def _groups(rec: Record, order: str | None) -> dict[str, list[str]]:
    if order == "all":
        return {"all": list(rec.items)}
    if order == "kind":
        out: dict[str, list[str]] = {}
        for item in rec.items:
            out.setdefault(kind_of(item), []).append(item)
        return out
    return {item: [item] for item in rec.items}


def order_holds(rec: Record, order: str) -> bool:
    if order == "all":
        return _soaps_before_rinses(rec, rec.items)
    groups = _groups(rec, order)
    if order == "kind" and not all(_soaps_before_rinses(rec, m) for m in groups.values()):
        return False
    spans = _spans(rec, groups)
    return all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))


def _offs_between(rec: Record, start: int, end: int) -> int:
    return sum(1 for e in rec.events[start + 1 : end] if e.kind == "tap_off")


def tap_between_holds(rec: Record, habit: str, order: str | None) -> bool:
    spans = _spans(rec, _groups(rec, order))
    if habit == "off":
        return all(_offs_between(rec, a[1], b[0]) for a, b in zip(spans, spans[1:], strict=False))
    rinses = [i for i, e in enumerate(rec.events) if e.kind == "rinse" and e.obj in rec.items]
    return not rinses or _offs_between(rec, min(rinses), max(rinses)) == 0


def _dried(rec: Record, item: str) -> bool:
    last_rinse = max(
        (i for i, e in enumerate(rec.events) if e.obj == item and e.kind == "rinse"), default=-1
    )
    return any(e.obj == item and e.kind == "dry" for e in rec.events[last_rinse + 1 :])


def infer_preferences(rec: Record) -> dict[str, Any]:
    """The habits a demonstration shows; None where it shows none (e.g. order with one dish)."""
    washed = [i for i in rec.items if any(e.obj == i for e in rec.events)]
    order = None
    if len(washed) >= 2:
        order = next((o for o in ORDERS if order_holds(rec, o)), None)
    soap_taps = {e.tap_on for e in rec.events if e.kind == "soap"}
    between = None
    if len(washed) >= 2:
        n_groups = len(_spans(rec, _groups(rec, order)))
        if n_groups >= 2 and tap_between_holds(rec, "off", order):
            between = "off"
        elif tap_between_holds(rec, "running", order):
            between = "running"
    places = {rec.final_place.get(i) for i in rec.items}
    return {
        "order": order,
        "tap_when_soaping": (
            "on" if soap_taps == {True} else "off" if soap_taps == {False} else None
        ),
        "tap_between": between,
        "tap_at_end": None if rec.tap_final else "off",
        "destination": places.pop() if len(places) == 1 else None,
        "dry": bool(rec.items) and all(_dried(rec, i) for i in rec.items),
    }


def evaluate(prefs: dict[str, Any], rec: Record) -> list[str]:
    """Reasons the record breaks the preferences (empty: it passes). Each names its check."""
    reasons = [f"no_failures: {m}" for m in rec.failures]
    reasons += [f"untouched: {n} was moved" for n in rec.moved_distractors]
    dest = prefs.get("destination")
    for item in rec.items:
        flags = rec.final_flags.get(item, set())
        if "soapy" in flags:
            reasons.append(f"all_clean: {item} is left soapy")
        elif "clean" not in flags:
            reasons.append(f"all_clean: {item} is not clean")
        where = rec.final_place.get(item, "hand")
        if dest and where != dest:
            reasons.append(f"destination: {item} ends at {where}, expected {dest}")
        if prefs.get("dry") and not _dried(rec, item):
            reasons.append(f"dry: {item} is not dried after its last rinse")
    order = prefs.get("order")
    if order and len(rec.items) >= 2 and not order_holds(rec, order):
        reasons.append(f"order: dishes are not washed in '{order}' order")
    soap_tap = prefs.get("tap_when_soaping")
    for e in rec.events:
        if e.kind == "soap" and soap_tap and e.tap_on != (soap_tap == "on"):
            reasons.append(
                f"tap_when_soaping: {e.obj} soaped with the tap {'on' if e.tap_on else 'off'}"
            )
            break
    between = prefs.get("tap_between")
    if between and len(rec.items) >= 2 and not tap_between_holds(rec, between, order):
        habit = "turned off" if between == "off" else "left running"
        reasons.append(f"tap_between: the tap is not {habit} between dishes")
    if prefs.get("tap_at_end") == "off" and rec.tap_final:
        reasons.append("tap_at_end: the tap is left running")
    return reasons
