"""The Robotouille reasoner's belief of where things are (reasoners/symbolic/robotouille.py
`Belief`): how a pick-up or put-down is worded, and how a missing put-down is bridged.
And how code.py names roles and keeps per-unit lists, and how subtasks.py groups actions.
Every expected sentence is written by hand from the docstrings' rules."""

from __future__ import annotations

import pytest

from demo2code.reasoners.base import GenerationFailed
from demo2code.reasoners.symbolic.robotouille.code import spec_to_code
from demo2code.reasoners.symbolic.robotouille.reading import (
    Belief,
    article,
    kind,
    low_level,
    words,
)
from demo2code.reasoners.symbolic.robotouille.subtasks import subtasks


def test_kind_words_and_article():
    assert kind("cutting_board12") == "cutting_board"
    assert words("top_bun") == "top bun"
    assert (article("onion"), article("patty"), article("egg_roll")) == ("an", "a", "an")


def test_put_down_on_a_station_places_it():
    b = Belief(held="patty1")
    assert b.put_down("patty1", "stove1", None) == "Place 'patty1' on 'stove1'."
    assert (b.held, b.item_at, b.below) == (None, {"patty1": "stove1"}, {})


def test_put_down_onto_an_item_stacks_it_at_that_item_station():
    b = Belief(held="bun1", item_at={"patty1": "stove1"})
    assert b.put_down("bun1", None, "patty1") == "Stack 'bun1' on top of 'patty1' at 'stove1'."
    assert b.item_at["bun1"] == "stove1" and b.below == {"bun1": "patty1"}


def test_put_down_onto_an_item_of_unknown_place_has_no_station():
    b = Belief(held="bun1")
    assert b.put_down("bun1", None, "patty1") == "Stack 'bun1' on top of 'patty1'."
    assert "bun1" not in b.item_at


def test_put_down_on_a_table_with_one_top_item_stacks_on_it():
    b = Belief(held="bun1", item_at={"patty1": "table2", "lettuce1": "table2"})
    b.below = {"lettuce1": "patty1"}  # lettuce on patty: lettuce is the only top
    assert b.put_down("bun1", "table2", None) == "Stack 'bun1' on top of 'lettuce1' at 'table2'."


def test_put_down_on_a_table_with_no_or_two_tops_places_it():
    b = Belief(held="bun1", item_at={"patty1": "table2", "cheese1": "table2"})
    assert b.put_down("bun1", "table2", None) == "Place 'bun1' on 'table2'."
    b = Belief(held="bun1")
    assert b.put_down("bun1", "table2", None) == "Place 'bun1' on 'table2'."


def test_put_down_on_a_stove_never_stacks_by_guess():
    b = Belief(held="bun1", item_at={"patty1": "stove1"})
    assert b.put_down("bun1", "stove1", None) == "Place 'bun1' on 'stove1'."


def test_put_down_nowhere_known():
    b = Belief(held="bun1")
    assert b.put_down("bun1", None, None) == "Put down 'bun1'."
    assert b.held is None and b.item_at == {}


def test_put_down_of_another_item_keeps_what_is_held():
    b = Belief(held="bun1")
    b.put_down("patty1", "stove1", None)
    assert b.held == "bun1"


def test_top_at_is_the_single_uncovered_item_at_a_station():
    b = Belief(item_at={"a1": "t1", "b1": "t1", "c1": "t2"}, below={"b1": "a1"})
    assert b.top_at("t1") == "b1"
    assert b.top_at("t2") == "c1"
    assert b.top_at("t3") is None
    b.item_at["d1"] = "t1"  # two uncovered items at t1
    assert b.top_at("t1") is None


def test_pick_up_from_where_it_is_believed_to_be():
    b = Belief(robot_at="table1", item_at={"patty1": "stove1"})
    assert b.pick("patty1", None, None) == "Pick up 'patty1' from 'stove1'."
    assert (b.held, b.robot_at, b.item_at) == ("patty1", "stove1", {})


