"""Tabletop rules: pose predicates (predicates.py), final-pose checks (checks.py) and the
API's reading of names and positions (episode.py), on two- and three-object scenes.

Geometry (geometry.py): SIZE 0.05 (an object on the table has its centre at z=0.025),
HALF 0.5, BORDER 0.1 (regions from |x| or |y| = 0.4 to 0.5), NEAR 0.1, NEXT_TO 0.07.
Partial-order and height-limit checks: tests/rules/test_tabletop_stack_rules.py.
"""

from __future__ import annotations

import math

import pytest

from demo2code.benchmarks.base import ActionFailed, StepLimitReached
from demo2code.benchmarks.tabletop import checks as C
from demo2code.benchmarks.tabletop import episode as E
from demo2code.benchmarks.tabletop import predicates as P
from demo2code.benchmarks.tabletop.geometry import ScenePlan

T = 0.025  # z of an object standing on the table
UP = T + 0.05  # z of an object directly on a table-level object

# --- predicates -----------------------------------------------------------------------------


def test_on_table_tolerance_is_strict():
    assert P.on_table((0, 0, T))
    assert P.on_table((0, 0, T + 0.0119))
    assert not P.on_table((0, 0, T + 0.0121))
    assert not P.on_table((0, 0, T - 0.0121))


def test_directly_on_needs_one_size_higher_and_close_centres():
    b = (0.0, 0.0, T)
    assert P.directly_on((0.0, 0.0, UP), b)
    assert P.directly_on((0.039, 0.0, UP + 0.011), b)  # XY_TOL 0.04, Z_TOL 0.012
    assert not P.directly_on((0.041, 0.0, UP), b)
    assert not P.directly_on((0.0, 0.0, UP + 0.013), b)
    assert not P.directly_on((0.0, 0.0, UP - 0.013), b)
    assert not P.directly_on(b, (0.0, 0.0, UP))  # below is not on


@pytest.mark.parametrize(
    ("x", "y", "region"),
    [
        (0.45, 0.45, "top right corner"),
        (-0.45, 0.45, "top left corner"),
        (0.45, -0.45, "bottom right corner"),
        (-0.45, -0.45, "bottom left corner"),
        (0.0, 0.45, "top edge"),
        (0.0, -0.45, "bottom edge"),
        (0.45, 0.0, "right edge"),
        (-0.45, 0.0, "left edge"),
        (0.4, 0.0, "right edge"),  # the inner boundary belongs to the region
        (0.5, 0.0, "right edge"),  # so does the table's border
        (0.39, 0.0, None),
        (0.51, 0.0, None),  # off the table: no region
        (0.0, 0.0, None),
    ],
)
def test_region_of_corners_and_edges(x, y, region):
    assert P.region_of((x, y, T)) == region


def test_corner_wins_over_edges_when_near_both_borders():
    assert P.region_of((0.4, 0.4, T)) == "top right corner"


@pytest.mark.parametrize(
    ("a", "b", "rel"),
    [
        ((-0.05, 0.0), (0.0, 0.0), "left_of"),
        ((0.05, 0.0), (0.0, 0.0), "right_of"),
        ((0.0, 0.05), (0.0, 0.0), "behind"),
        ((0.0, -0.05), (0.0, 0.0), "in_front_of"),
        ((0.05, 0.05), (0.0, 0.0), "right_of"),  # a tie goes to the x axis
        ((-0.05, 0.05), (0.0, 0.0), "left_of"),
        ((0.04, 0.05), (0.0, 0.0), "behind"),  # y dominates
        ((0.1, 0.0), (0.0, 0.0), "right_of"),  # exactly NEAR apart still counts
        ((0.1001, 0.0), (0.0, 0.0), None),
        ((0.08, 0.08), (0.0, 0.0), None),  # 0.113 apart diagonally
    ],
)
def test_relation_dominant_axis_and_nearness(a, b, rel):
    assert P.relation((*a, T), (*b, T)) == rel


def test_support_and_stacks_bottom_to_top():
    poses = {
        "a": (0.0, 0.0, T),
        "b": (0.0, 0.0, UP),
        "c": (0.01, 0.0, UP + 0.05),
        "d": (0.3, 0.3, T),
        "e": (0.3, -0.3, 0.3),  # in the air: no support
    }
    assert P.support(poses) == {"a": "table", "b": "a", "c": "b", "d": "table"}
    assert P.stacks(poses) == [["a", "b", "c"], ["d"]]


def test_support_picks_the_nearest_of_two_candidates():
    poses = {"a": (0.0, 0.0, T), "b": (0.06, 0.0, T), "c": (0.035, 0.0, UP)}
    # c is 0.035 from a and 0.025 from b: it rests on b
    assert P.support(poses)["c"] == "b"


def test_stack_keeps_the_first_object_found_on_a_base():
    poses = {"a": (0.0, 0.0, T), "b": (0.01, 0.0, UP), "c": (-0.01, 0.0, UP)}
    # both b and c rest on a; the column follows the first (b)
    assert P.stacks(poses) == [["a", "b"]]


