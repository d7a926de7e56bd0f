"""The dish-washing simulator's rules (demo2code/benchmarks/epic/sim.py), each on a small
hand-built kitchen: a sink (with the tap), a counter and a dish rack; a sponge, a towel and
two or three dishes. Expected states are worked out by hand."""

from __future__ import annotations

import pytest

from demo2code.benchmarks.base import ActionFailed, StepLimitReached
from demo2code.benchmarks.epic import sim
from demo2code.demos import Change


def kitchen(robot_at: str = sim.SINK, tap_on: bool = False, **kw) -> sim.Simulator:
    things = {
        sim.SPONGE: sim.Thing(sim.SINK),
        sim.TOWEL: sim.Thing("counter_1"),
        "plate_1": sim.Thing(sim.SINK, dirty=True),
        "cup_1": sim.Thing("counter_1", dirty=True),
        "bowl_1": sim.Thing(sim.SINK, dirty=True),
    }
    places = [sim.SINK, "counter_1", "dishrack_1"]
    k = sim.Kitchen(places, things, robot_at, tap_on, ["plate_1", "cup_1", "bowl_1"])
    return sim.Simulator(k, **kw)


def failure(s: sim.Simulator, call, *args) -> str:
    """The condition of the refused call; the failure is recorded under the call's name."""
    with pytest.raises(ActionFailed) as err:
        call(*args)
    name = call.__name__
    assert err.value.action == name
    assert s.failures[-1] == {
        "outcome": "precondition_failed",
        "action": name,
        "message": f"{name} failed: {err.value.condition}",
    }
    return err.value.condition


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [("plate_2", "plate"), ("drying_rack_10", "drying_rack"), ("sink", "sink"), ("a_b", "a_b")],
)
def test_kind_of_strips_a_trailing_number_only(name, kind):
    assert sim.kind_of(name) == kind


def test_containers_hold_things_in_them_other_places_on_them():
    for place in ("sink_1", "dishrack_2", "drying_rack_1", "drainer_1", "dishwasher_1"):
        assert sim.relation(place) == "in"
    for place in ("bin_1", "drawer_3"):
        assert sim.relation(place) == "in"
    for place in ("counter_1", "table_2", "shelf_1"):
        assert sim.relation(place) == "on"


def test_tools():
    assert all(sim.is_tool(t) for t in ("sponge_1", "towel_2", "cloth_1", "rag_1", "brush_1"))
    assert not sim.is_tool("plate_1")


# --- facts ----------------------------------------------------------------------------------


def test_facts_of_a_kitchen():
    k = sim.Kitchen(
        [sim.SINK, "counter_1"],
        {
            "plate_1": sim.Thing(sim.SINK, dirty=True, dry=False),
            "cup_1": sim.Thing("hand", clean=True),
            "pan_1": sim.Thing("counter_1", soapy=True),
        },
        "counter_1",
        True,
    )
    assert k.facts() == {
        ("at", "counter_1"),
        ("is_on", "tap_1"),
        ("in", "plate_1", "sink_1"),
        ("is_dirty", "plate_1"),
        ("is_in_hand", "cup_1"),
        ("is_clean", "cup_1"),
        ("is_dry", "cup_1"),
        ("on", "pan_1", "counter_1"),
        ("is_soapy", "pan_1"),
        ("is_dry", "pan_1"),
    }
    assert k.held() == ["cup_1"]
    k.tap_on = False
    assert ("is_off", "tap_1") in k.facts() and ("is_on", "tap_1") not in k.facts()


def test_diff_lists_new_facts_then_gone_facts_each_sorted():
    before = {("a", "1"), ("b", "1"), ("c", "1")}
    after = {("c", "1"), ("z", "1"), ("d", "1")}
    assert sim.diff(before, after) == [
        Change("d", ("1",), True),
        Change("z", ("1",), True),
        Change("a", ("1",), False),
        Change("b", ("1",), False),
    ]


