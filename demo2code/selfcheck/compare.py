"""Does one run agree with one demonstrated scenario? The first disagreement, in one sentence.

Agreement: the facts the demonstration established hold at the end, under some renaming of
objects to objects of the same kind; every fact the demonstrator made true in `order` also
happens in the run, and for each object those events come in the same relative order;
EPIC's habits are compared as well (selfcheck/habits.py). Choices the demonstration does
not show are free.
"""

from __future__ import annotations

from dataclasses import dataclass

from demo2code.selfcheck.order import Pair
from demo2code.selfcheck.rules import Rules
from demo2code.selfcheck.timeline import Fact, Replay, Timeline, replay

MAX_NODES = 20_000  # renaming search budget; scenarios have a few dozen facts


@dataclass(frozen=True)
class _Demo:
    final: list[Fact]  # established facts that must hold at the end
    events: list[tuple[int, Fact]]  # (step, fact) the demonstrator made true, in order
    replay: Replay


def _established(demo: Timeline, rules: Rules, world: set[str]) -> _Demo:
    rep = replay(demo, rules.exclusive)

    def counts(fact: Fact) -> bool:
        return rules.kind_of(fact[1]) not in rules.ignore_kinds and all(
            a in world for a in fact[1:]
        )

    final = sorted(
        f for f in rep.final - demo.initial if f[0] in rules.final and len(f) > 1 and counts(f)
    )
    events = sorted(
        (t, f)
        for f, ts in rep.times.items()
        if f[0] in rules.order and len(f) > 1 and counts(f)
        for t in ts[:1]
        if t > 0
    )
    return _Demo(final, events, rep)


def _rename(fact: Fact, mapping: dict[str, str]) -> Fact:
    return (fact[0], *(mapping.get(a, a) for a in fact[1:]))


def _show(fact: Fact) -> str:
    return " ".join(fact)


class _Search:
    """Backtracking over renamings; keeps the one with the fewest unmet facts, then the
    latest first failure, and stops at the first renaming with no disagreement at all."""

    def __init__(self, demo: _Demo, run: Replay, rules: Rules, names: set[str], before: list[Pair]):
        self.demo, self.run, self.rules = demo, run, rules
        self.before = before
        self.first = {f: min((t for t in ts if t > 0), default=None) for f, ts in run.times.items()}
        self.first_at: dict[tuple[str, str], int] = {}  # (item, place kind) -> first step
        for f, t in self.first.items():
            if f[0] == "at" and len(f) == 3 and t is not None:
                key = (f[1], rules.kind_of(f[2]))
                self.first_at[key] = min(self.first_at.get(key, t), t)
        self.by_pred: dict[str, list[Fact]] = {}
        for fact in set(run.final) | set(run.times):
            self.by_pred.setdefault(fact[0], []).append(fact)
        self.names = names
        # what the demonstrator did first, then where things ended: the first unmet fact
        # is then the most telling one ("never cut" rather than "not at table2")
        need: list[tuple[str, Fact]] = []
        for _, f in demo.events:
            need.append(("final" if f in demo.final else "event", f))
        need += [("final", f) for f in demo.final if ("final", f) not in need]
        self.need = need
        self.nodes = 0
        self.best: tuple[tuple[int, int], str | None, dict[str, str]] | None = None

    def pool(self, kind: str, fact: Fact) -> list[Fact]:
        facts = self.run.final if kind == "final" else self.run.times
        return [f for f in self.by_pred.get(fact[0], []) if f in facts and len(f) == len(fact)]

    def fits(self, src: str, dst: str, mapping: dict[str, str], used: set[str]) -> bool:
        if src in mapping:
            return mapping[src] == dst
        return dst not in used and self.rules.kind_of(src) == self.rules.kind_of(dst)

    def solve(self) -> tuple[str | None, dict[str, str]]:
        self._go(0, {}, set(), [])
        assert self.best is not None
        return self.best[1], self.best[2]

    def _go(self, i: int, mapping: dict[str, str], used: set[str], missed: list[str]) -> bool:
        self.nodes += 1
        if i == len(self.need):
            why = missed[0] if missed else self._order(mapping)
            score = (-len(missed) - (why is not None), -self.nodes)
            if self.best is None or score > self.best[0]:
                self.best = (score, why, dict(mapping))
            return why is None
        kind, fact = self.need[i]
        candidates = self.pool(kind, fact)
        # the same name first: a scenario rebuilt from its seed has the demonstrator's names
        candidates.sort(key=lambda f: sum(a != b for a, b in zip(f[1:], fact[1:], strict=True)))
        tried = False
        for cand in candidates:
            if self.nodes > MAX_NODES:
                break
            if not all(
                self.fits(s, d, mapping, used) for s, d in zip(fact[1:], cand[1:], strict=True)
            ):
                continue
            added = [s for s in fact[1:] if s not in mapping]
            local = dict(mapping)
            for s, d in zip(fact[1:], cand[1:], strict=True):
                local[s] = d
            if len(set(local[s] for s in added)) != len(added):
                continue  # two demonstration objects cannot become one
            tried = True
            if self._go(i + 1, local, used | {local[s] for s in added}, missed):
                return True
        if not tried:
            return self._go(i + 1, mapping, used, [*missed, self._missing(kind, fact, mapping)])
        return False

    # --- sentences ----------------------------------------------------------------------
    def _missing(self, kind: str, fact: Fact, mapping: dict[str, str]) -> str:
        obj = repr(fact[1])
        if kind == "final" and fact not in {f for _, f in self.demo.events}:
            return (
                f"at the end '{_show(_rename(fact, mapping))}' does not hold; the "
                f"demonstration ended with '{_show(fact)}'"
            )
        verb = self.rules.phrase(fact)
        return f"{obj} was never {_past(verb)}; the demonstration {self._context(fact, verb)}"

    def _context(self, fact: Fact, verb: str) -> str:
        """ "cut it before stacking it on 'patty1'": the demonstrator's next (or previous)
        event on the same object."""
        mine = [f for _, f in self.demo.events if f[1] == fact[1]]
        if fact in mine:
            k = mine.index(fact)
            if k + 1 < len(mine):
                return f"{verb} before {_gerund(self.rules.phrase(mine[k + 1]))}"
            if k > 0:
                return f"{verb} after {_gerund(self.rules.phrase(mine[k - 1]))}"
        return verb

    def _order(self, mapping: dict[str, str]) -> str | None:
        first = self.first
        events = self.demo.events
        for a in range(len(events)):
            ta, fa = events[a]
            for b in range(a + 1, len(events)):
                tb, fb = events[b]
                if tb == ta or fa[1] != fb[1]:
                    continue
                pa, pb = first.get(_rename(fa, mapping)), first.get(_rename(fb, mapping))
                if pa is not None and pb is not None and pa > pb:
                    va, vb = self.rules.phrase(fa), self.rules.phrase(fb)
                    return (
                        f"{fb[1]!r} was {_past(vb)} before it was {_past(va)}; the "
                        f"demonstration {va} before {_gerund(vb)}"
                    )
        return self._across(mapping)

    def _when(self, fact: Fact, mapping: dict[str, str]) -> int | None:
        """The run's first step of the demonstration's `fact`; an item put on a station may
        be put on any station of that kind."""
        if fact[0] == "at" and len(fact) == 3:
            return self.first_at.get((mapping.get(fact[1], fact[1]), self.rules.kind_of(fact[2])))
        return self.first.get(_rename(fact, mapping))

    def _across(self, mapping: dict[str, str]) -> str | None:
        """Orders across objects every scenario showed alike (selfcheck/order.py)."""
        for fa, fb in self.before:
            if not all(a in self.names for a in (*_objects(fa), *_objects(fb))):
                continue
            pa, pb = self._when(fa, mapping), self._when(fb, mapping)
            if pa is not None and pb is not None and pa > pb:
                va, vb = self.rules.phrase(fa), self.rules.phrase(fb)
                return (
                    f"{fb[1]!r} was {_past(vb)} before {fa[1]!r} was {_past(va)}; every "
                    f"scenario of the demonstration {_of(va, fa[1])} before "
                    f"{_gerund(_of(vb, fb[1]))}"
                )
        return None


