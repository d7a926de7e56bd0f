"""Unit tests as data: each task lists checks that `judge` evaluates on a trace's final poses.

Check kinds: fact / any_fact (final facts), directly_on, only_moved (untouched objects stay
put), one_stack / stacks / two_stacks (stacks rebuilt from poses). A one_stack `order` is a
run of objects that must stand one right on the other, in order, anywhere in the stack; a
`stacks` height limit needs every stack but the last one built full (as few stacks as
possible).
"""

from __future__ import annotations

import math
import re
from typing import Any

from demo2code.benchmarks.tabletop import predicates as P
from demo2code.benchmarks.tabletop.geometry import obj_type

TEMPLATES = {
    "atop": "'{0}' is on top of '{1}'",
    "moved": "'{0}' has moved",
    "at": "'{0}' is at '{1}'",
    "left_of": "'{0}' is to the left of '{1}'",
    "right_of": "'{0}' is to the right of '{1}'",
    "behind": "'{0}' is behind '{1}'",
    "in_front_of": "'{0}' is in front of '{1}'",
}


def describe(fact: list[str] | tuple[str, ...]) -> str:
    return TEMPLATES[fact[0]].format(*fact[1:])


def _poses(trace: dict[str, Any], key: str) -> dict[str, P.Pose]:
    return {k: (v[0], v[1], v[2]) for k, v in trace[key].items()}


def _selected(check: dict[str, Any], objects: list[str]) -> list[str]:
    if "type" in check:
        return [o for o in objects if obj_type(o) == check["type"]]
    return list(check.get("objects", objects))


def _stack_text(stack: list[str]) -> str:
    return "[" + ", ".join(stack) + "] (bottom to top)"


def judge(checks: list[dict[str, Any]], trace: dict[str, Any]) -> list[str]:
    """Reasons the trace fails its checks; an empty list means it passes."""
    final, initial = _poses(trace, "final_poses"), _poses(trace, "initial_poses")
    objects = list(trace["objects"])
    facts = P.facts(final, initial)
    all_stacks = P.stacks(final)
    reasons: list[str] = []
    for check in checks:
        kind = check["kind"]
        if kind == "fact":
            if tuple(check["fact"]) not in facts:
                reasons.append(f"expected {describe(check['fact'])}, but it does not hold")
        elif kind == "any_fact":
            if not any(tuple(f) in facts for f in check["facts"]):
                options = " or ".join(describe(f) for f in check["facts"])
                reasons.append(f"expected one of: {options}; none holds")
        elif kind == "directly_on":
            a, b = check["objects"]
            if P.support(final).get(a) != b:
                reasons.append(f"expected '{a}' directly on top of '{b}', but it is not")
        elif kind == "only_moved":
            allowed = set(_selected(check, objects))
            for o in objects:
                if o not in allowed and math.dist(final[o], initial[o]) > P.MOVE_TOL:
                    reasons.append(f"'{o}' has moved, but it should have been left untouched")
        elif kind in ("one_stack", "stacks"):
            built = _build_order(all_stacks, trace.get("steps", []))
            reasons += _check_stacks(check, _selected(check, objects), built)
        elif kind == "two_stacks":
            reasons += _check_two(check, objects, all_stacks)
        else:
            raise ValueError(f"unknown check kind {kind!r}")
    return reasons


def _check_stacks(
    check: dict[str, Any], chosen: list[str], all_stacks: list[list[str]]
) -> list[str]:
    label = check.get("type", "object") + "s"
    involved = [s for s in all_stacks if set(s) & set(chosen)]
    reasons = []
    missing = set(chosen) - {o for s in involved for o in s}
    if missing:
        reasons.append(f"{', '.join(sorted(missing))} not standing in any stack (knocked over?)")
    for s in involved:
        strangers = [o for o in s if o not in chosen]
        if strangers:
            reasons.append(f"stack {_stack_text(s)} holds {', '.join(strangers)}, not only {label}")
    if check["kind"] == "one_stack":
        if len(involved) != 1:
            shown = "; ".join(_stack_text(s) for s in involved)
            reasons.append(f"expected all {label} in one stack, found {len(involved)}: {shown}")
        order = check.get("order")
        if order and involved and not _contains_run(involved[0], order):
            reasons.append(
                f"expected {_stack_text(order)} one right on the other somewhere in the stack, "
                f"found {_stack_text(involved[0])}"
            )
    else:
        limit = check["max_height"]
        for s in involved:
            if len(s) > limit:
                reasons.append(f"stack {_stack_text(s)} is taller than {limit}")
        needed = math.ceil(len(chosen) / limit)
        if len(involved) != needed:
            reasons.append(
                f"expected {needed} stacks of at most {limit} {label}, found {len(involved)}"
            )
        early = [s for s in involved[:-1] if len(s) < limit]
        if early:  # every stack but the last one built must be full
            shown = "; ".join(_stack_text(s) for s in early)
            reasons.append(f"only the last stack built may be lower than {limit}, found: {shown}")
    return reasons


_MOVED = re.compile(r"put_first_on_second\('([^']*)'")


def _build_order(stacks: list[list[str]], steps: list[dict[str, Any]]) -> list[list[str]]:
    """Stacks in the order they were built: by the first move of any of their objects;
    stacks nothing was moved into come last."""
    first: dict[str, int] = {}
    for n, step in enumerate(steps):
        m = _MOVED.match(step.get("action") or "")
        if m:
            first.setdefault(m.group(1), n)

    def started(stack: list[str]) -> float:
        return min((first[o] for o in stack if o in first), default=math.inf)

    return sorted(stacks, key=started)


def _contains_run(stack: list[str], run: list[str]) -> bool:
    """`run` appears in `stack` contiguously and in order (bottom to top), anywhere."""
    n = len(run)
    return any(stack[i : i + n] == run for i in range(len(stack) - n + 1))


def _check_two(check: dict[str, Any], objects: list[str], all_stacks: list[list[str]]) -> list[str]:
    reasons = []
    standing = {o for s in all_stacks for o in s}
    missing = [o for o in objects if o not in standing]
    if missing:
        reasons.append(f"{', '.join(missing)} not standing in any stack (knocked over?)")
    if len(all_stacks) != 2:
        shown = "; ".join(_stack_text(s) for s in all_stacks)
        reasons.append(f"expected exactly two stacks, found {len(all_stacks)}: {shown}")
    if check.get("by_type"):
        for s in all_stacks:
            if len({obj_type(o) for o in s}) > 1:
                reasons.append(f"stack {_stack_text(s)} mixes blocks and cylinders")
    return reasons
