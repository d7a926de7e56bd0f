"""Orders across objects that every scenario shows alike are compared (selfcheck/order.py);
an order the scenarios differ on stays free. Hand-built Robotouille timelines, and the
shipped async demonstration with a program that cuts before it starts the patty cooking."""

from __future__ import annotations

from demo2code.benchmarks import get_benchmark
from demo2code.selfcheck import self_check
from demo2code.selfcheck.compare import compare
from demo2code.selfcheck.order import shared_orders
from demo2code.selfcheck.rules import rules_for
from demo2code.selfcheck.timeline import Timeline

RULES = rules_for("robotouille")
INITIAL = frozenset(
    {("at", "patty1", "table1"), ("at", "lettuce1", "table2"), ("at", "robot1", "table3")}
)


def _move(item: str, src: str, dst: str) -> list[tuple]:
    """The steps of carrying `item` from `src` to `dst` (the robot is at `src`)."""
    return [
        ((("at", item, src), False), (("holding", "robot1", item), True)),
        ((("at", "robot1", src), False), (("at", "robot1", dst), True)),
        ((("at", item, dst), True), (("holding", "robot1", item), False)),
    ]


def _go(dst: str) -> list[tuple]:
    return [((("at", "robot1", dst), True),)]


def _timeline(patty_first: bool, cooked_last: bool = True) -> Timeline:
    """The patty put on the stove and the lettuce on the board (in either order), the
    lettuce cut, the patty cooked (last, or before the lettuce is even picked up)."""
    patty = [*_go("table1"), *_move("patty1", "table1", "stove1")]
    lettuce = [*_go("table2"), *_move("lettuce1", "table2", "cutting_board1")]
    cut = [((("cut", "lettuce1"), True),)]
    cooked = [((("cooked", "patty1"), True),)]
    if not cooked_last:
        steps = patty + cooked + lettuce + cut
    else:
        steps = (patty + lettuce if patty_first else lettuce + patty) + cut + cooked
    return Timeline(INITIAL, tuple(steps))


def test_an_order_every_scenario_shows_is_kept_and_one_they_differ_on_is_free() -> None:
    both = shared_orders([_timeline(True), _timeline(True)], RULES)[0]
    assert (("at", "patty1", "stove1"), ("cut", "lettuce1")) in both
    assert (("cut", "lettuce1"), ("cooked", "patty1")) in both
    differ = shared_orders([_timeline(True), _timeline(False)], RULES)[0]
    assert (("cut", "lettuce1"), ("cooked", "patty1")) in differ
    assert not [p for p in differ if p[0][0] == p[1][0] == "at"]  # which goes first is free


def test_the_wrong_program_disagrees_and_a_free_order_agrees() -> None:
    demo = _timeline(True)
    before = shared_orders([demo, _timeline(True)], RULES)[0]
    cooked_first = _timeline(True, cooked_last=False)  # cooks, then cuts: nothing overlaps
    why = compare(demo, cooked_first, RULES, before)
    assert why is not None and "every scenario of the demonstration" in why
    assert compare(demo, demo, RULES, before) is None
    # the same run against per-object agreement alone: nothing to see
    assert compare(demo, cooked_first, RULES) is None
    # the scenarios differ on which item goes first: the other order agrees
    free = shared_orders([demo, _timeline(False)], RULES)[0]
    assert compare(demo, _timeline(False), RULES, free) is None


def test_a_lost_event_only_frees_an_order() -> None:
    """Noise drops changes, it never moves one: a scenario without the cut constrains
    nothing about it, the other scenario still does."""
    full = _timeline(True)
    steps = tuple(s for s in full.steps if (("cut", "lettuce1"), True) not in s)
    lost = Timeline(full.initial, steps)
    pairs = shared_orders([full, lost], RULES)
    assert (("cut", "lettuce1"), ("cooked", "patty1")) in pairs[0]
    assert not [p for p in pairs[1] if ("cut", "lettuce1") in p]
    assert compare(lost, lost, RULES, pairs[1]) is None


def test_cutting_before_the_patty_goes_on_the_stove_is_caught() -> None:
    bench = get_benchmark("robotouille")
    task = bench.task("async-cook-patty-while-cutting-lettuce")
    code = bench.reference_code(task)
    overlap = "start_cooking_obj(patty)\ncut_obj(lettuce)\nwait_until_cooked(patty)"
    assert overlap in code
    wrong = code.replace(
        overlap, "cut_obj(lettuce)\nstart_cooking_obj(patty)\nwait_until_cooked(patty)"
    )
    report = self_check(bench, bench.demos(task), wrong)
    assert not report.agrees
    assert report.reason == (
        "scenario 1: 'lettuce1' was put at 'cutting_board1' before 'patty1' was put at "
        "'stove1'; every scenario of the demonstration put 'patty1' at 'stove1' before "
        "putting 'lettuce1' at 'cutting_board1'"
    )
    assert self_check(bench, bench.demos(task), code).agrees
