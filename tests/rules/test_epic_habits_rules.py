"""The offline reasoner's own reading of EPIC habits (demo2code/reasoners/symbolic/
epic_habits.py), case by case on hand-written subtask sequences."""

from __future__ import annotations

from demo2code.reasoners.symbolic.epic_habits import (
    dish_kind,
    read_between,
    read_habits,
    read_order,
    read_soap_tap,
    read_washing,
)


def soap(d, tap="running"):
    return ("soap", (d, tap))


def rinse(d):
    return ("rinse", (d,))


def put(d, where="dishrack_1"):
    return ("put", (d, "in", where))


ON, OFF = ("tap", ("on",)), ("tap", ("off",))


def objects(*names):
    return [("object", (n, "in", "sink_1")) for n in names]


def test_dish_kind_drops_the_number():
    assert dish_kind("fork_2") == "fork" and dish_kind("cutting_board_1") == "cutting_board"
    assert dish_kind("lid") == "lid" and dish_kind("7") == "7"


def test_order_each_when_every_dish_is_washed_in_one_stretch():
    # a: soap rinse, then b: soap rinse -> dish stretches a, b: each
    w = read_washing(
        [*objects("a_1", "b_1"), ON, soap("a_1"), rinse("a_1"), soap("b_1"), rinse("b_1")]
    )
    assert read_order(w) == "each"


def test_order_all_when_every_soaping_comes_before_any_rinse():
    lines = [*objects("a_1", "b_1"), soap("a_1", "off"), soap("b_1", "off"), ON]
    w = read_washing([*lines, rinse("b_1"), rinse("a_1")])
    assert read_order(w) == "all"


def test_order_kind_when_each_kind_is_one_stretch_soaped_first():
    # forks soaped then rinsed, then the plate: kinds fork, plate in one stretch each
    seq = [soap("fork_1"), soap("fork_2"), rinse("fork_1"), rinse("fork_2")]
    seq += [soap("plate_1"), rinse("plate_1")]
    w = read_washing([*objects("fork_1", "fork_2", "plate_1"), ON, *seq])
    assert read_order(w) == "kind"


def test_order_kind_needs_soaping_before_rinsing_within_the_kind():
    # fork_1 is rinsed before fork_2 is soaped, and rinsed again after
    seq = [soap("fork_1"), rinse("fork_1"), soap("fork_2"), rinse("fork_1"), rinse("fork_2")]
    seq += [soap("plate_1"), rinse("plate_1")]
    w = read_washing([*objects("fork_1", "fork_2", "plate_1"), ON, *seq])
    assert read_order(w) is None  # not each (fork_1 twice), not kind, not all


def test_order_of_one_dish_is_none():
    w = read_washing([*objects("mug_1"), ON, soap("mug_1"), rinse("mug_1")])
    assert read_order(w) is None and read_between(w, None) is None


def test_soap_tap_is_read_from_soapings_with_a_known_tap_only():
    lines = [*objects("a_1", "b_1"), soap("a_1", "off"), ("soap_unknown", ("b_1",))]
    assert read_soap_tap(read_washing(lines)) == "off"
    lines = [*objects("a_1", "b_1"), soap("a_1", "off"), soap("b_1")]
    assert read_soap_tap(read_washing(lines)) is None  # mixed
    assert read_soap_tap(read_washing([soap("a_1")])) == "on"


def test_tap_between_off_needs_a_closing_in_every_gap():
    seq = [ON, soap("a_1"), rinse("a_1"), OFF, ON, soap("b_1"), rinse("b_1"), OFF]
    w = read_washing([*objects("a_1", "b_1"), *seq])
    assert read_between(w, "each") == "off"
    seq = [ON, soap("a_1"), rinse("a_1"), soap("b_1"), rinse("b_1"), OFF]
    w = read_washing([*objects("a_1", "b_1"), *seq])
    assert read_between(w, "each") == "running"  # never closed between first and last rinse
    seq = [ON, soap("a_1"), rinse("a_1"), OFF, ON, soap("b_1"), rinse("b_1")]
    seq += [soap("c_1"), rinse("c_1")]
    w = read_washing([*objects("a_1", "b_1", "c_1"), *seq])
    assert read_between(w, "each") is None  # closed once, kept running once


def test_habits_of_one_scenario():
    seq = [("start", ("off",)), soap("mug_1", "off"), ON, rinse("mug_1")]
    seq += [("dry", ("mug_1",)), put("mug_1", "counter_1"), OFF]
    got = read_habits(read_washing([*objects("mug_1"), *seq]))
    assert got == {
        "order": None,
        "tap_when_soaping": "off",
        "tap_between": None,
        "tap_at_end": "off",
        "destination": "counter_1",
        "dry": True,
    }


def test_a_rinsed_dish_without_a_narrated_put_goes_where_the_others_went():
    seq = [ON, soap("a_1"), rinse("a_1"), put("a_1"), soap("b_1"), rinse("b_1")]
    got = read_habits(read_washing([*objects("a_1", "b_1"), *seq]))
    assert got["destination"] == "dishrack_1" and got["tap_at_end"] is None  # left running
    assert got["dry"] is False


def test_drying_before_the_last_rinse_does_not_count():
    seq = [ON, soap("a_1"), ("dry", ("a_1",)), rinse("a_1")]
    assert read_habits(read_washing([*objects("a_1"), *seq]))["dry"] is False
