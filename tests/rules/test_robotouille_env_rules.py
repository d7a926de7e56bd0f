"""The kitchen's own rules (robotouille/env.py) on a hand-built one-row kitchen.

Layout (x across, row y=0 are stations; the robot stands below, facing up):

    x:      0        1        2               3
    y=0:  table1   stove1   cutting_board1   fryer1
    items:  cheese   patty    lettuce         -
            bread (atop cheese)

One item per kind, so every name is the kind plus 1. Progress rules are counted by hand.
"""

from __future__ import annotations

import pytest

from robotouille.env import (
    ActionNotAllowed,
    Change,
    KitchenEnv,
    StepBudgetExhausted,
    describe,
    problem_text,
)
from robotouille.level import Item, Level, Robot, Station

STATIONS = (
    Station("table", 0, 0),
    Station("stove", 1, 0),
    Station("cutting_board", 2, 0),
    Station("fryer", 3, 0),
)


def level(items=None, goal=(), robot_x=0) -> Level:
    if items is None:
        items = (
            Item("cheese", 0, 0),
            Item("bread", 0, 0, level=1),
            Item("patty", 1, 0),
            Item("lettuce", 2, 0),
        )
    return Level("hand", 4, 2, STATIONS, tuple(items), Robot(robot_x, 1, "up"), tuple(goal))


def env(**kw) -> KitchenEnv:
    goal = kw.pop("goal", ())
    items = kw.pop("items", None)
    return KitchenEnv(level(items, goal), **kw)


def go(e: KitchenEnv, station: str) -> None:
    here = next(f[2] for f in e.facts if f[0] == "at" and f[1] == "robot1")
    e.step("move", "robot1", here, station)


# --- the initial state ----------------------------------------------------------------------


def test_initial_facts_of_a_hand_built_level():
    e = env()
    assert e.stations == ["cutting_board1", "fryer1", "stove1", "table1"]
    assert e.items == ["bread1", "cheese1", "lettuce1", "patty1"]
    expected = {
        ("at", "robot1", "table1"),
        ("nothing", "robot1"),
        # the robot's own station is not vacant; the others are
        ("vacant", "stove1"),
        ("vacant", "cutting_board1"),
        ("vacant", "fryer1"),
        ("empty", "fryer1"),
        # the table's stack: cheese directly on it, bread atop cheese, bread on top
        ("at", "cheese1", "table1"),
        ("on", "cheese1", "table1"),
        ("at", "bread1", "table1"),
        ("atop", "bread1", "cheese1"),
        ("clear", "bread1"),
        ("at", "patty1", "stove1"),
        ("on", "patty1", "stove1"),
        ("clear", "patty1"),
        ("at", "lettuce1", "cutting_board1"),
        ("on", "lettuce1", "cutting_board1"),
        ("clear", "lettuce1"),
    }
    assert e.facts == expected


def test_problem_text_declares_capabilities_and_initial_flags():
    text = problem_text(
        level(items=(Item("patty", 1, 0, cooked=True), Item("lettuce", 2, 0, cut=True)))
    )
    for line in (
        "(istable table1)",
        "(isstove stove1)",
        "(isboard cutting_board1)",
        "(isfryer fryer1)",
        "(iscookable patty1)",
        "(iscuttable lettuce1)",
        "(iscooked patty1)",
        "(iscut lettuce1)",
        "(empty table1)",
        "(loc robot1 table1)",
        "(nothing robot1)",
    ):
        assert line in text
    assert "(iscuttable patty1)" not in text and "(iscookable lettuce1)" not in text
    assert "(vacant table1)" not in text
    assert "(:domain robotouille)" in text and "(define (problem hand)" in text


def test_problem_name_replaces_underscores_and_defaults_to_kitchen():
    lv = level()
    assert "(define (problem my-level)" in problem_text(
        Level("my_level", 4, 2, lv.stations, lv.items, lv.robot)
    )
    assert "(define (problem kitchen)" in problem_text(
        Level("", 4, 2, lv.stations, lv.items, lv.robot)
    )


def test_initially_cut_and_cooked_items_show_as_facts():
    e = env(items=(Item("patty", 1, 0, cooked=True), Item("lettuce", 2, 0, cut=True)))
    assert e.holds("cooked", "patty1") and e.holds("cut", "lettuce1")


