"""Table geometry and scene sampling, in plain Python so tests and checks need no physics.

Frame: x grows to the right, y grows away from the robot ("top"/"behind"), z is up with the
table surface at z = 0.  The table is a square of half-size HALF.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

COLOURS: tuple[str, ...] = (
    "blue", "red", "green", "orange", "yellow", "purple", "pink", "cyan", "brown", "gray",
)  # fmt: skip
TYPES: tuple[str, ...] = ("block", "cylinder")

HALF = 0.5  # table half-size (m)
SIZE = 0.05  # block edge = cylinder diameter = cylinder height
BORDER = 0.1  # a corner/edge region reaches this far in from the table's border
PLACE_INSET = 0.05  # where corners/edges are targeted: this far in from the border
NEAR = 0.1  # centre distance up to which two table-level objects count as next to each other
NEXT_TO = 0.07  # offset parse_position uses for "left of the X" and friends
MIN_APART = 0.15  # initial centre spacing between objects / stacks
INTERIOR = HALF - BORDER - 0.04  # initial objects stay inside |x|, |y| <= INTERIOR

CORNERS: dict[str, tuple[float, float]] = {
    "top left corner": (-1.0, 1.0),
    "top right corner": (1.0, 1.0),
    "bottom left corner": (-1.0, -1.0),
    "bottom right corner": (1.0, -1.0),
}
EDGES: dict[str, tuple[float, float]] = {
    "top edge": (0.0, 1.0),
    "bottom edge": (0.0, -1.0),
    "left edge": (-1.0, 0.0),
    "right edge": (1.0, 0.0),
}
REGIONS: tuple[str, ...] = (*CORNERS, *EDGES)


def region_point(region: str) -> tuple[float, float]:
    """The [x, y] the robot aims for when told to go to a named corner or edge."""
    sx, sy = {**CORNERS, **EDGES}[region]
    reach = HALF - PLACE_INSET
    return (round(sx * reach, 4), round(sy * reach, 4))


def obj_type(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


@dataclass(frozen=True)
class ScenePlan:
    """Where every object starts: `stacks` lists each stack bottom-to-top with its [x, y]."""

    objects: tuple[str, ...]
    stacks: tuple[tuple[tuple[str, ...], tuple[float, float]], ...]
    params: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # get_obj_names answers in a fresh random order each call (the paper's stack-all-objects
    # scenes do this, so a program cannot sort by slicing the list)
    shuffled_names: bool = False


def _names_of(rng: random.Random, kind: str, count: int, taken: set[str]) -> list[str]:
    free = [f"{c} {kind}" for c in COLOURS if f"{c} {kind}" not in taken]
    if count > len(free):
        raise ValueError(f"cannot draw {count} more {kind}s")
    return rng.sample(free, count)


def sample_scene(scene: dict, seed: int) -> ScenePlan:
    """Draw a scene from a task's `scene` data for one seed.

    Keys: `fixed` (names that must be present), `hidden` ({"base": name, "on": [names]},
    a stack standing at the start), `blocks` / `cylinders` ([min, max] total count of that
    type, fixed ones included), `shuffled_names` (get_obj_names answers in random order).
    """
    rng = random.Random(f"tabletop-{seed}")
    fixed = list(scene.get("fixed", []))
    hidden = scene.get("hidden")
    stacked: list[str] = []
    if hidden:
        stacked = [hidden["base"], *hidden["on"]]
    present = list(dict.fromkeys(fixed + stacked))
    taken = set(present)
    extra: list[str] = []
    for kind in TYPES:
        lo, hi = scene.get(kind + "s", [0, 0])
        have = sum(obj_type(n) == kind for n in present)
        want = max(have, rng.randint(lo, hi))
        extra += _names_of(rng, kind, want - have, taken | set(extra))
    names = present + extra
    rng.shuffle(names)
    units: list[tuple[str, ...]] = [tuple(stacked)] if stacked else []
    units += [(n,) for n in names if n not in stacked]
    spots: list[tuple[float, float]] = []
    for _ in units:
        for _attempt in range(2000):
            x = round(rng.uniform(-INTERIOR, INTERIOR), 4)
            y = round(rng.uniform(-INTERIOR, INTERIOR), 4)
            if all((x - a) ** 2 + (y - b) ** 2 >= MIN_APART**2 for a, b in spots):
                spots.append((x, y))
                break
        else:
            raise ValueError(f"seed {seed}: no room for {len(units)} objects")
    blocks = sorted((n for n in names if obj_type(n) == "block"), key=names.index)
    cylinders = [n for n in names if obj_type(n) == "cylinder"]
    ordered = tuple(blocks + cylinders)  # blocks first, like the `objects=[...]` header
    shuffled = bool(scene.get("shuffled_names", False))
    return ScenePlan(ordered, tuple(zip(units, spots, strict=True)), shuffled_names=shuffled)
