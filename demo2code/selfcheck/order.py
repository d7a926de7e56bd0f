"""Orders across objects that every scenario of a demonstration shows the same way
(docs/selfcheck.md, rule 6).

Per object, the self-check compares the order of its changes; across objects it cannot
compare everything, because which item a demonstrator takes first is often a free choice.
An order every scenario agrees on is not: the demonstrator showed it (the patty put on the
stove before the lettuce is cut, so the cutting happens while it cooks). An order that
differs between scenarios stays free.

Events are keyed by what happens to which kind of object and how many times it happened
before (`('cut', 'lettuce', 1)`: the first lettuce cut), so scenarios with different object
names can be compared. Noise only removes changes, it never moves one, so a scenario's own
order of the events it shows is what the demonstrator did; a lost event only frees orders.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from demo2code.selfcheck.rules import Rules
from demo2code.selfcheck.timeline import Fact, Timeline, replay

Key = tuple[str, ...]
Pair = tuple[Fact, Fact]  # the first fact became true before the second


def events(demo: Timeline, rules: Rules) -> list[tuple[int, Fact]]:
    """(step, fact) of what the demonstrator did whose order may count across objects: the
    changes compared per object, and an item put on a working station (`order_places`).
    Only objects of the scenario's initial state count (noise's distractors are not)."""
    if rules.complete is not None:
        demo = rules.complete(demo)
    world = {a for f in demo.initial for a in f[1:]} | set(rules.fixed_names)
    rep = replay(demo, rules.exclusive)

    def counts(fact: Fact) -> bool:
        if len(fact) < 2 or rules.kind_of(fact[1]) in rules.ignore_kinds:
            return False
        objects = fact[1:2] if fact[0] == "at" else fact[1:]  # any station of its kind
        if demo.initial and not all(a in world for a in objects):
            return False
        if fact[0] in rules.order:
            return True
        return fact[0] == "at" and len(fact) == 3 and rules.kind_of(fact[2]) in rules.order_places

    return sorted((ts[0], f) for f, ts in rep.times.items() if ts[0] > 0 and counts(f))


def _keyed(evs: list[tuple[int, Fact]], rules: Rules) -> dict[Key, tuple[int, Fact]]:
    seen: Counter = Counter()
    out: dict[Key, tuple[int, Fact]] = {}
    for t, fact in evs:
        base = (fact[0], *map(rules.kind_of, fact[1:]))
        seen[base] += 1
        out[(*base, str(seen[base]))] = (t, fact)
    return out


def shared_orders(timelines: Iterable[Timeline], rules: Rules) -> list[list[Pair]]:
    """Per scenario, the pairs of its own events on different objects whose order every
    scenario showing both agrees on; empty lists when `rules.cross_order` is off."""
    timelines = list(timelines)
    if not rules.cross_order:
        return [[] for _ in timelines]
    keyed = [_keyed(events(tl, rules), rules) for tl in timelines]
    before: dict[tuple[Key, Key], bool] = {}  # does every scenario show a strictly first?
    for scen in keyed:
        items = list(scen.items())
        for ka, (ta, fa) in items:
            for kb, (tb, fb) in items:
                if ka != kb:  # a pair on one object here is no order across objects
                    ok = ta < tb and fa[1] != fb[1]
                    before[(ka, kb)] = before.get((ka, kb), True) and ok
    return [
        [
            (scen[ka][1], scen[kb][1])
            for (ka, kb), ok in before.items()
            if ok and ka in scen and kb in scen
        ]
        for scen in keyed
    ]