# --- cutting --------------------------------------------------------------------------------


def test_cut_needs_cut_steps_cuts():
    # cut_steps=3: the fact appears with the third cut, not before.
    e = env()
    go(e, "cutting_board1")
    assert e.step("cut", "robot1", "lettuce1", "cutting_board1") == []
    e.step("cut", "robot1", "lettuce1", "cutting_board1")
    assert not e.holds("cut", "lettuce1")
    assert e.cut_progress == {"lettuce1": 2}
    changes = e.step("cut", "robot1", "lettuce1", "cutting_board1")
    assert changes == [Change(("cut", "lettuce1"), True)]
    assert e.holds("cut", "lettuce1")


def test_cut_steps_is_configurable():
    e = env(cut_steps=1)
    go(e, "cutting_board1")
    e.step("cut", "robot1", "lettuce1", "cutting_board1")
    assert e.holds("cut", "lettuce1")


def test_cut_item_cannot_be_cut_again():
    e = env(cut_steps=1)
    go(e, "cutting_board1")
    e.step("cut", "robot1", "lettuce1", "cutting_board1")
    with pytest.raises(ActionNotAllowed) as err:
        e.step("cut", "robot1", "lettuce1", "cutting_board1")
    assert err.value.condition == "'lettuce1' is cut"


def test_cut_progress_survives_waiting():
    # Cuts need not be consecutive: 2 cuts, a wait, 1 cut -> cut.
    e = env()
    go(e, "cutting_board1")
    for _ in range(2):
        e.step("cut", "robot1", "lettuce1", "cutting_board1")
    e.step("wait")
    e.step("cut", "robot1", "lettuce1", "cutting_board1")
    assert e.holds("cut", "lettuce1")


# --- cooking --------------------------------------------------------------------------------


def test_cooking_counts_from_the_step_after_cook():
    # cook_steps=3: the cook step itself does not count; waits 1, 2, 3 do; cooked after 3.
    e = env()
    go(e, "stove1")
    e.step("cook", "robot1", "patty1", "stove1")
    assert e.cooking == {"patty1": 0}
    e.step("wait")
    e.step("wait")
    assert not e.holds("cooked", "patty1") and e.cooking == {"patty1": 2}
    changes = e.step("wait")
    # done: no longer cooking, now cooked
    assert set(changes) == {
        Change(("cooking", "patty1"), False),
        Change(("cooked", "patty1"), True),
    }
    assert e.cooking == {}  # finished items leave the cooking table


def test_cook_steps_is_configurable():
    e = env(cook_steps=1)
    go(e, "stove1")
    e.step("cook", "robot1", "patty1", "stove1")
    assert not e.holds("cooked", "patty1")
    e.step("wait")
    assert e.holds("cooked", "patty1")


def test_cooking_pauses_while_the_item_is_held_and_resumes_on_the_stove():
    # cook, wait (1), pick up (held: paused), wait (paused), place back (2), wait (3: cooked).
    e = env()
    go(e, "stove1")
    e.step("cook", "robot1", "patty1", "stove1")
    e.step("wait")
    e.step("pickup", "robot1", "patty1", "stove1")
    e.step("wait")
    assert e.cooking == {"patty1": 1}
    e.step("place", "robot1", "patty1", "stove1")
    assert e.cooking == {"patty1": 2} and not e.holds("cooked", "patty1")
    e.step("wait")
    assert e.holds("cooked", "patty1")


def test_cooking_pauses_off_the_stove_and_continues_back_on_it():
    # cook (0), wait (1), pick the patty up and walk away (paused at 1), walk back and
    # put it down: placing it on the stove counts (2), one wait (3: cooked). A fryer does
    # not cook: it fries (robotouille/kinds.py).
    e = env()
    go(e, "stove1")
    e.step("cook", "robot1", "patty1", "stove1")
    e.step("wait")
    e.step("pickup", "robot1", "patty1", "stove1")
    go(e, "fryer1")
    go(e, "stove1")
    assert e.cooking == {"patty1": 1}
    e.step("place", "robot1", "patty1", "stove1")
    assert e.cooking == {"patty1": 2}
    e.step("wait")
    assert e.holds("cooked", "patty1")


