"""Level 1 -> 2 of the Robotouille rules: low-level actions to subtasks."""

from __future__ import annotations

import re

from demo2code.reasoners.symbolic.common import match_line
from demo2code.reasoners.symbolic.robotouille.reading import Q, kind, words
from robotouille.kinds import ITEM_KINDS

# --- level 1 -> 2: low-level actions to subtasks ---------------------------------------------

LOW = [
    ("move", re.compile(rf"^Move to {Q}\.$")),
    ("pick", re.compile(rf"^Pick up {Q}(?: from {Q})?\.$")),
    ("unstack", re.compile(rf"^Unstack {Q} from {Q}\.$")),
    ("place", re.compile(rf"^Place {Q} on {Q}\.$")),
    ("stack", re.compile(rf"^Stack {Q} on top of {Q}(?: at {Q})?\.$")),
    ("putdown", re.compile(rf"^Put down {Q}\.$")),
    ("done", re.compile(rf"^{Q} is now (cut|cooked|fried)\.$")),
]
# Station kind -> the state an item placed there is being prepared to reach.
PREP = {"stove": "cooked", "fryer": "fried", "cutting_board": "cut"}
VERB = {"cooked": "Cook", "cut": "Cut", "fried": "Fry"}
# States reached by waiting, not by the robot's work: the robot is free meanwhile.
TIMED = {"cooked": "cooking", "fried": "frying"}
_CAN = {"cooked": "cookable", "cut": "cuttable", "fried": "fryable"}


def _prepares(item: str, station: str | None) -> str | None:
    """What putting `item` on `station` is for, given what the kinds can do."""
    what = PREP.get(kind(station)) if station else None
    known = ITEM_KINDS.get(kind(item))
    if what is None or known is None:
        return None
    return what if getattr(known, _CAN[what]) else None


def subtasks(lines: list[str]) -> list[str]:
    """Group low-level actions into subtasks. A preparation is placed where it starts (the
    item put on a stove or board); if that was not recorded, where it is first evident (the
    item is reported done, or leaves the stove or board).

    A time-taking preparation (cooking, frying) opens when it starts and closes when it is
    evidently done; when other subtasks happen in between, it is written as "Start cooking
    'x'." ... "Wait until 'x' is cooked." around them, otherwise as one "Cook 'x'."."""
    out: list[str] = []
    emitted: set[tuple[str, str]] = set()
    running: dict[str, str] = {}  # item -> timed state it is waiting for

    def prepare(item: str, what: str | None) -> None:
        if what and (item, what) not in emitted:
            emitted.add((item, what))
            if what in TIMED:
                running[item] = what
                out.append(f"Start {TIMED[what]} '{item}'.")
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
            finish(m.group(1), _prepares(m.group(1), m.group(2)))
        elif name == "unstack" and m.group(1) in running:
            finish(m.group(1), None)
        elif name == "place":
            item, station = m.groups()
            what = _prepares(item, station)
            if what:
                prepare(item, what)
            elif kind(station) not in PREP:
                out.append(f"Place '{item}' on a {words(kind(station))}.")
        elif name == "stack":
            if m.group(1) in running:
                finish(m.group(1), None)
            out.append(f"Stack '{m.group(1)}' on top of '{m.group(2)}'.")
        elif name == "done":
            finish(m.group(1), m.group(2))
    for item in list(running):
        finish(item, None)
    return _collapse(out)


_START = re.compile(rf"^Start (\w+) {Q}\.$")


def _collapse(out: list[str]) -> list[str]:
    """A start directly followed by its wait overlapped nothing: one blocking subtask."""
    done: list[str] = []
    for line in out:
        m = _START.match(done[-1]) if done else None
        if m and line == f"Wait until '{m.group(2)}' is {_done_of(m.group(1))}.":
            verb = VERB[_done_of(m.group(1))]
            done[-1] = f"{verb} '{m.group(2)}'."
        else:
            done.append(line)
    return done


def _done_of(running: str) -> str:
    return next(d for d, r in TIMED.items() if r == running)
