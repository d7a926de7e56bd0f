"""The Robotouille task catalogue: references pass, tests tell variants apart, demos rebuild."""

from __future__ import annotations

import itertools
import json

import pytest

from demo2code.benchmarks import get_benchmark
from demo2code.benchmarks.base import default_tasks
from demo2code.benchmarks.robotouille import RobotouilleBenchmark, load_task
from demo2code.demo_generation import generate_demos
from demo2code.demo_text import render
from demo2code.errors import InputError, UnknownName
from demo2code.verify import run_trusted, verify

BENCH = get_benchmark("robotouille")
TEST_TASKS = default_tasks(BENCH, "test")


def test_catalogue_has_the_papers_23_variants_in_four_families_and_training_variants():
    assert len(TEST_TASKS) == 23
    assert {t.family for t in TEST_TASKS} == {
        "cook-and-cut",
        "assemble-burgers",
        "make-burger",
        "make-two-burgers",
    }
    train = BENCH.tasks("train")
    assert len(train) >= 5
    assert not {t.id for t in train} & {t.id for t in TEST_TASKS}
    assert all(t.seeds == tuple(range(10)) for t in TEST_TASKS)
    assert all(not set(t.demo_seeds) & set(t.seeds) for t in BENCH.tasks())


def test_every_reference_passes_on_the_first_seeds():
    for task in BENCH.tasks():
        for seed in task.seeds[:2]:
            episode = BENCH.episode(task, seed)
            assert run_trusted(BENCH.reference_code(task), episode) is None
            verdict = BENCH.check(task, episode.trace())
            assert verdict.passed, (task.id, seed, verdict.reasons)


@pytest.mark.slow
def test_all_230_reference_episodes_pass():
    report = verify(BENCH, TEST_TASKS)
    assert (report.passed, report.episodes) == (230, 230), report.to_json()


def _kinds(task, facts) -> set[tuple[str, ...]]:
    """Facts with variables replaced by their kinds: 'cooked p1' -> ('cooked', 'patty')."""
    objects = task.data["test"].objects
    return {(f[0], *(objects.get(a, a) for a in f[1:])) for f in facts}


def _goals(task) -> set[tuple[str, ...]]:
    test = task.data["test"]
    facts = [g for chain in test.chains for stage in chain for g in stage]
    return _kinds(task, facts + [f for positive, f in test.final if positive])


def _part_of(b, a) -> bool:
    """B's task is a part of A's (cook two patties is part of making two cheese burgers):
    A asks for everything B asks for and more, and does nothing B forbids. Variants with the
    same goals differ in their order, which the tests must tell apart."""
    never = {tuple(f) for f in b.data["test"].never}
    return _goals(b) < _goals(a) and not never & _goals(a)


def _same_env_pairs():
    for a, b in itertools.permutations(TEST_TASKS, 2):
        if a.data["environment"] == b.data["environment"]:
            yield a, b


@pytest.mark.parametrize(("a", "b"), list(_same_env_pairs()), ids=lambda t: t.id)
def test_unit_tests_tell_variants_of_the_same_level_apart(a, b):
    """A's reference, run on B's level (one kitchen per family), must fail B's unit test: the
    tests encode preferences. Only when B's task is a part of A's does A's program pass it."""
    episode = BENCH.episode(b, 0)
    run_trusted(BENCH.reference_code(a), episode)
    verdict = BENCH.check(b, episode.trace())
    if _part_of(b, a):
        assert verdict.passed, verdict.reasons
        return
    assert not verdict.passed
    assert verdict.reasons and all(r.strip() for r in verdict.reasons)


def test_failed_check_names_the_subgoal():
    task = BENCH.task("burger-lettuce-on-patty-immediately")
    other = BENCH.task("burger-lettuce-on-patty-after-prep")
    episode = BENCH.episode(task, 2)
    run_trusted(BENCH.reference_code(other), episode)
    reasons = BENCH.check(task, episode.trace()).reasons
    assert any("cut lettuce" in r and "never happened after 'atop patty" in r for r in reasons)


def test_program_that_fails_an_action_cannot_pass():
    task = BENCH.task("cook-patty")
    episode = BENCH.episode(task, 0)
    error = run_trusted("pick_up('patty1', 'stove1')", episode)
    assert error and "PreconditionFailed" in error
    verdict = BENCH.check(task, episode.trace())
    assert not verdict.passed and verdict.reasons[0].startswith("execution failed")


