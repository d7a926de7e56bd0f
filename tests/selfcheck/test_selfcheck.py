"""The self-check on real simulators: references agree with every shipped demonstration;
wrong programs are rejected with the first disagreement in one sentence."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from demo2code.benchmarks import get_benchmark
from demo2code.commands.check_command import register
from demo2code.demos import Demonstration
from demo2code.selfcheck import self_check

ROBOTOUILLE = get_benchmark("robotouille")


def _reference_agrees(name: str) -> None:
    bench = get_benchmark(name)
    bad = []
    for task in bench.tasks():
        report = self_check(bench, bench.demos(task), bench.reference_code(task))
        if not report.agrees:
            bad.append(f"{task.id}: {report.reason}")
    assert not bad


@pytest.mark.parametrize("name", ["robotouille", "tabletop", "epic"])
def test_reference_agrees_with_every_shipped_demonstration(name: str) -> None:
    _reference_agrees(name)


def _variant(task_id: str, edits: dict[str, str]) -> tuple[Demonstration, str]:
    task = ROBOTOUILLE.task(task_id)
    code = ROBOTOUILLE.reference_code(task)
    for old, new in edits.items():
        assert old in code
        code = code.replace(old, new)
    return ROBOTOUILLE.demos(task), code


def test_missing_cut_is_rejected() -> None:
    demo, code = _variant("burger-lettuce-on-patty-immediately", {"\ncut_obj(lettuce)\n": "\n"})
    report = self_check(ROBOTOUILLE, demo, code)
    assert not report.agrees
    assert report.reason == (
        "scenario 1: 'lettuce1' was never cut; the demonstration cut it before stacking it "
        "on 'patty1'"
    )


def test_upside_down_burger_is_rejected() -> None:
    demo, code = _variant(
        "burger-lettuce-on-patty-after-prep",
        {
            "stack_obj_on(patty, bottom_bun)\nstack_obj_on(lettuce, patty)\n"
            "stack_obj_on(top_bun, lettuce)": "stack_obj_on(lettuce, bottom_bun)\n"
            "stack_obj_on(patty, lettuce)\nstack_obj_on(top_bun, patty)"
        },
    )
    report = self_check(ROBOTOUILLE, demo, code, stop_early=True)
    assert len(report.scenarios) == 1 and not report.agrees
    assert "'patty1' was never stacked on 'bottom_bun1'" in (report.reason or "")


def test_wrong_order_is_rejected() -> None:
    demo, code = _variant(
        "burger-lettuce-on-patty-immediately",
        {"\ncut_obj(lettuce)\n": "\nstack_obj_on(lettuce, patty)\ncut_obj(lettuce)\n"},
    )
    report = self_check(ROBOTOUILLE, demo, code)
    assert report.reason == (
        "scenario 1: 'lettuce1' was stacked on 'patty1' before it was cut; the demonstration "
        "cut it before stacking it on 'patty1'"
    )


def test_a_program_that_fails_says_where() -> None:
    task = ROBOTOUILLE.task("cook-patty")
    report = self_check(ROBOTOUILLE, ROBOTOUILLE.demos(task), "x = 1\ncut('nothing')\n")
    assert not report.agrees
    first = report.first
    assert first is not None and first.outcome != "finished" and first.line == 2
    assert "did not finish" in (report.reason or "")


def test_other_objects_of_the_same_kind_and_free_tables_are_renamed() -> None:
    """A demonstration of the same task made with other names still agrees: renaming."""
    task = ROBOTOUILLE.task("cook-patty")
    demo = ROBOTOUILLE.demos(task)
    data = json.loads(demo.dumps().replace("patty1", "pattyX").replace("patty2", "patty1"))
    data = json.loads(json.dumps(data).replace("pattyX", "patty2"))
    from demo2code.demos import demonstration_from_json

    swapped = demonstration_from_json(data)
    assert self_check(ROBOTOUILLE, swapped, ROBOTOUILLE.reference_code(task)).agrees


def test_tabletop_wrong_program_is_rejected() -> None:
    bench = get_benchmark("tabletop")
    task = bench.tasks()[0]
    report = self_check(bench, bench.demos(task), "say('done')\n")
    assert not report.agrees
    assert "does not hold" in (report.reason or "")


def test_epic_broken_habit_is_rejected() -> None:
    """P22_05 soaps everything with the tap closed; a program that soaps with it open is not
    what the demonstrator did."""
    bench = get_benchmark("epic")
    task = bench.task("P22_05")
    code = bench.reference_code(task).replace('    turn_off("tap_1")\n', '    turn_on("tap_1")\n')
    report = self_check(bench, bench.demos(task), code)
    assert report.reason == (
        "scenario 1: the demonstration soaped every dish with the tap off; the program did not"
    )


def test_a_recording_with_its_own_levels_checks_without_the_catalogue(tmp_path: Path) -> None:
    """`robotouille play --record` stores each scenario's level (robotouille/recording.py):
    a user's task id that is in no catalogue still checks."""
    task = ROBOTOUILLE.task("cook-patty")
    demo = copy.deepcopy(ROBOTOUILLE.demos(task))
    demo.task = "my-own-task"
    for scen in demo.scenarios:
        scen.extra["level"] = ROBOTOUILLE.level(task, scen.seed).to_json()
        scen.seed = None
    assert self_check(ROBOTOUILLE, demo, ROBOTOUILLE.reference_code(task)).agrees
    demo.scenarios[0].extra.pop("level")
    from demo2code.errors import InputError

    with pytest.raises(InputError, match="scenarios\\[0\\].seed"):
        self_check(ROBOTOUILLE, demo, ROBOTOUILLE.reference_code(task))


