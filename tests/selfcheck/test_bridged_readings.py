"""Noisy Robotouille demonstrations whose lost steps hide part of the task: the self-check
compares with what the demonstration implies (selfcheck/bridge.py), and the offline rules'
repair finds the reading that agrees (reasoners/symbolic/robotouille/alternatives.py).

Each demonstration here is a shipped one with chosen changes removed by hand."""

from __future__ import annotations

import copy

from demo2code.benchmarks import get_benchmark
from demo2code.benchmarks.base import api_names
from demo2code.demos import Demonstration
from demo2code.evaluation.episodes import run_episode
from demo2code.evaluation.generation import demo_check
from demo2code.pipeline import synthesize
from demo2code.reasoners.base import StageContext
from demo2code.reasoners.symbolic import SymbolicReasoner
from demo2code.reasoners.symbolic.robotouille.alternatives import (
    attached_placements,
    completed_units,
    consistent,
    with_stack,
)
from demo2code.selfcheck import self_check
from demo2code.selfcheck.bridge import bridge
from demo2code.selfcheck.timeline import Timeline, from_scenario

BENCH = get_benchmark("robotouille")


def _without(
    task_id: str,
    lost: dict[int, list[tuple[str, tuple[str, ...]]]],
    lost_steps: dict[int, set[int]] | None = None,
) -> Demonstration:
    """The task's shipped demonstration with the named changes (scenario -> predicate and
    arguments) removed wherever they occur, and whole steps (scenario -> step indices)
    removed."""
    demo = copy.deepcopy(BENCH.demos(BENCH.task(task_id)))
    for index, facts in lost.items():
        for step in demo.scenarios[index].steps:
            step.changes = [c for c in step.changes if (c.predicate, tuple(c.args)) not in facts]
    for index, gone in (lost_steps or {}).items():
        scen = demo.scenarios[index]
        scen.steps = [step for n, step in enumerate(scen.steps) if n not in gone]
    return demo


def _synthesize(task_id: str, demo: Demonstration, repair: int):
    task = BENCH.task(task_id)
    ctx = StageContext(BENCH.name, BENCH.api_reference(), api_names(BENCH, task))
    check = demo_check(BENCH, demo) if repair else None
    return synthesize(
        "demo2code", demo, task.instruction, None, ctx, SymbolicReasoner(),
        check=check, repair=repair,
    )  # fmt: skip


def _passes(task_id: str, program: str) -> bool:
    task = BENCH.task(task_id)
    return all(run_episode(BENCH, task, seed, program).passed for seed in task.seeds[:2])


def _is_robot(name: str) -> bool:
    return name.startswith("robot")


# --- the bridged demonstration ---------------------------------------------------------


def test_every_shipped_demonstration_is_complete_so_bridging_adds_nothing() -> None:
    for task in BENCH.tasks():
        for scen in BENCH.demos(task).scenarios:
            timeline = from_scenario(scen)
            assert bridge(timeline, _is_robot) == timeline, task.id


def test_a_put_down_whose_place_was_lost_lands_on_the_stack_where_the_robot_was() -> None:
    # both scenarios lost where the patty went (onto the bottom bun): only "no longer held"
    patty = {("at", ("patty1", t)) for t in ("table1", "table3")} | {
        ("atop", ("patty1", "bottom_bun1"))
    }
    demo = _without("burger-lettuce-on-patty-immediately", {0: patty, 1: patty})
    bridged = bridge(from_scenario(demo.scenarios[0]), _is_robot)
    added = {f for step in bridged.steps for f, v in step if v} - {
        f for step in from_scenario(demo.scenarios[0]).steps for f, v in step if v
    }
    assert added == {("at", "patty1", "table3"), ("atop", "patty1", "bottom_bun1")}


def test_a_put_down_never_recorded_goes_where_later_steps_show_the_item() -> None:
    # the cheese's whole put-down was lost; the top bun is later stacked on it at table1
    demo = _without(
        "cheese-burger",
        {0: [("holding", ("robot1", "cheese1")), ("at", ("cheese1", "table1"))]},
    )
    scen = from_scenario(demo.scenarios[0])
    holding = [n for n, step in enumerate(scen.steps) for f, v in step if f[0] == "holding" and v]
    assert holding  # still picks other items up
    bridged = bridge(scen, _is_robot)
    assert ("atop", "cheese1", "patty1") in {f for step in bridged.steps for f, v in step if v}