# --- washing --------------------------------------------------------------------------------


def test_soap_makes_a_held_dish_soapy_and_not_clean():
    s = kitchen()
    s.pick_up(sim.SPONGE)
    s.pick_up("plate_1")
    s.k.things["plate_1"].clean = True
    s.soap("plate_1")
    t = s.k.things["plate_1"]
    assert (t.soapy, t.clean, t.dirty) == (True, False, True)


def test_rinsing_a_soapy_dish_makes_it_clean_and_wet():
    s = kitchen(tap_on=True)
    s.pick_up(sim.SPONGE)
    s.pick_up("plate_1")
    s.soap("plate_1")
    s.rinse("plate_1")
    t = s.k.things["plate_1"]
    assert (t.soapy, t.dirty, t.clean, t.dry) == (False, False, True, False)


def test_rinsing_an_unsoaped_dirty_dish_only_wets_it():
    s = kitchen(tap_on=True)
    s.pick_up("plate_1")
    s.rinse("plate_1")
    t = s.k.things["plate_1"]
    assert (t.soapy, t.dirty, t.clean, t.dry) == (False, True, False, False)


def test_towel_dries_a_clean_dish_and_keeps_it_clean():
    s = kitchen(tap_on=True)
    s.pick_up(sim.SPONGE)
    s.pick_up("plate_1")
    s.soap("plate_1")
    s.rinse("plate_1")
    s.place(sim.SPONGE, sim.SINK)
    s.go_to("counter_1")
    s.pick_up(sim.TOWEL)
    s.clean_with("plate_1", sim.TOWEL)
    t = s.k.things["plate_1"]
    assert (t.clean, t.dry) == (True, True)
    assert s.events[-1]["action"] == "clean_with"
    assert s.events[-1]["args"] == ["plate_1", sim.TOWEL]
    assert s.events[-1]["changes"] == [Change("is_dry", ("plate_1",)).to_json()]


def test_drying_a_soapy_dish_is_refused():
    s = kitchen()
    s.pick_up(sim.SPONGE)
    s.pick_up("plate_1")
    s.soap("plate_1")
    s.place(sim.SPONGE, sim.SINK)
    s.go_to("counter_1")
    s.pick_up(sim.TOWEL)
    cond = failure(s, s.clean_with, "plate_1", sim.TOWEL)
    assert cond == "plate_1 is soapy (rinse it before drying)"


def test_clean_with_a_sponge_or_brush_soaps_and_records_the_tool():
    s = kitchen()
    s.pick_up(sim.SPONGE)
    s.pick_up("plate_1")
    s.clean_with("plate_1", sim.SPONGE)
    assert s.k.things["plate_1"].soapy
    assert s.events[-1]["action"] == "clean_with"
    assert s.events[-1]["args"] == ["plate_1", sim.SPONGE]
    s.soap("plate_1")
    assert s.events[-1]["args"] == ["plate_1"]  # soap records the dish only


def test_clean_with_something_that_is_no_tool_is_refused():
    s = kitchen()
    assert failure(s, s.clean_with, "plate_1", "cup_1") == "'cup_1' is not a sponge, brush or towel"
    assert failure(s, s.clean_with, "plate_1", 3) == "3 is not a sponge, brush or towel"


def test_drying_needs_dish_and_towel_in_hand():
    s = kitchen()
    assert failure(s, s.clean_with, "plate_1", sim.TOWEL) == "plate_1 is not in hand"
    s.pick_up("plate_1")
    assert failure(s, s.clean_with, "plate_1", sim.TOWEL) == f"{sim.TOWEL} is not in hand"


def test_drying_works_away_from_the_sink():
    s = kitchen(robot_at="counter_1")
    s.pick_up(sim.TOWEL)
    s.pick_up("cup_1")
    s.clean_with("cup_1", sim.TOWEL)
    assert not s.failures


