"""Symbolic facts computed from object poses: the language of demonstrations and unit tests.

Pure Python over `{name: (x, y, z)}` so checks can judge a saved trace without physics.
Facts are tuples `(predicate, *args)`: moved(a), atop(a, b) (transitive; 'table' means
directly on the table), left_of / right_of / behind / in_front_of(a, b) for neighbours on
the table, at(a, region) for a named corner or edge.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from demo2code.benchmarks.tabletop.geometry import BORDER, HALF, NEAR, SIZE

Pose = tuple[float, float, float]
Fact = tuple[str, ...]

Z_TOL = 0.012  # a resting surface contact is this close in height
XY_TOL = 0.8 * SIZE  # centres this close horizontally count as one on the other
MOVE_TOL = 0.01
PREDICATE_ORDER = ("atop", "moved", "at", "left_of", "right_of", "behind", "in_front_of")


def on_table(pose: Pose) -> bool:
    return abs(pose[2] - SIZE / 2) < Z_TOL


def directly_on(a: Pose, b: Pose) -> bool:
    return abs(a[2] - b[2] - SIZE) < Z_TOL and math.dist(a[:2], b[:2]) < XY_TOL


def region_of(pose: Pose) -> str | None:
    """Named corner or edge an object on the table stands in, if any (corners win)."""
    x, y = pose[0], pose[1]
    near_x = abs(x) >= HALF - BORDER and abs(x) <= HALF
    near_y = abs(y) >= HALF - BORDER and abs(y) <= HALF
    vert = "top" if y > 0 else "bottom"
    horiz = "right" if x > 0 else "left"
    if near_x and near_y:
        return f"{vert} {horiz} corner"
    if near_y:
        return f"{vert} edge"
    if near_x:
        return f"{horiz} edge"
    return None


def relation(a: Pose, b: Pose) -> str | None:
    """Where a is relative to a neighbouring b (dominant axis), or None when not next to it."""
    dx, dy = a[0] - b[0], a[1] - b[1]
    if math.hypot(dx, dy) > NEAR:
        return None
    if abs(dx) >= abs(dy):
        return "left_of" if dx < 0 else "right_of"
    return "behind" if dy > 0 else "in_front_of"


def support(poses: dict[str, Pose]) -> dict[str, str]:
    """What each object rests on directly: another object's name or 'table'."""
    below: dict[str, str] = {}
    for a, pa in poses.items():
        if on_table(pa):
            below[a] = "table"
            continue
        under = [b for b, pb in poses.items() if b != a and directly_on(pa, pb)]
        if under:
            below[a] = min(under, key=lambda b: math.dist(pa[:2], poses[b][:2]))
    return below


def stacks(poses: dict[str, Pose]) -> list[list[str]]:
    """Every stack bottom-to-top, rebuilt from poses (a lone object is a stack of one)."""
    below = support(poses)
    above: dict[str, str] = {}
    for a, b in below.items():
        if b != "table" and b not in above:
            above[b] = a
    out = []
    for base in (a for a in poses if below.get(a) == "table"):
        column = [base]
        while column[-1] in above and above[column[-1]] not in column:
            column.append(above[column[-1]])
        out.append(column)
    return out


def facts(poses: dict[str, Pose], initial: dict[str, Pose] | None = None) -> set[Fact]:
    """All facts that hold; `moved` needs the initial poses."""
    out: set[Fact] = set()
    below = support(poses)
    for a in poses:
        b = below.get(a)
        seen = {a}
        if b == "table":
            out.add(("atop", a, "table"))
        while b is not None and b != "table" and b not in seen:
            out.add(("atop", a, b))
            seen.add(b)
            b = below.get(b)
    level = [a for a in poses if below.get(a) == "table"]
    for a in level:
        region = region_of(poses[a])
        if region:
            out.add(("at", a, region))
        for b in level:
            if a != b and (rel := relation(poses[a], poses[b])):
                out.add((rel, a, b))
    if initial:
        for a, pose in poses.items():
            if a in initial and math.dist(pose, initial[a]) > MOVE_TOL:
                out.add(("moved", a))
    return out


def sort_facts(items: Iterable[Fact]) -> list[Fact]:
    """Stable order for demonstrations: by subject, then predicate kind, then arguments."""
    return sorted(items, key=lambda f: (f[1], PREDICATE_ORDER.index(f[0]), f[2:]))
