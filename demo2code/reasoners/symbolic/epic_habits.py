"""A person's washing-up habits, read by the offline reasoner from washing subtasks alone.

This is the reasoner's own reading of a demonstration, written apart from the benchmark's
unit tests (`demo2code/benchmarks/epic/checks.py` is not imported): the tests judge a
program against habits annotated by hand in `data/epic/tasks.json`, so an EPIC pass says
that these rules read those habits from the narrated demonstration, not that one function
agrees with itself. Where the two readings differ is listed in `data/epic/README.md`.

The input is one scenario's subtasks as (kind, fields) pairs, e.g. ("soap", ("mug_1",
"running")); epic.py turns its level-2 text into them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

_KIND = re.compile(r"^(.*?)_?\d+$")


def dish_kind(name: str) -> str:
    """`fork_2` -> `fork`: the kind a person may wash together."""
    match = _KIND.match(name)
    return match.group(1) if match and match.group(1) else name


@dataclass(frozen=True)
class Act:
    what: str  # soap | rinse | dry | open | close
    dish: str | None
    running: bool | None  # the tap during the act (after it, for open/close); None: unknown


@dataclass
class Washing:
    """One scenario: the dishes to wash, what was done in order, where each dish was put
    after its last rinse, and whether the tap was running at the end."""

    dishes: list[str]
    acts: list[Act]
    put_after_rinse: dict[str, str | None] = field(default_factory=dict)
    running_at_end: bool = False


def read_washing(lines: list[tuple[str, tuple[str, ...]]]) -> Washing:
    """Subtasks in order -> Washing. A dish rinsed but not seen put down afterwards (its put
    was not narrated) is taken to go where the other rinsed dishes went."""
    dishes: list[str] = []
    acts: list[Act] = []
    put: dict[str, str | None] = {}
    running = False
    for kind, fields in lines:
        if kind == "object":
            dishes.append(fields[0])
        elif kind == "start":
            running = fields[0] == "on"
        elif kind == "tap":
            running = fields[0] == "on"
            acts.append(Act("open" if running else "close", None, running))
        elif kind == "soap":
            acts.append(Act("soap", fields[0], fields[1] == "running"))
        elif kind == "soap_unknown":
            acts.append(Act("soap", fields[0], None))
        elif kind in ("rinse", "dry"):
            acts.append(Act(kind, fields[0], running))
            if kind == "rinse":
                put[fields[0]] = None
        elif kind == "put" and fields[0] in put:
            put[fields[0]] = fields[2]
    if not dishes:  # no list given: what was washed
        dishes = list(dict.fromkeys(a.dish for a in acts if a.dish))
    usual = Counter(p for p in put.values() if p).most_common(1)
    if usual:
        put = {d: where or usual[0][0] for d, where in put.items()}
    return Washing(dishes, acts, put, running)


def _washes(w: Washing) -> list[tuple[int, Act]]:
    """Soapings and rinses of the listed dishes, with their positions among all acts."""
    return [
        (i, a) for i, a in enumerate(w.acts) if a.what in ("soap", "rinse") and a.dish in w.dishes
    ]


def _runs(labels: list[str]) -> list[str]:
    """Consecutive repeats collapsed: a b b a -> a b a."""
    return [x for n, x in enumerate(labels) if n == 0 or labels[n - 1] != x]


def read_order(w: Washing) -> str | None:
    """each: every dish is soaped and rinsed in one stretch; kind: every kind of dish in one
    stretch (more than one kind), soaped before it is rinsed; all: every soaping before any
    rinse. None when fewer than two dishes were washed or no pattern fits."""
    washes = _washes(w)
    dishes = [a.dish or "" for _, a in washes]
    if len(set(dishes)) < 2:
        return None
    if len(_runs(dishes)) == len(set(dishes)):
        return "each"
    kinds = [dish_kind(d) for d in dishes]
    if len(set(kinds)) > 1 and len(_runs(kinds)) == len(set(kinds)):
        if all(
            _soaped_first([a for _, a in washes if dish_kind(a.dish or "") == k])
            for k in set(kinds)
        ):
            return "kind"
    if _soaped_first([a for _, a in washes]):
        return "all"
    return None


def _soaped_first(acts: list[Act]) -> bool:
    soaps = [n for n, a in enumerate(acts) if a.what == "soap"]
    rinses = [n for n, a in enumerate(acts) if a.what == "rinse"]
    return not soaps or not rinses or max(soaps) < min(rinses)


def read_soap_tap(w: Washing) -> str | None:
    """on / off when every soaping whose tap state is known had the tap so; else None."""
    seen = {a.running for a in w.acts if a.what == "soap" and a.running is not None}
    return {frozenset({True}): "on", frozenset({False}): "off"}.get(frozenset(seen))


def read_between(w: Washing, order: str | None) -> str | None:
    """off: the tap is closed between every two stretches of the order (dishes, kinds, or
    nothing for "all"); running: it is never closed from the first rinse to the last."""
    washes = _washes(w)
    if len({a.dish for _, a in washes}) < 2:
        return None
    key = (lambda d: "") if order == "all" else dish_kind if order == "kind" else (lambda d: d)
    stretches: list[list[int]] = []
    for i, a in washes:
        if stretches and key(a.dish or "") == key(w.acts[stretches[-1][-1]].dish or ""):
            stretches[-1].append(i)
        else:
            stretches.append([i])
    closes = [i for i, a in enumerate(w.acts) if a.what == "close"]
    gaps = list(zip(stretches, stretches[1:], strict=False))
    if gaps and all(any(a[-1] < c < b[0] for c in closes) for a, b in gaps):
        return "off"
    rinses = [i for i, a in washes if a.what == "rinse"]
    if rinses and not any(min(rinses) < c < max(rinses) for c in closes):
        return "running"
    return None


def _dried_after_rinse(w: Washing, dish: str) -> bool:
    last = max(
        (i for i, a in enumerate(w.acts) if a.dish == dish and a.what == "rinse"), default=-1
    )
    return any(a.dish == dish and a.what == "dry" for a in w.acts[last + 1 :])


def read_habits(w: Washing) -> dict[str, Any]:
    """What one scenario shows, with None where it shows nothing."""
    order = read_order(w)
    places = {p for p in w.put_after_rinse.values() if p}
    return {
        "order": order,
        "tap_when_soaping": read_soap_tap(w),
        "tap_between": read_between(w, order),
        "tap_at_end": None if w.running_at_end else "off",
        "destination": places.pop() if len(places) == 1 else None,
        "dry": bool(w.dishes) and all(_dried_after_rinse(w, d) for d in w.dishes),
    }
