"""The PDDL domain's actions (robotouille/domain.pddl) through the kitchen environment: each
action's effects as the exact set of changed facts, and each precondition refused on its
own, named as the paper words it (fry on kitchens of its own, below). Same hand-built kitchen
as test_robotouille_env_rules:

    table1: cheese1 with bread1 on top | stove1: patty1 | cutting_board1: lettuce1 | fryer1: -
    robot1 starts at table1.
"""

from __future__ import annotations

import pytest

from robotouille.env import ActionNotAllowed, Change, KitchenEnv
from robotouille.level import Item, Level, Robot, Station

STATIONS = (
    Station("table", 0, 0),
    Station("stove", 1, 0),
    Station("cutting_board", 2, 0),
    Station("fryer", 3, 0),
)
ITEMS = (
    Item("cheese", 0, 0),
    Item("bread", 0, 0, level=1),
    Item("patty", 1, 0),
    Item("lettuce", 2, 0),
)


def env(items=ITEMS) -> KitchenEnv:
    return KitchenEnv(Level("hand", 4, 2, STATIONS, tuple(items), Robot(0, 1, "up")))


def changes(*pairs: tuple[tuple[str, ...], bool]) -> list[Change]:
    return sorted((Change(f, v) for f, v in pairs), key=lambda c: (c.fact, c.value))


def refused(e: KitchenEnv, *action: str) -> str:
    before = set(e.facts)
    with pytest.raises(ActionNotAllowed) as err:
        e.step(*action)
    assert e.facts == before
    return err.value.condition


# --- effects --------------------------------------------------------------------------------


def test_pickup_effects():
    e = env()
    e.step("move", "robot1", "table1", "stove1")
    assert e.step("pickup", "robot1", "patty1", "stove1") == changes(
        (("at", "patty1", "stove1"), False),
        (("empty", "stove1"), True),
        (("holding", "robot1", "patty1"), True),
        (("nothing", "robot1"), False),
        (("on", "patty1", "stove1"), False),
    )


def test_place_effects():
    e = env()
    e.step("move", "robot1", "table1", "stove1")
    e.step("pickup", "robot1", "patty1", "stove1")
    e.step("move", "robot1", "stove1", "fryer1")
    assert e.step("place", "robot1", "patty1", "fryer1") == changes(
        (("at", "patty1", "fryer1"), True),
        (("empty", "fryer1"), False),
        (("holding", "robot1", "patty1"), False),
        (("nothing", "robot1"), True),
        (("on", "patty1", "fryer1"), True),
    )


def test_unstack_effects():
    e = env()
    assert e.step("unstack", "robot1", "bread1", "cheese1", "table1") == changes(
        (("at", "bread1", "table1"), False),
        (("atop", "bread1", "cheese1"), False),
        (("clear", "cheese1"), True),
        (("holding", "robot1", "bread1"), True),
        (("nothing", "robot1"), False),
    )


def test_stack_effects():
    e = env()
    e.step("unstack", "robot1", "bread1", "cheese1", "table1")
    e.step("move", "robot1", "table1", "stove1")
    assert e.step("stack", "robot1", "bread1", "patty1", "stove1") == changes(
        (("at", "bread1", "stove1"), True),
        (("atop", "bread1", "patty1"), True),
        (("clear", "patty1"), False),
        (("holding", "robot1", "bread1"), False),
        (("nothing", "robot1"), True),
    )


def test_cut_and_cook_change_nothing_shown_until_progress_completes():
    # a cut shows nothing until the last one; starting to cook only marks the item as
    # cooking (bookkeeping that unit tests of asynchronous tasks read), never as cooked
    e = env()
    e.step("move", "robot1", "table1", "cutting_board1")
    assert e.step("cut", "robot1", "lettuce1", "cutting_board1") == []
    e.step("move", "robot1", "cutting_board1", "stove1")
    assert e.step("cook", "robot1", "patty1", "stove1") == [Change(("cooking", "patty1"), True)]


# --- preconditions, one at a time ----------------------------------------------------------


def test_move_preconditions():
    e = env()
    assert refused(e, "move", "robot1", "stove1", "fryer1") == "'robot1' is not at 'stove1'"
    assert refused(e, "move", "robot1", "table1", "table1") == "'table1' is not free of robots"


