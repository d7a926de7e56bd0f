"""One tabletop episode: a fresh scene plus the API that generated code calls
(docs/architecture.md#tabletop).

Every pick-and-place is recorded as a step with the facts it changed; every failed
precondition or exhausted budget is recorded in `failures` before the exception leaves.
"""

from __future__ import annotations

import math
import random
import re
from typing import Any, NoReturn

from demo2code.benchmarks.base import ActionFailed, StepLimitReached
from demo2code.benchmarks.tabletop import predicates as P
from demo2code.benchmarks.tabletop.geometry import (
    COLOURS,
    CORNERS,
    EDGES,
    HALF,
    INTERIOR,
    MIN_APART,
    NEXT_TO,
    REGIONS,
    SIZE,
    TYPES,
    ScenePlan,
    obj_type,
    region_point,
)
from demo2code.benchmarks.tabletop.paper_names import paper_names
from demo2code.benchmarks.tabletop.sim import TableSim

MAX_ACTIONS = 60  # pick-and-places per episode
MAX_CALLS = 5000  # any API call; stops loops that only look
_VERT = {
    "top": 1,
    "upper": 1,
    "back": 1,
    "far": 1,
    "bottom": -1,
    "lower": -1,
    "front": -1,
    "near": -1,
}
_HORIZ = {"left": -1, "right": 1}
_OFFSETS = {
    "left of": (-1, 0),
    "right of": (1, 0),
    "behind": (0, 1),
    "in front of": (0, -1),
}


def _named_place(text: str) -> list[float] | None:
    """[x, y] of 'left edge', 'the top right corner' or 'middle'; None for anything else."""
    words = [w for w in text.lower().replace("_", " ").split() if w != "the"]
    name = " ".join(words)
    if name in REGIONS:
        return list(region_point(name))
    return [0.0, 0.0] if name == "middle" else None


def _change_key(change: dict[str, Any], moved: str) -> tuple[Any, ...]:
    """The moved object's own changes first, then the others', each by predicate kind."""
    args = change["args"]
    return (args[0] != moved, args[0], P.PREDICATE_ORDER.index(change["predicate"]), args[1:])