# --- first reading disagrees, the bridged reading agrees ----------------------------------


def test_a_lost_stack_on_an_unseen_bottom_bun_is_repaired() -> None:
    task_id = "burger-lettuce-on-patty-immediately"
    patty = {("at", ("patty1", t)) for t in ("table1", "table3")} | {
        ("atop", ("patty1", "bottom_bun1"))
    }
    demo = _without(task_id, {0: patty, 1: patty})

    plain = _synthesize(task_id, demo, repair=0)
    assert plain.repair is None  # --repair 0: nothing checked, the first reading kept
    first = self_check(BENCH, demo, plain.program)
    assert not first.agrees
    assert "'patty1' was never stacked on 'bottom_bun1'" in (first.reason or "")
    assert not _passes(task_id, plain.program)

    repaired = _synthesize(task_id, demo, repair=2)
    assert repaired.first_program == plain.program
    assert repaired.repair["self_check"] is False and repaired.repair["agrees"] is True
    assert self_check(BENCH, demo, repaired.program).agrees
    assert _passes(task_id, repaired.program)


def test_a_lost_step_of_one_repeated_unit_is_completed_from_its_sibling() -> None:
    task_id = "two-burgers-lettuce-on-patty-immediately"
    # scenario 1: the first burger's top bun's whole put-down was lost (it seems still held
    # when the robot picks up the next patty); scenario 2: the robot was never seen holding
    # that top bun nor seen it leave or reach a place (so it reads as a distraction), and
    # the second patty's put-down on its bun was lost
    unseen = [("holding", ("robot1", "top_bun1"))]
    unseen += [("at", ("top_bun1", table)) for table in ("table9", "table1")]
    demo = _without(task_id, {1: unseen}, {0: {22, 23}, 1: {34}})
    plain = _synthesize(task_id, demo, repair=0)
    assert not self_check(BENCH, demo, plain.program).agrees

    repaired = _synthesize(task_id, demo, repair=2)
    assert repaired.repair["self_check"] is False and repaired.repair["agrees"] is True
    assert "for i in range(2):" in repaired.program
    assert _passes(task_id, repaired.program)


def test_a_program_that_prepares_more_than_the_demonstrator_handled_disagrees() -> None:
    task = BENCH.task("async-cook-patty-while-cutting-lettuce")
    code = BENCH.reference_code(task)
    assert "\nwait_until_cooked(patty)" in code
    extra = code.replace(
        "\nwait_until_cooked(patty)",
        "\ncook_obj(get_unused_obj('patty', used_objs))\nwait_until_cooked(patty)",
    )
    extra = extra.replace("def cut_obj(", _COOK_OBJ + "\n\ndef cut_obj(")
    report = self_check(BENCH, BENCH.demos(task), extra)
    assert not report.agrees
    assert "prepared 2 patty objects ('patty1', 'patty2')" in (report.reason or "")
    assert self_check(BENCH, BENCH.demos(task), code).agrees


_COOK_OBJ = """def cook_obj(obj):
    start_cooking_obj(obj)
    wait_until_cooked(obj)"""


# --- the readings on their own ----------------------------------------------------------


def test_placement_after_a_stack_is_read_as_the_stack_it_hides() -> None:
    ops = [
        ("cut", "lettuce1"),
        ("stack", "lettuce1", "patty1"),
        ("place", "top_bun1", "table"),
        ("stack", "lettuce2", "patty2"),
        ("stack", "top_bun2", "lettuce2"),
    ]
    assert attached_placements(ops)[2] == ("stack", "top_bun1", "lettuce1")
    # a kind never stacked on a lettuce stays a placement
    alone = [("stack", "lettuce1", "patty1"), ("place", "tomato1", "table")]
    assert attached_placements(alone) == alone


