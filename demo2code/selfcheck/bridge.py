"""Robotouille demonstrations with the facts noise hid bridged back from the domain's rules,
so the self-check compares a program with what the demonstration implies, not only with
what survived (docs/selfcheck.md).

Only the robot moves items, one at a time, and an item put down where a stack stands goes
on its top. So:
- the robot was at X just before a step that says it is no longer at X;
- an item the robot let go of (no longer held) without a recorded place landed where the
  robot was, on the top of what stood there;
- an item still held when the robot picks up (or lets go of) another was put down,
  unrecorded, where later
  steps show it (something stacked on it there), else at the first place the robot went to
  after picking it up; it happened before the robot left that place (noise loses changes,
  it does not move them), so the bridged facts go into the step that says it left.
Bridged facts are only added where the demonstration recorded none; a complete
demonstration is returned unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

from demo2code.selfcheck.timeline import Change, Fact, Timeline


class _World:
    """Where each item is, what it is on, where the robot is, what it holds."""

    def __init__(self, initial: frozenset[Fact], is_robot: Callable[[str], bool]):
        self.is_robot = is_robot
        self.item_at = {f[1]: f[2] for f in initial if f[0] == "at" and not is_robot(f[1])}
        self.below = {f[1]: f[2] for f in initial if f[0] == "atop"}
        self.robot_at = next((f[2] for f in initial if f[0] == "at" and is_robot(f[1])), None)
        self.held: str | None = next((f[2] for f in initial if f[0] == "holding"), None)
        self.since_pick: list[str] = []  # places the robot is known to have been since
        self.step = 0  # the step being applied
        self.picked_at = 0  # the step the held item was picked up

    def top_at(self, station: str, but: str) -> str | None:
        items = [i for i, s in self.item_at.items() if s == station and i != but]
        covered = {self.below.get(i) for i in items}
        tops = [i for i in items if i not in covered]
        return tops[0] if len(tops) == 1 else None

    def landing(self, item: str, station: str | None) -> list[Change]:
        """The facts of putting `item` down at `station` (none if it is unknown)."""
        if station is None:
            return []
        out: list[Change] = [(("at", item, station), True)]
        top = self.top_at(station, item)
        if top is not None:
            out.append((("atop", item, top), True))
        return out

    def apply(self, changes: list[Change]) -> None:
        for (pred, *args), value in changes:
            if pred == "at" and self.is_robot(args[0]):
                if value:
                    self.robot_at = args[1]
                    self.since_pick.append(args[1])
                elif self.robot_at == args[1]:
                    self.robot_at = None
            elif pred == "at" and len(args) == 2:
                if value:
                    self.item_at[args[0]] = args[1]
                elif self.item_at.get(args[0]) == args[1]:
                    del self.item_at[args[0]]
            elif pred == "atop" and len(args) == 2:
                if value:
                    self.below[args[0]] = args[1]
                elif self.below.get(args[0]) == args[1]:
                    del self.below[args[0]]
            elif pred == "holding" and len(args) == 2:
                if value:
                    self.held, self.since_pick, self.picked_at = args[1], [], self.step
                    self.item_at.pop(args[1], None)
                    self.below.pop(args[1], None)
                elif self.held == args[1]:
                    self.held = None


def _robot_left(step: tuple[Change, ...], is_robot: Callable[[str], bool]) -> str | None:
    return next((f[2] for f, v in step if f[0] == "at" and is_robot(f[1]) and not v), None)


def _later_place(steps: list[tuple[Change, ...]], n: int, item: str) -> str | None:
    """Where later steps show `item` standing (something stacked on it there), before it is
    picked up again."""
    for step in steps[n + 1 :]:
        facts = {f for f, v in step if v}
        for f in facts:
            if f[0] == "holding" and f[2:] == (item,):
                return None
            if f[0] == "at" and f[1] == item:
                return f[2]
            if f[0] == "atop" and f[2] == item:
                return next((g[2] for g in facts if g[0] == "at" and g[1] == f[1]), None)
    return None


def _left_since(
    out: list[tuple[Change, ...]], start: int, place: str | None, robot: Callable[[str], bool]
) -> int | None:
    """The first step after `start` that says the robot left `place` (after arriving there,
    when the arrival was recorded)."""

    def says(k: int, value: bool) -> bool:
        return any(
            f[0] == "at" and robot(f[1]) and f[2:] == (place,) and v == value for f, v in out[k]
        )

    arrived = next((k for k in range(start, len(out)) if says(k, True)), start)
    return next((k for k in range(arrived + 1, len(out)) if says(k, False)), None)


def bridge(timeline: Timeline, is_robot: Callable[[str], bool]) -> Timeline:
    """`timeline` with the facts its lost steps and predicates implied added."""
    world = _World(timeline.initial, is_robot)
    steps = list(timeline.steps)
    out: list[tuple[Change, ...]] = []
    for n, step in enumerate(steps):
        world.step = n
        left = _robot_left(step, is_robot)
        if left is not None and world.robot_at != left:
            # it was there: a move (or its arrival fact) was lost
            world.robot_at = left
            if not world.since_pick or world.since_pick[-1] != left:
                world.since_pick.append(left)
        recorded = {f for f, _ in step}
        placed = {f[1] for f, v in step if f[0] in ("at", "atop") and v}
        added: list[Change] = []
        for fact, value in step:
            if fact[0] != "holding" or len(fact) != 3:
                continue
            item = fact[2]
            if world.held not in (None, item) and world.held not in placed:
                # another item taken or let go of: the one in hand was put down, unrecorded
                old = world.held
                where = _later_place(steps, n, old) or (
                    world.since_pick[0] if world.since_pick else world.robot_at
                )
                early = [(("holding", fact[1], old), False), *world.landing(old, where)]
                world.apply(early)
                k = _left_since(out, world.picked_at, where, is_robot)
                if k is None:
                    added += early
                else:  # before the robot left that place: earlier than this step
                    known = {f for f, _ in out[k]}
                    out[k] = (*out[k], *(c for c in early if c[0] not in known))
            if not value and item not in placed:
                where = world.robot_at
                if where is None and n + 1 < len(steps):
                    where = _robot_left(steps[n + 1], is_robot)
                added += world.landing(item, where)
        added = [c for c in added if c[0] not in recorded]
        world.apply([*step, *added])
        out.append((*step, *added))
    return Timeline(timeline.initial, tuple(out))