def test_pick_up_with_a_given_station_or_where_the_robot_is():
    b = Belief(robot_at="table1", item_at={"patty1": "stove1"})
    assert b.pick("patty1", "fryer1", None) == "Pick up 'patty1' from 'fryer1'."
    b = Belief(robot_at="table1")
    assert b.pick("patty1", None, None) == "Pick up 'patty1' from 'table1'."
    assert Belief().pick("patty1", None, None) == "Pick up 'patty1'."


def test_pick_up_of_a_stacked_item_is_an_unstack():
    b = Belief(item_at={"bun1": "table1"}, below={"bun1": "patty1"})
    assert b.pick("bun1", None, None) == "Unstack 'bun1' from 'patty1'."
    assert b.below == {} and b.item_at == {}
    assert Belief().pick("bun1", None, "cheese1") == "Unstack 'bun1' from 'cheese1'."


def test_pick_while_holding_another_bridges_the_unseen_put_down():
    # The held patty's put-down was not seen: it went where the robot went first after
    # picking it up (stove1), then the bun is picked up where the robot is now.
    b = Belief(robot_at="table1", held="patty1", moved_to=["stove1", "table1"])
    assert b.pick("bun1", None, None) == (
        "Place 'patty1' on 'stove1'.\nPick up 'bun1' from 'table1'."
    )
    assert b.held == "bun1" and b.moved_to == [] and b.item_at == {"patty1": "stove1"}


def test_unseen_put_down_without_moves_happens_where_the_robot_is():
    b = Belief(robot_at="stove1", held="patty1")
    assert b.unseen_put_down() == "Place 'patty1' on 'stove1'."


def test_picking_the_held_item_again_adds_no_put_down():
    b = Belief(robot_at="table1", held="patty1", moved_to=["stove1"])
    assert b.pick("patty1", None, None) == "Pick up 'patty1' from 'table1'."


# --- the spec read back into code (code.py) -------------------------------------------------


def test_spec_role_with_an_ordinal_is_numbered_and_spaces_become_underscores():
    # "the second top bun": ORDINALS puts "second" at index 1, so the variable is top_bun_2
    code = spec_to_code(
        "Make it.\nSpecifically:\n"
        "Choose an unused top bun as the second top bun.\nCook the second top bun.\n"
    )
    assert code == (
        "used_objs = []\ntop_bun_2 = get_unused_obj('top_bun', used_objs)\ncook_obj(top_bun_2)\n"
    )


def test_spec_role_without_an_ordinal_is_the_bare_noun():
    code = spec_to_code("Make it.\nSpecifically:\nChoose an unused top bun.\nCut the top bun.\n")
    assert "top_bun = get_unused_obj('top_bun', used_objs)\ncut_obj(top_bun)\n" in code


def test_unit_lists_are_kept_only_when_a_later_phase_reads_them_back():
    loop = "Repeat 2 times:\n    Choose an unused patty.\n    Cook the patty.\n"
    again = (
        "Then repeat 2 times, for the same items in the same order:\n"
        "    Place the patty on a table.\n"
    )
    # with the second phase: patty_list is filled in the first loop and read in the second
    code = spec_to_code("Make it.\nSpecifically:\n" + loop + again)
    assert "patty_list = []\n" in code and "    patty_list.append(patty)\n" in code
    assert "    patty = patty_list[i]\n" in code
    # without it, nothing reads the list back: neither line is written
    alone = spec_to_code("Make it.\nSpecifically:\n" + loop)
    assert "patty_list" not in alone


# --- low-level actions to subtasks (subtasks.py) ---------------------------------------------


def test_preparation_unrecorded_is_placed_where_it_is_first_evident():
    # no "Place 'patty1' on 'stove1'." was recorded: picking it up from the stove shows it
    # was cooking there (start + wait with nothing between: one "Cook")
    assert subtasks(["Pick up 'patty1' from 'stove1'."]) == ["Cook 'patty1'."]
    # reported done: the same
    assert subtasks(["'patty1' is now cooked."]) == ["Cook 'patty1'."]
    # picked up with no station named: nothing to prepare
    assert subtasks(["Pick up 'patty1'."]) == []


