"""The EPIC preference rules (demo2code/benchmarks/epic/checks.py) on hand-built records of
two or three dishes. Each expected verdict is worked out by hand in the comment."""

from __future__ import annotations

import pytest

from demo2code.benchmarks.epic import checks as C
from demo2code.benchmarks.epic.checks import Event, Record
from demo2code.demos import Change, Demonstration, Scenario, Step


def ev(kind: str, obj: str | None = None, tap: bool = True) -> Event:
    return Event(kind, obj, tap)


def washed(*objs: str, tap: bool = True) -> list[Event]:
    """Soap then rinse each object in turn ("each" order)."""
    out = []
    for o in objs:
        out += [ev("soap", o, tap), ev("rinse", o, tap)]
    return out


def rec(items, events, **kw) -> Record:
    return Record(list(items), list(events), **kw)


# --- order ----------------------------------------------------------------------------------


def test_each_order_holds_when_every_dish_is_finished_before_the_next_starts():
    r = rec(["cup_1", "cup_2"], washed("cup_1", "cup_2"))
    assert C.order_holds(r, "each")


def test_each_order_fails_when_a_dish_starts_before_the_previous_is_rinsed():
    # soap cup_1, soap cup_2, rinse cup_1, rinse cup_2: spans (0,2) and (1,3) overlap.
    events = [ev("soap", "cup_1"), ev("soap", "cup_2"), ev("rinse", "cup_1"), ev("rinse", "cup_2")]
    assert not C.order_holds(rec(["cup_1", "cup_2"], events), "each")


def test_each_order_spans_start_at_the_first_soap_or_rinse_and_end_at_the_last_rinse():
    # cup_1: rinse(0) soap(2) rinse(3); cup_2: soap(1) rinse(4). span1 (0,3), span2 (1,4):
    # overlap -> not "each".
    events = [ev("rinse", "cup_1"), ev("soap", "cup_2"), ev("soap", "cup_1")]
    events += [ev("rinse", "cup_1"), ev("rinse", "cup_2")]
    assert not C.order_holds(rec(["cup_1", "cup_2"], events), "each")


def test_drying_does_not_extend_a_dish_span():
    # cup_1 soap(0) rinse(1), cup_2 soap(2) rinse(3), dry cup_1 (4): span1 stays (0,1).
    events = washed("cup_1", "cup_2") + [ev("dry", "cup_1")]
    assert C.order_holds(rec(["cup_1", "cup_2"], events), "each")


def test_dish_never_rinsed_has_no_span():
    # cup_2 only soaped (no rinse): only cup_1 has a span; one span cannot overlap.
    events = [ev("soap", "cup_1"), ev("soap", "cup_2"), ev("rinse", "cup_1")]
    assert C._spans(
        rec(["cup_1", "cup_2"], events), C._groups(rec(["cup_1", "cup_2"], []), None)
    ) == [(0, 2, "cup_1")]


def test_all_order_means_every_soap_before_any_rinse():
    events = [
        ev("soap", "cup_1"),
        ev("soap", "bowl_1"),
        ev("rinse", "cup_1"),
        ev("rinse", "bowl_1"),
    ]
    assert C.order_holds(rec(["cup_1", "bowl_1"], events), "all")
    assert not C.order_holds(rec(["cup_1", "bowl_1"], washed("cup_1", "bowl_1")), "all")


def test_all_order_holds_trivially_without_soaps_or_without_rinses():
    assert C.order_holds(rec(["a_1", "b_1"], [ev("rinse", "a_1")]), "all")
    assert C.order_holds(rec(["a_1", "b_1"], [ev("soap", "a_1")]), "all")


def test_all_order_last_soap_must_be_strictly_before_first_rinse():
    # soap a(0), rinse a(1), soap b(2), rinse b(3): max soap 2 > min rinse 1.
    assert not C.order_holds(rec(["a_1", "b_1"], washed("a_1", "b_1")), "all")


def test_kind_order_groups_dishes_of_one_kind():
    # cups soaped then rinsed together, then the bowl: kind order holds, each does not.
    events = [ev("soap", "cup_1"), ev("soap", "cup_2"), ev("rinse", "cup_1"), ev("rinse", "cup_2")]
    events += washed("bowl_1")
    r = rec(["cup_1", "cup_2", "bowl_1"], events)
    assert C.order_holds(r, "kind")
    assert not C.order_holds(r, "each")