class TabletopEpisode:
    """Simulator + namespace for one (task, seed); `trace()` is what `check` judges."""

    def __init__(self, plan: ScenePlan, task_id: str = "", seed: int | None = None):
        self.plan = plan
        self.task_id, self.seed = task_id, seed
        self.sim = TableSim(plan)
        self.initial = self.sim.poses()
        self._facts = P.facts(self.initial, self.initial)
        self.initial_facts = set(self._facts)
        self.steps: list[dict[str, Any]] = []
        self.said: list[str] = []
        self.failures: list[dict[str, str]] = []
        self.actions = 0
        self.calls = 0
        self._names_rng = random.Random(f"tabletop-names:{task_id}:{seed}")
        self.namespace: dict[str, Any] = {
            "get_obj_names": self.get_obj_names,
            "get_all_obj_names_that_match_type": self.get_all_obj_names_that_match_type,
            "determine_final_stacking_order": self.determine_final_stacking_order,
            "put_first_on_second": self.put_first_on_second,
            "stack_without_height_limit": self.stack_without_height_limit,
            "stack_with_height_limit": self.stack_with_height_limit,
            "parse_position": self.parse_position,
            "say": self.say,
            **paper_names(task_id, seed),
        }

    # --- bookkeeping -----------------------------------------------------------------

    def _fail(self, action: str, condition: str) -> NoReturn:
        err = ActionFailed(action, condition)
        self.failures.append({"outcome": err.outcome, "action": action, "message": str(err)})
        raise err

    def _count(self, action: str, moves: int = 0) -> None:
        self.calls += 1
        self.actions += moves
        if self.calls > MAX_CALLS or self.actions > MAX_ACTIONS:
            err = StepLimitReached(
                f"{action}: step budget used up ({MAX_ACTIONS} moves, {MAX_CALLS} calls)"
            )
            self.failures.append({"outcome": err.outcome, "action": action, "message": str(err)})
            raise err

    def _object(self, action: str, name: Any) -> str:
        if not isinstance(name, str) or name not in self.sim.bodies:
            self._fail(action, f"{name!r} is not an object on the table {self.get_obj_names()}")
        return name

    def _clear(self, action: str, name: str) -> None:
        above = [a for a, b in P.support(self.sim.poses()).items() if b == name]
        if above:
            self._fail(action, f"'{above[0]}' is on top of '{name}'")

    def trace(self) -> dict[str, Any]:
        final = self.sim.poses()
        return {
            "task": self.task_id,
            "seed": self.seed,
            "objects": list(self.plan.objects),
            "initial_poses": {k: list(v) for k, v in self.initial.items()},
            "final_poses": {k: list(v) for k, v in final.items()},
            "initial_facts": [list(f) for f in P.sort_facts(self.initial_facts)],
            "final_facts": [list(f) for f in P.sort_facts(P.facts(final, self.initial))],
            "steps": self.steps,
            "said": list(self.said),
            "failures": list(self.failures),
        }

    # --- perception ------------------------------------------------------------------

    def get_obj_names(self) -> list[str]:
        """Blocks first, or a fresh random order per call in scenes that ask for it."""
        self._count("get_obj_names")
        names = list(self.plan.objects)
        if self.plan.shuffled_names:
            self._names_rng.shuffle(names)
        return names

    def get_all_obj_names_that_match_type(
        self, type_name: str, objects_list: list[str] | None = None
    ) -> list[str]:
        """Objects of a shape ('block', 'cylinders') or colour ('red'), in list order."""
        action = "get_all_obj_names_that_match_type"
        self._count(action)
        if objects_list is None:
            objects_list = list(self.plan.objects)
        key = str(type_name).strip().lower().removesuffix("s") if type_name else ""
        if key not in TYPES and key not in COLOURS and key not in self.sim.bodies:
            self._fail(action, f"unknown type {type_name!r}; expected block, cylinder or a colour")
        if not isinstance(objects_list, list | tuple):
            self._fail(action, "objects_list must be a list of object names")
        return [
            o
            for o in objects_list
            if isinstance(o, str) and (obj_type(o) == key or o.split(" ")[0] == key or o == key)
        ]

    def determine_final_stacking_order(
        self, objects_to_enforce_order: list[str], objects_without_order: list[str]
    ) -> list[str]:
        """Bottom-to-top order: the enforced objects first, in their order, then the rest.
        Both lists are kept as given, as the paper's API does: an object in both appears
        twice, and stacking that list fails."""
        action = "determine_final_stacking_order"
        self._count(action)
        order = [self._object(action, o) for o in objects_to_enforce_order]
        return order + [self._object(action, o) for o in objects_without_order]

    def parse_position(self, description: str) -> list[float]:
        """[x, y] for a corner, an edge, the centre, or a spot next to a named object."""
        action = "parse_position"
        self._count(action)
        where = self._read_position(description)
        if where is None:
            self._fail(
                action,
                f"cannot read {description!r}; expected a corner ('top left corner'), an edge "
                "('bottom edge'), 'middle of the table', or '<left of|right of|behind|in front "
                "of|next to> the <object>'",
            )
        return where

    def _read_position(self, description: Any) -> list[float] | None:
        """The position a description names, or None when it names none."""
        text = " " + re.sub(r"[^a-z ]+", " ", str(description).lower()) + " "
        text = re.sub(r" (the|a|an|to) ", " ", re.sub(r" (the|a|an|to) ", " ", text))
        text = " ".join(text.split())
        poses = self.sim.poses()
        named = [o for o in sorted(self.sim.bodies, key=len, reverse=True) if o in text]
        ref = named[0] if named else None
        words = set(text.split())
        pair = [o for o in self.sim.bodies if o in text]
        if "between" in words and len(pair) == 2:  # halfway between two objects
            (x1, y1, _), (x2, y2, _) = poses[pair[0]], poses[pair[1]]
            return [round((x1 + x2) / 2, 4), round((y1 + y2) / 2, 4)]
        if ref and ("closest" in words or "nearest" in words):
            x, y, _ = poses[ref]
            pool = CORNERS if "corner" in words else EDGES if words & {"edge", "side"} else None
            if pool:
                return list(
                    min((region_point(r) for r in pool), key=lambda q: math.dist(q, (x, y)))
                )
        if ref:
            x, y, _ = poses[ref]
            for phrase, (sx, sy) in _OFFSETS.items():
                if phrase in text:
                    return [round(x + sx * NEXT_TO, 4), round(y + sy * NEXT_TO, 4)]
            if "next" in words or "beside" in words or "near" in words:
                if abs(x) >= abs(y):
                    return [round(x - math.copysign(NEXT_TO, x), 4), round(y, 4)]
                return [round(x, 4), round(y - math.copysign(NEXT_TO, y), 4)]
        vert = [v for w, v in _VERT.items() if w in words]
        horiz = [v for w, v in _HORIZ.items() if w in words]
        if "corner" in words and vert and horiz:
            return [round(horiz[0] * (HALF - 0.05), 4), round(vert[0] * (HALF - 0.05), 4)]
        if words & {"edge", "side", "border"} and len(vert) + len(horiz) == 1:
            return [
                round((horiz or [0])[0] * (HALF - 0.05), 4),
                round((vert or [0])[0] * (HALF - 0.05), 4),
            ]
        if words & {"middle", "center", "centre"}:
            return [0.0, 0.0]
        return None

    # --- actions ---------------------------------------------------------------------

    def say(self, text: str) -> None:
        self._count("say")
        self.said.append(str(text))

    def _free_spot(self, name: str) -> tuple[float, float]:
        """Nearest spot inside the table's interior that keeps clear of every other stack."""
        poses = self.sim.poses()
        x0, y0, _ = poses[name]
        others = [p[:2] for o, p in poses.items() if o != name and P.on_table(p)]
        grid = [round(-INTERIOR + i * 0.02, 4) for i in range(int(2 * INTERIOR / 0.02) + 1)]
        best = None
        for gx in grid:
            for gy in grid:
                if all(math.dist((gx, gy), q) >= MIN_APART for q in others):
                    d = math.dist((gx, gy), (x0, y0))
                    if best is None or d < best[0]:
                        best = (d, gx, gy)
        if best is None:
            self._fail("put_first_on_second", "no free room left on the table")
        return best[1], best[2]

    def put_first_on_second(self, arg1: str, arg2: Any) -> None:
        """Pick `arg1` (nothing on it) and place it on an object, 'table', [x, y], or a corner,
        an edge or the middle named in words, as the paper's API takes them; physics settles."""
        action = f"put_first_on_second({arg1!r}, {arg2!r})"
        self._count(action, moves=1)
        name = self._object(action, arg1)
        self._clear(action, name)
        if isinstance(arg2, str) and arg2 not in self.sim.bodies:
            arg2 = _named_place(arg2) or arg2
        if isinstance(arg2, str) and arg2.strip().lower() == "table":
            x, y = self._free_spot(name)
            self.sim.place(name, x, y)
            target_text: Any = "table"
        elif isinstance(arg2, str):
            target = self._object(action, arg2)
            if target == name:
                self._fail(action, f"cannot put '{name}' on itself")
            self._clear(action, target)
            self.sim.place(name, 0, 0, on=target)
            target_text = target
        elif (
            isinstance(arg2, list | tuple)
            and len(arg2) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in arg2)
        ):
            x, y = float(arg2[0]), float(arg2[1])
            if abs(x) > HALF - SIZE / 2 or abs(y) > HALF - SIZE / 2:
                self._fail(action, f"position {list(arg2)} is off the table (|x|, |y| <= {HALF})")
            self.sim.place(name, x, y)
            target_text = [round(x, 4), round(y, 4)]
        else:
            self._fail(action, f"{arg2!r} is neither an object, 'table', nor an [x, y] position")
        new = P.facts(self.sim.poses(), self.initial)
        gained, lost = new - self._facts, self._facts - new
        changes = [{"predicate": f[0], "args": list(f[1:]), "value": True} for f in gained]
        changes += [{"predicate": f[0], "args": list(f[1:]), "value": False} for f in lost]
        changes.sort(key=lambda c: _change_key(c, name))
        self.steps.append(
            {"action": f"put_first_on_second({name!r}, {target_text!r})", "changes": changes}
        )
        self._facts = new

    def stack_without_height_limit(self, objects_to_stack: list[str]) -> None:
        """One stack, bottom-to-top in list order; the first object stays where it is.
        Parameter names are the paper's, so its programs' keyword calls run."""
        action = "stack_without_height_limit"
        self._count(action)
        names = self._stack_list(action, objects_to_stack)
        for lower, upper in zip(names, names[1:], strict=False):
            self.put_first_on_second(upper, lower)

    def stack_with_height_limit(self, objects_to_stack: list[str], height_limit: int) -> None:
        """Consecutive runs of `height_limit` objects, each its own stack on the table."""
        action = "stack_with_height_limit"
        self._count(action)
        names = self._stack_list(action, objects_to_stack)
        if not isinstance(height_limit, int) or isinstance(height_limit, bool) or height_limit < 1:
            self._fail(action, f"height_limit must be a whole number >= 1, got {height_limit!r}")
        for start in range(0, len(names), height_limit):
            run = names[start : start + height_limit]
            if P.support(self.sim.poses()).get(run[0]) != "table":
                self.put_first_on_second(run[0], "table")
            for lower, upper in zip(run, run[1:], strict=False):
                self.put_first_on_second(upper, lower)

    def _stack_list(self, action: str, objects: Any) -> list[str]:
        if not isinstance(objects, list | tuple) or not objects:
            self._fail(action, "objects must be a non-empty list of object names")
        names = [self._object(action, o) for o in objects]
        if len(set(names)) != len(names):
            self._fail(action, "an object appears twice in the list")
        return names
