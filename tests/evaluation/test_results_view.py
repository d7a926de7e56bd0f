"""Reading a run without opening JSON: the plots, the compact `report`, `show RUN VARIANT`
and the header of each saved program. Runs are real (Robotouille through the sandbox); a
failing run is made by planting wrong programs as saved generations."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from demo2code.benchmarks import get_benchmark
from demo2code.commands.eval_commands import register as register_eval
from demo2code.commands.show_command import register as register_show
from demo2code.evaluation import evaluate, runlog
from demo2code.evaluation.generation import method_inputs
from demo2code.evaluation.harness import run_identity
from demo2code.evaluation.metrics import bleu
from demo2code.evaluation.plots import (
    by_group,
    by_variant,
    compare,
    failure_note,
    metric_keys,
    outcome_counts,
    outcomes,
    write_plots,
)
from demo2code.evaluation.report import compare_runs
from demo2code.llm.config import ModelConfig

BENCH = get_benchmark("robotouille")
COOK, CUT = BENCH.task("cook-patty"), BENCH.task("cut-lettuce")
app = typer.Typer()
register_eval(app)
register_show(app)
runner = CliRunner()


@pytest.fixture(scope="module")
def good_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "reference"
    evaluate("robotouille", "reference", out, tasks=[COOK, CUT], seeds=[0, 1])
    return out


@pytest.fixture(scope="module")
def failed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """cook-patty given cut-lettuce's program (finishes, fails the test); cut-lettuce given
    a program that crashes on its first line: nothing passes."""
    out = tmp_path_factory.mktemp("runs") / "failed"
    runlog.check_run_config(out, run_identity("robotouille", "reference", ModelConfig(), [], 0))
    for task, program in ((COOK, BENCH.reference_code(CUT)), (CUT, "pick_up('nothing', 't')\n")):
        inputs = method_inputs(BENCH, task, "reference", ModelConfig(), [], 0)[1]
        record = {"program": program, "error": None, "inputs_sha256": inputs}
        runlog.save_generation(out, task.id, program, record)
    evaluate("robotouille", "reference", out, tasks=[COOK, CUT], seeds=[0, 1])
    return out


def summary_of(run: Path) -> dict:
    return json.loads((run / "summary.json").read_text())


def texts(fig) -> str:
    """Every piece of text drawn on a figure: titles, notes, tick labels, legends."""
    from matplotlib.text import Text

    return "\n".join(t.get_text() for t in fig.findobj(Text))


def test_titles_name_benchmark_method_and_model(good_run: Path) -> None:
    summary = summary_of(good_run) | {"method": "demo2code", "model": "some-model"}
    for make in (by_variant, by_group, outcomes):
        drawn = texts(make(summary))
        assert "robotouille · demo2code · some-model" in drawn
        assert "no episode passed" not in drawn


def test_similarity_metrics_are_plotted_beside_exec_and_pass(good_run: Path) -> None:
    summary = summary_of(good_run)
    keys = ["exec", "pass", "bleu", "codebleu", "bleu_task", "codebleu_task"]
    assert metric_keys(summary["overall"]) == keys
    drawn = texts(by_group(summary))
    assert all(label in drawn for label in ("exec", "pass", "BLEU", "CodeBLEU", "BLEU (task)"))
    older = copy.deepcopy(summary)  # a summary written before the task-level scores
    for part in (*older["groups"].values(), older["overall"], older["overall_by_group"]):
        part.pop("bleu_task", None)
        part.pop("codebleu_task", None)
    assert metric_keys(older["overall"]) == keys[:4]
    assert "BLEU (task)" not in texts(by_group(older))
    assert "CodeBLEU" in texts(by_group(older))


def test_a_run_where_everything_failed_says_so(failed_run: Path) -> None:
    summary = summary_of(failed_run)
    assert summary["overall"]["pass"] == 0.0
    counts = {v: outcome_counts(s) for v, s in summary["variants"].items()}
    assert counts[COOK.id] == {"test failed": 2}
    assert "passed" not in counts[CUT.id] and sum(counts[CUT.id].values()) == 2
    note = failure_note(summary)
    assert note is not None and note.startswith("no episode passed")
    assert "test failed 2" in note
    for make in (by_variant, by_group, outcomes):
        assert note in texts(make(summary))
    assert "test failed 2" in texts(by_variant(summary))  # beside the failing variant


def test_stacked_outcomes_add_up_to_the_seeds(failed_run: Path, good_run: Path) -> None:
    for run in (failed_run, good_run):
        for scores in summary_of(run)["variants"].values():
            assert sum(outcome_counts(scores).values()) == scores["episodes"]
    legend = texts(outcomes(summary_of(failed_run)))
    assert "test failed" in legend and "passed" not in legend.split("\n")


def test_an_empty_run_still_gets_charts_that_say_so(tmp_path: Path, good_run: Path) -> None:
    summary = {k: v for k, v in summary_of(good_run).items() if k not in ("variants", "groups")}
    summary["episodes"] = 0
    paths = write_plots(summary, tmp_path / "plots")
    assert [p.name for p in paths] == ["by_variant.png", "by_group.png", "outcomes.png"]
    assert all(p.read_bytes()[:4] == b"\x89PNG" for p in paths)
    assert "no episodes in this run" in texts(by_group(summary))


def test_several_runs_in_one_figure(good_run: Path, failed_run: Path) -> None:
    fig = compare([summary_of(good_run), summary_of(failed_run)], ["ref", "broken"])
    drawn = texts(fig)
    assert len(fig.axes) == 6  # exec, pass, BLEU, CodeBLEU and both over task code only
    assert "ref" in drawn and "broken" in drawn and "nothing passed: broken" in drawn


@pytest.mark.parametrize("runs", [2, 5, 12])
def test_compact_report_fits_100_columns(good_run: Path, failed_run: Path, runs: int) -> None:
    comparison = compare_runs([good_run, failed_run] * (runs // 2))
    text = comparison.to_text()
    assert max(len(line) for line in text.splitlines()) <= 100
    for name in (COOK.id, CUT.id, "overall (mean over the 2 variants every run has)"):
        assert name in text  # row labels whole
    assert "1.00" in text and "0.00" in text


def test_saved_program_header_names_it_and_is_not_scored(good_run: Path) -> None:
    for task in (COOK, CUT):
        code_path, _, _ = runlog.program_paths(good_run, task.id)
        text = code_path.read_text()
        header, program = text.split("\n\n", 1)
        assert header.splitlines()[:3] == [
            f"# variant: {task.id}",
            "# method: reference",
            "# model: none",
        ]
        assert all(line.startswith("#") for line in header.splitlines())
        assert task.spec.splitlines()[0] in header
        assert program == runlog.load_generation(good_run, task.id)["program"]
        assert bleu(text, BENCH.reference_code(task)) < 1.0  # the header would cost BLEU...
        assert summary_of(good_run)["variants"][task.id]["bleu"] == 1.0  # ...it is not scored
    run = runner.invoke(app, ["run", str(runlog.program_paths(good_run, COOK.id)[0]), "-t",
                              COOK.id, "-s", "3"])  # fmt: skip
    assert run.exit_code == 0, run.output  # the saved file itself runs and passes


def test_show_prints_what_went_in_and_how_each_seed_ended(failed_run: Path) -> None:
    result = runner.invoke(app, ["show", str(failed_run), COOK.id, "--view", "diff"])
    assert result.exit_code == 0, result.output
    assert COOK.instruction in result.stdout and COOK.spec.splitlines()[-1] in result.stdout
    assert "--- reference" in result.stdout and "+++ generated" in result.stdout
    assert "0/2 seeds passed" in result.stdout and "cooked" in result.stdout
    data = json.loads(runner.invoke(app, ["show", str(failed_run), CUT.id, "--json"]).stdout)
    assert [s["seed"] for s in data["seeds"]] == [0, 1]
    assert all(not s["passed"] and s["outcome"] != "finished" for s in data["seeds"])
    side = runner.invoke(app, ["show", str(failed_run), CUT.id, "--view", "side"])
    assert "generated" in side.stdout and "reference" in side.stdout


def test_show_same_program_says_identical(good_run: Path) -> None:
    result = runner.invoke(app, ["show", str(good_run), CUT.id, "--view", "diff"])
    assert "identical to the reference" in result.stdout and "2/2 seeds passed" in result.stdout


@pytest.mark.parametrize(
    ("args", "names"),
    [(["show", "RUN", "no-such-variant"], "cook-patty"), (["show", "NOWHERE", "x"], "run.json")],
)
def test_show_bad_input_is_one_line(good_run: Path, args: list[str], names: str) -> None:
    args = [str(good_run) if a == "RUN" else a for a in args]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and names in result.stderr


def test_side_by_side_keeps_both_programs_whole_and_faces_equal_lines(failed_run: Path) -> None:
    from demo2code.evaluation.variant_view import load_variant

    shown = load_variant(failed_run, COOK.id)
    rows = shown.side_by_side()
    assert [g for g, _, _ in rows if g is not None] == shown.program.splitlines()
    assert [r for _, r, _ in rows if r is not None] == shown.reference.splitlines()
    assert all(same == (g == r) for g, r, same in rows if same)
    assert any(same for *_, same in rows) and not all(same for *_, same in rows)
