"""Station and item kinds, and the capabilities the rules ask them about.

Rules live here, on the kinds, rather than in an if-chain in the step loop: a new ingredient
is one line below.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ItemKind:
    name: str
    cuttable: bool = False
    cookable: bool = False
    fryable: bool = False
    boilable: bool = False  # becomes soup in a pot of boiling water
    pot: bool = False  # holds water: filled at a sink, boiled on a stove
    distractor: bool = True  # the randomizer may add one (the paper's kinds only, so the
    # paper's levels stay the same for every seed)


@dataclass(frozen=True)
class StationKind:
    name: str
    cuts: bool = False  # cutting happens here
    cooks: bool = False  # cooking happens here
    fries: bool = False  # frying happens here
    fills: bool = False  # a pot is filled with water here
    boils: bool = False  # a pot of water boils here


ITEM_KINDS: dict[str, ItemKind] = {
    k.name: k
    for k in (
        ItemKind("top_bun"),
        ItemKind("bottom_bun"),
        ItemKind("bread"),
        ItemKind("cheese"),
        ItemKind("lettuce", cuttable=True),
        ItemKind("tomato", cuttable=True),
        ItemKind("onion", cuttable=True, boilable=True),
        ItemKind("patty", cookable=True),
        ItemKind("chicken", cookable=True, fryable=True),
        ItemKind("potato", fryable=True, boilable=True, distractor=False),
        ItemKind("pot", pot=True, distractor=False),
    )
}

STATION_KINDS: dict[str, StationKind] = {
    k.name: k
    for k in (
        StationKind("table"),
        StationKind("stove", cooks=True, boils=True),
        StationKind("cutting_board", cuts=True),
        StationKind("fryer", fries=True),
        StationKind("sink", fills=True),
    )
}

# Extra spellings people and models use for the same kinds.
_ALIASES = {"board": "cutting_board", "cuttingboard": "cutting_board"}


def normalize_kind(name: str) -> str:
    """'top bun', 'Top-Bun', 'top_bun' -> 'top_bun'; aliases resolve to the canonical kind."""
    key = "_".join(name.strip().lower().replace("-", " ").split())
    return _ALIASES.get(key, key)


def kind_of(obj_name: str) -> str:
    """Kind of an object id: 'cutting_board2' -> 'cutting_board'."""
    return obj_name.rstrip("0123456789")


def id_order(obj_name: str) -> tuple[str, int]:
    """Sort key for ids: by kind, then by number ('patty2' before 'patty10')."""
    kind = kind_of(obj_name)
    digits = obj_name[len(kind) :]
    return kind, int(digits) if digits.isdigit() else 0