def test_facts_atop_transitive_table_direct_relations_table_level_only():
    poses = {"a": (0.0, 0.0, T), "b": (0.0, 0.0, UP), "c": (0.05, 0.0, T)}
    f = P.facts(poses)
    assert ("atop", "a", "table") in f and ("atop", "b", "a") in f
    assert ("atop", "b", "table") not in f
    assert ("right_of", "c", "a") in f and ("left_of", "a", "c") in f
    assert not any(x[0] in ("left_of", "right_of") and "b" in x for x in f)
    assert not any(x[0] == "moved" for x in f)


def test_facts_atop_follows_the_whole_stack():
    poses = {"a": (0.0, 0.0, T), "b": (0.0, 0.0, UP), "c": (0.0, 0.0, UP + 0.05)}
    f = P.facts(poses)
    assert {("atop", "c", "b"), ("atop", "c", "a"), ("atop", "b", "a")} <= f


def test_facts_region_for_table_level_objects():
    poses = {"a": (0.45, 0.45, T), "b": (0.45, 0.45, UP)}
    f = P.facts(poses)
    assert ("at", "a", "top right corner") in f
    assert ("at", "b", "top right corner") not in f


def test_moved_means_more_than_move_tol_from_the_initial_pose():
    initial = {"a": (0.0, 0.0, T), "b": (0.2, 0.0, T)}
    now = {"a": (0.0099, 0.0, T), "b": (0.2101 + 0.0, 0.0, T), "c": (0.4, 0.0, T)}
    f = P.facts(now, initial)
    assert ("moved", "b") in f
    assert ("moved", "a") not in f
    assert ("moved", "c") not in f  # not in the initial poses


def test_sort_facts_by_subject_then_predicate_order_then_args():
    facts = [
        ("left_of", "b", "c"),
        ("moved", "a"),
        ("atop", "a", "table"),
        ("at", "a", "top edge"),
        ("in_front_of", "a", "z"),
        ("left_of", "a", "d"),
        ("left_of", "a", "c"),
    ]
    assert P.sort_facts(facts) == [
        ("atop", "a", "table"),
        ("moved", "a"),
        ("at", "a", "top edge"),
        ("left_of", "a", "c"),
        ("left_of", "a", "d"),
        ("in_front_of", "a", "z"),
        ("left_of", "b", "c"),
    ]


# --- checks (final poses) -------------------------------------------------------------------


def scene(final: dict, initial: dict | None = None, objects=None) -> dict:
    initial = initial if initial is not None else final
    return {
        "objects": list(objects or final),
        "final_poses": {k: list(v) for k, v in final.items()},
        "initial_poses": {k: list(v) for k, v in initial.items()},
    }


TWO_STACKED = {"red block": (0.0, 0.0, T), "blue block": (0.0, 0.0, UP)}
TWO_APART = {"red block": (0.0, 0.0, T), "blue block": (0.3, 0.0, T)}


def test_fact_check():
    check = [{"kind": "fact", "fact": ["atop", "blue block", "red block"]}]
    assert C.judge(check, scene(TWO_STACKED)) == []
    assert C.judge(check, scene(TWO_APART)) == [
        "expected 'blue block' is on top of 'red block', but it does not hold"
    ]


def test_any_fact_check_needs_one_of_them():
    check = [
        {
            "kind": "any_fact",
            "facts": [["atop", "blue block", "red block"], ["atop", "red block", "blue block"]],
        }
    ]
    assert C.judge(check, scene(TWO_STACKED)) == []
    assert C.judge(check, scene(TWO_APART)) == [
        "expected one of: 'blue block' is on top of 'red block' or "
        "'red block' is on top of 'blue block'; none holds"
    ]


def test_directly_on_check():
    three = {**TWO_STACKED, "green block": (0.0, 0.0, UP + 0.05)}
    ok = [{"kind": "directly_on", "objects": ["green block", "blue block"]}]
    bad = [{"kind": "directly_on", "objects": ["green block", "red block"]}]
    assert C.judge(ok, scene(three)) == []
    assert C.judge(bad, scene(three)) == [
        "expected 'green block' directly on top of 'red block', but it is not"
    ]


def test_only_moved_check_allows_listed_objects_or_a_type():
    initial = {"red block": (0.0, 0.0, T), "blue cylinder": (0.3, 0.0, T)}
    final = {"red block": (0.1, 0.0, T), "blue cylinder": (0.3, 0.0, T)}
    assert C.judge([{"kind": "only_moved", "objects": ["red block"]}], scene(final, initial)) == []
    assert C.judge([{"kind": "only_moved", "type": "block"}], scene(final, initial)) == []
    assert C.judge([{"kind": "only_moved", "type": "cylinder"}], scene(final, initial)) == [
        "'red block' has moved, but it should have been left untouched"
    ]
    # a small jitter (MOVE_TOL 0.01) is not a move
    jitter = {"red block": (0.009, 0.0, T), "blue cylinder": (0.3, 0.0, T)}
    assert C.judge([{"kind": "only_moved", "objects": []}], scene(jitter, initial)) == []


def test_one_stack_check_counts_stacks_strangers_and_fallen_objects():
    check = [{"kind": "one_stack", "type": "block"}]
    assert C.judge(check, scene(TWO_STACKED)) == []
    assert C.judge(check, scene(TWO_APART)) == [
        "expected all blocks in one stack, found 2: [red block] (bottom to top); "
        "[blue block] (bottom to top)"
    ]
    with_cyl = {**TWO_STACKED, "pink cylinder": (0.0, 0.0, UP + 0.05)}
    assert C.judge(check, scene(with_cyl)) == [
        "stack [red block, blue block, pink cylinder] (bottom to top) holds pink cylinder, "
        "not only blocks"
    ]
    fallen = {"red block": (0.0, 0.0, T), "blue block": (0.3, 0.0, 0.3)}
    assert C.judge(check, scene(fallen)) == ["blue block not standing in any stack (knocked over?)"]


