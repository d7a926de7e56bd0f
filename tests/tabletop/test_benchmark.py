"""The catalogue, the protocol, reference programs, determinism and demonstrations."""

import json
import math
from collections import Counter

import pytest

from demo2code.benchmarks.registry import get_benchmark
from demo2code.benchmarks.tabletop import TabletopBenchmark, run_reference
from demo2code.benchmarks.tabletop.geometry import obj_type, sample_scene
from demo2code.demo_generation import generate_demos
from demo2code.errors import UnknownName


@pytest.fixture(scope="module")
def bench():
    return TabletopBenchmark()


def test_catalogue_shape(bench):
    assert get_benchmark("tabletop").name == "tabletop"
    test, train = bench.tasks("test"), bench.tasks("train")
    assert len(test) == 35 and len(train) >= 5
    families = Counter(t.family for t in test)
    assert len(families) == 9
    assert sorted(families.values()) == [2, 3, 3, 4, 4, 4, 5, 5, 5]
    assert not {t.id for t in test} & {t.id for t in train}
    test_params = [json.dumps(t.data["params"], sort_keys=True) for t in test]
    for t in train:  # a training variant is not a test variant under another name
        assert json.dumps(t.data["params"], sort_keys=True) not in test_params
    for t in test:
        assert t.seeds == tuple(range(10)) and not set(t.seeds) & set(t.demo_seeds)
        assert t.spec.startswith(t.instruction) and len(t.spec) > len(t.instruction) + 40


def test_unknown_task_suggests(bench):
    with pytest.raises(UnknownName, match="place-next-to-left"):
        bench.task("place-next-to-lft")


def test_scenes_contain_named_objects_and_vary(bench):
    for t in bench.tasks():
        for seed in t.seeds[:3]:
            plan = sample_scene(t.data["scene"], seed)
            assert set(t.data["scene"].get("fixed", [])) <= set(plan.objects)
            assert len(set(plan.objects)) == len(plan.objects)
            spots = [xy for _, xy in plan.stacks]
            assert all(math.dist(a, b) >= 0.15 for i, a in enumerate(spots) for b in spots[:i])
    t = bench.task("stack-blocks-no-limit")
    counts = {
        sum(obj_type(o) == "block" for o in sample_scene(t.data["scene"], s).objects)
        for s in t.seeds
    }
    assert len(counts) > 1


def test_same_seed_same_poses_and_trace(bench):
    task = bench.task("stack-two-any")
    first = run_reference(bench, task, 4).trace()
    run_reference(bench, bench.task("place-on-top-3-covering"), 1)  # something else in between
    second = run_reference(bench, task, 4).trace()
    assert first == second
    other = run_reference(bench, task, 5).trace()
    assert other["initial_poses"] != first["initial_poses"]


def test_every_reference_passes_seed_zero(bench):
    for task in bench.tasks():
        episode = run_reference(bench, task, task.seeds[0])
        trace = episode.trace()
        verdict = bench.check(task, trace)
        assert verdict.passed, (task.id, verdict.reasons)
        assert trace["failures"] == [] and trace["steps"]


@pytest.mark.slow
def test_every_reference_passes_all_ten_seeds(bench):
    failed = []
    for task in bench.tasks("test"):
        for seed in task.seeds:
            verdict = bench.check(task, run_reference(bench, task, seed).trace())
            if not verdict.passed:
                failed.append((task.id, seed, verdict.reasons))
    assert failed == []


def _run(bench, task, seed, code):
    episode = bench.episode(task, seed)
    exec(code, episode.namespace)
    return bench.check(task, episode.trace())


def test_wrong_programs_fail_with_readable_reasons(bench):
    left = bench.task("place-next-to-left")
    verdict = _run(
        bench,
        left,
        0,
        "put_first_on_second('yellow block', parse_position('right of the green cylinder'))",
    )
    assert not verdict.passed
    assert "expected 'yellow block' is to the left of 'green cylinder'" in verdict.reasons[0]

    corner = bench.task("place-at-corner-top-left")
    verdict = _run(
        bench, corner, 0, "put_first_on_second('green block', parse_position('top right corner'))"
    )
    assert verdict.reasons == (
        "expected 'green block' is at 'top left corner', but it does not hold",
    )

    limit = bench.task("stack-blocks-max-2")
    code = "stack_without_height_limit(get_all_obj_names_that_match_type('block', get_obj_names()))"
    verdict = _run(bench, limit, 0, code)
    assert any("taller than 2" in r for r in verdict.reasons)

    order = bench.task("order-blocks-full")
    code = (
        "blocks = get_all_obj_names_that_match_type('block', get_obj_names())\n"
        "stack_without_height_limit(blocks[::-1])"
    )
    assert any(
        "expected [red block, yellow block, blue block, green block] (bottom to top) one right "
        "on the other" in r
        for r in _run(bench, order, 0, code).reasons
    )

    everything = bench.task("stack-cylinders-no-limit")
    verdict = _run(bench, everything, 0, "stack_without_height_limit(get_obj_names())")
    assert any("has moved, but it should have been left untouched" in r for r in verdict.reasons)

    by_type = bench.task("stack-two-by-type")
    verdict = _run(bench, by_type, 0, "pass")
    assert any("expected exactly two stacks" in r for r in verdict.reasons)


def test_protocol_texts(bench):
    api = bench.api_reference()
    for fn in (
        "get_obj_names(",
        "put_first_on_second(",
        "parse_position(",
        "stack_with_height_limit(",
    ):
        assert fn in api
    task = bench.task("order-cylinders-bottom-2")
    assert "determine_final_stacking_order" in bench.reference_code(task)
    demo = bench.demos(task)
    assert demo.benchmark == "tabletop" and demo.task == task.id
    assert [s.seed for s in demo.scenarios] == list(task.demo_seeds)
    for s in demo.scenarios:
        assert s.objects and s.initial_state and s.steps
        assert all(step.action and step.changes for step in s.steps)


def test_demos_regenerate_byte_for_byte():
    bench = TabletopBenchmark()
    result = generate_demos(bench, bench.tasks(), write=False)
    assert result.total == len(bench.tasks())
    assert result.changed == []


def test_worker_threads_each_have_their_own_physics(bench, tmp_path):
    """Episodes run in the trusted process, one per eval worker thread: two threads must
    never reset each other's scene (they shared one PyBullet client once)."""
    from demo2code.evaluation import evaluate

    tasks = bench.tasks("test")[:4]
    result = evaluate(bench, "reference", tmp_path / "run", tasks=tasks, seeds=[0, 1], workers=2)
    assert result.summary["overall"]["pass"] == 1.0
    assert result.summary["episodes"] == 8
