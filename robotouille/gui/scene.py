"""What to draw, read from a KitchenEnv: stacks per station, where the robot stands, what it
holds, and cutting/cooking/frying/boiling progress. No pygame here, so it is cheap to test.

The environment only knows which station the robot is at; the robot's floor cell is chosen
here as the reachable free cell next to that station closest to where it stood before.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from robotouille.env import KitchenEnv
from robotouille.kinds import kind_of
from robotouille.level import DIRECTIONS, Level

Cell = tuple[int, int]


@dataclass(frozen=True)
class ItemLook:
    name: str
    kind: str
    cut: bool
    cooked: bool
    cut_progress: int  # cuts done so far (0 when not started or already cut)
    cooking: int | None  # steps cooked so far, None when not cooking
    fried: bool = False
    frying: int | None = None  # steps fried so far, None when not frying
    filled: bool = False  # a pot with water
    heating: int | None = None  # a pot's steps heated so far, None when not heating
    boiling: bool = False
    simmering: int | None = None  # steps simmered in a boiling pot, None when not
    soup: bool = False


@dataclass(frozen=True)
class Scene:
    stacks: dict[str, tuple[ItemLook, ...]]  # station -> items, bottom first
    robot_station: str
    robot_cell: Cell
    facing: str
    held: ItemLook | None


class Layout:
    """Station names <-> grid cells for one level."""

    def __init__(self, level: Level):
        self.level = level
        self.cells: dict[str, Cell] = {n: (s.x, s.y) for s, n in level.station_names().items()}
        self.by_cell: dict[Cell, str] = {c: n for n, c in self.cells.items()}
        self.kinds: dict[str, str] = {n: s.kind for s, n in level.station_names().items()}

    def floor(self, cell: Cell) -> bool:
        x, y = cell
        return 0 <= x < self.level.width and 0 <= y < self.level.height and cell not in self.by_cell

    def stand_cell(self, station: str, start: Cell) -> tuple[Cell, str]:
        """The floor cell the robot walks to for `station`, and its facing from there."""
        sx, sy = self.cells[station]
        targets = {
            (sx - dx, sy - dy): d
            for d, (dx, dy) in DIRECTIONS.items()
            if self.floor((sx - dx, sy - dy))
        }
        if start in targets:
            return start, targets[start]
        seen, queue = {start}, deque([start])
        while queue:  # breadth first in a fixed direction order: deterministic
            x, y = queue.popleft()
            for dx, dy in DIRECTIONS.values():
                nxt = (x + dx, y + dy)
                if nxt in seen or not self.floor(nxt):
                    continue
                if nxt in targets:
                    return nxt, targets[nxt]
                seen.add(nxt)
                queue.append(nxt)
        if targets:  # unreachable (not produced by the generator): stand next to it anyway
            cell = min(targets)
            return cell, targets[cell]
        return start, "up"


def _look(env: KitchenEnv, item: str) -> ItemLook:
    return ItemLook(
        item,
        kind_of(item),
        ("cut", item) in env.facts,
        ("cooked", item) in env.facts,
        env.cut_progress.get(item, 0) if ("cut", item) not in env.facts else 0,
        env.cooking.get(item),
        ("fried", item) in env.facts,
        env.frying.get(item),
        ("filled", item) in env.facts,
        env.heating.get(item),
        ("boiling", item) in env.facts,
        env.simmering.get(item),
        ("soup", item) in env.facts,
    )


def stacks_of(env: KitchenEnv) -> dict[str, tuple[ItemLook, ...]]:
    above: dict[str, str] = {}
    bottoms: dict[str, str] = {}
    for fact in env.facts:
        if fact[0] == "atop":
            above[fact[2]] = fact[1]
        elif fact[0] == "on":
            bottoms[fact[2]] = fact[1]
    out: dict[str, tuple[ItemLook, ...]] = {}
    for station, bottom in bottoms.items():
        pile, item = [], bottom
        while item is not None and len(pile) <= len(env.items):
            pile.append(_look(env, item))
            item = above.get(item)
        out[station] = tuple(pile)
    return out


def build_scene(env: KitchenEnv, layout: Layout, previous: Scene | None = None) -> Scene:
    station = next(f[2] for f in env.facts if f[0] == "at" and f[1] == env.robot)
    held = next((f[2] for f in env.facts if f[0] == "holding" and f[1] == env.robot), None)
    level = layout.level
    if previous is None:
        start: Cell = (level.robot.x, level.robot.y)
        if layout.stand_cell(station, start)[0] == start:
            cell, facing = start, level.robot.facing
        else:
            cell, facing = layout.stand_cell(station, start)
    elif previous.robot_station == station:
        cell, facing = previous.robot_cell, previous.facing
    else:
        cell, facing = layout.stand_cell(station, previous.robot_cell)
    return Scene(
        stacks_of(env), station, cell, facing, _look(env, held) if held is not None else None
    )


FINISHED = ("cut", "cooked", "fried", "boiling", "soup")


def finished_items(changes: list[dict]) -> list[tuple[str, str]]:
    """(item, "cooked" etc.) for each item a step's changes finished cutting, cooking,
    frying, boiling (a pot of water) or simmering into soup: the moments the game announces."""
    return [
        (c["args"][0], c["predicate"]) for c in changes if c["value"] and c["predicate"] in FINISHED
    ]


def finished_in(changes: list[dict], facts: set[tuple[str, ...]]) -> dict[str, str]:
    """Stations where an item finished in one step (soup through the pot it is in), so the
    game can mark them: station -> "cooked" etc."""
    out = {}
    for item, what in finished_items(changes):
        station = station_under(facts, item)
        if station is not None:
            out[station] = what
    return out


def station_under(facts: set[tuple[str, ...]], item: str) -> str | None:
    """The station an item stands on, through the stack below it (soup in a pot on a
    stove); None when it is held or nowhere."""
    seen: set[str] = set()
    while item not in seen:
        seen.add(item)
        where = next((f[2] for f in facts if f[0] == "at" and f[1] == item), None)
        if where is not None:
            return where
        below = next((f[2] for f in facts if f[0] == "atop" and f[1] == item), None)
        if below is None:
            return None
        item = below
    return None


def finished_message(changes: list[dict]) -> str:
    done = "; ".join(f"{item} is {what}" for item, what in finished_items(changes))
    return f"Done: {done}." if done else ""


_GOAL_WORDS = {
    "cooked": "{0} cooked",
    "cooking": "{0} cooking",
    "frying": "{0} frying",
    "cut": "{0} cut",
    "fried": "{0} fried",
    "filled": "{0} filled",
    "heating": "{0} heating",
    "boiling": "{0} boiling",
    "simmering": "{0} simmering",
    "soup": "{0} soup",
    "atop": "{0} on {1}",
    "on": "{0} on {1}",
    "at": "{0} at {1}",
    "clear": "nothing on {0}",
    "holding": "{0} holds {1}",
}


def goal_words(fact: tuple[str, ...], positive: bool = True) -> str:
    """A test goal as the checklist shows it: ("atop", "patty1", "bottom_bun1") ->
    "patty1 on bottom_bun1"."""
    form = _GOAL_WORDS.get(fact[0])
    text = form.format(*fact[1:]) if form and form.count("{") == len(fact) - 1 else " ".join(fact)
    return text if positive else f"not: {text}"
