"""Level 1 -> 2 of the Robotouille rules: low-level actions to subtasks."""

from __future__ import annotations

import re

from demo2code.reasoners.symbolic.common import match_line
from demo2code.reasoners.symbolic.robotouille.reading import DONE_STATES, Q, kind, words
from robotouille.kinds import ITEM_KINDS

# --- level 1 -> 2: low-level actions to subtasks ---------------------------------------------

LOW = [
    ("move", re.compile(rf"^Move to {Q}\.$")),
    ("pick", re.compile(rf"^Pick up {Q}(?: from {Q})?\.$")),
    ("unstack", re.compile(rf"^Unstack {Q} from {Q}\.$")),
    ("place", re.compile(rf"^Place {Q} on {Q}\.$")),
    ("stack", re.compile(rf"^Stack {Q} on top of {Q}(?: at {Q})?\.$")),
    ("putdown", re.compile(rf"^Put down {Q}\.$")),
    ("done", re.compile(rf"^{Q} is now ({'|'.join(DONE_STATES)})\.$")),
]
# Station kind -> the states an item placed there may be prepared to reach (the first the
# item's kind can reach: on a stove a patty cooks, a pot's water boils).
PREP = {
    "stove": ("cooked", "boiling"),
    "fryer": ("fried",),
    "cutting_board": ("cut",),
    "sink": ("filled",),
}
# Container kind -> the state an item put into it reaches (an onion in a pot becomes soup).
CONTAINS = {"pot": "soup"}
VERB = {"cooked": "Cook", "cut": "Cut", "fried": "Fry", "filled": "Fill", "boiling": "Boil"}
# States reached by waiting, not by the robot's work: the robot is free meanwhile.
TIMED = {"cooked": "cooking", "fried": "frying", "boiling": "heating", "soup": "simmering"}
_CAN = {
    "cooked": "cookable",
    "cut": "cuttable",
    "fried": "fryable",
    "filled": "pot",
    "boiling": "pot",
    "soup": "boilable",
}


def _can(item: str, what: str) -> bool:
    known = ITEM_KINDS.get(kind(item))
    return known is not None and getattr(known, _CAN[what])


def _prepares(item: str, station: str | None) -> str | None:
    """What putting `item` on `station` is for, given what the kinds can do."""
    states = PREP.get(kind(station), ()) if station else ()
    return next((what for what in states if _can(item, what)), None)


def _contained(item: str, onto: str) -> str | None:
    """What putting `item` into the container `onto` is for (None: a plain stack)."""
    what = CONTAINS.get(kind(onto))
    return what if what is not None and _can(item, what) else None


def subtasks(lines: list[str]) -> list[str]:
    """Group low-level actions into subtasks. A preparation is placed where it starts (the
    item put on a stove or board); if that was not recorded, where it is first evident (the
    item is reported done, or leaves the stove or board).

    A time-taking preparation (cooking, frying, boiling, soup) opens when it starts and closes
    when it is evidently done; when other subtasks happen in between, it is written as "Start
    cooking 'x'." ... "Wait until 'x' is cooked." around them, otherwise as one "Cook 'x'.".
    Soup starts when an item is put into a pot: "Start simmering 'x' in 'pot1'."."""
    out: list[str] = []
    emitted: set[tuple[str, str]] = set()
    running: dict[str, str] = {}  # item -> timed state it is waiting for
    at: dict[str, str] = {}  # item -> station it was last put on

    def container_at(station: str | None) -> str | None:
        return next((i for i, s in at.items() if s == station and kind(i) in CONTAINS), None)

    def prepare(item: str, what: str | None, into: str | None = None) -> None:
        if what in CONTAINS.values() and into is None:  # its putting-in was not recorded
            into = container_at(at.get(item)) or next(
                (i for i in reversed(list(at)) if kind(i) in CONTAINS), None
            )
            if into is None:
                return
        if what and (item, what) not in emitted:
            emitted.add((item, what))
            if what in TIMED:
                running[item] = what
                out.append(f"Start {TIMED[what]} '{item}'" + (f" in '{into}'." if into else "."))
            else:
                out.append(f"{VERB[what]} '{item}'.")

    def finish(item: str, what: str | None) -> None:
        """The item is evidently done (or leaves its station): close what it waited for."""
        prepare(item, what)
        if item in running and (what is None or running[item] == what):
            out.append(f"Wait until '{item}' is {running.pop(item)}.")

    for line in lines:
        found = match_line(LOW, line)
        if found is None:
            continue
        name, m = found
        if name == "pick":
            at.pop(m.group(1), None)
            finish(m.group(1), _prepares(m.group(1), m.group(2)))
        elif name == "unstack" and m.group(1) in running:
            finish(m.group(1), None)
        elif name == "place":
            item, station = m.groups()
            what, into = _prepares(item, station), container_at(station)
            at[item] = station
            if into and _contained(item, into):  # an occupied station: put into what is there
                prepare(item, _contained(item, into), into)
            elif what:
                prepare(item, what)
            elif kind(station) not in PREP:
                out.append(f"Place '{item}' on a {words(kind(station))}.")
        elif name == "stack":
            top, onto = m.group(1), m.group(2)
            if m.group(3):
                at[top] = m.group(3)
            for item in (top, onto):  # an item moved, or built upon, is done
                if item in running:
                    finish(item, None)
            what = _contained(top, onto)
            if what:
                prepare(top, what, onto)
            else:
                out.append(f"Stack '{top}' on top of '{onto}'.")
        elif name == "done":
            finish(m.group(1), m.group(2))
    for item in list(running):
        finish(item, None)
    return _collapse(out)


_START = re.compile(rf"^Start (\w+) {Q}(?: in {Q})?\.$")


def _collapse(out: list[str]) -> list[str]:
    """A start directly followed by its wait overlapped nothing: one blocking subtask."""
    done: list[str] = []
    for line in out:
        m = _START.match(done[-1]) if done else None
        if m and line == f"Wait until '{m.group(2)}' is {_done_of(m.group(1))}.":
            if m.group(3):  # put into a container
                done[-1] = f"Make {_done_of(m.group(1))} of '{m.group(2)}' in '{m.group(3)}'."
            else:
                done[-1] = f"{VERB[_done_of(m.group(1))]} '{m.group(2)}'."
        else:
            done.append(line)
    return done


def _done_of(running: str) -> str:
    return next(d for d, r in TIMED.items() if r == running)
