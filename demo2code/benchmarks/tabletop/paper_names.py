"""Names the paper's tabletop programs find in their namespace besides the API functions.

The paper's generated programs pick "any corner" with `np.random.choice(ALL_CORNERS_LIST)`.
Only that call is offered: `np` here is a stand-in with `random.choice`, seeded per episode so
a run repeats exactly, not numpy itself (which could read and write files).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

ALL_CORNERS_LIST = (
    "top left corner",
    "top right corner",
    "bottom left corner",
    "bottom right corner",
)
ALL_EDGES_LIST = ("top edge", "bottom edge", "left edge", "right edge")
ALL_POSITION_RELATION_LIST = ("left of", "right of", "behind", "in front of")


class SeededChoice:
    """`random.choice` of the `np` stand-in."""

    def __init__(self, rng: random.Random):
        self._rng = rng

    def choice(self, options: Iterable[Any]) -> Any:
        pool = list(options)
        if not pool:
            raise ValueError("np.random.choice: expected a non-empty list")
        return self._rng.choice(pool)


class NumpyStandIn:
    """What the paper's programs use of numpy: `np.random.choice(list)`."""

    def __init__(self, seed: str):
        self.random = SeededChoice(random.Random(seed))


def paper_names(task_id: str, seed: int | None) -> dict[str, Any]:
    """Fresh copies per episode, so a program that changes a list changes only its own."""
    return {
        "np": NumpyStandIn(f"tabletop:{task_id}:{seed}"),
        "ALL_CORNERS_LIST": list(ALL_CORNERS_LIST),
        "ALL_EDGES_LIST": list(ALL_EDGES_LIST),
        "ALL_POSITION_RELATION_LIST": list(ALL_POSITION_RELATION_LIST),
    }
