"""The kitchen simulator: levels, generator, dynamics, API errors."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from robotouille.api import KitchenAPI, PreconditionFailed, StepLimitExceeded
from robotouille.env import KitchenEnv
from robotouille.generator import all_reachable, generate
from robotouille.level import ENVIRONMENTS, LevelError, builtin_level, level_from_json, load_level

LEVELS = sorted(p.stem for p in ENVIRONMENTS.glob("*.json"))


def api_for(name: str, seed: int = 0, mode: str = "noisy", **kw) -> KitchenAPI:
    return KitchenAPI(KitchenEnv(generate(builtin_level(name), seed, mode), **kw))


@pytest.mark.parametrize("name", LEVELS)
def test_same_seed_same_level_and_every_station_reachable(name):
    base = builtin_level(name)
    for seed in range(15):
        a, b = generate(base, seed), generate(base, seed)
        assert a == b and a.meta == {"base": name, "mode": "noisy", "seed": seed}
        assert all_reachable(a)
    layouts = {generate(base, s).stations for s in range(10)}
    assert len(layouts) > 5  # the seed really changes the level


def test_noisy_keeps_stacks_and_adds_extra_stations_and_raw_items():
    base = builtin_level("assemble_burgers")
    kinds = {s.kind for s in base.stations}
    for seed in range(10):
        level = generate(base, seed)
        assert sorted(i.kind for i in level.items if i.level == 1) == ["patty", "top_bun"]
        assert sorted(i.kind for i in level.items if not i.extra) == sorted(
            i.kind for i in base.items
        )
        added = [s for s in level.stations if s.extra]
        assert added and {s.kind for s in added} <= kinds
        assert all(not i.cooked and not i.cut and i.level == 0 for i in level.items if i.extra)
        assert len(level.stations) > len(base.stations)


def test_full_randomization_scatters_items_one_per_table():
    level = generate(builtin_level("assemble_burgers"), 3, "full")
    assert all(i.level == 0 for i in level.items)
    assert all_reachable(level)


def test_generators_run_concurrently_with_identical_results():
    base = builtin_level("two_burgers")
    with ThreadPoolExecutor(4) as pool:
        levels = list(pool.map(lambda s: generate(base, s % 3), range(12)))
    assert levels[:3] * 4 == levels


def test_names_follow_sorted_positions_and_free_locations_only_are_listed():
    api = api_for("cook_and_cut", mode="none")
    occupied = {api.get_obj_location("patty1"), api.get_obj_location("lettuce1")}
    tables = api.get_all_location_names_that_match_type("table")
    every_table = [s for s in api.env.stations if s.startswith("table")]
    assert every_table == [f"table{i}" for i in range(1, len(every_table) + 1)]
    assert tables == [t for t in every_table if t not in occupied] and len(tables) == 2
    assert api.get_all_obj_names_that_match_type("Patty") == ["patty1"]
    assert api.get_all_location_names_that_match_type("cutting board") == ["cutting_board1"]


def test_a_station_drops_out_of_the_location_query_while_something_is_on_it():
    api = api_for("cook_and_cut", mode="none")
    table = api.get_obj_location("patty1")
    assert table not in api.get_all_location_names_that_match_type("table")
    api.move(api.get_curr_location(), table)
    api.pick_up("patty1", table)  # held items occupy no station
    assert table in api.get_all_location_names_that_match_type("table")
    stove = api.get_all_location_names_that_match_type("stove")[0]
    api.move(table, stove)
    api.place("patty1", stove)
    assert api.get_all_location_names_that_match_type("stove") == []


def test_the_top_of_a_prebuilt_stack_is_numbered_1_and_lists_are_in_id_order():
    api = api_for("assemble_burgers", mode="none")
    patties = api.get_all_obj_names_that_match_type("patty")
    assert patties == ["patty1", "patty2"]
    assert api.get_obj_that_is_underneath("patty1") == "patty2"  # patty1 is on top
    assert not api.is_in_a_stack("patty2")
    assert api.get_obj_that_is_underneath("top_bun1") == "top_bun2"
    # the first patty can be lifted straight away
    api.move(api.get_curr_location(), api.get_obj_location("patty1"))
    api.unstack("patty1", "patty2")
    assert api.is_holding("patty1")


def test_ids_sort_by_number_not_by_text():
    level = level_from_json(
        {
            "width": 12,
            "height": 3,
            "stations": [{"kind": "table", "x": x, "y": 0} for x in range(12)],
            "items": [{"kind": "cheese", "x": x, "y": 0} for x in range(11)],
            "robot": {"x": 0, "y": 1, "facing": "up"},
        }
    )
    api = KitchenAPI(KitchenEnv(level))
    assert api.get_all_obj_names_that_match_type("cheese") == [f"cheese{i}" for i in range(1, 12)]
    assert api.get_all_location_names_that_match_type("table") == ["table12"]


def test_distractors_are_numbered_after_the_levels_own_items():
    base = builtin_level("burger")
    own = {i.kind for i in base.items}
    seen_same_kind = False
    for seed in range(30):
        level = generate(base, seed)
        names = level.item_names()
        for item in level.items:
            if item.extra and item.kind in own:
                seen_same_kind = True
                assert names[item] != f"{item.kind}1"  # the level's own comes first
    assert seen_same_kind  # noise adds items of the task's kinds too


def test_cutting_takes_several_cuts_and_cooking_finishes_later_while_on_the_stove():
    api = api_for("cook_and_cut", seed=4)
    lettuce, patty = "lettuce1", "patty1"
    board = api.get_all_location_names_that_match_type("cutting_board")[0]
    stove = api.get_all_location_names_that_match_type("stove")[0]
    api.move(api.get_curr_location(), api.get_obj_location(lettuce))
    api.pick_up(lettuce, api.get_obj_location(lettuce))
    api.move(api.get_curr_location(), board)
    api.place(lettuce, board)
    api.cut(lettuce)
    api.cut(lettuce)
    assert not api.is_cut(lettuce)
    api.cut(lettuce)
    assert api.is_cut(lettuce)
    api.move(board, api.get_obj_location(patty))
    api.pick_up(patty, api.get_obj_location(patty))
    api.move(api.get_curr_location(), stove)
    api.place(patty, stove)
    api.start_cooking(patty)
    api.noop()
    api.pick_up(patty, stove)  # held: cooking pauses
    api.noop()
    api.noop()
    assert not api.is_cooked(patty)
    api.place(patty, stove)  # back on the heat: one step of progress
    assert not api.is_cooked(patty)
    api.noop()
    assert api.is_cooked(patty)
    cooked_step = api.steps[-1]
    assert {"predicate": "cooked", "args": ["patty1"], "value": True} in cooked_step["changes"]


def test_failed_precondition_names_action_and_condition_and_is_recorded():
    api = api_for("cook_and_cut", seed=1)
    stove = api.get_all_location_names_that_match_type("stove")[0]
    with pytest.raises(PreconditionFailed) as err:
        api.pick_up("patty1", stove)
    assert "pick_up('patty1', 'stove1')" in str(err.value)
    assert "'robot1' is not at 'stove1'" in str(err.value)
    assert api.trace()["failures"][0]["outcome"] == "precondition_failed"
    with pytest.raises(PreconditionFailed, match="not a known"):
        api.cut("patty7")


def test_cut_needs_a_cutting_board_and_cook_needs_a_stove():
    api = api_for("cook_and_cut", mode="none")
    loc = api.get_obj_location("lettuce1")
    api.move(api.get_curr_location(), loc)
    with pytest.raises(PreconditionFailed, match="not a cutting board"):
        api.cut("lettuce1")
    with pytest.raises(PreconditionFailed, match="can not be cooked|not a stove"):
        api.start_cooking("lettuce1")


def test_step_limit_stops_runaway_loops_and_stays_recorded_when_caught():
    api = api_for("cook_and_cut", step_limit=5)
    for _ in range(5):
        api.noop()
    with pytest.raises(StepLimitExceeded):
        api.noop()
    try:
        api.noop()
    except StepLimitExceeded:
        pass
    assert [f["outcome"] for f in api.trace()["failures"]] == ["step_limit", "step_limit"]


def test_moving_to_the_current_location_is_not_a_step():
    api = api_for("burger")
    here = api.get_curr_location()
    api.move(here, here)
    assert api.steps == []


def test_unknown_types_are_errors_naming_the_valid_ones():
    api = api_for("burger")
    with pytest.raises(ValueError, match="expected one of"):
        api.get_all_obj_names_that_match_type("burger")


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.pop("width"), "width"),
        (lambda d: d["stations"][0].update(kind="oven"), "stations[0].kind"),
        (lambda d: d["items"][0].update(x=99), "items[0].x/y"),
        (lambda d: d["items"][0].update(level=3), "items"),
        (lambda d: d["robot"].update(facing="north"), "robot.facing"),
        (lambda d: d["items"][0].update(cooked="yes"), "items[0].cooked"),
    ],
)
def test_malformed_level_names_file_and_field(tmp_path, mutate, field):
    data = json.loads((ENVIRONMENTS / "burger.json").read_text())
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(LevelError) as err:
        load_level(path)
    assert str(err.value).startswith(f"{path}: {field}")
    assert "\n" not in str(err.value)


def test_invalid_json_level_names_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"width": 3,\n  "height": }')
    with pytest.raises(LevelError, match=r"broken.json: line 2: invalid JSON"):
        load_level(path)


def test_level_json_round_trips():
    level = generate(builtin_level("two_burgers"), 7)
    again = level_from_json(json.loads(json.dumps(level.to_json())))
    assert again == level and again.meta == level.meta


def test_failures_caught_in_a_loop_are_counted_not_stored_without_bound():
    api = api_for("cook_and_cut", step_limit=2)
    for _ in range(500):
        try:
            api.noop()
        except StepLimitExceeded:
            pass
    trace = api.trace()
    assert len(trace["failures"]) == 100
    assert trace["failures_dropped"] == 500 - 2 - 100