def test_soaping_needs_the_sponge_in_hand_and_the_sink():
    s = kitchen()
    s.pick_up("plate_1")
    assert failure(s, s.soap, "plate_1") == f"{sim.SPONGE} (a sponge) is not in hand"
    s.pick_up(sim.SPONGE)
    s.go_to("counter_1")
    assert failure(s, s.soap, "plate_1") == "robot is at counter_1, not at sink_1"


def test_soaping_a_tool_is_refused():
    s = kitchen()
    s.pick_up(sim.SPONGE)
    assert failure(s, s.soap, sim.SPONGE) == f"{sim.SPONGE} is a cleaning tool, not a dish"
    assert (
        failure(s, s.clean_with, "towel_1", sim.SPONGE) == "towel_1 is a cleaning tool, not a dish"
    )


def test_clean_with_a_sponge_not_in_the_kitchen_is_refused():
    s = kitchen()
    s.pick_up("plate_1")
    assert failure(s, s.clean_with, "plate_1", "sponge_9") == "sponge_9 (a sponge) is not in hand"


def test_rinse_needs_the_dish_in_hand_the_sink_and_the_tap_on():
    s = kitchen()
    assert failure(s, s.rinse, "plate_1") == "plate_1 is not in hand"
    s.pick_up("plate_1")
    assert failure(s, s.rinse, "plate_1") == "tap_1 is off"
    s.go_to("counter_1")
    assert failure(s, s.rinse, "plate_1") == "robot is at counter_1, not at sink_1"


# --- hands and places -----------------------------------------------------------------------


def test_two_hands_and_tools_count():
    s = kitchen()
    s.pick_up(sim.SPONGE)
    s.pick_up("plate_1")
    assert failure(s, s.pick_up, "bowl_1") == "both hands are full (sponge_1, plate_1)"


def test_pick_up_needs_the_robot_where_the_thing_is():
    s = kitchen()
    assert failure(s, s.pick_up, "cup_1") == "cup_1 is at counter_1, robot is at sink_1"
    s.pick_up("plate_1")
    assert failure(s, s.pick_up, "plate_1") == "plate_1 is already in hand"
    assert failure(s, s.pick_up, "fork_1") == "'fork_1' is not a movable object in this kitchen"


def test_place_needs_the_thing_in_hand_a_place_and_the_robot_there():
    s = kitchen()
    assert failure(s, s.place, "plate_1", sim.SINK) == "plate_1 is not in hand"
    s.pick_up("plate_1")
    assert failure(s, s.place, "plate_1", "moon_1") == (
        "'moon_1' is not a place (places: sink_1, counter_1, dishrack_1)"
    )
    assert failure(s, s.place, "plate_1", "dishrack_1") == "robot is at sink_1, not at dishrack_1"
    s.go_to("dishrack_1")
    s.place("plate_1", "dishrack_1")
    assert s.k.things["plate_1"].where == "dishrack_1"


def test_go_to_needs_a_place():
    s = kitchen()
    assert failure(s, s.go_to, 5).startswith("5 is not a place")


def test_bring_objects_walks_picks_and_places_each_and_skips_those_there():
    s = kitchen()
    s.bring_objects_to_loc(["cup_1", "plate_1"], "dishrack_1")
    assert [e["action"] for e in s.events] == [
        "go_to", "pick_up", "go_to", "place",  # cup_1 from the counter
        "go_to", "pick_up", "go_to", "place",  # plate_1 from the sink
    ]  # fmt: skip
    assert s.k.things["cup_1"].where == "dishrack_1" and s.k.robot_at == "dishrack_1"
    n = len(s.events)
    s.bring_objects_to_loc("cup_1", "dishrack_1")  # already there: nothing happens
    assert len(s.events) == n


def test_bring_objects_carries_a_held_thing_without_picking_it_up_again():
    s = kitchen()
    s.pick_up("plate_1")
    s.bring_objects_to_loc("plate_1", "counter_1")
    assert [e["action"] for e in s.events] == ["pick_up", "go_to", "place"]


