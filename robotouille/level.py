"""Kitchen levels: a grid of stations with item stacks, one robot, and an optional goal.

Levels are JSON files (see `environments/`). Object ids are derived from sorted positions
(`table1` is the top-left-most table), so a re-arranged level renames its objects and code
that runs on it has to look objects up instead of hard-coding them. Within a stack the top
item comes first (`patty1` is the clear patty of a pre-built stack of two), and objects the
randomizer adds (`extra`) are numbered after the level's own (data/README.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from robotouille.kinds import ITEM_KINDS, STATION_KINDS, normalize_kind

DIRECTIONS: dict[str, tuple[int, int]] = {
    "left": (-1, 0),
    "right": (1, 0),
    "up": (0, -1),
    "down": (0, 1),
}


PROCESSES = ("cut", "cook", "fry", "boil", "soup")  # what takes several steps; see env.py
DEFAULT_DURATION = 3


class LevelError(ValueError):
    """A malformed level file; the message names the file and the field."""

    def __init__(self, source: str, where: str, expected: str):
        super().__init__(f"{source}: {where}: {expected}")


@dataclass(frozen=True)
class Station:
    kind: str
    x: int
    y: int
    extra: bool = False  # added by the randomizer, not part of the level as written


@dataclass(frozen=True)
class Item:
    kind: str
    x: int
    y: int
    level: int = 0  # 0 = on the station, 1 = atop the level-0 item, ...
    cooked: bool = False
    cut: bool = False
    extra: bool = False  # a distractor added by the randomizer


@dataclass(frozen=True)
class Robot:
    x: int
    y: int
    facing: str  # one of DIRECTIONS: the robot is "at" the station it faces


@dataclass(frozen=True)
class Level:
    name: str
    width: int
    height: int
    stations: tuple[Station, ...]
    items: tuple[Item, ...]
    robot: Robot
    goal: tuple[str, ...] = ()  # facts with kinds as wildcards: "cooked patty"
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    # Steps each process takes on this level, e.g. (("cook", 8), ("fry", 5)); a process not
    # named takes DEFAULT_DURATION. Level data, so a kitchen can make waiting worth using.
    durations: tuple[tuple[str, int], ...] = ()

    def duration(self, process: str) -> int:
        """Steps `process` ('cut', 'cook' or 'fry') takes here."""
        return dict(self.durations).get(process, DEFAULT_DURATION)

    # --- naming -----------------------------------------------------------------------
    def station_names(self) -> dict[Station, str]:
        """Row by row, left to right; added stations after the level's own."""
        return _number(self.stations, key=lambda s: (s.extra, s.y, s.x))

    def item_names(self) -> dict[Item, str]:
        """Row by row, left to right, a stack from its top down (the clear item is first);
        distractor items after the level's own."""
        return _number(self.items, key=lambda i: (i.extra, i.y, i.x, -i.level))

    def robot_station(self) -> Station:
        dx, dy = DIRECTIONS[self.robot.facing]
        target = (self.robot.x + dx, self.robot.y + dy)
        for s in self.stations:
            if (s.x, s.y) == target:
                return s
        raise LevelError(self.name, "robot.facing", "the robot must face a station")

    # --- JSON ---------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "width": self.width, "height": self.height}
        out["stations"] = []
        for s in self.stations:
            station: dict[str, Any] = {"kind": s.kind, "x": s.x, "y": s.y}
            if s.extra:
                station["extra"] = True
            out["stations"].append(station)
        out["items"] = []
        for i in self.items:
            row: dict[str, Any] = {"kind": i.kind, "x": i.x, "y": i.y, "level": i.level}
            for flag in ("cooked", "cut", "extra"):
                if getattr(i, flag):
                    row[flag] = True
            out["items"].append(row)
        out["robot"] = {"x": self.robot.x, "y": self.robot.y, "facing": self.robot.facing}
        out["goal"] = list(self.goal)
        if self.durations:
            out["durations"] = dict(self.durations)
        if self.meta:
            out["meta"] = self.meta
        return out


def _number(objs, key) -> dict:
    names: dict = {}
    counts: dict[str, int] = {}
    for obj in sorted(objs, key=key):
        counts[obj.kind] = counts.get(obj.kind, 0) + 1
        names[obj] = f"{obj.kind}{counts[obj.kind]}"
    return names


# --- loading with field-level errors ---------------------------------------------------------


def _int(obj: dict, key: str, src: str, where: str, lo: int = 0) -> int:
    value = obj.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < lo:
        raise LevelError(src, f"{where}{key}", f"expected an integer >= {lo}, got {value!r}")
    return value


def _kind(obj: dict, src: str, where: str, table: dict) -> str:
    raw = obj.get("kind")
    if not isinstance(raw, str):
        raise LevelError(src, f"{where}kind", "expected a string")
    kind = normalize_kind(raw)
    if kind not in table:
        raise LevelError(
            src, f"{where}kind", f"unknown kind {raw!r}; expected one of {sorted(table)}"
        )
    return kind


