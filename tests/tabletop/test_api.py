"""The generated-code API: perception, actions, preconditions, budgets, physics."""

from dataclasses import replace

import pytest

from demo2code.benchmarks.base import ActionFailed, StepLimitReached
from demo2code.benchmarks.tabletop import episode as E
from demo2code.benchmarks.tabletop import predicates as P
from demo2code.benchmarks.tabletop.geometry import HALF, NEXT_TO, ScenePlan, region_point

PLAN = ScenePlan(
    objects=("red block", "blue block", "green cylinder", "pink cylinder"),
    stacks=(
        (("red block", "green cylinder"), (0.0, 0.0)),
        (("blue block",), (0.2, 0.1)),
        (("pink cylinder",), (-0.2, -0.1)),
    ),
)


@pytest.fixture
def ep():
    return E.TabletopEpisode(PLAN, "hand-built", 0)


def facts(ep):
    return P.facts(ep.sim.poses(), ep.initial)


def test_initial_scene_matches_plan(ep):
    f = facts(ep)
    assert ("atop", "green cylinder", "red block") in f and ("atop", "red block", "table") in f
    assert not any(x[0] == "moved" for x in f)


def test_perception(ep):
    ns = ep.namespace
    names = ns["get_obj_names"]()
    assert names == list(PLAN.objects)
    assert ns["get_all_obj_names_that_match_type"]("blocks", names) == ["red block", "blue block"]
    assert ns["get_all_obj_names_that_match_type"]("cylinder", names[::-1]) == [
        "pink cylinder",
        "green cylinder",
    ]
    assert ns["get_all_obj_names_that_match_type"]("red", names) == ["red block"]
    order = ns["determine_final_stacking_order"](["blue block"], ["red block"])
    assert order == ["blue block", "red block"]


def test_an_object_in_both_order_lists_appears_twice_and_cannot_be_stacked(ep):
    """As the paper's API: the lists are joined as given, so the stack call refuses them."""
    ns = ep.namespace
    order = ns["determine_final_stacking_order"](["blue block"], ["red block", "blue block"])
    assert order == ["blue block", "red block", "blue block"]
    with pytest.raises(ActionFailed, match="twice"):
        ns["stack_without_height_limit"](order)


def test_the_papers_programs_find_their_names(ep):
    """np.random.choice and the corner/edge/relation lists, as the paper's programs use them."""
    ns = ep.namespace
    corner = ns["np"].random.choice(ns["ALL_CORNERS_LIST"])
    assert corner in ns["ALL_CORNERS_LIST"] and len(ns["ALL_CORNERS_LIST"]) == 4
    assert ns["ALL_EDGES_LIST"] == ["top edge", "bottom edge", "left edge", "right edge"]
    assert ns["ALL_POSITION_RELATION_LIST"] == ["left of", "right of", "behind", "in front of"]
    one, two = (E.TabletopEpisode(PLAN, "hand-built", 0).namespace["np"] for _ in range(2))
    draws = [one.random.choice(range(100)) for _ in range(5)]
    assert draws == [two.random.choice(range(100)) for _ in range(5)]  # a run repeats exactly
    assert len(set(draws)) > 1
    with pytest.raises(ValueError, match="non-empty"):
        ns["np"].random.choice([])


def test_a_corner_or_edge_by_name_is_a_place(ep):
    ns = ep.namespace
    ns["put_first_on_second"]("blue block", "left edge")
    assert ("at", "blue block", "left edge") in facts(ep)
    ns["put_first_on_second"]("pink cylinder", "the top right corner")
    assert ("at", "pink cylinder", "top right corner") in facts(ep)
    with pytest.raises(ActionFailed, match="not an object"):
        ns["put_first_on_second"]("blue block", "left of the pink cylinder")


def test_between_two_objects_is_halfway(ep):
    x1, y1, _ = ep.sim.poses()["blue block"]
    x2, y2, _ = ep.sim.poses()["pink cylinder"]
    where = ep.namespace["parse_position"]("between the blue block and the pink cylinder")
    assert where == [round((x1 + x2) / 2, 4), round((y1 + y2) / 2, 4)]


def test_scenes_may_list_names_in_a_fresh_random_order():
    shuffled = E.TabletopEpisode(replace(PLAN, shuffled_names=True), "hand-built", 0)
    orders = {tuple(shuffled.namespace["get_obj_names"]()) for _ in range(20)}
    assert len(orders) > 1 and all(sorted(o) == sorted(PLAN.objects) for o in orders)


@pytest.mark.parametrize(
    "args, condition",
    [
        (("purple block", "table"), "not an object"),
        (("red block", "table"), "'green cylinder' is on top of 'red block'"),
        (("blue block", "red block"), "'green cylinder' is on top of 'red block'"),
        (("blue block", "blue block"), "on itself"),
        (("blue block", [0.9, 0.0]), "off the table"),
        (("blue block", 3), "neither an object"),
    ],
)
def test_failed_preconditions_raise_and_are_recorded_even_if_caught(ep, args, condition):
    try:
        ep.namespace["put_first_on_second"](*args)
    except ActionFailed as err:
        assert condition in err.condition
    else:
        pytest.fail("expected ActionFailed")
    trace = ep.trace()
    assert len(trace["failures"]) == 1
    assert trace["failures"][0]["outcome"] == "precondition_failed"
    assert condition in trace["failures"][0]["message"]
    assert trace["steps"] == [] and not any(f[0] == "moved" for f in facts(ep))