def test_one_stack_of_listed_objects_is_labelled_objects():
    check = [{"kind": "one_stack", "objects": ["red block", "blue block"]}]
    assert C.judge(check, scene(TWO_APART))[0].startswith("expected all objects in one stack")


def test_two_stacks_check():
    four = {
        "red block": (0.0, 0.0, T),
        "blue block": (0.0, 0.0, UP),
        "red cylinder": (0.3, 0.0, T),
        "blue cylinder": (0.3, 0.0, UP),
    }
    check = [{"kind": "two_stacks", "by_type": True}]
    assert C.judge(check, scene(four)) == []
    mixed = dict(four)
    mixed["blue cylinder"], mixed["blue block"] = four["blue block"], four["blue cylinder"]
    assert C.judge(check, scene(mixed)) == [
        "stack [red block, blue cylinder] (bottom to top) mixes blocks and cylinders",
        "stack [red cylinder, blue block] (bottom to top) mixes blocks and cylinders",
    ]
    assert C.judge([{"kind": "two_stacks"}], scene(mixed)) == []
    one = {k: (0.0, 0.0, T + 0.05 * i) for i, k in enumerate(four)}
    assert C.judge([{"kind": "two_stacks"}], scene(one)) == [
        "expected exactly two stacks, found 1: "
        "[red block, blue block, red cylinder, blue cylinder] (bottom to top)"
    ]
    fallen = {**four, "blue cylinder": (0.3, 0.0, 0.5)}
    assert C.judge([{"kind": "two_stacks"}], scene(fallen)) == [
        "blue cylinder not standing in any stack (knocked over?)"
    ]


def test_unknown_check_kind_is_an_error():
    with pytest.raises(ValueError, match="unknown check kind 'shiny'"):
        C.judge([{"kind": "shiny"}], scene(TWO_APART))


def test_all_reasons_of_all_checks_are_listed_in_order():
    checks = [
        {"kind": "fact", "fact": ["atop", "blue block", "red block"]},
        {"kind": "fact", "fact": ["moved", "red block"]},
    ]
    assert len(C.judge(checks, scene(TWO_APART))) == 2


def test_describe_templates():
    assert C.describe(["moved", "a"]) == "'a' has moved"
    assert C.describe(["at", "a", "top edge"]) == "'a' is at 'top edge'"
    assert C.describe(["left_of", "a", "b"]) == "'a' is to the left of 'b'"
    assert C.describe(["right_of", "a", "b"]) == "'a' is to the right of 'b'"
    assert C.describe(["behind", "a", "b"]) == "'a' is behind 'b'"
    assert C.describe(["in_front_of", "a", "b"]) == "'a' is in front of 'b'"


# --- the episode API (names, positions, budgets) -------------------------------------------

PLAN = ScenePlan(
    objects=("red block", "blue cylinder"),
    stacks=((("red block",), (0.0, 0.0)), (("blue cylinder",), (0.2, -0.1))),
)


@pytest.fixture
def ep():
    # a fresh episode per test: mutation testing runs only the tests that call a function
    return E.TabletopEpisode(PLAN, "rules", 0)


def test_type_query_accepts_shapes_plurals_colours_and_keeps_list_order(ep):
    q = ep.get_all_obj_names_that_match_type
    assert q("Blocks ") == ["red block"]
    assert q("cylinder") == ["blue cylinder"]
    assert q("blue") == ["blue cylinder"]
    assert q("block", ["x block", "red block", 3]) == ["x block", "red block"]
    assert q("red block") == ["red block"]  # a full name matches itself


def test_type_query_refuses_unknown_types_and_non_lists(ep):
    with pytest.raises(ActionFailed, match="unknown type 'sphere'"):
        ep.get_all_obj_names_that_match_type("sphere")
    with pytest.raises(ActionFailed, match="unknown type"):
        ep.get_all_obj_names_that_match_type("")
    with pytest.raises(ActionFailed, match="objects_list must be a list"):
        ep.get_all_obj_names_that_match_type("block", "red block")


def test_final_stacking_order_joins_the_two_lists_as_given(ep):
    # as the paper's release: the enforced list, then the other one, repeats kept (a
    # program that lists an object in both then fails when it stacks the list)
    order = ep.determine_final_stacking_order(["blue cylinder"], ["red block", "blue cylinder"])
    assert order == ["blue cylinder", "red block", "blue cylinder"]
    with pytest.raises(ActionFailed, match="'green block' is not an object on the table"):
        ep.determine_final_stacking_order(["green block"], [])