@pytest.mark.parametrize(("stacked", "passes"), [("cooked_patty", True), ("other_patty", False)])
def test_object_identity_is_kept_across_subgoals(stacked, passes):
    """The patty that was cooked must be the one stacked: cooking one and stacking another
    fails, on a level with two patties, while stacking the cooked one passes."""
    task = BENCH.task("cheese-burger")
    skills = BENCH.reference_code(task).split("used_objs = []")[0]
    main = f"""
used_objs = []
cooked_patty = get_unused_obj('patty', used_objs)
other_patty = get_unused_obj('patty', used_objs)
bottom_bun = get_unused_obj('bottom_bun', used_objs)
cheese = get_unused_obj('cheese', used_objs)
top_bun = get_unused_obj('top_bun', used_objs)
cook_obj(cooked_patty)
stack_obj_on({stacked}, bottom_bun)
stack_obj_on(cheese, {stacked})
stack_obj_on(top_bun, cheese)
"""
    episode = BENCH.episode(BENCH.task("two-cheese-burgers"), 0)
    assert run_trusted(skills + main, episode) is None
    assert BENCH.check(task, episode.trace()).passed is passes


def test_demonstrations_regenerate_byte_for_byte():
    result = generate_demos(BENCH, BENCH.tasks(), write=False)
    assert result.total == len(BENCH.tasks())
    assert result.changed == []


def test_demonstrations_render_in_the_paper_style_without_actions():
    demo = BENCH.demos(BENCH.task("cook-then-cut"))
    text = render(demo)
    assert text.startswith("[Scenario 1]\nCook a patty and cut a lettuce.\n\nState 2:\n")
    assert "'patty1' is cooked" in text and "'lettuce1' is cut" in text
    assert "pick_up" not in text and "vacant" not in text
    assert len(demo.scenarios) == 2
    assert all(s.steps and all(st.action for st in s.steps) for s in demo.scenarios)


def test_unknown_task_suggests_close_ids():
    with pytest.raises(UnknownName, match="Did you mean 'cook-patty'"):
        BENCH.task("cook-paty")


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.pop("spec"), "spec"),
        (lambda d: d.update(split="dev"), "split"),
        (lambda d: d["test"].update(chains=[["cooked zz"]]), "test"),
        (lambda d: d["test"].update(final=[3]), "test.final[0]"),
        (lambda d: d.update(seeds="0-9"), "seeds"),
    ],
)
def test_malformed_task_file_names_file_and_field(tmp_path, mutate, field):
    data = json.loads((BENCH.root / "tasks" / "cook-patty.json").read_text())
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError) as err:
        load_task(path)
    assert str(err.value).startswith(f"{path}: {field}")


def test_a_user_catalogue_elsewhere_works(tmp_path):
    """A new variant is data: a task file (and optionally a level) plus a reference."""
    root = tmp_path / "robotouille"
    (root / "tasks").mkdir(parents=True)
    (root / "reference").mkdir()
    data = json.loads((BENCH.root / "tasks" / "cut-lettuce.json").read_text())
    data.update(id="cut-lettuce-again", seeds=[11, 12])
    (root / "tasks" / "cut-lettuce-again.json").write_text(json.dumps(data))
    (root / "reference" / "cut-lettuce-again.py").write_text(
        BENCH.reference_code(BENCH.task("cut-lettuce"))
    )
    bench = RobotouilleBenchmark(root)
    report = verify(bench, bench.tasks())
    assert (report.passed, report.episodes) == (2, 2)


def test_two_burgers_are_made_one_after_the_other():
    """As the paper's unit tests order them: the second burger starts after the first."""
    task = BENCH.task("two-cheese-burgers")
    helpers = BENCH.reference_code(task).split("used_objs = []")[0]
    both_patties_first = helpers + (
        "used_objs = []\n"
        "burgers = []\n"
        "for i in range(2):\n"
        "    kinds = ['bottom_bun', 'patty', 'cheese', 'top_bun']\n"
        "    burgers.append([get_unused_obj(k, used_objs) for k in kinds])\n"
        "for b, p, c, t in burgers:\n"
        "    cook_obj(p)\n"
        "for b, p, c, t in burgers:\n"
        "    stack_obj_on(p, b)\n"
        "    stack_obj_on(c, p)\n"
        "    stack_obj_on(t, c)\n"
    )
    episode = BENCH.episode(task, 0)
    assert run_trusted(both_patties_first, episode) is None
    verdict = BENCH.check(task, episode.trace())
    assert not verdict.passed and verdict.reasons


def test_api_reference_shown_to_models_names_every_api_function() -> None:
    """A prompted model only knows the calls the reference text describes."""
    from demo2code.benchmarks import get_benchmark
    from robotouille.api import API_FUNCTIONS

    text = get_benchmark("robotouille").api_reference()
    missing = [name for name in API_FUNCTIONS if f"{name}(" not in text]
    assert missing == []
