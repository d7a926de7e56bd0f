"""EPIC's habits, read off the demonstration itself: a real video is one scenario with the
dishes in no particular order, so what a program must repeat is what the demonstrator did
every time (soap all then rinse all, tap off while soaping, every dish to the rack), not the
order of the dishes. A habit the demonstration does not show consistently is free."""

from __future__ import annotations

from collections.abc import Callable

from demo2code.selfcheck.timeline import Fact, Replay

TAP = "tap_1"
SOAP, RINSE = "is_soapy", "is_clean"


def _dishes(rep: Replay) -> list[str]:
    return sorted(f[1] for f in rep.states[0] if f[0] == "is_dirty")


def _washes(rep: Replay, dishes: list[str]) -> list[tuple[int, str, str]]:
    """(step, "soap" | "rinse", dish) in order, first time each happened."""
    out = []
    for dish in dishes:
        for pred, word in ((SOAP, "soap"), (RINSE, "rinse")):
            t = next((t for t in rep.times.get((pred, dish), []) if t > 0), None)
            if t is not None:
                out.append((t, word, dish))
    return sorted(out)


def _complete(w: list[tuple[int, str, str]]) -> bool:
    """Every dish soaped was rinsed too: a video cut off mid-wash shows no order habit."""
    return {d for _, word, d in w if word == "soap"} <= {d for _, word, d in w if word == "rinse"}


def _tap(state: frozenset[Fact]) -> str | None:
    return "on" if ("is_on", TAP) in state else "off" if ("is_off", TAP) in state else None


def _each(rep: Replay, kind_of: Callable[[str], str]) -> bool:
    w = _washes(rep, _dishes(rep))
    return (
        len(w) > 2
        and _complete(w)
        and all(
            a[1] == "soap" and b == (b[0], "rinse", a[2])
            for a, b in zip(w[::2], w[1::2], strict=False)
        )
        and len(w) % 2 == 0
    )


def _all(rep: Replay, kind_of: Callable[[str], str]) -> bool:
    w = _washes(rep, _dishes(rep))
    words = [x[1] for x in w]
    return (
        len(words) > 2
        and _complete(w)
        and "rinse" in words
        and "soap" not in words[words.index("rinse") :]
    )


def _kind(rep: Replay, kind_of: Callable[[str], str]) -> bool:
    """Blocks of one kind each: soap the block's dishes, then rinse them (two kinds or more)."""
    w = _washes(rep, _dishes(rep))
    blocks: list[list[tuple[int, str, str]]] = []
    for item in w:
        if blocks and kind_of(blocks[-1][-1][2]) == kind_of(item[2]):
            blocks[-1].append(item)
        else:
            blocks.append([item])
    kinds = [kind_of(b[0][2]) for b in blocks]
    if (
        not _complete(w)
        or len(blocks) < 2
        or len(set(kinds)) != len(kinds)
        or not any(len(b) > 2 for b in blocks)
    ):
        return False
    for b in blocks:
        words = [x[1] for x in b]
        if "rinse" not in words or "soap" in words[words.index("rinse") :]:
            return False
    return True


def _soap_tap(want: str) -> Callable[[Replay, Callable[[str], str]], bool]:
    def held(rep: Replay, kind_of: Callable[[str], str]) -> bool:
        soaps = [t for t, word, _ in _washes(rep, _dishes(rep)) if word == "soap"]
        return bool(soaps) and all(_tap(rep.states[t - 1]) == want for t in soaps)

    return held


def _between_off(rep: Replay, kind_of: Callable[[str], str]) -> bool:
    """After a rinse, the tap is closed before the next dish is soaped."""
    w = _washes(rep, _dishes(rep))
    pairs = [
        (a[0], b[0]) for a, b in zip(w, w[1:], strict=False) if a[1] == "rinse" and b[1] == "soap"
    ]
    return bool(pairs) and all(
        any(_tap(rep.states[t]) == "off" for t in range(a, b)) for a, b in pairs
    )


def _running(rep: Replay, kind_of: Callable[[str], str]) -> bool:
    """The tap stays open from the first rinse to the last (two rinses or more)."""
    rinses = [t for t, word, _ in _washes(rep, _dishes(rep)) if word == "rinse"]
    return len(rinses) > 1 and all(
        _tap(rep.states[t]) == "on" for t in range(rinses[0], rinses[-1])
    )


def _end_off(rep: Replay, kind_of: Callable[[str], str]) -> bool:
    return ("is_off", TAP) in rep.final and ("is_off", TAP) not in rep.states[0]


HABITS: list[tuple[str, Callable[[Replay, Callable[[str], str]], bool]]] = [
    ("soaped and rinsed one dish before starting the next", _each),
    ("soaped every dish before rinsing any", _all),
    ("washed the dishes kind by kind, soaping a kind before rinsing it", _kind),
    ("soaped every dish with the tap on", _soap_tap("on")),
    ("soaped every dish with the tap off", _soap_tap("off")),
    ("closed the tap after each rinse before soaping the next dish", _between_off),
    ("left the tap running from the first rinse to the last", _running),
    ("closed the tap at the end", _end_off),
]


def _common_ends(rep: Replay) -> set[tuple[str, ...]]:
    """Final facts every dish shares, with the dish left out: ("in", "dishrack_1")."""
    dishes = _dishes(rep)
    ends = None
    for dish in dishes:
        mine = {(f[0], *f[2:]) for f in rep.final - rep.states[0] if f[1:2] == (dish,)}
        ends = mine if ends is None else ends & mine
    return {e for e in ends or set() if e[0] in ("in", "on", "is_clean", "is_dry")}


def compare_habits(demo: Replay, run: Replay, kind_of: Callable[[str], str]) -> str | None:
    """The first habit the demonstration shows and the run breaks, in one sentence."""
    for end in sorted(_common_ends(demo)):
        for dish in _dishes(run):
            if (end[0], dish, *end[1:]) not in run.final:
                what = " ".join((end[0], "<dish>", *end[1:]))
                return (
                    f"at the end '{end[0]} {dish} {' '.join(end[1:])}'".rstrip()
                    + f" does not hold; the demonstration ended with '{what}' for every dish"
                )
    if not _complete(_washes(demo, _dishes(demo))):
        return None  # a video cut off mid-wash: its habits are not known
    for words, holds in HABITS:
        if holds(demo, kind_of) and not holds(run, kind_of):
            return f"the demonstration {words}; the program did not"
    return None