def test_put_on_object_then_table_records_changes(ep):
    put = ep.namespace["put_first_on_second"]
    put("green cylinder", "blue block")
    put("pink cylinder", "table")
    steps = ep.trace()["steps"]
    assert steps[0]["action"] == "put_first_on_second('green cylinder', 'blue block')"
    first = {(c["predicate"], *c["args"], c["value"]) for c in steps[0]["changes"]}
    assert ("atop", "green cylinder", "blue block", True) in first
    assert ("atop", "green cylinder", "red block", False) in first
    assert ("moved", "green cylinder", True) in first
    assert steps[0]["changes"][0]["args"][0] == "green cylinder"  # the moved object comes first
    f = facts(ep)
    assert ("atop", "pink cylinder", "table") in f


def test_parse_position(ep):
    pp = ep.namespace["parse_position"]
    assert pp("top left corner") == list(region_point("top left corner"))
    assert pp("the Bottom-Right corner") == list(region_point("bottom right corner"))
    assert pp("left side") == list(region_point("left edge"))
    assert pp("top edge") == list(region_point("top edge"))
    assert pp("middle of the table") == [0.0, 0.0]
    bx, by, _ = ep.sim.poses()["blue block"]
    assert pp("to the left of the blue block") == [round(bx - NEXT_TO, 4), round(by, 4)]
    assert pp("behind the blue block") == [round(bx, 4), round(by + NEXT_TO, 4)]
    assert pp("in front of the blue block") == [round(bx, 4), round(by - NEXT_TO, 4)]
    assert pp("the corner closest to the blue block") == list(region_point("top right corner"))
    assert pp("the corner nearest to the pink cylinder") == list(region_point("bottom left corner"))
    with pytest.raises(ActionFailed, match="cannot read"):
        pp("somewhere nice")
    assert ep.trace()["failures"][-1]["action"] == "parse_position"


def test_placing_next_to_makes_relation_true(ep):
    ns = ep.namespace
    ns["put_first_on_second"]("pink cylinder", ns["parse_position"]("right of the blue block"))
    assert ("right_of", "pink cylinder", "blue block") in facts(ep)
    ns["put_first_on_second"]("blue block", ns["parse_position"]("top right corner"))
    assert ("at", "blue block", "top right corner") in facts(ep)


def test_stack_helpers(ep):
    ns = ep.namespace
    ns["put_first_on_second"]("green cylinder", "table")
    ns["stack_with_height_limit"](["red block", "blue block", "green cylinder", "pink cylinder"], 2)
    stacks = sorted(P.stacks(ep.sim.poses()))
    assert stacks == [["green cylinder", "pink cylinder"], ["red block", "blue block"]]
    with pytest.raises(ActionFailed, match="height_limit"):
        ns["stack_with_height_limit"](["red block"], 0)
    with pytest.raises(ActionFailed, match="twice"):
        ns["stack_without_height_limit"](["red block", "red block"])


def test_stack_helpers_take_the_papers_keyword_names(ep):
    """The paper's programs call the API with keywords; they must run unchanged."""
    ns = ep.namespace
    blocks = ns["get_all_obj_names_that_match_type"](type_name="block", objects_list=PLAN.objects)
    assert blocks == ["red block", "blue block"]
    order = ns["determine_final_stacking_order"](
        objects_to_enforce_order=["blue block"], objects_without_order=["red block"]
    )
    assert order == ["blue block", "red block"]
    ns["put_first_on_second"]("green cylinder", "table")
    ns["stack_without_height_limit"](objects_to_stack=["green cylinder", "pink cylinder"])
    ns["stack_with_height_limit"](objects_to_stack=["red block", "blue block"], height_limit=2)
    stacks = sorted(P.stacks(ep.sim.poses()))
    assert stacks == [["green cylinder", "pink cylinder"], ["red block", "blue block"]]


def test_unsupported_object_falls(ep):
    """Released half over the edge of a block, an object cannot stand there and drops."""
    x, y, _ = ep.sim.poses()["blue block"]
    ep.namespace["put_first_on_second"]("pink cylinder", [x + 0.045, y])
    pose = ep.sim.poses()["pink cylinder"]
    assert ("atop", "pink cylinder", "blue block") not in facts(ep)
    assert pose[2] < 0.04  # it ended up down on the table
    assert abs(pose[0]) < HALF


def test_step_limit_is_recorded(ep, monkeypatch):
    monkeypatch.setattr(E, "MAX_ACTIONS", 3)
    put = ep.namespace["put_first_on_second"]
    with pytest.raises(StepLimitReached):
        for _ in range(10):
            put("blue block", "table")
    assert ep.trace()["failures"][-1]["outcome"] == "step_limit"
    assert len(ep.trace()["steps"]) == 3