def test_cooking_continues_while_the_robot_does_other_things():
    # cook, then three moves: each is a step with the patty on the stove.
    e = env()
    go(e, "stove1")
    e.step("cook", "robot1", "patty1", "stove1")
    go(e, "table1")
    go(e, "fryer1")
    assert not e.holds("cooked", "patty1")
    go(e, "table1")
    assert e.holds("cooked", "patty1")


def test_cooking_continues_during_cut_steps():
    e = env(cut_steps=5)
    go(e, "stove1")
    e.step("cook", "robot1", "patty1", "stove1")
    go(e, "cutting_board1")  # 1
    e.step("cut", "robot1", "lettuce1", "cutting_board1")  # 2
    e.step("cut", "robot1", "lettuce1", "cutting_board1")  # 3
    assert e.holds("cooked", "patty1")


def test_cook_needs_a_stove_and_a_cookable_uncooked_item():
    e = env()
    go(e, "cutting_board1")
    with pytest.raises(ActionNotAllowed) as err:
        e.step("cook", "robot1", "lettuce1", "cutting_board1")
    assert err.value.condition == "'cutting_board1' is not a stove"


def test_cook_on_a_cooked_item_is_refused():
    e = env(items=(Item("patty", 1, 0, cooked=True),))
    go(e, "stove1")
    with pytest.raises(ActionNotAllowed) as err:
        e.step("cook", "robot1", "patty1", "stove1")
    assert err.value.condition == "'patty1' is cooked"


# --- steps ----------------------------------------------------------------------------------


def test_step_limit_counts_every_action_including_wait():
    e = env(step_limit=2)
    e.step("wait")
    go(e, "stove1")
    assert e.steps == 2
    with pytest.raises(StepBudgetExhausted, match="step limit of 2 reached"):
        e.step("wait")


def test_step_reports_changes_sorted_true_and_false():
    e = env()
    changes = e.step("move", "robot1", "table1", "stove1")
    # sorted by fact: at robot1 stove1 (new), at robot1 table1 (gone), vacant stove1 (gone),
    # vacant table1 (new)
    assert changes == [
        Change(("at", "robot1", "stove1"), True),
        Change(("at", "robot1", "table1"), False),
        Change(("vacant", "stove1"), False),
        Change(("vacant", "table1"), True),
    ]


def test_wait_changes_nothing_but_the_clock():
    e = env()
    before = set(e.facts)
    assert e.step("wait") == []
    assert e.facts == before and e.steps == 1


# --- preconditions --------------------------------------------------------------------------


def test_unknown_action_is_refused():
    with pytest.raises(ActionNotAllowed) as err:
        env().step("fly", "robot1")
    assert (err.value.action, err.value.condition) == ("fly", "no such action")
    assert str(err.value) == "fly: no such action"


def test_wrong_number_of_arguments_is_refused():
    with pytest.raises(ActionNotAllowed) as err:
        env().step("move", "robot1", "table1")
    assert err.value.condition == "expects 3 arguments"


def test_argument_of_the_wrong_type_or_unknown_is_refused():
    with pytest.raises(ActionNotAllowed) as err:
        env().step("move", "robot1", "table1", "patty1")
    assert err.value.condition == "'patty1' is not a station"
    with pytest.raises(ActionNotAllowed) as err:
        env().step("move", "robot1", "table1", "table9")
    assert err.value.condition == "'table9' is not a station"


def test_first_failing_precondition_is_named():
    # pickup patty1 at stove1 from table1: the first precondition (loc robot1 stove1) fails.
    with pytest.raises(ActionNotAllowed) as err:
        env().step("pickup", "robot1", "patty1", "stove1")
    assert err.value.condition == "'robot1' is not at 'stove1'"


def test_pickup_of_a_covered_item_names_what_is_on_it():
    with pytest.raises(ActionNotAllowed) as err:
        env().step("pickup", "robot1", "cheese1", "table1")
    # cheese is on the table and robot is there; it is not clear
    assert err.value.condition == "something is on top of 'cheese1'"