def test_bring_objects_checks_the_place_first():
    s = kitchen()
    with pytest.raises(ActionFailed):
        s.bring_objects_to_loc("cup_1", "moon_1")
    assert s.events == []


# --- the tap --------------------------------------------------------------------------------


def test_tap_on_and_off_need_the_sink_and_the_tap():
    s = kitchen(robot_at="counter_1")
    assert failure(s, s.turn_on, "tap_1") == "robot is at counter_1, not at sink_1"
    assert failure(s, s.turn_off, "tap_1") == "robot is at counter_1, not at sink_1"
    assert failure(s, s.turn_on, "tap_2") == "'tap_2' is not a tap (the tap is tap_1)"
    assert failure(s, s.turn_off, "tap_2") == "'tap_2' is not a tap (the tap is tap_1)"


def test_turning_a_running_tap_on_is_a_recorded_no_op():
    s = kitchen(tap_on=True)
    s.turn_on("tap_1")
    assert s.k.tap_on and s.events[-1]["changes"] == [] and s.events[-1]["tap_on"] is True
    s.turn_off("tap_1")
    assert not s.k.tap_on and s.events[-1]["tap_on"] is False
    s.turn_off("tap_1")
    assert s.events[-1]["changes"] == []


# --- budget and trace -----------------------------------------------------------------------


def test_step_limit_counts_every_call_and_allows_exactly_the_limit():
    s = kitchen(step_limit=2)
    s.get_all_objects()
    s.go_to("counter_1")
    with pytest.raises(StepLimitReached, match="step limit of 2 actions reached"):
        s.go_to(sim.SINK)
    assert s.failures[-1] == {
        "outcome": "step_limit",
        "action": "go_to",
        "message": "step limit of 2 actions reached",
    }


def test_failed_calls_count_towards_the_step_limit():
    s = kitchen(step_limit=1)
    with pytest.raises(ActionFailed):
        s.go_to("moon_1")
    with pytest.raises(StepLimitReached):
        s.get_all_objects()


def test_default_step_limit():
    assert kitchen().step_limit == sim.DEFAULT_STEP_LIMIT == 400


def test_get_all_objects_lists_the_dishes_to_clean_as_a_copy():
    s = kitchen()
    got = s.get_all_objects()
    got.append("x")
    assert s.get_all_objects() == ["plate_1", "cup_1", "bowl_1"]


def test_trace_records_initial_events_final_and_failures():
    s = kitchen()
    s.go_to("counter_1")
    with pytest.raises(ActionFailed):
        s.go_to("moon_1")
    tr = s.trace()
    assert tr["to_clean"] == ["plate_1", "cup_1", "bowl_1"]
    assert ["at", "sink_1"] in tr["initial"] and ["at", "counter_1"] in tr["final"]
    assert tr["initial"] == sorted(tr["initial"])
    assert tr["events"] == [
        {
            "action": "go_to",
            "args": ["counter_1"],
            "tap_on": False,
            "changes": [
                Change("at", ("counter_1",), True).to_json(),
                Change("at", ("sink_1",), False).to_json(),
            ],
        }
    ]
    assert len(tr["failures"]) == 1


def test_api_names():
    assert set(kitchen().api()) == {
        "get_all_objects", "bring_objects_to_loc", "turn_on", "turn_off", "soap", "rinse",
        "pick_up", "place", "go_to", "clean_with",
    }  # fmt: skip


# --- second round: rules the first mutation run showed unpinned -----------------------------