def test_an_item_placed_where_it_cannot_be_prepared_is_no_preparation():
    # lettuce is not cookable: placing it on a stove prepares nothing, and a stove is no
    # place a "Place ... on a stove" subtask is written for
    assert subtasks(["Place 'lettuce1' on 'stove1'."]) == []


def test_a_timed_preparation_closes_when_the_item_leaves_by_unstacking():
    # the cut happens while the patty cooks; unstacking the patty closes its wait before
    # the next subtask (the table place)
    lines = [
        "Place 'patty1' on 'stove1'.",
        "Place 'lettuce1' on 'cutting_board1'.",
        "Unstack 'patty1' from 'bottom_bun1'.",
        "Place 'patty1' on 'table1'.",
    ]
    assert subtasks(lines) == [
        "Start cooking 'patty1'.",
        "Cut 'lettuce1'.",
        "Wait until 'patty1' is cooked.",
        "Place 'patty1' on a table.",
    ]


def test_stacking_a_cooking_item_closes_its_wait_then_stacks():
    lines = [
        "Place 'patty1' on 'stove1'.",
        "Place 'lettuce1' on 'cutting_board1'.",
        "Stack 'patty1' on top of 'bottom_bun1'.",
    ]
    assert subtasks(lines) == [
        "Start cooking 'patty1'.",
        "Cut 'lettuce1'.",
        "Wait until 'patty1' is cooked.",
        "Stack 'patty1' on top of 'bottom_bun1'.",
    ]


def test_unreadable_lines_are_skipped_not_the_end():
    assert subtasks(["Hello.", "Place 'lettuce1' on 'cutting_board1'."]) == ["Cut 'lettuce1'."]


# --- reading a demonstration (reading.py low_level) -----------------------------------------

MOVE_PATTY = (
    "State 2:\n'robot1' is holding 'patty1'\n'patty1' is not at 'table1'\n"
    "State 3:\n'robot1' is not holding 'patty1'\n'patty1' is at 'stove1'\n"
)


def test_a_chunk_without_a_scenario_header_is_read_as_one_scenario():
    expected = ["Pick up 'patty1' from 'table1'.", "Place 'patty1' on 'stove1'."]
    assert low_level(MOVE_PATTY) == expected
    assert low_level("[Scenario 1]\nCook.\n" + MOVE_PATTY) == expected


def test_unreadable_demonstration_fails_naming_the_scenario_line():
    # the header is line 1, the instruction line 2, "State 2:" line 3, the bad line 4
    with pytest.raises(GenerationFailed) as err:
        low_level("[Scenario 1]\nCook.\nState 2:\nnonsense\n")
    assert str(err.value) == (
        "cannot read the demonstration: <scenario>: line 4: expected a predicate like "
        "'a' is at 'b' or a 'State N:' header, got 'nonsense'"
    )


def test_items_below_a_held_item_are_part_of_the_task_others_are_distractions():
    # patty1 is never held, but top_bun1 (held) is stacked on it: its "cooked" is kept;
    # lettuce1 is never held and nothing held is stacked on it: its "cut" is dropped
    text = (
        "[Scenario 1]\nCook.\n"
        "State 2:\n'patty1' is cooked\n"
        "State 3:\n'robot1' is holding 'top_bun1'\n'top_bun1' is not at 'table1'\n"
        "State 4:\n'robot1' is not holding 'top_bun1'\n'top_bun1' is on top of 'patty1'\n"
        "'top_bun1' is at 'stove1'\n'lettuce1' is cut\n"
    )
    assert low_level(text) == [
        "'patty1' is now cooked.",
        "Pick up 'top_bun1' from 'table1'.",
        "Stack 'top_bun1' on top of 'patty1' at 'stove1'.",
    ]
