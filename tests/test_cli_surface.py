"""The command line as a new user meets it: help on every command (-h and --help), every
option explained, no type placeholders, --version, whole task ids, Robotouille's initial
state in `demos show`, a quiet broken pipe, the EPIC import's whole-video note, and the
CodeBLEU library's warnings kept off the console."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from demo2code.benchmarks import get_benchmark
from demo2code.benchmarks.base import TaskVariant
from demo2code.cli import app
from demo2code.commands.help_text import version, walk
from demo2code.demo_text import load_demonstration
from demo2code.evaluation.episodes import EpisodeResult
from demo2code.evaluation.generation import Generation
from demo2code.evaluation.harness import make_row
from demo2code.evaluation.metrics import codebleu_noted, similarity
from demo2code.evaluation.summary import variant_scores
from demo2code.pipeline import METHODS
from robotouille.cli import app as robotouille_app

ROOT = Path(__file__).resolve().parents[1]
COMMAND = typer.main.get_command(app)
COMMANDS = [path for path, _ in walk(COMMAND)]
APPS = {"demo2code": app, "robotouille": robotouille_app}
TREES = {prog: dict(walk(typer.main.get_command(a))) for prog, a in APPS.items()}
EVERY_COMMAND = [(prog, path) for prog, tree in TREES.items() for path in tree]
PLACEHOLDER = re.compile(r"<(bool|str|int|float|path|list\[[a-z]+\])>")
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), prog_name="demo2code")


def cli(*args: str, columns: int = 80, stdout=subprocess.PIPE) -> subprocess.Popen:
    """The real `demo2code` process (for what only a process shows: width, pipes)."""
    env = dict(os.environ, COLUMNS=str(columns), PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "demo2code.cli", *args], cwd=ROOT, env=env,
        stdout=stdout, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_the_tree_has_the_commands_a_user_is_told_about() -> None:
    assert {"eval", "report", "show", "tasks list", "demos show", "epic import"} <= set(COMMANDS)


@pytest.mark.parametrize(("prog", "path"), EVERY_COMMAND)
def test_every_command_has_short_and_long_help_without_placeholders(prog: str, path: str) -> None:
    words = path.split()
    short = runner.invoke(APPS[prog], [*words, "-h"], prog_name=prog)
    long = runner.invoke(APPS[prog], [*words, "--help"], prog_name=prog)
    assert short.exit_code == 0 and long.exit_code == 0, short.output
    assert short.output == long.output and f"Usage: {prog}" in short.output
    assert not PLACEHOLDER.search(short.output), PLACEHOLDER.search(short.output)
    assert "--version" in short.output


@pytest.mark.parametrize(("prog", "path"), EVERY_COMMAND)
def test_every_option_and_argument_has_a_help_line(prog: str, path: str) -> None:
    command = TREES[prog][path]
    for param in command.params:
        assert (getattr(param, "help", None) or "").strip(), f"{prog} {path} {param.opts}"


@pytest.mark.parametrize("args", [[], ["eval"], ["tasks", "list"]])
def test_version_everywhere(args: list[str]) -> None:
    result = invoke(*args, "--version")
    assert result.exit_code == 0 and result.output == f"demo2code {version()}\n"


def test_commands_still_run_with_the_added_version_option() -> None:
    result = invoke("tasks", "list", "--benchmark", "tabletop", "--json")
    assert result.exit_code == 0, result.output
    assert {row["id"] for row in json.loads(result.output)} == {
        t.id for t in get_benchmark("tabletop").tasks()
    }


def test_eval_method_help_lists_every_method() -> None:
    text = " ".join(invoke("eval", "-h").output.replace("│", " ").split())
    for name in [*METHODS, "reference"]:
        assert re.search(rf"(^|[\s,]){re.escape(name)}([\s,]|$)", text), name


def test_tabletop_group_promises_only_its_commands() -> None:
    group = dict(walk(COMMAND))["tabletop"]
    assert sorted(group.commands) == ["render"]  # it draws scenes; it has no demos command
    assert "scene" in group.help and "demo" not in group.help.lower()


@pytest.mark.parametrize("columns", [60, 200])
def test_task_ids_are_never_cut(columns: int) -> None:
    proc = cli("tasks", "list", columns=columns)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert max(len(line) for line in stdout.splitlines()) <= columns
    for task in get_benchmark("robotouille").tasks():
        assert re.search(rf"(^|[\s│]){re.escape(task.id)}([\s│]|$)", stdout, re.M), task.id
    assert "…" not in stdout


def test_a_closed_pipe_is_silent() -> None:
    """`demo2code ... | head`: the reader is gone before the writer writes."""
    for args in (["tasks", "list"], ["tasks", "list", "--json"],
                 ["demos", "show", "data/robotouille/demos/cook-patty.json"]):  # fmt: skip
        proc = cli(*args)
        proc.stdout.close()  # the reader quits at once
        with proc.stderr:
            stderr = proc.stderr.read()
        proc.wait(timeout=120)
        assert stderr == "", (args, stderr)
        assert proc.returncode != 0  # the output was not delivered; no traceback, no message


def test_demos_show_gives_robotouille_initial_state_and_reads_back(tmp_path: Path) -> None:
    path = ROOT / "data/robotouille/demos/cook-patty.json"
    result = invoke("demos", "show", str(path))
    assert result.exit_code == 0, result.output
    assert "Initial State (State 1):" in result.output
    text = tmp_path / "cook-patty.txt"
    text.write_text(result.output)
    original = load_demonstration(path)
    back = load_demonstration(text, style="robotouille", benchmark="robotouille")
    assert back.scenarios[0].initial_state  # what was printed is read back as a state
    shown = {(c.predicate, tuple(c.args)) for c in back.scenarios[0].initial_state}
    assert shown <= {(c.predicate, tuple(c.args)) for c in original.scenarios[0].initial_state}


def test_epic_import_says_when_it_took_a_whole_video(tmp_path: Path) -> None:
    csv = ROOT / "data/epic/narrations.csv"
    whole = invoke("epic", "import", str(csv), "--video", "P22_07", "--out", str(tmp_path / "a"))
    assert whole.exit_code == 0 and "no --segment" in whole.stderr
    assert "narrations of P22_07" in whole.stderr
    part = invoke("epic", "import", str(csv), "--video", "P22_07", "--segment", "367-386")
    assert part.exit_code == 0 and "no --segment" not in part.stderr
    assert part.stdout.startswith("[Scenario 1]")


def test_readme_epic_example_runs_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text()
    line = next(x for x in readme.splitlines() if x.startswith("demo2code epic import"))
    args = line.split("#")[0].split()[1:]
    monkeypatch.chdir(ROOT)  # the README's paths are relative to the checkout
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert "--segment" in args and "no --segment" not in result.stderr


def test_codebleu_warnings_are_captured_not_printed(
    capfd: pytest.CaptureFixture, caplog: pytest.LogCaptureFixture
) -> None:
    handlers = logging.getLogger().handlers[:]
    identity = {"benchmark": "robotouille", "method": "m", "model": None}
    task = TaskVariant("v", "fam", "do it", "do it exactly", "test")
    gen, finished = (
        Generation("x = 1\n", None, "sha"),
        EpisodeResult("finished", True, "", None, ()),
    )
    reference = "def f():\n    return 2\n"  # no data flow: the library warns
    score, notes = codebleu_noted("x = 1\n", reference)
    assert 0.0 < score < 1.0 and any("data-flow" in n for n in notes)
    assert similarity("x = 1\n", reference)["codebleu_notes"] == notes
    assert "codebleu_notes" not in similarity(reference, "x = 1\ny = x\n")
    rows = [make_row(identity, task, 0, gen, finished, similarity(program, reference))
            for program in ("x = 1\n", "y = 2\n")]  # fmt: skip
    assert [r["codebleu_notes"] for r in rows] == [notes, notes]  # kept with the row...
    assert variant_scores(rows)["codebleu_notes"] == notes  # ...and in summary.json
    captured = capfd.readouterr()
    assert "data-flow" not in captured.err + captured.out
    assert not any("data-flow" in r.getMessage() for r in caplog.records)  # never logged on
    assert logging.getLogger().handlers == handlers  # and nothing left configured behind
