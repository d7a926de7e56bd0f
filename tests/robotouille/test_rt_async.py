"""Asynchronous Robotouille: durations from level data, the fryer, overlap tests that a serial
plan fails, and the offline reasoner learning "while X cooks, do Y" from demonstrations."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from demo2code.benchmarks import get_benchmark
from demo2code.benchmarks.base import default_tasks
from demo2code.benchmarks.robotouille import RobotouilleBenchmark
from demo2code.pipeline import synthesize
from demo2code.reasoners.base import StageContext
from demo2code.reasoners.symbolic import SymbolicReasoner
from demo2code.reasoners.symbolic.robotouille.planning import merge_scenarios
from demo2code.verify import run_trusted
from robotouille.api import API_FUNCTIONS, KitchenAPI, PreconditionFailed
from robotouille.env import KitchenEnv
from robotouille.level import LevelError, level_from_json, load_level

BENCH = get_benchmark("robotouille")
ASYNC = [t for t in BENCH.tasks("test") if t.family == "async"]
SKILLS = (BENCH.root / "skills.py").read_text()
REASONER = SymbolicReasoner()


def ctx() -> StageContext:
    return StageContext("robotouille", BENCH.api_reference(), frozenset(API_FUNCTIONS))


def small_level(durations: dict | None = None) -> dict:
    stations = ["table", "stove", "fryer", "cutting_board", "table", "table"]
    data = {
        "width": 7,
        "height": 3,
        "stations": [{"kind": k, "x": x, "y": 0} for x, k in enumerate(stations)],
        "items": [
            {"kind": "patty", "x": 0, "y": 0},
            {"kind": "potato", "x": 4, "y": 0},
            {"kind": "lettuce", "x": 5, "y": 0},
        ],
        "robot": {"x": 0, "y": 1, "facing": "up"},
    }
    if durations is not None:
        data["durations"] = durations
    return data


def steps_until_done(durations: dict, start: str, item: str, station: str, done) -> int:
    api = KitchenAPI(KitchenEnv(level_from_json(small_level(durations))))
    where = api.get_obj_location(item)
    api.move(api.get_curr_location(), where)
    api.pick_up(item, where)
    api.move(where, station)
    api.place(item, station)
    getattr(api, start)(item)
    waited = 0
    while not done(api, item):
        api.noop()
        waited += 1
    return waited


def test_the_level_file_sets_how_long_cooking_and_frying_take():
    cooked = lambda api, i: api.is_cooked(i)  # noqa: E731
    fried = lambda api, i: api.is_fried(i)  # noqa: E731
    assert steps_until_done({"cook": 2}, "start_cooking", "patty1", "stove1", cooked) == 2
    assert steps_until_done({"cook": 7}, "start_cooking", "patty1", "stove1", cooked) == 7
    assert steps_until_done({"fry": 5}, "start_frying", "potato1", "fryer1", fried) == 5
    assert steps_until_done({}, "start_frying", "potato1", "fryer1", fried) == 3  # default


def test_cooking_runs_while_the_robot_works_and_shows_as_facts():
    api = KitchenAPI(KitchenEnv(level_from_json(small_level({"fry": 6}))))
    api.move("table1", "table2")
    api.pick_up("potato1", "table2")
    api.move("table2", "fryer1")
    api.place("potato1", "fryer1")
    api.start_frying("potato1")
    assert api.is_frying("potato1") and not api.is_fried("potato1")
    api.move("fryer1", "table3")
    api.pick_up("lettuce1", "table3")
    api.move("table3", "cutting_board1")
    api.place("lettuce1", "cutting_board1")
    while not api.is_cut("lettuce1"):
        api.cut("lettuce1")
    assert api.is_fried("potato1") and not api.is_frying("potato1")
    with pytest.raises(PreconditionFailed, match="fryer"):
        api.start_frying("lettuce1")  # on a board, not in a fryer


@pytest.mark.parametrize(
    ("durations", "field"),
    [({"cook": 0}, "durations.cook"), ({"bake": 3}, "durations.bake"), ([3], "durations")],
)
def test_bad_durations_name_the_file_and_field(tmp_path, durations, field):
    path = tmp_path / "lvl.json"
    path.write_text(json.dumps(small_level(durations)))
    with pytest.raises(LevelError) as err:
        load_level(path)
    assert str(err.value).startswith(f"{path}: {field}:") and "\n" not in str(err.value)


def test_async_family_is_opt_in_and_complete():
    assert len(ASYNC) >= 8 and len([t for t in BENCH.tasks("train") if t.family == "async"]) >= 3
    assert not {t.id for t in ASYNC} & {t.id for t in default_tasks(BENCH)}
    assert len(default_tasks(BENCH)) == 23


# Non-blocking start -> the blocking skill that starts and waits at once (group 1 is the
# indentation).
BLOCKING = [
    (r"start_cooking_obj\((\w+)\)", r"\1cook_obj(\2)"),
    (r"start_frying_obj\((\w+)\)", r"\1fry_obj(\2)"),
    (r"start_boiling_obj\((\w+)\)", r"\1boil_obj(\2)"),
    (r"start_soup\((\w+), (\w+)\)", r"\1make_soup(\2, \3)"),
]


def serial(program: str) -> str:
    """The same program without overlap: each process is started and waited for at once.
    Only the main program is rewritten; the skill definitions stay as they are."""
    defs, main = program.split("\nused_objs = []\n", 1)
    for start, blocking in BLOCKING:
        main = re.sub(rf"^(\s*){start}$", blocking, main, flags=re.M)
    kept = [ln for ln in main.splitlines() if not re.match(r"^\s*wait_until_\w+\(\w+\)$", ln)]
    return SKILLS + "\n\n" + defs + "\nused_objs = []\n" + "\n".join(kept)


@pytest.mark.parametrize("task", ASYNC, ids=lambda t: t.id)
def test_a_serial_program_fails_where_the_interleaved_reference_passes(task):
    reference = BENCH.reference_code(task)
    code = serial(reference)
    assert code != reference
    for program, should_pass in ((reference, True), (code, False)):
        episode = BENCH.episode(task, 0)
        assert run_trusted(program, episode) is None
        verdict = BENCH.check(task, episode.trace())
        assert verdict.passed == should_pass, verdict.reasons
    why = " ".join(verdict.reasons)
    processes = r"cook(ed|ing)|fri(ed|ying)|heating|boiling|simmering|soup"
    assert re.search(rf"'({processes}) \w+'|step budget", why), why


def test_the_reasoner_writes_while_blocks_and_keeps_sequential_demos_sequential():
    task = BENCH.task("async-burger-cut-while-patty-cooks")
    result = synthesize("demo2code", BENCH.demos(task), task.instruction, None, ctx(), REASONER)
    assert "While the patty cooks:" in result.spec and "    Cut the lettuce." in result.spec
    main = result.program.splitlines()
    assert main.index("start_cooking_obj(patty)") < main.index("cut_obj(lettuce)")
    assert main.index("cut_obj(lettuce)") < main.index("wait_until_cooked(patty)")
    paper = BENCH.task("cook-then-cut")
    result = synthesize("demo2code", BENCH.demos(paper), paper.instruction, None, ctx(), REASONER)
    assert "While" not in result.spec and "start_cooking_obj" not in result.program


# An unseen composition on an unseen level with other durations: fry a chicken and cook a
# patty at once, cutting an onion and a tomato meanwhile.
UNSEEN_MAIN = """
c = get_unused_obj('chicken', used_objs)
p = get_unused_obj('patty', used_objs)
o = get_unused_obj('onion', used_objs)
t = get_unused_obj('tomato', used_objs)
start_frying_obj(c)
start_cooking_obj(p)
cut_obj(o)
cut_obj(t)
wait_until_cooked(p)
wait_until_fried(c)
"""


def test_an_unseen_async_composition_is_learned(tmp_path):
    root = tmp_path / "robotouille"
    for sub in ("tasks", "reference", "environments", "demos"):
        (root / sub).mkdir(parents=True)
    level = small_level({"cook": 17, "fry": 20})
    level["width"], level["height"] = 9, 7
    level["stations"] += [
        {"kind": k, "x": x, "y": 6} for x, k in enumerate(["table", "table", "stove", "table"])
    ]
    level["items"] = [
        {"kind": k, "x": x, "y": y}
        for k, (x, y) in zip(
            ["chicken", "patty", "onion", "tomato"],
            [(0, 0), (4, 0), (5, 0), (0, 6)],
            strict=True,
        )
    ]
    (root / "environments" / "unseen_async.json").write_text(json.dumps(level))
    test = {
        "objects": {"c": "chicken", "p": "patty", "o": "onion", "t": "tomato"},
        "chains": [
            ["frying c", "cooking p", "cut o", "cut t", "fried c"],
            ["cooking p", "cut t", "cooked p"],
        ],
        "final": ["fried c", "cooked p", "cut o", "cut t"],
    }
    task = {
        "id": "unseen-async", "family": "unseen", "split": "test", "environment": "unseen_async",
        "instruction": "Make it like I do.", "spec": "(none)", "test": test,
        "seeds": [20, 21, 22], "demo_seeds": [300, 301],
    }  # fmt: skip
    (root / "tasks" / "unseen-async.json").write_text(json.dumps(task))
    (root / "reference" / "unseen-async.py").write_text(
        SKILLS + "\n\nused_objs = []\n" + UNSEEN_MAIN
    )
    bench = RobotouilleBenchmark(Path(root))
    variant = bench.task("unseen-async")
    result = synthesize(
        "demo2code", bench.make_demo(variant), variant.instruction, None, ctx(), REASONER
    )
    assert not result.failed, result.error
    for seed in variant.seeds:
        episode = bench.episode(variant, seed)
        assert run_trusted(result.program, episode) is None
        assert bench.check(variant, episode.trace()).passed, result.spec


def test_the_reasoner_reads_boiling_and_soup_overlap():
    task = BENCH.task("async-potato-soup-cut-while-water-heats-and-soup-simmers")
    result = synthesize("demo2code", BENCH.demos(task), task.instruction, None, ctx(), REASONER)
    assert "Fill the pot." in result.spec and "While the pot heats:" in result.spec
    assert "While the potato simmers in the pot:" in result.spec
    main = result.program.splitlines()
    order = ["fill_obj(pot)", "start_boiling_obj(pot)", "cut_obj(tomato)",
             "wait_until_boiling(pot)", "start_soup(potato, pot)", "cut_obj(lettuce)",
             "wait_until_soup(potato)"]  # fmt: skip
    assert [main.index(line) for line in order] == sorted(main.index(line) for line in order)


def test_scenarios_that_disagree_on_overlap_merge_to_the_overlap():
    """Noise that loses the state showing a cut, or an item done, can make one scenario look
    serial; the scenarios still align item for item, the overlap wins, and each wait goes
    to the earlier place the scenarios show it."""
    overlapped = [("start", "patty1", "cooked"), ("cut", "lettuce1"), ("wait", "patty1", "cooked")]
    serial_looking = [("cook", "patty2"), ("cut", "lettuce3")]
    for a, b in ((overlapped, serial_looking), (serial_looking, overlapped)):
        merged = merge_scenarios([a, b])
        assert [op[0] for op in merged] == ["start", "cut", "wait"], merged
        assert len({op[1] for op in merged}) == 2
    late_wait = [("start", "patty1", "cooked"), ("fill", "pot1"), ("soup", "onion1", "pot1"),
                 ("wait", "patty1", "cooked")]  # fmt: skip
    on_time = [("start", "patty2", "cooked"), ("fill", "pot2"), ("wait", "patty2", "cooked"),
               ("soup", "onion2", "pot2")]  # fmt: skip
    assert [op[0] for op in merge_scenarios([late_wait, on_time])] == [
        "start", "fill", "wait", "soup"
    ]  # fmt: skip


# An unseen boiling composition on an unseen level with other durations: the chicken fries
# while the water heats, then an onion becomes soup.
UNSEEN_SOUP_MAIN = """
w = get_unused_obj('pot', used_objs)
c = get_unused_obj('chicken', used_objs)
o = get_unused_obj('onion', used_objs)
fill_obj(w)
start_boiling_obj(w)
fry_obj(c)
wait_until_boiling(w)
make_soup(o, w)
"""


def test_an_unseen_boiling_composition_is_learned(tmp_path):
    root = tmp_path / "robotouille"
    for sub in ("tasks", "reference", "environments", "demos"):
        (root / sub).mkdir(parents=True)
    kinds = ["table", "sink", "stove", "fryer", "table", "table", "table"]
    level = {
        "width": 8, "height": 4,
        "stations": [{"kind": k, "x": x, "y": 0} for x, k in enumerate(kinds)],
        "items": [{"kind": k, "x": x, "y": 0}
                  for k, x in (("pot", 0), ("chicken", 4), ("onion", 5))],
        "robot": {"x": 0, "y": 1, "facing": "up"},
        "durations": {"boil": 16, "fry": 5, "soup": 7},
    }  # fmt: skip
    (root / "environments" / "unseen_soup.json").write_text(json.dumps(level))
    test = {
        "objects": {"w": "pot", "c": "chicken", "o": "onion"},
        "chains": [["heating w", "frying c", "fried c", "boiling w", "soup o"]],
        "final": ["fried c", "soup o"],
    }
    task = {
        "id": "unseen-soup", "family": "unseen", "split": "test", "environment": "unseen_soup",
        "instruction": "Make it like I do.", "spec": "(none)", "test": test,
        "seeds": [20, 21, 22], "demo_seeds": [300, 301],
    }  # fmt: skip
    (root / "tasks" / "unseen-soup.json").write_text(json.dumps(task))
    (root / "reference" / "unseen-soup.py").write_text(
        SKILLS + "\n\nused_objs = []\n" + UNSEEN_SOUP_MAIN
    )
    bench = RobotouilleBenchmark(Path(root))
    variant = bench.task("unseen-soup")
    result = synthesize(
        "demo2code", bench.make_demo(variant), variant.instruction, None, ctx(), REASONER
    )
    assert not result.failed, result.error
    assert "While the pot heats:" in result.spec, result.spec
    for seed in variant.seeds:
        episode = bench.episode(variant, seed)
        assert run_trusted(result.program, episode) is None
        assert bench.check(variant, episode.trace()).passed, result.spec


def soup_level(durations: dict) -> dict:
    kinds = ["table", "sink", "stove", "table", "table"]
    return {
        "width": 6, "height": 3,
        "stations": [{"kind": k, "x": x, "y": 0} for x, k in enumerate(kinds)],
        "items": [{"kind": "pot", "x": 0, "y": 0}, {"kind": "onion", "x": 3, "y": 0}],
        "robot": {"x": 0, "y": 1, "facing": "up"},
        "durations": durations,
    }  # fmt: skip


def test_a_pot_is_filled_at_a_sink_boils_on_a_stove_and_makes_soup_in_level_time():
    api = KitchenAPI(KitchenEnv(level_from_json(soup_level({"boil": 4, "soup": 6}))))
    api.pick_up("pot1", "table1")
    api.move("table1", "stove1")
    api.place("pot1", "stove1")
    with pytest.raises(PreconditionFailed, match="'pot1' is not filled with water"):
        api.start_boiling("pot1")
    with pytest.raises(PreconditionFailed, match="'stove1' is not a sink"):
        api.fill("pot1")
    api.pick_up("pot1", "stove1")
    api.move("stove1", "sink1")
    api.place("pot1", "sink1")
    api.fill("pot1")
    assert api.is_filled("pot1") and not api.is_heating("pot1")
    api.pick_up("pot1", "sink1")
    api.move("sink1", "stove1")
    api.place("pot1", "stove1")
    api.start_boiling("pot1")
    waited = 0
    while not api.is_boiling("pot1"):
        assert api.is_heating("pot1")
        api.noop()
        waited += 1
    assert waited == 4 and not api.is_heating("pot1")
    api.move("stove1", "table2")
    api.pick_up("onion1", "table2")
    api.move("table2", "stove1")
    api.stack("onion1", "pot1")
    assert api.is_simmering("onion1")
    waited = 0
    while not api.is_soup("onion1"):
        api.noop()
        waited += 1
    assert waited == 6 and not api.is_simmering("onion1")


def test_soup_simmers_only_while_its_pot_stands_on_the_stove():
    api = KitchenAPI(KitchenEnv(level_from_json(soup_level({"boil": 1, "soup": 3}))))
    api.pick_up("pot1", "table1")
    api.move("table1", "sink1")
    api.place("pot1", "sink1")
    api.fill("pot1")
    api.pick_up("pot1", "sink1")
    api.move("sink1", "stove1")
    api.place("pot1", "stove1")
    api.start_boiling("pot1")
    api.noop()
    assert api.is_boiling("pot1")
    api.move("stove1", "table2")
    api.pick_up("onion1", "table2")
    api.move("table2", "stove1")
    api.stack("onion1", "pot1")
    api.noop()  # one step simmered on the stove
    api.unstack("onion1", "pot1")  # the onion leaves the pot: it stops
    for _ in range(5):
        api.noop()
    assert api.is_simmering("onion1") and not api.is_soup("onion1")
    api.stack("onion1", "pot1")
    api.noop()
    api.noop()
    assert api.is_soup("onion1")