def test_every_call_records_its_own_action_name_and_args():
    s = kitchen()
    s.pick_up(sim.SPONGE)
    s.pick_up("plate_1")
    s.soap("plate_1")
    s.turn_on("tap_1")
    s.rinse("plate_1")
    s.turn_off("tap_1")
    s.go_to("dishrack_1")
    s.place("plate_1", "dishrack_1")
    assert [(e["action"], e["args"]) for e in s.events] == [
        ("pick_up", ["sponge_1"]),
        ("pick_up", ["plate_1"]),
        ("soap", ["plate_1"]),
        ("turn_on", ["tap_1"]),
        ("rinse", ["plate_1"]),
        ("turn_off", ["tap_1"]),
        ("go_to", ["dishrack_1"]),
        ("place", ["plate_1", "dishrack_1"]),
    ]
    assert [e["tap_on"] for e in s.events] == [False, False, False, True, True, False, False, False]


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("get_all_objects", ()),
        ("go_to", ("counter_1",)),
        ("pick_up", ("plate_1",)),
        ("place", ("plate_1", "sink_1")),
        ("turn_on", ("tap_1",)),
        ("turn_off", ("tap_1",)),
        ("soap", ("plate_1",)),
        ("rinse", ("plate_1",)),
        ("clean_with", ("plate_1", "towel_1")),
    ],
)
def test_step_limit_failure_names_the_call(call, args):
    s = kitchen(step_limit=0)
    with pytest.raises(StepLimitReached):
        getattr(s, call)(*args)
    assert s.failures == [
        {
            "outcome": "step_limit",
            "action": call,
            "message": "step limit of 0 actions reached",
        }
    ]


def test_refusals_inside_helpers_name_the_public_call():
    s = kitchen()
    assert failure(s, s.soap, "fork_1") == "'fork_1' is not a movable object in this kitchen"
    assert failure(s, s.rinse, "fork_1") == "'fork_1' is not a movable object in this kitchen"
    assert failure(s, s.place, "fork_1", sim.SINK).startswith("'fork_1' is not a movable")
    s.pick_up("plate_1")
    assert failure(s, s.place, "plate_1", "moon_1").startswith("'moon_1' is not a place")
    assert failure(s, s.go_to, "moon_1").startswith("'moon_1' is not a place")
    assert failure(s, s.clean_with, "fork_1", "sponge_1").startswith("'fork_1' is not a movable")
    s2 = kitchen()
    s2.pick_up("plate_1")
    s2.pick_up(sim.SPONGE)
    s2.go_to("counter_1")
    assert failure(s2, s2.clean_with, "plate_1", sim.SPONGE) == (
        "robot is at counter_1, not at sink_1"
    )


def test_bring_objects_failures_are_named_bring_objects_to_loc():
    s = kitchen()
    with pytest.raises(ActionFailed) as err:
        s.bring_objects_to_loc("plate_1", "moon_1")
    assert err.value.action == "bring_objects_to_loc"
    with pytest.raises(ActionFailed) as err:
        s.bring_objects_to_loc(["fork_1"], sim.SINK)
    assert err.value.action == "bring_objects_to_loc"
    assert s.failures[-1]["action"] == "bring_objects_to_loc"


def test_bring_objects_skips_one_already_there_and_carries_on():
    s = kitchen()
    s.bring_objects_to_loc(["plate_1", "cup_1"], sim.SINK)  # plate already in the sink
    assert s.k.things["cup_1"].where == sim.SINK
    assert [e["action"] for e in s.events] == ["go_to", "pick_up", "go_to", "place"]


@pytest.mark.parametrize("tool", ["cloth_1", "rag_1", "towel_1"])
def test_towel_cloth_and_rag_dry(tool):
    s = kitchen(tap_on=True)
    s.k.things[tool] = sim.Thing(sim.SINK)
    s.pick_up("plate_1")
    s.rinse("plate_1")
    s.pick_up(tool)
    s.clean_with("plate_1", tool)
    assert s.k.things["plate_1"].dry


def test_brush_soaps_like_a_sponge():
    s = kitchen()
    s.k.things["brush_1"] = sim.Thing(sim.SINK)
    s.pick_up("brush_1")
    s.pick_up("plate_1")
    s.clean_with("plate_1", "brush_1")
    assert s.k.things["plate_1"].soapy
    assert s.events[-1]["args"] == ["plate_1", "brush_1"]