def test_pickup_preconditions():
    e = env()
    assert refused(e, "pickup", "robot1", "bread1", "table1") == (
        "'bread1' is not directly on 'table1'"
    )
    e.step("unstack", "robot1", "bread1", "cheese1", "table1")
    assert refused(e, "pickup", "robot1", "cheese1", "table1") == (
        "'robot1' is not holding nothing"
    )


def test_place_preconditions():
    e = env()
    assert refused(e, "place", "robot1", "patty1", "stove1") == "'robot1' is not at 'stove1'"
    assert refused(e, "place", "robot1", "patty1", "table1") == ("'robot1' is not holding 'patty1'")
    e.step("unstack", "robot1", "bread1", "cheese1", "table1")
    assert refused(e, "place", "robot1", "bread1", "table1") == "'table1' is not empty"


def test_stack_preconditions():
    e = env()
    assert refused(e, "stack", "robot1", "bread1", "patty1", "stove1") == (
        "'robot1' is not at 'stove1'"
    )
    assert refused(e, "stack", "robot1", "bread1", "cheese1", "table1") == (
        "'robot1' is not holding 'bread1'"
    )
    e.step("unstack", "robot1", "bread1", "cheese1", "table1")
    assert refused(e, "stack", "robot1", "bread1", "patty1", "table1") == (
        "'patty1' is not at 'table1'"
    )
    e.step("stack", "robot1", "bread1", "cheese1", "table1")
    e.step("move", "robot1", "table1", "stove1")
    e.step("pickup", "robot1", "patty1", "stove1")
    e.step("move", "robot1", "stove1", "table1")
    assert refused(e, "stack", "robot1", "patty1", "cheese1", "table1") == (
        "something is on top of 'cheese1'"
    )


def test_unstack_preconditions():
    e = env()
    e.step("move", "robot1", "table1", "stove1")
    assert refused(e, "unstack", "robot1", "bread1", "cheese1", "table1") == (
        "'robot1' is not at 'table1'"
    )
    e.step("pickup", "robot1", "patty1", "stove1")
    e.step("move", "robot1", "stove1", "table1")
    assert refused(e, "unstack", "robot1", "bread1", "cheese1", "table1") == (
        "'robot1' is not holding nothing"
    )
    e = env()
    assert refused(e, "unstack", "robot1", "cheese1", "bread1", "table1") == (
        "'cheese1' is not on top of 'bread1'"
    )
    e.step("move", "robot1", "table1", "stove1")
    assert refused(e, "unstack", "robot1", "bread1", "cheese1", "stove1") == (
        "'bread1' is not at 'stove1'"
    )
    # a three-high stack: the middle item cannot be unstacked
    e = env()
    e.step("move", "robot1", "table1", "stove1")
    e.step("pickup", "robot1", "patty1", "stove1")
    e.step("move", "robot1", "stove1", "table1")
    e.step("stack", "robot1", "patty1", "bread1", "table1")
    assert refused(e, "unstack", "robot1", "bread1", "cheese1", "table1") == (
        "something is on top of 'bread1'"
    )


def test_cut_preconditions():
    e = env()
    assert refused(e, "cut", "robot1", "lettuce1", "cutting_board1") == (
        "'robot1' is not at 'cutting_board1'"
    )
    e.step("unstack", "robot1", "bread1", "cheese1", "table1")
    e.step("move", "robot1", "table1", "cutting_board1")
    assert refused(e, "cut", "robot1", "lettuce1", "cutting_board1") == (
        "'robot1' is not holding nothing"
    )
    assert refused(e, "cut", "robot1", "patty1", "cutting_board1") == (
        "'robot1' is not holding nothing"
    )
    e.step("stack", "robot1", "bread1", "lettuce1", "cutting_board1")
    assert refused(e, "cut", "robot1", "lettuce1", "cutting_board1") == (
        "something is on top of 'lettuce1'"
    )
    assert refused(e, "cut", "robot1", "patty1", "cutting_board1") == (
        "'patty1' is not directly on 'cutting_board1'"
    )
    board_patty = env(items=(Item("patty", 2, 0),))
    board_patty.step("move", "robot1", "table1", "cutting_board1")
    assert refused(board_patty, "cut", "robot1", "patty1", "cutting_board1") == (
        "'patty1' can not be cut"
    )


