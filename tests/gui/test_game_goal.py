"""The game's goal is the task's own unit test on the trace so far (issue 17): every shipped
demonstration reaches it exactly at its last step, the checklist ticks as goals happen, and a
user's own task file is judged by its own test."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"

import json  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from demo2code.benchmarks.goal_progress import goal_progress  # noqa: E402
from demo2code.benchmarks.robotouille import RobotouilleBenchmark  # noqa: E402
from demo2code.benchmarks.trace_check import TraceTest  # noqa: E402
from robotouille.cli import _task  # noqa: E402
from robotouille.cli import app as cli_app  # noqa: E402
from robotouille.gui.session import Option, Session  # noqa: E402
from robotouille.kinds import kind_of  # noqa: E402
from robotouille.recording import parse_action  # noqa: E402

BENCH = RobotouilleBenchmark()
ALL_TASKS = [t.id for t in BENCH.tasks()]  # the paper's variants, training and opt-in async


def play(session: Session, action: str) -> bool:
    """One recorded action as the game performs it (what a click or a key calls)."""
    method, args = parse_action(action)
    return session.perform(Option(action, method, args))


def test_the_catalogue_has_every_kind_of_variant() -> None:
    opt_in = [t for t in BENCH.tasks() if t.data["opt_in"]]
    assert len(BENCH.tasks("test")) - len([t for t in opt_in if t.split == "test"]) >= 23
    assert opt_in and BENCH.tasks("train")


@pytest.mark.parametrize("task_id", ALL_TASKS)
def test_shipped_demo_reaches_the_goal_exactly_at_its_last_step(task_id: str) -> None:
    found = _task(task_id)  # the judge `robotouille play --task` uses
    task = BENCH.task(task_id)
    demo = BENCH.demos(task)
    for scen in demo.scenarios:
        session = Session(
            lambda s: BENCH.level(task, s), scen.seed, task.instruction, judge=found.judge
        )
        assert not session.goal_reached
        last = len(scen.steps)
        for n, step in enumerate(scen.steps, start=1):
            assert play(session, step.action), session.message
            reached = session.goal_reached
            assert reached == (n == last), f"seed {scen.seed}: goal reached={reached} at {n}"
        assert session.message.startswith("Goal reached!") and session.tone == "good"
        goal = session.goal
        assert goal is not None and all(g.done for g in goal.subgoals) and not goal.problems


@pytest.mark.parametrize(
    ("task_id", "level_goal"),
    [("two-burgers-lettuce-on-patty-immediately", "halfway"), ("cut-lettuce", "never")],
)
def test_the_levels_shared_pddl_goal_no_longer_decides(task_id: str, level_goal: str) -> None:
    """The level's PDDL goal, shared by several tasks, holds after the first of two burgers
    (or never, for a task it was not written for); the task's test decides instead."""
    task = BENCH.task(task_id)
    scen = BENCH.demos(task).scenarios[0]
    session = Session(
        lambda s: BENCH.level(task, s), scen.seed, task.instruction, judge=_task(task.id).judge
    )
    level_goal_at = None
    for n, step in enumerate(scen.steps, start=1):
        play(session, step.action)
        if level_goal_at is None and session.level.goal and session.env.done:
            level_goal_at = n
        assert session.goal_reached == (n == len(scen.steps))
    if level_goal == "never":
        assert level_goal_at is None
    else:
        assert level_goal_at is not None and level_goal_at <= len(scen.steps) // 2


def test_checklist_ticks_in_order_and_finishing_is_announced() -> None:
    task = BENCH.task("cook-then-cut")
    scen = BENCH.demos(task).scenarios[0]
    found = _task(task.id)
    session = Session(
        lambda s: BENCH.level(task, s), scen.seed, task.instruction, judge=found.judge
    )
    assert session.goal is not None
    assert [g.done for g in session.goal.subgoals] == [False, False]
    ticks, announced = [], []
    for step in scen.steps:
        play(session, step.action)
        ticks.append(tuple(g.done for g in session.goal.subgoals))
        if session.finished:
            announced.append((dict(session.finished), session.message))
    # cooked first, then cut: the checklist never ticks the second goal before the first
    assert ticks[-1] == (True, True)
    assert all(t in ((False, False), (True, False), (True, True)) for t in ticks)
    assert [g.fact[0] for g in session.goal.subgoals] == ["cooked", "cut"]
    stations = [next(iter(f)) for f, _ in announced]
    assert [kind_of(s) for s in stations] == ["stove", "cutting_board"]
    assert "is cooked" in announced[0][1] and announced[0][0][stations[0]] == "cooked"
    # the last step both cuts the lettuce and finishes the task: the goal wins the message
    assert announced[-1][0][stations[1]] == "cut" and session.message.startswith("Goal")


