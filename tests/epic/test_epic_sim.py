"""Simulator rules: every precondition failure is raised and recorded."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from demo2code.benchmarks.base import ActionFailed, StepLimitReached
from demo2code.benchmarks.epic import sim
from demo2code.benchmarks.epic.catalog import make_kitchen


def fresh(**kw) -> sim.Simulator:
    things = {
        sim.SPONGE: sim.Thing(sim.SINK),
        sim.TOWEL: sim.Thing("counter_1"),
        "plate_1": sim.Thing(sim.SINK, dirty=True),
        "cup_1": sim.Thing("counter_1", dirty=True),
        "bowl_1": sim.Thing(sim.SINK, dirty=True),
    }
    places = [sim.SINK, "counter_1", "dishrack_1"]
    return sim.Simulator(sim.Kitchen(places, things, sim.SINK, False, ["plate_1", "cup_1"]), **kw)


def test_a_full_wash_makes_a_dish_clean() -> None:
    s = fresh()
    s.pick_up("sponge_1")
    s.pick_up("plate_1")
    s.soap("plate_1")
    s.turn_on("tap_1")
    s.rinse("plate_1")
    s.go_to("dishrack_1")
    s.place("plate_1", "dishrack_1")
    final = {tuple(f) for f in s.trace()["final"]}
    assert ("is_clean", "plate_1") in final and ("in", "plate_1", "dishrack_1") in final
    assert ("is_soapy", "plate_1") not in final and not s.failures


def test_rinsing_a_dirty_unsoaped_dish_does_not_clean_it() -> None:
    s = fresh()
    s.pick_up("plate_1")
    s.turn_on("tap_1")
    s.rinse("plate_1")
    assert not s.k.things["plate_1"].clean and s.k.things["plate_1"].dirty


def _rinse_tap_off(s: sim.Simulator) -> None:
    s.pick_up("plate_1")
    s.rinse("plate_1")


def _soap_without_sponge(s: sim.Simulator) -> None:
    s.pick_up("plate_1")
    s.soap("plate_1")


def _rinse_not_in_hand(s: sim.Simulator) -> None:
    s.turn_on("tap_1")
    s.rinse("plate_1")


def _rinse_away_from_sink(s: sim.Simulator) -> None:
    s.pick_up("plate_1")
    s.turn_on("tap_1")
    s.go_to("counter_1")
    s.rinse("plate_1")


def _three_hands(s: sim.Simulator) -> None:
    s.pick_up("plate_1")
    s.pick_up("bowl_1")
    s.pick_up("sponge_1")


def _pick_elsewhere(s: sim.Simulator) -> None:
    s.pick_up("cup_1")


def _place_elsewhere(s: sim.Simulator) -> None:
    s.pick_up("plate_1")
    s.place("plate_1", "dishrack_1")


def _dry_soapy(s: sim.Simulator) -> None:
    s.pick_up("sponge_1")
    s.pick_up("plate_1")
    s.soap("plate_1")
    s.place("sponge_1", "sink_1")
    s.go_to("counter_1")
    s.pick_up("towel_1")
    s.clean_with("plate_1", "towel_1")


def _unknown_object(s: sim.Simulator) -> None:
    s.pick_up("spoon_9")


def _unknown_place(s: sim.Simulator) -> None:
    s.go_to("garden_1")


def _tap_away(s: sim.Simulator) -> None:
    s.go_to("counter_1")
    s.turn_on("tap_1")


def _soap_sponge(s: sim.Simulator) -> None:
    s.pick_up("sponge_1")
    s.soap("sponge_1")


@pytest.mark.parametrize(
    ("program", "condition"),
    [
        (_rinse_tap_off, "tap_1 is off"),
        (_soap_without_sponge, "sponge_1 (a sponge) is not in hand"),
        (_rinse_not_in_hand, "plate_1 is not in hand"),
        (_rinse_away_from_sink, "not at sink_1"),
        (_three_hands, "both hands are full"),
        (_pick_elsewhere, "cup_1 is at counter_1"),
        (_place_elsewhere, "not at dishrack_1"),
        (_dry_soapy, "is soapy"),
        (_unknown_object, "not a movable object"),
        (_unknown_place, "is not a place"),
        (_tap_away, "not at sink_1"),
        (_soap_sponge, "cleaning tool"),
    ],
)
def test_precondition_failures(program: Callable[[sim.Simulator], None], condition: str) -> None:
    s = fresh()
    with pytest.raises(ActionFailed) as err:
        program(s)
    assert condition in err.value.condition
    assert s.trace()["failures"][-1]["outcome"] == "precondition_failed"
    assert condition in s.trace()["failures"][-1]["message"]


def test_caught_failures_are_still_recorded() -> None:
    s = fresh()
    try:
        _rinse_tap_off(s)
    except ActionFailed:
        pass
    assert len(s.trace()["failures"]) == 1


def test_step_limit() -> None:
    s = fresh(step_limit=5)
    with pytest.raises(StepLimitReached):
        for _ in range(10):
            s.go_to("counter_1")
    assert s.trace()["failures"][-1]["outcome"] == "step_limit"


def test_bring_objects_and_idempotent_tap() -> None:
    s = fresh()
    s.bring_objects_to_loc(["cup_1", "plate_1"], "dishrack_1")
    assert s.k.things["cup_1"].where == "dishrack_1" == s.k.robot_at
    s.go_to("sink_1")
    s.turn_on("tap_1")
    s.turn_on("tap_1")
    assert s.events[-1]["changes"] == [] and not s.failures


def test_kitchens_vary_by_seed_and_repeat_per_seed() -> None:
    dishes = [("plate", "sink_1"), ("plate", "sink_1"), ("mug", "counter_1")]
    kitchens = [make_kitchen(dishes, seed, "T") for seed in range(10)]
    again = make_kitchen(dishes, 3, "T")
    assert (
        again.to_clean == kitchens[3].to_clean and again.things.keys() == kitchens[3].things.keys()
    )
    assert len({tuple(k.to_clean) for k in kitchens}) > 1
    assert len({len(k.things) for k in kitchens}) > 1  # distractors come and go
    for k in kitchens:
        assert sorted(sim.kind_of(n) for n in k.to_clean) == ["mug", "plate", "plate"]
        assert all(k.things[n].dirty for n in k.to_clean)