@pytest.mark.parametrize(
    ("text", "xy"),
    [
        ("top left corner", [-0.45, 0.45]),
        ("the bottom right corner", [0.45, -0.45]),
        ("upper-right corner", [0.45, 0.45]),
        ("far left corner", [-0.45, 0.45]),
        ("near right corner", [0.45, -0.45]),
        ("top edge", [0.0, 0.45]),
        ("left side of the table", [-0.45, 0.0]),
        ("front border", [0.0, -0.45]),
        ("middle of the table", [0.0, 0.0]),
        ("the centre", [0.0, 0.0]),
        # relative to the blue cylinder at (0.2, -0.1): NEXT_TO = 0.07
        ("left of the blue cylinder", [0.13, -0.1]),
        ("to the right of the blue cylinder", [0.27, -0.1]),
        ("behind the blue cylinder", [0.2, -0.03]),
        ("in front of the blue cylinder", [0.2, -0.17]),
        # next to: step back toward the centre along the larger coordinate (|x| >= |y|)
        ("next to the blue cylinder", [0.13, -0.1]),
        # closest corner / edge to the object
        ("the corner closest to the blue cylinder", [0.45, -0.45]),
        ("the edge nearest the blue cylinder", [0.45, 0.0]),
    ],
)
def test_parse_position_phrases(ep, text, xy):
    got = ep.parse_position(text)
    assert [round(v, 4) for v in got] == xy


def test_parse_position_refuses_what_it_cannot_read(ep):
    for text in ("somewhere nice", "corner", "top edge left edge", "top left edge"):
        with pytest.raises(ActionFailed, match="cannot read"):
            ep.parse_position(text)


def test_next_to_steps_along_y_when_y_is_larger():
    plan = ScenePlan(objects=("red block",), stacks=((("red block",), (0.1, 0.3)),))
    ep = E.TabletopEpisode(plan)
    assert [round(v, 4) for v in ep.parse_position("next to the red block")] == [0.1, 0.23]
    assert [round(v, 4) for v in ep.parse_position("beside the red block")] == [0.1, 0.23]


def test_change_key_moved_object_first_then_by_predicate_kind():
    changes = [
        {"predicate": "left_of", "args": ["a", "m"]},
        {"predicate": "moved", "args": ["m"]},
        {"predicate": "atop", "args": ["m", "table"]},
        {"predicate": "atop", "args": ["a", "table"]},
    ]
    ordered = sorted(changes, key=lambda c: E._change_key(c, "m"))
    assert [(c["predicate"], c["args"][0]) for c in ordered] == [
        ("atop", "m"),
        ("moved", "m"),
        ("atop", "a"),
        ("left_of", "a"),
    ]


def test_call_budget_counts_every_call_and_is_recorded(monkeypatch):
    monkeypatch.setattr(E, "MAX_CALLS", 3)
    ep = E.TabletopEpisode(PLAN)
    for _ in range(3):
        ep.get_obj_names()
    with pytest.raises(StepLimitReached, match="step budget used up"):
        ep.say("hi")
    assert ep.failures[-1]["action"] == "say"
    assert ep.failures[-1]["outcome"] == StepLimitReached("x").outcome


def test_say_is_recorded_as_text(ep):
    ep.say(42)
    assert ep.said[-1] == "42"


def test_put_first_on_second_refuses_bad_targets(ep):
    with pytest.raises(ActionFailed, match="cannot put 'red block' on itself"):
        ep.put_first_on_second("red block", "red block")
    with pytest.raises(ActionFailed, match="off the table"):
        ep.put_first_on_second("red block", [0.48, 0.0])
    with pytest.raises(ActionFailed, match="neither an object"):
        ep.put_first_on_second("red block", [True, 0.0])
    with pytest.raises(ActionFailed, match="neither an object"):
        ep.put_first_on_second("red block", [0.1, 0.1, 0.1])
    assert ep.failures[-1]["outcome"] == "precondition_failed"


def test_failed_action_is_recorded_before_it_raises(ep):
    n = len(ep.failures)
    with pytest.raises(ActionFailed):
        ep.put_first_on_second("green block", "table")
    assert len(ep.failures) == n + 1
    assert "green block" in ep.failures[-1]["message"]


def test_trace_holds_poses_facts_and_steps():
    ep = E.TabletopEpisode(PLAN, "t", 3)
    ep.put_first_on_second("red block", "blue cylinder")
    tr = ep.trace()
    assert (tr["task"], tr["seed"], tr["objects"]) == ("t", 3, ["red block", "blue cylinder"])
    assert ["atop", "red block", "blue cylinder"] in tr["final_facts"]
    assert ["moved", "red block"] in tr["final_facts"]
    step = tr["steps"][0]
    assert step["action"] == "put_first_on_second('red block', 'blue cylinder')"
    # the moved object's own changes come first
    assert step["changes"][0]["args"][0] == "red block"
    assert {"predicate": "atop", "args": ["red block", "table"], "value": False} in step["changes"]
    assert math.dist(tr["initial_poses"]["red block"][:2], (0.0, 0.0)) < 0.01


# --- second round: rules the first mutation run showed unpinned -----------------------------


def test_tolerances_are_strict_at_their_exact_bound():
    # math.dist gives exactly MOVE_TOL (0.01) and XY_TOL here; "more than" / "closer than".
    initial = {"a": (0.0, 0.0, T)}
    assert ("moved", "a") not in P.facts({"a": (0.01, 0.0, T)}, initial)
    assert not P.directly_on((P.XY_TOL, 0.0, UP), (0.0, 0.0, T))
    final = {"red block": (0.01, 0.0, T)}
    assert (
        C.judge([{"kind": "only_moved", "objects": []}], scene(final, {"red block": (0, 0, T)}))
        == []
    )


