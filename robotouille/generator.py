"""Procedural levels: the same seed always gives the same level.

Noisy randomization keeps the base level's meaning (which items are stacked where) but moves
each group (a station, its stack, and the robot if it faces that station) to a random free
place and adds noise of the kinds the paper's kitchens have: extra stations of the level's
own kinds (tables, stoves, cutting boards) and extra items of any kind, including kinds the
task uses, so a program has to choose which items to use. Added objects are marked `extra`
and numbered after the level's own. Full randomization scatters every item onto its
own table. Every station stays reachable from the robot. Generators are pure functions: they
write nothing and share no state, so several may run at once.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import replace

from robotouille.kinds import ITEM_KINDS
from robotouille.level import DIRECTIONS, Item, Level, Robot, Station

MAX_ATTEMPTS = 200


def generate(base: Level, seed: int, mode: str = "noisy") -> Level:
    """A randomized copy of `base`; `meta` records the base, mode and seed actually used."""
    if mode not in ("noisy", "full", "none"):
        raise ValueError(f"mode: expected 'noisy', 'full' or 'none', got {mode!r}")
    if mode == "none":
        return replace(base, meta={**base.meta, "base": base.name, "mode": mode, "seed": seed})
    rng = random.Random(f"robotouille:{base.name}:{mode}:{seed}")
    groups = _groups(base) if mode == "noisy" else _scattered(base, rng)
    distractors = _distractors(base, rng) if mode == "noisy" else []
    for _ in range(MAX_ATTEMPTS):
        level = _place(base, groups + distractors, rng)
        if level is not None:
            return replace(level, meta={"base": base.name, "mode": mode, "seed": seed})
    raise RuntimeError(f"could not place level {base.name!r} (seed {seed}) on its grid")


# A group is a station kind, its stack (kind, cooked, cut, bottom to top), whether the robot
# faces it, and whether the randomizer added it.
Group = tuple[str, tuple[tuple[str, bool, bool], ...], bool, bool]


def _groups(base: Level) -> list[Group]:
    robot_at = base.robot_station()
    groups = []
    for s in base.stations:
        stack = sorted((i for i in base.items if (i.x, i.y) == (s.x, s.y)), key=lambda i: i.level)
        groups.append(
            (s.kind, tuple((i.kind, i.cooked, i.cut) for i in stack), s == robot_at, False)
        )
    return groups


def _scattered(base: Level, rng: random.Random) -> list[Group]:
    """Full randomization: non-table stations stay, every item gets a table of its own."""
    groups: list[Group] = [(s.kind, (), False, False) for s in base.stations if s.kind != "table"]
    free_tables = sum(1 for s in base.stations if s.kind == "table")
    for item in base.items:
        groups.append(("table", ((item.kind, item.cooked, item.cut),), False, False))
        free_tables -= 1
    groups += [("table", (), False, False)] * max(free_tables, 2)
    rng.shuffle(groups)
    k = rng.randrange(len(groups))
    groups[k] = (groups[k][0], groups[k][1], True, False)
    return groups


def _distractors(base: Level, rng: random.Random) -> list[Group]:
    """One extra station of each of the level's own kinds and up to three more of random
    kinds (the paper's kitchens are crowded: a spare stove or board is the rule); an extra
    table may hold a raw, uncut item of any kind, the task's kinds too."""
    station_kinds = sorted({s.kind for s in base.stations})
    item_kinds = sorted(k for k, v in ITEM_KINDS.items() if v.distractor)
    kinds = station_kinds + [rng.choice(station_kinds) for _ in range(rng.randint(0, 3))]
    out: list[Group] = []
    for kind in kinds:
        stack = ()
        if kind == "table" and rng.random() < 0.6:
            stack = ((rng.choice(item_kinds), False, False),)
        out.append((kind, stack, False, True))
    return out


def _place(base: Level, groups: list[Group], rng: random.Random) -> Level | None:
    width, height = base.width, base.height
    cells = [(x, y) for y in range(height) for x in range(width)]
    taken: set[tuple[int, int]] = set()
    stations, items = [], []
    robot: Robot | None = None
    for kind, stack, has_robot, extra in groups:
        free = [c for c in cells if c not in taken]
        rng.shuffle(free)
        spot = None
        for x, y in free:
            if not has_robot:
                spot = (x, y, None)
                break
            sides = [d for d, (dx, dy) in DIRECTIONS.items() if _floor(x + dx, y + dy, base, taken)]
            if sides:
                d = rng.choice(sorted(sides))
                dx, dy = DIRECTIONS[d]
                spot = (x, y, (x + dx, y + dy, d))
                break
        if spot is None:
            return None
        x, y, robot_spot = spot
        taken.add((x, y))
        stations.append(Station(kind, x, y, extra))
        for lvl, (ikind, cooked, cut) in enumerate(stack):
            items.append(Item(ikind, x, y, lvl, cooked, cut, extra))
        if robot_spot:
            rx, ry, d = robot_spot
            # The robot faces the opposite way: from its cell toward the station.
            back = {"left": "right", "right": "left", "up": "down", "down": "up"}[d]
            robot = Robot(rx, ry, back)
            taken.add((rx, ry))  # no station may be put where the robot stands
    if robot is None:
        return None
    level = Level(
        base.name,
        width,
        height,
        tuple(stations),
        tuple(items),
        robot,
        base.goal,
        durations=base.durations,
    )
    return level if all_reachable(level) else None


def _floor(x: int, y: int, base: Level, taken: set[tuple[int, int]]) -> bool:
    return 0 <= x < base.width and 0 <= y < base.height and (x, y) not in taken


def all_reachable(level: Level) -> bool:
    """Every station has a floor cell next to it that the robot can walk to."""
    blocked = {(s.x, s.y) for s in level.stations}
    start = (level.robot.x, level.robot.y)
    seen, queue = {start}, deque([start])
    while queue:
        x, y = queue.popleft()
        for dx, dy in DIRECTIONS.values():
            nxt = (x + dx, y + dy)
            if (
                0 <= nxt[0] < level.width
                and 0 <= nxt[1] < level.height
                and nxt not in blocked
                and nxt not in seen
            ):
                seen.add(nxt)
                queue.append(nxt)
    return all(
        any((s.x + dx, s.y + dy) in seen for dx, dy in DIRECTIONS.values()) for s in level.stations
    )