def test_refused_action_changes_nothing():
    e = env()
    before = set(e.facts)
    with pytest.raises(ActionNotAllowed):
        e.step("pickup", "robot1", "patty1", "stove1")
    assert e.facts == before and e.steps == 0


# --- describe -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "negative", "text"),
    [
        ("loc", ("robot1", "stove1"), False, "'robot1' is not at 'stove1'"),
        ("at", ("patty1", "stove1"), False, "'patty1' is not at 'stove1'"),
        ("on", ("patty1", "stove1"), False, "'patty1' is not directly on 'stove1'"),
        ("vacant", ("stove1",), False, "'stove1' is not free of robots"),
        ("empty", ("stove1",), False, "'stove1' is not empty"),
        ("atop", ("a1", "b1"), False, "'a1' is not on top of 'b1'"),
        ("clear", ("a1",), False, "something is on top of 'a1'"),
        ("has", ("robot1", "a1"), False, "'robot1' is not holding 'a1'"),
        ("nothing", ("robot1",), False, "'robot1' is not holding nothing"),
        ("iscut", ("a1",), False, "'a1' is not cut"),
        ("iscooked", ("a1",), False, "'a1' is not cooked"),
        ("istable", ("s1",), False, "'s1' is not a table"),
        ("isstove", ("s1",), False, "'s1' is not a stove"),
        ("isboard", ("s1",), False, "'s1' is not a cutting board"),
        ("isfryer", ("s1",), False, "'s1' is not a fryer"),
        ("iscuttable", ("a1",), False, "'a1' can not be cut"),
        ("iscookable", ("a1",), False, "'a1' can not be cooked"),
        # required to be false, so it is true now: the plain sentence
        ("iscut", ("a1",), True, "'a1' is cut"),
        ("clear", ("a1",), True, "nothing is on top of 'a1'"),
    ],
)
def test_describe_says_what_is_wrong_now(name, args, negative, text):
    assert describe(name, args, negative) == text


def test_describe_negates_only_the_first_is():
    # "'x is y' is at 'z'": only the first " is " gets the "not".
    assert describe("at", ("x is y", "z"), False) == "'x is not y' is at 'z'"


# --- goals ----------------------------------------------------------------------------------


def test_goal_kinds_act_as_wildcards_and_names_match_exactly():
    e = env(goal=("at patty stove",))
    assert e.done
    assert env(goal=("at patty1 stove1",)).done
    assert not env(goal=("at patty table",)).done
    assert not env(goal=("at patty2 stove1",)).done


def test_goal_needs_the_same_arity_and_predicate():
    assert not env(goal=("at patty",)).done
    assert not env(goal=("at patty stove robot",)).done
    assert not env(goal=("on patty stove1 x",)).done
    assert not env(goal=("cooked patty",)).done


def test_every_goal_must_hold():
    assert not env(goal=("at patty stove", "cooked patty")).done
    assert env(goal=("at patty stove", "at lettuce cutting_board")).done
    assert env(goal=()).done


def test_goal_becomes_done_when_cooking_finishes():
    e = env(goal=("cooked patty",), cook_steps=1)
    go(e, "stove1")
    e.step("cook", "robot1", "patty1", "stove1")
    assert not e.done
    e.step("wait")
    assert e.done


# --- second round: rules the first mutation run showed unpinned -----------------------------


def test_problem_lists_one_init_literal_per_line():
    text = problem_text(level())
    assert "\n    (loc robot1 table1)\n" in text
    assert "(:objects robot1 - player " in text
    assert "\n    (nothing robot1)\n" in text


def test_env_defaults_and_level():
    lv = level()
    e = KitchenEnv(lv)
    assert (e.cut_steps, e.cook_steps, e.step_limit) == (3, 3, 400)
    assert e.level is lv and e.goal == lv.goal and e.robot == "robot1"


def test_refusals_name_the_action():
    e = env()
    for args, action in (
        (("move", "robot1", "table1"), "move"),
        (("move", "robot1", "table1", "patty1"), "move"),
        (("pickup", "robot1", "patty1", "stove1"), "pickup"),
    ):
        with pytest.raises(ActionNotAllowed) as err:
            e.step(*args)
        assert err.value.action == action
        assert str(err.value).startswith(f"{action}: ")