def test_top_border_belongs_to_the_top_edge():
    assert P.region_of((0.0, 0.5, T)) == "top edge"
    assert P.region_of((0.0, -0.5, T)) == "bottom edge"


def test_one_stack_ignores_stacks_without_chosen_objects():
    scene_ = {**TWO_STACKED, "pink cylinder": (0.3, 0.0, T)}
    assert C.judge([{"kind": "one_stack", "type": "block"}], scene(scene_)) == []


def test_check_without_type_or_objects_means_every_object():
    assert C.judge([{"kind": "one_stack"}], scene(TWO_STACKED)) == []
    assert C.judge([{"kind": "one_stack"}], scene(TWO_APART)) == [
        "expected all objects in one stack, found 2: [red block] (bottom to top); "
        "[blue block] (bottom to top)"
    ]


def test_reasons_list_every_name():
    three = {
        "red block": (0.0, 0.0, T),
        "blue cylinder": (0.0, 0.0, UP),
        "pink cylinder": (0.0, 0.0, UP + 0.05),
        "green block": (0.3, 0.0, 0.5),
        "gray block": (-0.3, 0.0, 0.5),
    }
    got = C.judge([{"kind": "one_stack", "type": "block"}], scene(three))
    assert got[0] == "gray block, green block not standing in any stack (knocked over?)"
    assert got[1] == (
        "stack [red block, blue cylinder, pink cylinder] (bottom to top) holds "
        "blue cylinder, pink cylinder, not only blocks"
    )
    got = C.judge([{"kind": "two_stacks"}], scene(three))
    assert got[0] == "green block, gray block not standing in any stack (knocked over?)"


def test_two_stacks_lists_every_stack_found():
    three = {"a block": (0.0, 0.0, T), "b block": (0.2, 0.0, T), "c block": (-0.2, 0.0, T)}
    assert C.judge([{"kind": "two_stacks"}], scene(three)) == [
        "expected exactly two stacks, found 3: [a block] (bottom to top); "
        "[b block] (bottom to top); [c block] (bottom to top)"
    ]


def test_moved_fact_check_compares_with_the_initial_poses():
    initial = {"red block": (0.0, 0.0, T), "blue block": (0.3, 0.0, T)}
    final = {"red block": (-0.2, 0.0, T), "blue block": (0.3, 0.0, T)}
    check = [{"kind": "fact", "fact": ["moved", "red block"]}]
    assert C.judge(check, scene(final, initial)) == []
    assert C.judge(check, scene(initial)) == [
        "expected 'red block' has moved, but it does not hold"
    ]


def test_reasons_of_every_check_kind_accumulate():
    fact = {"kind": "fact", "fact": ["atop", "blue block", "red block"]}
    got = C.judge([fact, {"kind": "one_stack"}], scene(TWO_APART))
    assert len(got) == 2 and got[0].startswith("expected 'blue block'")
    got = C.judge([fact, {"kind": "two_stacks"}], scene({"red block": (0, 0, T)}))
    assert len(got) == 2 and got[1].startswith("expected exactly two stacks")


# --- the episode, second round --------------------------------------------------------------


def test_namespace_names_the_api_and_the_paper_s_constants(ep):
    assert set(ep.namespace) == {
        "get_obj_names", "get_all_obj_names_that_match_type", "determine_final_stacking_order",
        "put_first_on_second", "stack_without_height_limit", "stack_with_height_limit",
        "parse_position", "say",
        # what the release's programs find besides the API (paper_names.py)
        "np", "ALL_CORNERS_LIST", "ALL_EDGES_LIST", "ALL_POSITION_RELATION_LIST",
    }  # fmt: skip


def test_episode_defaults_in_the_trace():
    tr = E.TabletopEpisode(PLAN).trace()
    assert (tr["task"], tr["seed"], tr["said"], tr["steps"], tr["failures"]) == (
        "",
        None,
        [],
        [],
        [],
    )
    assert set(tr) == {
        "task", "seed", "objects", "initial_poses", "final_poses", "initial_facts",
        "final_facts", "steps", "said", "failures",
    }  # fmt: skip
    assert tr["initial_facts"] == tr["final_facts"]
    assert ["atop", "red block", "table"] in tr["initial_facts"]


@pytest.mark.parametrize(
    ("call", "args", "action"),
    [
        ("get_obj_names", (), "get_obj_names"),
        ("get_all_obj_names_that_match_type", ("block",), "get_all_obj_names_that_match_type"),
        ("determine_final_stacking_order", ([], []), "determine_final_stacking_order"),
        ("parse_position", ("middle",), "parse_position"),
        ("say", ("x",), "say"),
        ("stack_without_height_limit", (["red block"],), "stack_without_height_limit"),
        ("stack_with_height_limit", (["red block"], 1), "stack_with_height_limit"),
        (
            "put_first_on_second",
            ("red block", "table"),
            "put_first_on_second('red block', 'table')",
        ),
    ],
)
def test_exhausted_call_budget_names_the_call(monkeypatch, call, args, action):
    monkeypatch.setattr(E, "MAX_CALLS", 0)
    ep = E.TabletopEpisode(PLAN)
    with pytest.raises(StepLimitReached):
        getattr(ep, call)(*args)
    assert ep.failures == [
        {
            "outcome": "step_limit",
            "action": action,
            "message": f"{action}: step budget used up ({E.MAX_ACTIONS} moves, 0 calls)",
        }
    ]