def test_kind_order_needs_soaps_before_rinses_within_the_kind():
    # cup_1 soap rinse, cup_2 soap rinse: within kind "cup" the last soap (2) > first rinse (1).
    r = rec(["cup_1", "cup_2", "bowl_1"], washed("cup_1", "cup_2", "bowl_1"))
    assert not C.order_holds(r, "kind")


def test_kind_order_fails_when_kinds_interleave():
    # cups span (0,4) because bowl is washed in between: soap cup_1, soap bowl, rinse bowl...
    events = [ev("soap", "cup_1"), ev("soap", "cup_2"), ev("soap", "bowl_1"), ev("rinse", "bowl_1")]
    events += [ev("rinse", "cup_1"), ev("rinse", "cup_2")]
    assert not C.order_holds(rec(["cup_1", "cup_2", "bowl_1"], events), "kind")


def test_groups():
    r = rec(["cup_1", "bowl_1", "cup_2"], [])
    assert C._groups(r, "all") == {"all": ["cup_1", "bowl_1", "cup_2"]}
    assert C._groups(r, "kind") == {"cup": ["cup_1", "cup_2"], "bowl": ["bowl_1"]}
    assert C._groups(r, "each") == {"cup_1": ["cup_1"], "bowl_1": ["bowl_1"], "cup_2": ["cup_2"]}
    assert C._groups(r, None) == C._groups(r, "each")


# --- the tap --------------------------------------------------------------------------------


def test_tap_between_off_needs_a_tap_off_between_groups():
    off = washed("cup_1") + [ev("tap_off", None, False), ev("tap_on")] + washed("cup_2")
    r = rec(["cup_1", "cup_2"], off)
    assert C.tap_between_holds(r, "off", "each")
    assert not C.tap_between_holds(rec(["cup_1", "cup_2"], washed("cup_1", "cup_2")), "off", "each")


def test_tap_off_must_be_strictly_between_last_rinse_and_next_start():
    # tap_off before cup_1's rinse does not count as "between".
    events = [ev("soap", "cup_1"), ev("tap_off", None, False), ev("tap_on"), ev("rinse", "cup_1")]
    events += washed("cup_2")
    assert not C.tap_between_holds(rec(["cup_1", "cup_2"], events), "off", "each")


def test_tap_between_off_is_checked_for_every_pair_of_groups():
    # Off between 1 and 2, not between 2 and 3.
    events = washed("a_1") + [ev("tap_off", None, False), ev("tap_on")] + washed("b_1", "c_1")
    assert not C.tap_between_holds(rec(["a_1", "b_1", "c_1"], events), "off", "each")


def test_tap_running_means_no_tap_off_between_first_and_last_rinse():
    r = rec(["cup_1", "cup_2"], washed("cup_1", "cup_2"))
    assert C.tap_between_holds(r, "running", "each")
    events = washed("cup_1") + [ev("tap_off", None, False), ev("tap_on")] + washed("cup_2")
    assert not C.tap_between_holds(rec(["cup_1", "cup_2"], events), "running", "each")


def test_tap_running_ignores_tap_off_after_the_last_rinse_and_rinses_of_other_objects():
    events = washed("cup_1", "cup_2") + [ev("tap_off", None, False), ev("rinse", "sponge_1")]
    assert C.tap_between_holds(rec(["cup_1", "cup_2"], events), "running", "each")


def test_tap_running_holds_without_rinses():
    assert C.tap_between_holds(rec(["cup_1"], [ev("tap_off", None, False)]), "running", None)


# --- drying ---------------------------------------------------------------------------------


def test_dried_means_a_dry_after_the_last_rinse():
    assert C._dried(rec(["c_1"], washed("c_1") + [ev("dry", "c_1")]), "c_1")
    # dry, then rinsed again: wet again.
    events = washed("c_1") + [ev("dry", "c_1"), ev("rinse", "c_1")]
    assert not C._dried(rec(["c_1"], events), "c_1")
    # never rinsed: any dry counts.
    assert C._dried(rec(["c_1"], [ev("dry", "c_1")]), "c_1")
    assert not C._dried(rec(["c_1"], [ev("dry", "c_2")]), "c_1")


# --- reading habits back (infer_preferences) ------------------------------------------------


def test_order_is_not_inferred_from_a_single_dish():
    prefs = C.infer_preferences(rec(["cup_1"], washed("cup_1")))
    assert prefs["order"] is None and prefs["tap_between"] is None