def test_units_are_completed_to_the_fullest_and_unrelated_units_are_left() -> None:
    ops = [
        ("cook", "patty1"),
        ("stack", "patty1", "bottom_bun1"),
        ("cook", "patty2"),
        ("place", "patty2", "table"),
    ]
    done = completed_units(ops)
    assert done is not None
    assert done[:2] == ops[:2]
    assert done[2] == ("cook", "patty2")
    assert done[3][:2] == ("stack", "patty2") and done[3][2].startswith("bottom_bun")
    assert done[3][2] != "bottom_bun1"  # a bun of its own
    different = [("cook", "patty1"), ("cut", "lettuce1")]
    assert completed_units(different) is None


def test_a_named_stack_goes_where_the_demonstration_must_have_made_it() -> None:
    ops = [("cook", "patty1"), ("cut", "lettuce1"), ("stack", "lettuce1", "patty1")]
    assert with_stack(ops, "patty1", "bottom_bun1") == [
        ("cook", "patty1"),
        ("stack", "patty1", "bottom_bun1"),
        ("cut", "lettuce1"),
        ("stack", "lettuce1", "patty1"),
    ]
    placed = [("cook", "patty1"), ("place", "patty1", "table")]
    assert with_stack(placed, "patty1", "bottom_bun1") == [
        ("cook", "patty1"),
        ("stack", "patty1", "bottom_bun1"),
    ]


def test_a_stack_undoing_an_earlier_one_the_other_way_round_is_dropped() -> None:
    ops = [
        ("cut", "lettuce2"),
        ("stack", "patty2", "lettuce2"),
        ("stack", "lettuce2", "patty2"),
        ("stack", "top_bun2", "patty2"),
    ]
    assert consistent(ops) == [ops[0], ops[1], ops[3]]
    assert consistent(ops[:2]) == ops[:2]


def test_an_unrecorded_put_down_is_bridged_before_the_robot_left_that_place() -> None:
    """Noise loses changes, it does not move them: the patty, never seen put down, was put
    on the bun before the robot left the bun's table, not when the lettuce was picked up
    (so it comes before the lettuce is cut, as the demonstrator did it)."""
    initial = frozenset(
        {
            ("at", "patty1", "stove1"),
            ("at", "bottom_bun1", "table1"),
            ("at", "lettuce1", "table2"),
            ("at", "robot1", "stove1"),
        }
    )
    steps = (
        ((("at", "patty1", "stove1"), False), (("holding", "robot1", "patty1"), True)),
        ((("at", "robot1", "stove1"), False), (("at", "robot1", "table1"), True)),
        ((("at", "robot1", "table1"), False), (("at", "robot1", "table2"), True)),
        ((("at", "lettuce1", "table2"), False), (("holding", "robot1", "lettuce1"), True)),
        ((("at", "robot1", "table2"), False), (("at", "robot1", "table1"), True)),
        ((("atop", "lettuce1", "patty1"), True), (("holding", "robot1", "lettuce1"), False)),
    )
    bridged = bridge(Timeline(initial, steps), _is_robot)
    landed = [n for n, step in enumerate(bridged.steps) for f, v in step if v and f[0] == "atop"]
    at_bun = ("atop", "patty1", "bottom_bun1")
    assert [n for n, step in enumerate(bridged.steps) if (at_bun, True) in step] == [2]
    assert landed == [2, 5]


def test_letting_go_of_an_item_never_seen_taken_puts_down_the_one_in_hand_first() -> None:
    """The lettuce's put-down and the patty's pick-up were both lost: letting go of the patty
    says the lettuce was put down before, where the robot went first with it."""
    initial = frozenset(
        {
            ("at", "lettuce1", "table2"),
            ("at", "bottom_bun1", "table1"),
            ("at", "patty1", "table3"),
            ("at", "robot1", "table2"),
        }
    )
    steps = (
        ((("at", "lettuce1", "table2"), False), (("holding", "robot1", "lettuce1"), True)),
        ((("at", "robot1", "table2"), False), (("at", "robot1", "table1"), True)),
        ((("at", "robot1", "table1"), False), (("at", "robot1", "stove1"), True)),
        ((("at", "patty1", "stove1"), True), (("holding", "robot1", "patty1"), False)),
    )
    bridged = bridge(Timeline(initial, steps), _is_robot)
    on_bun = (("atop", "lettuce1", "bottom_bun1"), True)
    assert [n for n, step in enumerate(bridged.steps) if on_bun in step] == [2]
    assert (("holding", "robot1", "lettuce1"), False) in bridged.steps[2]