def test_only_pick_and_place_counts_as_a_move(monkeypatch):
    monkeypatch.setattr(E, "MAX_ACTIONS", 1)
    ep = E.TabletopEpisode(PLAN)
    for _ in range(5):
        ep.get_obj_names()
    ep.put_first_on_second("red block", "blue cylinder")
    with pytest.raises(StepLimitReached):
        ep.put_first_on_second("red block", "table")


@pytest.mark.parametrize(
    ("call", "args", "action", "condition"),
    [
        (
            "get_all_obj_names_that_match_type",
            ("sphere",),
            "get_all_obj_names_that_match_type",
            "unknown type 'sphere'; expected block, cylinder or a colour",
        ),
        (
            "get_all_obj_names_that_match_type",
            ("block", "red block"),
            "get_all_obj_names_that_match_type",
            "objects_list must be a list of object names",
        ),
        (
            "determine_final_stacking_order",
            (["red block"], ["green block"]),
            "determine_final_stacking_order",
            "'green block' is not an object on the table ['red block', 'blue cylinder']",
        ),
        (
            "stack_without_height_limit",
            ([],),
            "stack_without_height_limit",
            "objects must be a non-empty list of object names",
        ),
        (
            "stack_without_height_limit",
            ("red block",),
            "stack_without_height_limit",
            "objects must be a non-empty list of object names",
        ),
        (
            "stack_without_height_limit",
            (["red block", "red block"],),
            "stack_without_height_limit",
            "an object appears twice in the list",
        ),
        (
            "stack_without_height_limit",
            (["red block", "pink block"],),
            "stack_without_height_limit",
            "'pink block' is not an object on the table ['red block', 'blue cylinder']",
        ),
        (
            "put_first_on_second",
            ("red block", "red block"),
            "put_first_on_second('red block', 'red block')",
            "cannot put 'red block' on itself",
        ),
        (
            "put_first_on_second",
            ("red block", [0.0, 0.49]),
            "put_first_on_second('red block', [0.0, 0.49])",
            "position [0.0, 0.49] is off the table (|x|, |y| <= 0.5)",
        ),
        (
            "put_first_on_second",
            ("red block", 7),
            "put_first_on_second('red block', 7)",
            "7 is neither an object, 'table', nor an [x, y] position",
        ),
        (
            "put_first_on_second",
            ("pink block", "table"),
            "put_first_on_second('pink block', 'table')",
            "'pink block' is not an object on the table ['red block', 'blue cylinder']",
        ),
        (
            "put_first_on_second",
            ("red block", "pink block"),
            "put_first_on_second('red block', 'pink block')",
            "'pink block' is not an object on the table ['red block', 'blue cylinder']",
        ),
    ],
)
def test_failures_name_the_call_and_the_condition(call, args, action, condition):
    ep = E.TabletopEpisode(PLAN)
    with pytest.raises(ActionFailed) as err:
        getattr(ep, call)(*args)
    assert (err.value.action, err.value.condition) == (action, condition)
    assert ep.failures[-1] == {
        "outcome": "precondition_failed",
        "action": action,
        "message": f"{action} failed: {condition}",
    }


def test_covered_object_cannot_be_picked_or_used_as_a_target():
    ep = E.TabletopEpisode(PLAN)
    ep.put_first_on_second("blue cylinder", "red block")
    with pytest.raises(ActionFailed) as err:
        ep.put_first_on_second("red block", "table")
    assert err.value.action == "put_first_on_second('red block', 'table')"
    assert err.value.condition == "'blue cylinder' is on top of 'red block'"
    plan = ScenePlan(
        objects=("red block", "blue cylinder", "green block"),
        stacks=PLAN.stacks + ((("green block",), (-0.2, 0.2)),),
    )
    ep = E.TabletopEpisode(plan)
    ep.put_first_on_second("blue cylinder", "red block")
    with pytest.raises(ActionFailed) as err:
        ep.put_first_on_second("green block", "red block")
    assert err.value.condition == "'blue cylinder' is on top of 'red block'"


def test_positions_on_the_table_edge_are_allowed_and_beyond_refused():
    # |x|, |y| may reach HALF - SIZE/2 = 0.475 (the object's edge on the table's edge).
    ep = E.TabletopEpisode(PLAN)
    ep.put_first_on_second("red block", [0.475, 0.0])
    ep.put_first_on_second("red block", [0.0, -0.475])
    for xy in ([0.48, 0.0], [0.0, 0.48], [0.0, -0.48]):
        with pytest.raises(ActionFailed, match="off the table"):
            ep.put_first_on_second("red block", xy)


def test_placing_at_a_position_records_it_rounded_to_four_places():
    ep = E.TabletopEpisode(PLAN)
    ep.put_first_on_second("red block", [0.123456, -0.2])
    assert ep.steps[-1]["action"] == "put_first_on_second('red block', [0.1235, -0.2])"
    ep.put_first_on_second("red block", (-0.1, 0.234567))
    assert ep.steps[-1]["action"] == "put_first_on_second('red block', [-0.1, 0.2346])"
    ep.put_first_on_second("red block", " Table ")
    assert ep.steps[-1]["action"] == "put_first_on_second('red block', 'table')"


