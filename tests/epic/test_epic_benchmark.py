"""The EPIC benchmark end to end: annotations, references, per-person checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from demo2code.benchmarks.base import TaskVariant, Verdict
from demo2code.benchmarks.epic import EpicBenchmark, catalog
from demo2code.benchmarks.epic.checks import PREF_KEYS
from demo2code.benchmarks.registry import get_benchmark
from demo2code.demos import demonstration_from_json
from demo2code.errors import UnknownName

PAPER_VIDEOS = {"P04_101", "P07_04", "P07_10", "P22_05", "P22_07", "P30_07", "P30_08"}
BENCH = EpicBenchmark()
TASKS = BENCH.tasks()


def run(task: TaskVariant, code: str, seed: int) -> Verdict:
    episode = BENCH.episode(task, seed)
    try:
        exec(code, dict(episode.namespace))  # trusted reference code
    except Exception:  # noqa: BLE001 - a failing program is judged by its trace
        pass
    return BENCH.check(task, episode.trace())


def test_catalogue_shape() -> None:
    assert get_benchmark("epic").name == "epic" and BENCH.text_style == "epic"
    assert {t.id for t in BENCH.tasks("test")} == PAPER_VIDEOS
    assert len(BENCH.tasks("train")) >= 8
    assert all(t.family == t.id.split("_")[0] for t in TASKS)
    with pytest.raises(UnknownName):
        BENCH.task("P22_7")
    assert "rinse(obj)" in BENCH.api_reference()


@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.id)
def test_annotation_parses_replays_and_shows_the_preferences(task: TaskVariant) -> None:
    demo = BENCH.demos(task)
    again = demonstration_from_json(demo.to_json())
    assert again.dumps() == demo.dumps() and demo.benchmark == "epic"
    scen = demo.scenarios[0]
    assert demo.instruction == task.instruction and scen.extra["preference_note"]
    assert len(scen.extra["step_sources"]) == len(scen.steps)
    assert catalog.replay_annotation(demo) == []
    # the checked preferences are hand-annotated data: every habit is named, with a value
    assert set(task.data["prefs"]) == set(PREF_KEYS)


@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.id)
def test_annotation_is_the_import_of_its_narrations(task: TaskVariant) -> None:
    entry = next(e for e in catalog.load_entries() if e.id == task.id)
    assert catalog.build_annotation(entry).dumps() == BENCH.demos(task).dumps()


@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.id)
def test_reference_passes_its_own_test_on_every_seed(task: TaskVariant) -> None:
    code = BENCH.reference_code(task)
    for seed in task.seeds:
        verdict = run(task, code, seed)
        assert verdict.passed, (seed, verdict.reasons)


def test_tests_tell_people_apart() -> None:
    """Every reference fails at least one other person's test, for a named reason."""
    for task in TASKS:
        code = BENCH.reference_code(task)
        failed = []
        for other in TASKS:
            if other.family == task.family:
                continue
            verdicts = [run(other, code, s) for s in other.seeds[:3]]
            if any(not v.passed for v in verdicts):
                failed.append(other.id)
                reasons = [r for v in verdicts for r in v.reasons]
                assert all(":" in r for r in reasons)
        assert failed, f"{task.id}'s reference passes every other person's test"


def test_habit_checks_name_the_failed_habit() -> None:
    p22 = BENCH.task("P22_07")
    each = BENCH.reference_code(BENCH.task("P02_04"))  # one dish at a time, tap off between
    reasons = " ".join(run(p22, each, 0).reasons)
    assert "order:" in reasons
    p04 = BENCH.task("P04_101")
    reasons = " ".join(run(p04, BENCH.reference_code(BENCH.task("P30_08")), 0).reasons)
    assert "destination:" in reasons and "dry:" in reasons and "tap_when_soaping:" in reasons


def test_failures_and_leftover_soap_fail_the_check() -> None:
    task = BENCH.task("P22_07")
    code = (
        'go_to("sink_1")\npick_up("sponge_1")\nd = get_all_objects()[0]\n'
        "pick_up(d)\nsoap(d)\nrinse(d)\n"
    )
    reasons = run(task, code, 1).reasons
    assert any(r.startswith("no_failures:") and "tap_1 is off" in r for r in reasons)
    assert any(r.startswith("all_clean:") and "soapy" in r for r in reasons)


def test_same_seed_same_episode() -> None:
    task = BENCH.task("P22_05")
    a, b = BENCH.episode(task, 4), BENCH.episode(task, 4)
    assert a.namespace["get_all_objects"]() == b.namespace["get_all_objects"]()
    assert a.trace()["initial"] == b.trace()["initial"]


def test_data_is_read_from_data_epic_only() -> None:
    root = catalog.epic_dir()
    assert (root / "narrations.csv").is_file() and "CC BY-NC 4.0" in (
        root / "README.md"
    ).read_text()
    assert Path(root).parts[-2:] == ("data", "epic")


def test_demos_generate_rebuilds_the_annotations_byte_for_byte():
    from demo2code.benchmarks import get_benchmark
    from demo2code.demo_generation import generate_demos

    bench = get_benchmark("epic")
    result = generate_demos(bench, bench.tasks(), write=False)
    assert (result.total, result.changed) == (len(bench.tasks()), [])
