"""`eval`, `run` and `report` through a CLI runner: exit codes and output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from demo2code.benchmarks import get_benchmark
from demo2code.benchmarks.base import OUTCOMES
from demo2code.commands.eval_commands import register

app = typer.Typer()
register(app)
runner = CliRunner()
BENCH = get_benchmark("robotouille")


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_run_good_program_passes(tmp_path: Path) -> None:
    task = BENCH.task("cook-patty")
    program = tmp_path / "good.py"
    program.write_text(BENCH.reference_code(task))
    result = invoke("run", str(program), "--task", task.id, "--seed", "3", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"outcome", "passed", "message", "line"} <= set(data)
    assert data["outcome"] == "finished" and data["passed"] is True


@pytest.mark.parametrize(
    ("code", "outcome", "line"),
    [
        ("x = 1\nif x\n", "syntax_error", 2),
        ("import os\n", "rejected", 1),
        ("x = 1\ny = x / 0\n", "runtime_error", 2),
        ("noop()\npick_up('no_such_thing', 'table1')\n", "precondition_failed", 2),
    ],
)
def test_run_bad_program_reports_its_outcome(
    tmp_path: Path, code: str, outcome: str, line: int
) -> None:
    program = tmp_path / "bad.py"
    program.write_text(code)
    result = invoke("run", str(program), "--task", "cook-patty", "--json")
    assert result.exit_code == 1, result.output  # like a test runner
    data = json.loads(result.stdout)
    assert data["outcome"] == outcome and data["outcome"] in OUTCOMES
    assert data["passed"] is False and data["line"] == line and data["message"]


def test_run_prints_outcome_and_failed_subgoal(tmp_path: Path) -> None:
    program = tmp_path / "wrong.py"
    program.write_text(BENCH.reference_code(BENCH.task("cut-lettuce")))
    result = invoke("run", str(program), "--task", "cook-patty")
    assert result.exit_code == 1  # finished, but failed its unit test
    assert "outcome: finished" in result.stdout and "unit test: failed" in result.stdout
    assert "cooked" in result.stdout


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["run", "missing.py", "--task", "cook-patty"], "missing.py"),
        (["run", "PROGRAM", "--task", "cook-pattty"], "cook-patty"),
        (["run", "PROGRAM", "--task", "cook-patty", "--benchmark", "robotouile"], "robotouille"),
        (["eval", "--method", "refrence", "--out", "OUT"], "--method"),
        (["eval", "--method", "reference", "--out", "OUT", "--tasks", "zz*"], "--tasks"),
        (["eval", "--method", "reference", "--out", "OUT", "--seeds", "9-0"], "--seeds"),
        (["eval", "--method", "reference", "--out", "OUT", "--seeds", "x"], "--seeds"),
        (["eval", "--method", "reference", "--out", "OUT", "--benchmark", "nope"], "benchmark"),
        (["eval", "--method", "reference", "--out", "OUT", "--workers", "0"], "--workers"),
        (["eval", "--method", "reference", "--out", "OUT", "--noise", "loud=1"], "noise"),
        (["report", "OUT"], "summary.json"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], names: str) -> None:
    program = tmp_path / "p.py"
    program.write_text("noop()\n")
    args = [str(program) if a == "PROGRAM" else str(tmp_path / "out") if a == "OUT" else a
            for a in args]  # fmt: skip
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and names in message
    assert not (tmp_path / "out" / "results.jsonl").exists()


def test_eval_then_report(tmp_path: Path) -> None:
    out = tmp_path / "ref"
    result = invoke("eval", "--method", "reference", "--out", str(out), "--tasks", "cook-*",
                    "--seeds", "0,2", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["episodes"] == 2 * len([t for t in BENCH.tasks("test")
                                           if t.id.startswith("cook-")])  # fmt: skip
    assert summary["overall"]["pass"] == 1.0
    again = invoke("eval", "--method", "reference", "--out", str(out), "--tasks", "cook-*",
                   "--seeds", "0,2")  # fmt: skip
    assert again.exit_code == 0 and "(0 new)" in again.stdout
    other = tmp_path / "d2c"
    assert invoke("eval", "--method", "demo2code", "--model", "symbolic", "--out", str(other),
                  "--tasks", "cook-patty", "--seeds", "0").exit_code == 0  # fmt: skip
    report = invoke("report", str(out), str(other), "--out", str(tmp_path / "cmp.md"))
    assert report.exit_code == 0, report.output
    assert "[1] reference" in report.stdout and "[2] demo2code" in report.stdout
    assert max(len(line) for line in report.stdout.splitlines()) <= 100
    assert "reference exec" in (tmp_path / "cmp.md").read_text()
    assert (tmp_path / "cmp.csv").read_text().startswith("kind,row,run,")
    assert (tmp_path / "cmp.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    full = invoke("report", str(out), str(other), "--full")
    assert full.exit_code == 0 and (tmp_path / "cmp.md").read_text() in full.stdout


def test_cost_column_sums_variant_tokens_at_the_given_prices() -> None:
    from demo2code.commands.eval_commands import variant_cost

    # 2,000 prompt tokens at $1/M plus 500 completion tokens at $4/M = 0.002 + 0.002
    scores = {"prompt_tokens": 2000, "completion_tokens": 500}
    assert variant_cost(scores, (1.0, 4.0)) == 0.004


def test_progress_status_counts_passes_as_rows_arrive() -> None:
    from demo2code.commands.eval_commands import EvalStatus

    status = EvalStatus()
    assert status.text() == "no episode yet"
    for passed in (True, False, True):
        status.row({"passed": passed})
    assert status.text().startswith("pass 2/3")