def test_inferred_order_prefers_each_then_kind_then_all():
    # Washing one dish fully before the next satisfies "each" (first in ORDERS).
    assert C.infer_preferences(rec(["a_1", "b_1"], washed("a_1", "b_1")))["order"] == "each"
    # All soaps then all rinses, two kinds: not each; "kind" fails (kinds interleave),
    # "all" holds.
    events = [ev("soap", "a_1"), ev("soap", "b_1"), ev("rinse", "a_1"), ev("rinse", "b_1")]
    assert C.infer_preferences(rec(["a_1", "b_1"], events))["order"] == "all"


def test_order_inference_counts_only_dishes_with_events():
    # Two items but only one washed: no order shown.
    assert C.infer_preferences(rec(["a_1", "b_1"], washed("a_1")))["order"] is None


def test_inferred_tap_when_soaping_needs_one_state_at_every_soap():
    on = C.infer_preferences(rec(["a_1"], washed("a_1", tap=True)))
    off = C.infer_preferences(rec(["a_1"], washed("a_1", tap=False)))
    mixed = C.infer_preferences(
        rec(["a_1", "b_1"], washed("a_1", tap=True) + washed("b_1", tap=False))
    )
    none = C.infer_preferences(rec(["a_1"], [ev("rinse", "a_1")]))
    assert [p["tap_when_soaping"] for p in (on, off, mixed, none)] == ["on", "off", None, None]


def test_inferred_tap_between_off_then_running():
    off = washed("a_1") + [ev("tap_off", None, False), ev("tap_on")] + washed("b_1")
    assert C.infer_preferences(rec(["a_1", "b_1"], off))["tap_between"] == "off"
    assert (
        C.infer_preferences(rec(["a_1", "b_1"], washed("a_1", "b_1")))["tap_between"] == "running"
    )


def test_inferred_tap_between_off_needs_two_groups():
    # "all" order is one group: the tap_off between rinses cannot be "off between groups",
    # and it breaks "running": no habit.
    events = [ev("soap", "a_1"), ev("soap", "b_1"), ev("rinse", "a_1")]
    events += [ev("tap_off", None, False), ev("tap_on"), ev("rinse", "b_1")]
    prefs = C.infer_preferences(rec(["a_1", "b_1"], events))
    assert prefs["order"] == "all"
    assert prefs["tap_between"] is None


def test_inferred_tap_at_end_and_destination_and_dry():
    r = rec(
        ["a_1", "b_1"],
        washed("a_1", "b_1") + [ev("dry", "a_1"), ev("dry", "b_1")],
        final_place={"a_1": "rack_1", "b_1": "rack_1"},
        tap_final=False,
    )
    prefs = C.infer_preferences(r)
    assert (prefs["tap_at_end"], prefs["destination"], prefs["dry"]) == ("off", "rack_1", True)
    r.tap_final = True
    r.final_place["b_1"] = "shelf_1"
    r.events = r.events[:-1]  # b_1 not dried
    prefs = C.infer_preferences(r)
    assert (prefs["tap_at_end"], prefs["destination"], prefs["dry"]) == (None, None, False)


def test_no_items_means_no_dry_habit():
    assert C.infer_preferences(rec([], []))["dry"] is False


# --- judging a record (evaluate) ------------------------------------------------------------


def clean_record(**kw) -> Record:
    base = dict(
        final_place={"cup_1": "rack_1", "cup_2": "rack_1"},
        final_flags={"cup_1": {"clean"}, "cup_2": {"clean"}},
    )
    base.update(kw)
    return rec(["cup_1", "cup_2"], washed("cup_1", "cup_2"), **base)


def test_clean_record_with_no_preferences_passes():
    assert C.evaluate({}, clean_record()) == []


def test_failures_and_moved_distractors_are_reasons():
    r = clean_record(failures=["boom"], moved_distractors=["jar_1"])
    assert C.evaluate({}, r) == ["no_failures: boom", "untouched: jar_1 was moved"]


def test_soapy_dish_is_left_soapy_even_if_also_marked_clean():
    r = clean_record(final_flags={"cup_1": {"soapy", "clean"}, "cup_2": set()})
    assert C.evaluate({}, r) == [
        "all_clean: cup_1 is left soapy",
        "all_clean: cup_2 is not clean",
    ]


def test_destination_is_checked_per_dish_and_a_held_dish_is_in_hand():
    r = clean_record(final_place={"cup_1": "rack_1"})
    assert C.evaluate({"destination": "rack_1"}, r) == [
        "destination: cup_2 ends at hand, expected rack_1"
    ]