def test_put_on_table_keeps_an_object_already_on_a_free_spot_in_place():
    # The blue cylinder stands at (0.2, -0.1), a grid point 0.22 from the red block: it is
    # its own nearest free spot.
    ep = E.TabletopEpisode(PLAN)
    ep.put_first_on_second("blue cylinder", "table")
    x, y, _ = ep.sim.poses()["blue cylinder"]
    assert abs(x - 0.2) < 0.005 and abs(y + 0.1) < 0.005


def test_put_on_table_finds_a_spot_clear_of_other_stacks():
    ep = E.TabletopEpisode(PLAN)
    ep.put_first_on_second("blue cylinder", "red block")
    ep.put_first_on_second("blue cylinder", "table")
    poses = ep.sim.poses()
    b, r = poses["blue cylinder"], poses["red block"]
    assert P.on_table(b)
    assert math.dist(b[:2], r[:2]) >= 0.15 - 0.005
    assert math.dist(b[:2], r[:2]) < 0.17  # the nearest such spot, not any
    assert abs(b[0]) <= 0.36 + 0.005 and abs(b[1]) <= 0.36 + 0.005


def test_moved_objects_own_changes_come_first():
    ep = E.TabletopEpisode(PLAN)
    ep.put_first_on_second("red block", ep.parse_position("left of the blue cylinder"))
    subjects = [c["args"][0] for c in ep.steps[-1]["changes"]]
    assert "blue cylinder" in subjects
    first_other = subjects.index("blue cylinder")
    assert set(subjects[:first_other]) == {"red block"}
    assert set(subjects[first_other:]) == {"blue cylinder"}


def test_change_key_orders_equal_subject_and_predicate_by_the_other_arguments():
    changes = [
        {"predicate": "left_of", "args": ["a", "z"]},
        {"predicate": "left_of", "args": ["a", "b"]},
    ]
    ordered = sorted(changes, key=lambda c: E._change_key(c, "m"))
    assert [c["args"][1] for c in ordered] == ["b", "z"]


def test_stack_without_height_limit_stacks_in_list_order_on_the_first():
    plan = ScenePlan(
        objects=("red block", "blue cylinder", "green block"),
        stacks=PLAN.stacks + ((("green block",), (-0.2, 0.2)),),
    )
    ep = E.TabletopEpisode(plan)
    ep.stack_without_height_limit(["green block", "red block", "blue cylinder"])
    assert P.stacks(ep.sim.poses()) == [["green block", "red block", "blue cylinder"]]
    assert [s["action"] for s in ep.steps] == [
        "put_first_on_second('red block', 'green block')",
        "put_first_on_second('blue cylinder', 'red block')",
    ]
    x, y, _ = ep.sim.poses()["green block"]
    assert abs(x + 0.2) < 0.005 and abs(y - 0.2) < 0.005  # the first stays where it is


def test_stack_of_one_object_does_nothing():
    ep = E.TabletopEpisode(PLAN)
    ep.stack_without_height_limit(("red block",))
    assert ep.steps == []


@pytest.mark.parametrize(
    "text",
    ["closest to the blue cylinder", "the blue cylinder", "top", "left", "table"],
)
def test_parse_position_needs_a_place_word(text):
    ep = E.TabletopEpisode(PLAN)
    with pytest.raises(ActionFailed, match="cannot read"):
        ep.parse_position(text)


def test_parse_position_side_and_near_words():
    ep = E.TabletopEpisode(PLAN)
    # blue cylinder at (0.2, -0.1): the closest edge is the right one.
    assert ep.parse_position("the side closest to the blue cylinder") == [0.45, 0.0]
    assert [round(v, 4) for v in ep.parse_position("near the blue cylinder")] == [0.13, -0.1]


def test_parse_position_rounds_relative_spots_to_four_places():
    ep = E.TabletopEpisode(PLAN)
    ep.put_first_on_second("red block", [0.123456, 0.0])
    x, y, _ = ep.sim.poses()["red block"]
    for text, expected in (
        ("left of the red block", (x - 0.07, y)),
        ("behind the red block", (x, y + 0.07)),
        ("next to the red block", (x - 0.07, y)),  # |x| >= |y|: step back along x
    ):
        got = ep.parse_position(text)
        assert got == [round(v, 4) for v in got]
        assert all(abs(g - e) <= 0.00005 for g, e in zip(got, expected, strict=True))
    ep.put_first_on_second("red block", [0.0, 0.234567])
    x, y, _ = ep.sim.poses()["red block"]
    got = ep.parse_position("next to the red block")
    assert got == [round(v, 4) for v in got]
    assert abs(got[1] - (y - 0.07)) <= 0.00005


def test_no_free_room_on_the_table_is_a_failure(monkeypatch):
    monkeypatch.setattr(E, "MIN_APART", 10.0)  # every grid point is too close to a stack
    ep = E.TabletopEpisode(PLAN)
    with pytest.raises(ActionFailed) as err:
        ep.put_first_on_second("red block", "table")
    assert (err.value.action, err.value.condition) == (
        "put_first_on_second",
        "no free room left on the table",
    )
    assert ep.failures[-1]["action"] == "put_first_on_second"