# --- the command ---------------------------------------------------------------------------

app = typer.Typer()
register(app)
app.command("unused", hidden=True)(lambda: None)  # a group, so `check` is a subcommand
runner = CliRunner()


def test_check_command_exit_codes_and_json(tmp_path: Path) -> None:
    task = ROBOTOUILLE.task("burger-lettuce-on-patty-immediately")
    demo_path = str(ROBOTOUILLE.demo_path(task))
    good = tmp_path / "good.py"
    good.write_text(ROBOTOUILLE.reference_code(task))
    result = runner.invoke(app, ["check", str(good), demo_path])
    assert result.exit_code == 0, result.output
    assert "2/2 scenarios agree" in result.stdout
    bad = tmp_path / "bad.py"
    bad.write_text(good.read_text().replace("\ncut_obj(lettuce)\n", "\n"))
    result = runner.invoke(app, ["check", str(bad), demo_path, "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["agrees"] is False
    assert data["first_disagreement"].startswith("scenario 1: 'lettuce1' was never cut")
    assert [s["agrees"] for s in data["scenarios"]] == [False, False]


def test_check_command_bad_demo_is_one_line(tmp_path: Path) -> None:
    program = tmp_path / "p.py"
    program.write_text("noop()\n")
    broken = tmp_path / "demo.json"
    broken.write_text('{"benchmark": "robotouille", "task": "cook-patty"}')
    result = runner.invoke(app, ["check", str(program), str(broken)])
    assert result.exit_code == 2
    assert "instruction: missing" in result.output and len(result.output.strip().split("\n")) == 1


def test_a_robotouille_play_recording_checks(tmp_path: Path) -> None:
    """A file written by the recorder `robotouille play --record` uses, under a task id of
    the user's own: its stored levels rebuild the scenarios."""
    from types import SimpleNamespace

    from demo2code.demos import load_json
    from demo2code.verify import run_trusted
    from robotouille.api import KitchenAPI
    from robotouille.env import KitchenEnv
    from robotouille.recording import Recorder

    task = ROBOTOUILLE.task("cut-lettuce")
    path = tmp_path / "mine.json"
    recorder = Recorder(path, "my-lettuce", "Cut a lettuce.")
    for seed in (7, 8):
        level = ROBOTOUILLE.level(task, seed)
        env = KitchenEnv(level, step_limit=400)
        recorder.start(level, env)
        api = KitchenAPI(env)
        api.on_step = recorder.record
        assert (
            run_trusted(
                ROBOTOUILLE.reference_code(task), SimpleNamespace(namespace=api.namespace())
            )
            is None
        )
    demo = load_json(path)
    assert [s.extra.get("level") is not None for s in demo.scenarios] == [True, True]
    assert self_check(ROBOTOUILLE, demo, ROBOTOUILLE.reference_code(task)).agrees
    report = self_check(ROBOTOUILLE, demo, "noop()\n")
    assert report.reason == "scenario 1: 'lettuce1' was never cut; the demonstration cut it"