def test_dry_preference_checks_a_dry_after_the_last_rinse():
    r = clean_record()
    r.events.append(ev("dry", "cup_1"))
    assert C.evaluate({"dry": True}, r) == ["dry: cup_2 is not dried after its last rinse"]
    assert C.evaluate({"dry": False}, r) == []


def test_order_preference_is_checked_only_with_two_or_more_dishes():
    r = clean_record()
    assert C.evaluate({"order": "all"}, r) == ["order: dishes are not washed in 'all' order"]
    one = rec(["cup_1"], washed("cup_1"), final_flags={"cup_1": {"clean"}})
    assert C.evaluate({"order": "all"}, one) == []


def test_tap_when_soaping_reports_the_first_soap_only():
    r = clean_record()
    r.events = washed("cup_1", "cup_2", tap=False)
    assert C.evaluate({"tap_when_soaping": "on"}, r) == [
        "tap_when_soaping: cup_1 soaped with the tap off"
    ]
    r.events = washed("cup_1", "cup_2", tap=True)
    assert C.evaluate({"tap_when_soaping": "off"}, r) == [
        "tap_when_soaping: cup_1 soaped with the tap on"
    ]
    assert C.evaluate({"tap_when_soaping": "on"}, r) == []


def test_tap_between_preference_uses_the_order_preference_for_groups():
    # kind order, one group (both cups): no pair of groups, so "off" holds vacuously; with
    # "each" order there are two groups and no tap_off between them.
    events = [ev("soap", "cup_1"), ev("soap", "cup_2"), ev("rinse", "cup_1"), ev("rinse", "cup_2")]
    r = clean_record()
    r.events = events
    assert C.evaluate({"tap_between": "off", "order": "kind"}, r) == []
    assert C.evaluate({"tap_between": "off"}, r) == [
        "tap_between: the tap is not turned off between dishes"
    ]


def test_tap_between_running_message():
    r = clean_record()
    r.events = washed("cup_1") + [ev("tap_off", None, False), ev("tap_on")] + washed("cup_2")
    assert C.evaluate({"tap_between": "running"}, r) == [
        "tap_between: the tap is not left running between dishes"
    ]


def test_tap_between_is_checked_only_with_two_or_more_dishes():
    r = rec(["cup_1"], washed("cup_1"), final_flags={"cup_1": {"clean"}})
    assert C.evaluate({"tap_between": "off"}, r) == []


def test_tap_at_end_off():
    assert C.evaluate({"tap_at_end": "off"}, clean_record(tap_final=True)) == [
        "tap_at_end: the tap is left running"
    ]
    assert C.evaluate({"tap_at_end": "off"}, clean_record(tap_final=False)) == []
    assert C.evaluate({"tap_at_end": None}, clean_record(tap_final=True)) == []


# --- building records -----------------------------------------------------------------------


def test_record_from_trace_reads_events_places_flags_and_tap():
    trace = {
        "to_clean": ["cup_1"],
        "initial": [
            ["in", "cup_1", "sink_1"],
            ["on", "jar_1", "shelf_1"],
            ["in", "sponge_1", "sink_1"],
        ],
        "events": [
            {
                "action": "turn_on",
                "args": ["tap_1"],
                "tap_on": True,
                "changes": [{"predicate": "is_on", "value": True}],
            },
            {"action": "turn_on", "args": ["tap_1"], "tap_on": True, "changes": []},  # no-op
            {"action": "soap", "args": ["cup_1"], "tap_on": True},
            {"action": "clean_with", "args": ["cup_1", "brush_1"], "tap_on": True},
            {"action": "rinse", "args": ["cup_1"], "tap_on": True},
            {"action": "clean_with", "args": ["cup_1", "towel_1"], "tap_on": True},
            {
                "action": "turn_off",
                "args": ["tap_1"],
                "tap_on": False,
                "changes": [{"predicate": "is_off", "value": True}],
            },
            {"action": "go_to", "args": ["shelf_1"], "tap_on": False},
        ],
        "final": [
            ["on", "cup_1", "rack_1"],
            ["is_clean", "cup_1"],
            ["is_dry", "cup_1"],
            ["on", "jar_1", "table_1"],
            ["in", "sponge_1", "table_1"],
            ["is_off", "tap_1"],
        ],
        "failures": [{"message": "m1"}],
    }
    r = C.record_from_trace(trace)
    assert r.events == [
        Event("tap_on", None, True),
        Event("soap", "cup_1", True),
        Event("soap", "cup_1", True),
        Event("rinse", "cup_1", True),
        Event("dry", "cup_1", True),
        Event("tap_off", None, False),
    ]
    assert r.items == ["cup_1"]
    assert r.final_place == {"cup_1": "rack_1", "jar_1": "table_1", "sponge_1": "table_1"}
    assert r.final_flags == {"cup_1": {"clean", "dry"}, "tap_1": {"off"}}
    assert r.tap_final is False
    assert r.failures == ["m1"]
    # jar_1 moved (not a dish to clean, not a tool); the sponge is a tool.
    assert r.moved_distractors == ["jar_1"]


