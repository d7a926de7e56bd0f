"""Level 0 -> 1 of the Robotouille rules: predicate changes to low-level actions, keeping a
belief of where things are so that missing evidence is bridged from the evidence around it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from demo2code import demo_text
from demo2code.errors import InputError
from demo2code.reasoners.base import GenerationFailed

Q = r"'([^']+)'"
ORDINALS = ["", "second", "third", "fourth", "fifth", "sixth"]
# Facts that say a preparation is done (the fryer's, sink's and pot's too).
DONE_STATES = ("cut", "cooked", "fried", "filled", "boiling", "soup")


def kind(obj: str) -> str:
    return obj.rstrip("0123456789")


def words(k: str) -> str:
    return k.replace("_", " ")


def article(k: str) -> str:
    return "an" if words(k)[0] in "aeiou" else "a"


# --- level 0 -> 1: predicates to low-level actions -------------------------------------------


@dataclass
class Belief:
    robot_at: str | None = None
    held: str | None = None
    item_at: dict[str, str] = field(default_factory=dict)
    below: dict[str, str] = field(default_factory=dict)
    moved_to: list[str] = field(default_factory=list)  # moves since the last pick-up

    def unseen_put_down(self) -> str:
        """The held item's put-down was not recorded: it most likely happened where the
        robot went first after picking it up."""
        assert self.held is not None
        where = self.moved_to[0] if self.moved_to else self.robot_at
        return self.put_down(self.held, where, None)

    def top_at(self, station: str) -> str | None:
        items = [i for i, s in self.item_at.items() if s == station]
        covered = {self.below[i] for i in items if i in self.below}
        tops = [i for i in items if i not in covered]
        return tops[0] if len(tops) == 1 else None

    def put_down(self, item: str, station: str | None, onto: str | None) -> str:
        if onto is None and station is not None and kind(station) == "table":
            onto = self.top_at(station)
        if station is None and onto is not None:
            station = self.item_at.get(onto)
        self.held = None if self.held == item else self.held
        if station:
            self.item_at[item] = station
        if onto:
            self.below[item] = onto
            return f"Stack '{item}' on top of '{onto}'" + (f" at '{station}'." if station else ".")
        return f"Place '{item}' on '{station}'." if station else f"Put down '{item}'."

    def pick(self, item: str, station: str | None, under: str | None) -> str:
        under = under or self.below.get(item)
        station = station or self.item_at.get(item) or self.robot_at
        lines = []
        if self.held and self.held != item:
            lines.append(self.unseen_put_down())
        self.held = item
        self.moved_to = []
        self.item_at.pop(item, None)
        self.below.pop(item, None)
        if station:
            self.robot_at = station
        if under:
            lines.append(f"Unstack '{item}' from '{under}'.")
        else:
            lines.append(f"Pick up '{item}'" + (f" from '{station}'." if station else "."))
        return "\n".join(lines)


def low_level(text: str) -> list[str]:
    """Low-level actions of every scenario in `text` (predicate changes, paper style)."""
    if not text.lstrip().startswith("[Scenario"):  # a chunk of a longer scenario
        text = "[Scenario 1]\n(no instruction)\n\n" + text.lstrip()
    # Methods that hide the instruction leave the scenario header without one.
    text = re.sub(r"(\[Scenario \d+\]\n)(?=\s*\n|State )", r"\1(no instruction)\n", text)
    try:
        demo = demo_text.parse(text, style="robotouille", source="<scenario>")
    except InputError as err:
        raise GenerationFailed(f"cannot read the demonstration: {err}") from None
    out: list[str] = []
    for scenario in demo.scenarios:
        belief = Belief()
        real = _handled_objects(scenario.steps)
        for step in scenario.steps:
            changes = [c for c in step.changes if _robot(c.args[0]) or c.args[0] in real]
            out += _step_actions(belief, changes)
        if belief.held:
            out.append(belief.unseen_put_down())
    return out


def _handled_objects(steps) -> set[str]:
    """Items move only in the robot's hands: an item is part of the task if the robot was
    seen holding it, or seen arriving at or leaving a place the robot goes to (its holding
    lost to noise; a distractor's place is one the robot never visits), or if such an item
    was stacked on it. Facts about anything else are distractions and are ignored."""
    changes = [c for st in steps for c in st.changes]
    visited = {c.args[1] for c in changes if c.predicate == "at" and _robot(c.args[0])}
    real = {c.args[1] for c in changes if c.predicate == "holding"}
    real |= {
        c.args[0]
        for c in changes
        if c.predicate == "at" and not _robot(c.args[0]) and c.args[1:2] and c.args[1] in visited
    }
    grew = True
    while grew:
        below = {
            c.args[1]
            for st in steps
            for c in st.changes
            if c.predicate == "atop" and c.args[0] in real
        }
        grew = not below <= real
        real |= below
    return real


def _step_actions(b: Belief, changes) -> list[str]:
    robot_to = [c.args[1] for c in changes if c.predicate == "at" and _robot(c.args[0]) and c.value]
    held_on = [c.args[1] for c in changes if c.predicate == "holding" and c.value]
    held_off = [c.args[1] for c in changes if c.predicate == "holding" and not c.value]
    at_on = {
        c.args[0]: c.args[1]
        for c in changes
        if c.predicate == "at" and not _robot(c.args[0]) and c.value
    }
    at_off = {
        c.args[0]: c.args[1]
        for c in changes
        if c.predicate == "at" and not _robot(c.args[0]) and not c.value
    }
    atop_on = {c.args[0]: c.args[1] for c in changes if c.predicate == "atop" and c.value}
    atop_off = {c.args[0]: c.args[1] for c in changes if c.predicate == "atop" and not c.value}
    lines: list[str] = []
    if robot_to:
        b.robot_at = robot_to[0]
        b.moved_to.append(robot_to[0])
        lines.append(f"Move to '{robot_to[0]}'.")
    picked = set(held_on) | (set(at_off) - set(at_on)) | (set(atop_off) - set(atop_on))
    for item in sorted(picked):
        lines.append(b.pick(item, at_off.get(item), atop_off.get(item)))
    dropped = (set(at_on) | set(atop_on) | set(held_off)) - picked
    for item in sorted(dropped):
        if item in held_off and b.held not in (None, item):
            # it was in hand, so the item held before was put down, unrecorded
            lines.append(b.unseen_put_down())
        lines.append(b.put_down(item, at_on.get(item) or b.robot_at, atop_on.get(item)))
    for c in changes:
        if c.value and c.predicate in DONE_STATES:
            lines.append(f"'{c.args[0]}' is now {c.predicate}.")
    return lines


def _robot(name: str) -> bool:
    return kind(name) == "robot"