def _flag(obj: dict, key: str, src: str, where: str) -> bool:
    value = obj.get(key, False)
    if not isinstance(value, bool):
        raise LevelError(src, f"{where}{key}", "expected true or false")
    return value


def _durations(raw: Any, src: str) -> tuple[tuple[str, int], ...]:
    if not isinstance(raw, dict):
        raise LevelError(src, "durations", f"expected an object like {{'cook': 8}}, got {raw!r}")
    for key in raw:
        if key not in PROCESSES:
            raise LevelError(
                src, f"durations.{key}", f"unknown process; expected one of {list(PROCESSES)}"
            )
    return tuple((key, _int(raw, key, src, "durations.", 1)) for key in PROCESSES if key in raw)


def level_from_json(data: Any, source: str = "<level>") -> Level:
    if not isinstance(data, dict):
        raise LevelError(source, "top level", "expected a JSON object")
    width = _int(data, "width", source, "", 1)
    height = _int(data, "height", source, "", 1)

    def inside(obj: dict, where: str) -> tuple[int, int]:
        x, y = _int(obj, "x", source, where), _int(obj, "y", source, where)
        if x >= width or y >= height:
            raise LevelError(source, f"{where}x/y", f"({x}, {y}) is outside {width}x{height}")
        return x, y

    raw_stations = data.get("stations")
    if not isinstance(raw_stations, list) or not raw_stations:
        raise LevelError(source, "stations", "expected a non-empty list")
    stations, cells = [], set()
    for n, raw in enumerate(raw_stations):
        where = f"stations[{n}]."
        if not isinstance(raw, dict):
            raise LevelError(source, f"stations[{n}]", "expected an object")
        kind = _kind(raw, source, where, STATION_KINDS)
        x, y = inside(raw, where)
        if (x, y) in cells:
            raise LevelError(source, f"stations[{n}]", f"two stations at ({x}, {y})")
        cells.add((x, y))
        stations.append(Station(kind, x, y, _flag(raw, "extra", source, where)))

    raw_items = data.get("items", [])
    if not isinstance(raw_items, list):
        raise LevelError(source, "items", "expected a list")
    items, stack_levels = [], {}
    for n, raw in enumerate(raw_items):
        where = f"items[{n}]."
        if not isinstance(raw, dict):
            raise LevelError(source, f"items[{n}]", "expected an object")
        kind = _kind(raw, source, where, ITEM_KINDS)
        x, y = inside(raw, where)
        if (x, y) not in cells:
            raise LevelError(source, f"items[{n}]", f"no station at ({x}, {y}) to hold it")
        lvl = _int(raw, "level", source, where) if "level" in raw else 0
        stack_levels.setdefault((x, y), []).append(lvl)
        flags = {flag: _flag(raw, flag, source, where) for flag in ("cooked", "cut", "extra")}
        items.append(Item(kind, x, y, lvl, **flags))
    for (x, y), levels in stack_levels.items():
        if sorted(levels) != list(range(len(levels))):
            raise LevelError(
                source, "items", f"stack at ({x}, {y}) has levels {sorted(levels)}; expected 0..n"
            )

    raw_robot = data.get("robot")
    if not isinstance(raw_robot, dict):
        raise LevelError(source, "robot", "expected an object with x, y, facing")
    rx, ry = inside(raw_robot, "robot.")
    if (rx, ry) in cells:
        raise LevelError(source, "robot", f"the robot stands on a station at ({rx}, {ry})")
    facing = raw_robot.get("facing")
    if facing not in DIRECTIONS:
        raise LevelError(source, "robot.facing", f"expected one of {sorted(DIRECTIONS)}")
    goal = data.get("goal", [])
    if not isinstance(goal, list) or not all(isinstance(g, str) for g in goal):
        raise LevelError(source, "goal", "expected a list of strings like 'cooked patty'")
    meta = data.get("meta", {})
    name = data.get("name", Path(source).stem)
    durations = _durations(data.get("durations", {}), source)
    level = Level(
        str(name),
        width,
        height,
        tuple(stations),
        tuple(items),
        Robot(rx, ry, facing),
        tuple(goal),
        dict(meta) if isinstance(meta, dict) else {},
        durations,
    )
    try:
        level.robot_station()
    except LevelError:
        raise LevelError(source, "robot.facing", "the robot must face a station") from None
    return level


def load_level(path: str | Path) -> Level:
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise LevelError(str(path), "file", "not found") from None
    except json.JSONDecodeError as err:
        raise LevelError(str(path), f"line {err.lineno}", f"invalid JSON ({err.msg})") from None
    return level_from_json(data, str(path))


ENVIRONMENTS = Path(__file__).resolve().parent / "environments"


def builtin_level(name: str) -> Level:
    """A level shipped with the package, by file stem (e.g. 'burger')."""
    path = ENVIRONMENTS / f"{name}.json"
    if not path.is_file():
        known = sorted(p.stem for p in ENVIRONMENTS.glob("*.json"))
        raise LevelError(name, "environment", f"unknown level; expected one of {known}")
    return load_level(path)