def _objects(fact: Fact) -> tuple[str, ...]:
    """What a fact is about, without the station an item is put at (any of its kind)."""
    return fact[1:2] if fact[0] == "at" else fact[1:]


def _of(verb: str, obj: str) -> str:
    """ "cut it", 'lettuce1' -> "cut 'lettuce1'"."""
    return verb.replace(" it", f" {obj!r}", 1)


def _past(verb: str) -> str:
    """ "cut it" -> "cut"; "stacked it on 'p'" -> "stacked on 'p'"."""
    return verb.replace(" it", "", 1)


_GERUNDS = {
    "cut": "cutting", "cooked": "cooking", "stacked": "stacking", "put": "putting",
    "soaped": "soaping", "rinsed": "rinsing", "dried": "drying", "turned": "turning",
}  # fmt: skip


def _gerund(verb: str) -> str:
    """`stacked it on 'p'" -> `stacking it on 'p'` (the few verbs the rules use)."""
    head, _, rest = verb.partition(" ")
    return f"{_GERUNDS.get(head, head)} {rest}".strip()


def _extra_work(demo: Timeline, run: Replay, rules: Rules, world: set[str]) -> str | None:
    """The run prepared (cut, cooked, stacked) more objects of a kind than the scenario
    handled at all: e.g. a second patty cooked where the demonstrator only touched one."""
    handled: dict[str, set[str]] = {}
    for step in demo.steps:
        for fact, _ in step:
            for obj in fact[1:]:
                if obj in world and rules.kind_of(obj) not in rules.ignore_kinds:
                    handled.setdefault(rules.kind_of(obj), set()).add(obj)
    prepared: dict[str, list[str]] = {}
    for fact, times in sorted(run.times.items()):
        if fact[0] in rules.order and len(fact) > 1 and any(t > 0 for t in times):
            objs = prepared.setdefault(rules.kind_of(fact[1]), [])
            if fact[1] not in objs:
                objs.append(fact[1])
    for kind, objs in sorted(prepared.items()):
        seen = len(handled.get(kind, ()))
        if kind not in rules.ignore_kinds and len(objs) > seen:
            shown = ", ".join(repr(o) for o in sorted(objs))
            return (
                f"the program prepared {len(objs)} {kind} objects ({shown}); the "
                f"demonstration handled {seen}"
            )
    return None


def compare(
    demo: Timeline, run: Timeline, rules: Rules, before: list[Pair] | None = None
) -> str | None:
    """None when the run agrees with the demonstrated scenario, else the first disagreement.
    `before`: this scenario's orders across objects that every scenario shows alike
    (`selfcheck/order.py: shared_orders`)."""
    if rules.complete is not None:
        demo = rules.complete(demo)
    world = run.names() | set(rules.fixed_names) | {a for f in demo.initial for a in f[1:]}
    wanted = _established(demo, rules, world)
    got = replay(run, rules.exclusive)
    why, _ = _Search(wanted, got, rules, world, before or []).solve()
    if why is None and rules.no_extra:
        why = _extra_work(demo, got, rules, world)
    if why is None and rules.habits:
        from demo2code.selfcheck.habits import compare_habits

        why = compare_habits(wanted.replay, got, rules.kind_of)
    return why