def test_boiling_water_and_soup_are_announced_on_their_stove() -> None:
    """A pot of water starts boiling, and an ingredient in it becomes soup: both are finished
    moments, marked on the stove under the pot (the soup stands on the pot, not the stove)."""
    task = BENCH.task("async-onion-soup-while-cutting-lettuce")
    scen = BENCH.demos(task).scenarios[0]
    session = Session(lambda s: BENCH.level(task, s), scen.seed, task.instruction)
    announced = []
    for step in scen.steps:
        play(session, step.action)
        announced += [(kind_of(st), what) for st, what in session.finished.items()]
    assert ("stove", "boiling") in announced and ("stove", "soup") in announced
    assert announced.index(("stove", "boiling")) < announced.index(("stove", "soup"))


def test_undo_takes_the_goal_back() -> None:
    task = BENCH.task("cut-lettuce")
    scen = BENCH.demos(task).scenarios[0]
    session = Session(
        lambda s: BENCH.level(task, s), scen.seed, task.instruction, judge=_task(task.id).judge
    )
    for step in scen.steps:
        play(session, step.action)
    assert session.goal_reached
    session.undo()
    assert not session.goal_reached and not any(g.done for g in session.goal.subgoals)


def test_progress_follows_the_chain_order_and_reports_the_budget() -> None:
    test = TraceTest.from_json(
        {
            "objects": {"p": "patty", "l": "lettuce"},
            "chains": [["cut l", "cooked p"]],
            "final": [],
            "never": [],
            "max_steps": 2,
        },
        "t.json",
    )
    initial = [["at", "patty1", "stove1"], ["at", "lettuce1", "board1"]]
    cooked_first = {
        "initial": initial,
        "steps": [
            {"changes": [{"predicate": "cooked", "args": ["patty1"], "value": True}]},
            {"changes": [{"predicate": "cut", "args": ["lettuce1"], "value": True}]},
        ],
        "final": [*initial, ["cooked", "patty1"], ["cut", "lettuce1"]],
    }
    got = goal_progress(test, cooked_first, kind_of)
    assert [(g.text, g.done) for g in got.subgoals] == [
        ("cut lettuce1", True),
        ("cooked patty1", False),  # it happened before the cut: it does not count
    ]
    assert not got.passed and not got.problems and got.budget == 2
    in_order = {**cooked_first, "steps": cooked_first["steps"][::-1] + [{"changes": []}]}
    got = goal_progress(test, in_order, kind_of)
    assert all(g.done for g in got.subgoals)
    assert not got.passed and got.problems == (
        "took 3 steps; the step budget is 2, which only work done while something cooks, "
        "fries or boils can meet",
    )  # the verdict's own sentence
    got = goal_progress(test, {**in_order, "steps": in_order["steps"][:2]}, kind_of)
    assert got.passed and not got.problems


def own_task(tmp_path: Path) -> Path:
    """A task of the user's own: cut a lettuce and put it on a table (not in the catalogue)."""
    data = json.loads((BENCH.root / "tasks" / "cut-lettuce.json").read_text())
    data["id"] = "my-lettuce-on-a-table"
    data["instruction"] = "Cut a lettuce and put it on a table."
    data["test"] = {
        "objects": {"l": "lettuce"},
        "chains": [["cut l"]],
        "final": ["cut l"],
        "never": [],
    }
    (tmp_path / "tasks").mkdir()
    path = tmp_path / "tasks" / "mine.json"
    path.write_text(json.dumps(data))
    return path


def test_a_users_own_task_file_is_judged_by_its_own_test(tmp_path: Path) -> None:
    path = own_task(tmp_path)
    found = _task(None, path)
    assert found.name == "my-lettuce-on-a-table"
    task = BENCH.task("cut-lettuce")
    scen = BENCH.demos(task).scenarios[0]
    session = Session(
        lambda s: BENCH.level(task, s), scen.seed, found.instruction, judge=found.judge
    )
    for step in scen.steps:
        play(session, step.action)
    assert session.goal_reached and [g.text for g in session.goal.subgoals][0].startswith("cut")
    runner = CliRunner()
    out = runner.invoke(
        cli_app, ["render", "--task-file", str(path), "--out", str(tmp_path / "mine.png")]
    )
    assert out.exit_code == 0, out.output
    out = runner.invoke(
        cli_app, ["render", "--task-file", str(tmp_path / "no.json"), "--out", "x.png"]
    )
    assert out.exit_code == 1 and out.output.strip().splitlines() == [
        f"error: --task-file: {tmp_path / 'no.json'}: no such file"
    ]
    broken = tmp_path / "tasks" / "broken.json"
    broken.write_text(json.dumps({**json.loads(path.read_text()), "test": {"chains": [[1]]}}))
    out = runner.invoke(cli_app, ["render", "--task-file", str(broken), "--out", "x.png"])
    assert out.exit_code == 1 and "test.chains[0][0]" in out.output
    assert len(out.output.strip().splitlines()) == 1