def test_record_from_trace_tap_final_reads_is_on():
    r = C.record_from_trace({"final": [["is_on", "tap_1"]]})
    assert r.tap_final is True and r.events == [] and r.items == []


def test_record_from_demo_tracks_tap_state_and_places():
    scen = Scenario(
        None,
        [
            Step(None, [Change("is_on", ("tap_1",)), Change("is_off", ("tap_1",), False)]),
            Step(None, [Change("is_soapy", ("cup_1",))]),
            Step(None, [Change("is_off", ("tap_1",))]),
            Step(None, [Change("is_clean", ("cup_1",))]),
            Step(None, [Change("on", ("cup_1", "rack_1")), Change("is_dry", ("cup_1",))]),
        ],
        [
            Change("in", ("cup_1", "sink_1")),
            Change("is_off", ("tap_1",)),
            Change("is_dirty", ("cup_1",)),
        ],
        extra={"objects_to_clean": [["cup_1", "sink_1"]]},
    )
    r = C.record_from_demo(Demonstration("epic", "t", "i", [scen]))
    assert r.items == ["cup_1"]
    assert r.events == [
        Event("tap_on", None, True),
        Event("soap", "cup_1", True),
        Event("tap_off", None, False),
        Event("rinse", "cup_1", False),
        Event("dry", "cup_1", False),
    ]
    # the new place replaces the old one (not both), and the tap is off at the end
    assert r.final_place == {"cup_1": "rack_1"}
    assert r.tap_final is False
    # is_clean replaced is_soapy and is_dirty; drying keeps the dish clean (as in the sim)
    assert r.final_flags == {"cup_1": {"clean", "dry"}, "tap_1": {"off"}}


def test_record_from_demo_picks_the_scenario_by_index():
    s0 = Scenario(None, [], extra={"objects_to_clean": [["a_1", "sink_1"]]})
    s1 = Scenario(
        None, [], [Change("is_on", ("tap_1",))], extra={"objects_to_clean": [["b_1", "x"]]}
    )
    r = C.record_from_demo(Demonstration("epic", "t", "i", [s0, s1]), 1)
    assert r.items == ["b_1"] and r.tap_final is True


@pytest.mark.parametrize("order", C.ORDERS)
def test_one_dish_satisfies_every_order(order):
    assert C.order_holds(rec(["a_1"], washed("a_1")), order)


# --- second round: rules the first mutation run showed unpinned -----------------------------


def test_dried_without_rinse_looks_at_every_event():
    # Never rinsed: a dry anywhere counts, even if other events follow it.
    events = [ev("dry", "c_1"), ev("soap", "d_1")]
    assert C._dried(rec(["c_1"], events), "c_1")


def test_tap_off_just_before_the_last_rinse_is_not_between_groups():
    # soap c1 (0), tap_off (1), rinse c1 (2), soap c2 (3), rinse c2 (4): spans (0,2), (3,4);
    # nothing strictly between 2 and 3.
    events = [ev("soap", "c_1"), ev("tap_off", None, False), ev("rinse", "c_1", False)]
    events += washed("c_2")
    assert not C.tap_between_holds(rec(["c_1", "c_2"], events), "off", "each")


def test_tap_off_after_the_last_group_is_not_between_groups():
    events = washed("c_1", "c_2") + [ev("tap_off", None, False)]
    assert not C.tap_between_holds(rec(["c_1", "c_2"], events), "off", "each")


def test_tap_off_inside_the_next_group_is_not_between_groups():
    # wash c1 (0,1), soap c2 (2), tap off (3), on (4), rinse c2 (5): between 1 and 2: none.
    events = washed("c_1") + [ev("soap", "c_2"), ev("tap_off", None, False), ev("tap_on")]
    events += [ev("rinse", "c_2")]
    assert not C.tap_between_holds(rec(["c_1", "c_2"], events), "off", "each")


