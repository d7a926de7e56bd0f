"""Facts and stacks computed from hand-built poses."""

from demo2code.benchmarks.tabletop import predicates as P
from demo2code.benchmarks.tabletop.geometry import HALF, SIZE, region_point

H = SIZE / 2


def test_atop_is_transitive_and_table_only_direct():
    poses = {"a": (0.0, 0.0, H), "b": (0.0, 0.005, H + SIZE), "c": (0.003, 0.0, H + 2 * SIZE)}
    facts = P.facts(poses)
    assert {
        ("atop", "a", "table"),
        ("atop", "b", "a"),
        ("atop", "c", "b"),
        ("atop", "c", "a"),
    } <= facts
    assert ("atop", "b", "table") not in facts and ("atop", "c", "table") not in facts
    assert ("atop", "a", "b") not in facts
    assert P.stacks(poses) == [["a", "b", "c"]]


def test_offset_object_is_not_on_top():
    poses = {"a": (0.0, 0.0, H), "b": (0.2, 0.0, H + SIZE)}
    assert ("atop", "b", "a") not in P.facts(poses)
    assert P.stacks(poses) == [["a"]]  # b floats: neither on the table nor on a


def test_neighbour_relations_both_ways_and_only_when_near():
    poses = {"a": (0.0, 0.0, H), "b": (0.07, 0.01, H), "c": (0.0, 0.08, H), "far": (0.3, 0.3, H)}
    facts = P.facts(poses)
    assert ("left_of", "a", "b") in facts and ("right_of", "b", "a") in facts
    assert ("in_front_of", "a", "c") in facts and ("behind", "c", "a") in facts
    assert not any("far" in f for f in facts if f[0] not in ("atop", "at"))


def test_relations_only_between_objects_on_the_table():
    poses = {"a": (0.0, 0.0, H), "b": (0.0, 0.0, H + SIZE), "c": (0.07, 0.0, H)}
    facts = P.facts(poses)
    assert ("left_of", "a", "c") in facts
    assert ("left_of", "b", "c") not in facts


def test_regions_corners_win_over_edges():
    tl = region_point("top left corner")
    assert P.region_of((*tl, H)) == "top left corner"
    assert P.region_of((0.0, -(HALF - 0.05), H)) == "bottom edge"
    assert P.region_of((HALF - 0.05, 0.1, H)) == "right edge"
    assert P.region_of((0.0, 0.0, H)) is None
    assert P.region_of((HALF + 0.2, 0.0, H)) is None  # off the table


def test_moved_compares_with_initial_pose():
    initial = {"a": (0.0, 0.0, H), "b": (0.2, 0.0, H)}
    now = {"a": (0.0, 0.002, H), "b": (0.3, 0.0, H)}
    facts = P.facts(now, initial)
    assert ("moved", "b") in facts and ("moved", "a") not in facts