def test_closest_needs_an_object_and_an_explicit_word_otherwise():
    ep = E.TabletopEpisode(PLAN)
    with pytest.raises(ActionFailed, match="cannot read"):
        ep.parse_position("the closest corner")
    # An edge named outright is that edge, even with an object mentioned.
    assert ep.parse_position("the top edge by the blue cylinder") == [0.0, 0.45]
    assert ep.parse_position("the center") == [0.0, 0.0]


def test_unreadable_position_message_lists_what_is_understood():
    ep = E.TabletopEpisode(PLAN)
    with pytest.raises(ActionFailed) as err:
        ep.parse_position("over there")
    assert err.value.condition == (
        "cannot read 'over there'; expected a corner ('top left corner'), an edge "
        "('bottom edge'), 'middle of the table', or '<left of|right of|behind|in front of|"
        "next to> the <object>'"
    )


@pytest.mark.parametrize("limit", [0, -1, True, 1.5, "2"])
def test_height_limit_must_be_a_whole_number_from_one(limit):
    ep = E.TabletopEpisode(PLAN)
    with pytest.raises(ActionFailed) as err:
        ep.stack_with_height_limit(["red block"], limit)
    assert err.value.action == "stack_with_height_limit"
    assert err.value.condition == f"height_limit must be a whole number >= 1, got {limit!r}"


def test_height_limited_runs_start_on_the_table():
    ep = E.TabletopEpisode(PLAN)
    ep.put_first_on_second("blue cylinder", "red block")
    ep.stack_with_height_limit(["blue cylinder", "red block"], 1)
    # blue (on red) is moved to the table; red already stands on it: no move.
    assert [s["action"] for s in ep.steps[1:]] == ["put_first_on_second('blue cylinder', 'table')"]
    assert sorted(P.stacks(ep.sim.poses())) == [["blue cylinder"], ["red block"]]


def test_put_on_table_stays_inside_the_interior():
    # From the right edge (x = 0.45) the nearest free grid point is the interior's border,
    # x = INTERIOR = 0.36 (the blue cylinder at (0.2, -0.1) is 0.19 away from (0.36, 0)).
    ep = E.TabletopEpisode(PLAN)
    ep.put_first_on_second("red block", [0.45, 0.0])
    ep.put_first_on_second("red block", "table")
    x, y, _ = ep.sim.poses()["red block"]
    assert abs(x - 0.36) < 0.005 and abs(y) < 0.005


def test_enforced_order_failure_and_covered_target_name_the_call():
    ep = E.TabletopEpisode(PLAN)
    with pytest.raises(ActionFailed) as err:
        ep.determine_final_stacking_order(["green block"], [])
    assert err.value.action == "determine_final_stacking_order"
    plan = ScenePlan(
        objects=("red block", "blue cylinder", "green block"),
        stacks=PLAN.stacks + ((("green block",), (-0.2, 0.2)),),
    )
    ep = E.TabletopEpisode(plan)
    ep.put_first_on_second("blue cylinder", "red block")
    with pytest.raises(ActionFailed) as err:
        ep.put_first_on_second("green block", "red block")
    assert err.value.action == "put_first_on_second('green block', 'red block')"
    with pytest.raises(ActionFailed) as err:
        ep.stack_with_height_limit([], 1)
    assert err.value.action == "stack_with_height_limit"


def test_budget_failure_inside_height_limited_stacking_names_the_move(monkeypatch):
    monkeypatch.setattr(E, "MAX_ACTIONS", 1)
    ep = E.TabletopEpisode(PLAN)
    ep.put_first_on_second("blue cylinder", "red block")
    with pytest.raises(StepLimitReached):
        ep.stack_with_height_limit(["blue cylinder", "red block"], 1)
    assert ep.failures[-1]["action"] == "put_first_on_second('blue cylinder', 'table')"


def test_listed_objects_limit_stack_and_move_checks():
    three = {**TWO_STACKED, "green block": (0.3, 0.0, T)}
    check = [{"kind": "one_stack", "objects": ["red block", "blue block"]}]
    assert C.judge(check, scene(three)) == []
    initial = {"red block": (0.0, 0.0, T), "blue cylinder": (0.3, 0.0, T)}
    final = {"red block": (0.1, 0.0, T), "blue cylinder": (0.3, 0.0, T)}
    assert C.judge(
        [{"kind": "only_moved", "objects": ["blue cylinder"]}], scene(final, initial)
    ) == ["'red block' has moved, but it should have been left untouched"]


def test_free_spot_ties_go_to_the_first_grid_point_lowest_x_then_y():
    # From (0.01, 0.21), four grid points are 0.0141 away: (0.0|0.02, 0.2|0.22); the grid is
    # searched x-major from the lowest values, and only a strictly nearer point replaces one.
    ep = E.TabletopEpisode(PLAN)
    ep.put_first_on_second("red block", [0.01, 0.21])
    ep.put_first_on_second("red block", "table")
    x, y, _ = ep.sim.poses()["red block"]
    assert abs(x - 0.0) < 0.005 and abs(y - 0.2) < 0.005


def test_next_to_steps_along_x_when_both_coordinates_are_equal():
    ep = E.TabletopEpisode(PLAN)
    ep.put_first_on_second("red block", [0.1, 0.1])
    assert ep.parse_position("next to the red block") == [0.03, 0.1]