def test_drying_before_washing_does_not_start_a_span():
    # dry c2 (0), wash c1 (1,2), wash c2 (3,4): spans c1 (1,2), c2 (3,4): "each" holds.
    events = [ev("dry", "c_2")] + washed("c_1", "c_2")
    assert C.order_holds(rec(["c_1", "c_2"], events), "each")


def test_dish_without_flags_is_not_clean():
    r = rec(["cup_1"], washed("cup_1"), final_place={"cup_1": "rack_1"})
    assert C.evaluate({}, r) == ["all_clean: cup_1 is not clean"]


def test_inferred_order_ignores_dishes_only_other_objects_touched():
    # b_1 has no event of its own; the tap events are about no dish at all.
    events = [ev("tap_on")] + washed("a_1") + [ev("tap_off", None, False)]
    assert C.infer_preferences(rec(["a_1", "b_1"], events))["order"] is None


def test_record_from_trace_reads_sponge_as_soap_and_missing_sections_as_empty():
    trace = {
        "events": [{"action": "clean_with", "args": ["cup_1", "sponge_1"], "tap_on": False}],
        "final": [["at", "sink_1"], ["next_to", "cup_1", "jar_1"], ["is_soapy", "cup_1"]],
    }
    r = C.record_from_trace(trace)
    assert r.events == [Event("soap", "cup_1", False)]
    # a two-place fact without "is_" is no flag; a three-place fact other than in/on no place
    assert r.final_flags == {"cup_1": {"soapy"}}
    assert r.final_place == {}
    empty = C.record_from_trace({})
    assert (empty.items, empty.events, empty.final_place, empty.tap_final) == ([], [], {}, False)


def demo_of(steps, initial=(), extra=None) -> Demonstration:
    scen = Scenario(None, [Step(None, list(s)) for s in steps], list(initial), extra=extra or {})
    return Demonstration("epic", "t", "i", [scen])


def test_record_from_demo_tap_on_replaces_off_and_back():
    on = C.record_from_demo(
        demo_of([[Change("is_on", ("tap_1",))]], [Change("is_off", ("tap_1",))])
    )
    assert on.final_flags["tap_1"] == {"on"} and on.tap_final is True
    off = C.record_from_demo(
        demo_of([[Change("is_on", ("tap_1",))], [Change("is_off", ("tap_1",))]])
    )
    assert off.final_flags["tap_1"] == {"off"} and off.tap_final is False


def test_record_from_demo_new_place_replaces_the_old_in_or_on():
    names = [f"cup_{i}" for i in range(1, 9)]
    initial = [Change("on", (n, "table_1")) for n in names]
    steps = [[Change("on", (n, "rack_1"))] for n in names]
    r = C.record_from_demo(demo_of(steps, initial))
    assert r.final_place == {n: "rack_1" for n in names}
    initial = [Change("in", (n, "sink_1")) for n in names]
    r = C.record_from_demo(demo_of(steps, initial))
    assert r.final_place == {n: "rack_1" for n in names}


def test_record_from_demo_other_two_place_changes_keep_the_place():
    r = C.record_from_demo(
        demo_of([[Change("near", ("cup_1", "tap_1"))]], [Change("in", ("cup_1", "sink_1"))])
    )
    assert r.final_place == {"cup_1": "sink_1"}


def test_record_from_demo_negative_change_removes_the_fact():
    r = C.record_from_demo(
        demo_of([[Change("in", ("cup_1", "sink_1"), False)]], [Change("in", ("cup_1", "sink_1"))])
    )
    assert r.final_place == {}


def test_record_from_demo_soaping_a_clean_dish_leaves_it_soapy_only():
    r = C.record_from_demo(
        demo_of([[Change("is_clean", ("cup_1",))], [Change("is_soapy", ("cup_1",))]])
    )
    assert r.final_flags == {"cup_1": {"soapy"}}


def test_record_from_demo_without_objects_to_clean_has_no_items():
    assert C.record_from_demo(demo_of([])).items == []


def test_destination_names_a_dish_left_at_the_wrong_place():
    r = clean_record(final_place={"cup_1": "rack_1", "cup_2": "shelf_1"})
    assert C.evaluate({"destination": "rack_1"}, r) == [
        "destination: cup_2 ends at shelf_1, expected rack_1"
    ]
    assert C.evaluate({"destination": None}, r) == []