def test_cook_preconditions():
    e = env()
    assert refused(e, "cook", "robot1", "patty1", "stove1") == "'robot1' is not at 'stove1'"
    e.step("unstack", "robot1", "bread1", "cheese1", "table1")
    e.step("move", "robot1", "table1", "stove1")
    assert refused(e, "cook", "robot1", "patty1", "stove1") == "'robot1' is not holding nothing"
    e.step("stack", "robot1", "bread1", "patty1", "stove1")
    assert refused(e, "cook", "robot1", "patty1", "stove1") == "something is on top of 'patty1'"
    assert refused(e, "cook", "robot1", "lettuce1", "stove1") == (
        "'lettuce1' is not directly on 'stove1'"
    )
    stove_lettuce = env(items=(Item("lettuce", 1, 0),))
    stove_lettuce.step("move", "robot1", "table1", "stove1")
    assert refused(stove_lettuce, "cook", "robot1", "lettuce1", "stove1") == (
        "'lettuce1' can not be cooked"
    )


def fryer_env(*items: Item, fry_steps: int | None = None) -> KitchenEnv:
    level = Level("fry", 4, 2, STATIONS, tuple(items), Robot(0, 1, "up"))
    return KitchenEnv(level, fry_steps=fry_steps)


def test_fry_starts_frying_and_nothing_else():
    # starting to fry only marks the item as frying (bookkeeping), never as fried
    e = fryer_env(Item("potato", 3, 0))
    e.step("move", "robot1", "table1", "fryer1")
    assert e.step("fry", "robot1", "potato1", "fryer1") == [Change(("frying", "potato1"), True)]


def test_fry_preconditions():
    # potato1 on fryer1, cheese1 with bread1 on top on table1, patty1 on stove1
    e = fryer_env(Item("cheese", 0, 0), Item("bread", 0, 0, level=1), Item("potato", 3, 0))
    assert refused(e, "fry", "robot1", "potato1", "fryer1") == "'robot1' is not at 'fryer1'"
    e.step("unstack", "robot1", "bread1", "cheese1", "table1")
    e.step("move", "robot1", "table1", "fryer1")
    assert refused(e, "fry", "robot1", "potato1", "fryer1") == "'robot1' is not holding nothing"
    e.step("stack", "robot1", "bread1", "potato1", "fryer1")
    assert refused(e, "fry", "robot1", "potato1", "fryer1") == "something is on top of 'potato1'"
    assert refused(e, "fry", "robot1", "cheese1", "fryer1") == (
        "'cheese1' is not directly on 'fryer1'"
    )
    on_stove = fryer_env(Item("potato", 1, 0))
    on_stove.step("move", "robot1", "table1", "stove1")
    assert refused(on_stove, "fry", "robot1", "potato1", "stove1") == "'stove1' is not a fryer"
    fryer_patty = fryer_env(Item("patty", 3, 0))
    fryer_patty.step("move", "robot1", "table1", "fryer1")
    assert refused(fryer_patty, "fry", "robot1", "patty1", "fryer1") == (
        "'patty1' can not be fried"
    )


def test_fried_item_cannot_be_fried_again():
    # fry_steps 1: fried once one more step has passed (the move away); back at the fryer
    # the potato is fried, which the precondition (not (isfried ?i)) refuses
    e = fryer_env(Item("potato", 3, 0), fry_steps=1)
    e.step("move", "robot1", "table1", "fryer1")
    e.step("fry", "robot1", "potato1", "fryer1")
    e.step("move", "robot1", "fryer1", "table1")
    e.step("move", "robot1", "table1", "fryer1")
    assert ("fried", "potato1") in e.facts
    assert refused(e, "fry", "robot1", "potato1", "fryer1") == "'potato1' is fried"


def test_cut_needs_a_cutting_board():
    # lettuce1 on stove1: the robot is there, holds nothing, lettuce is clear and cuttable,
    # but (isboard ?s) fails
    e = env(items=(Item("lettuce", 1, 0),))
    e.step("move", "robot1", "table1", "stove1")
    assert refused(e, "cut", "robot1", "lettuce1", "stove1") == "'stove1' is not a cutting board"
