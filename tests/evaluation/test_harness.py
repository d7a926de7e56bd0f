"""The evaluation harness on real Robotouille episodes through the real sandbox."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from demo2code.benchmarks import get_benchmark
from demo2code.errors import InputError
from demo2code.evaluation import evaluate, runlog
from demo2code.evaluation.generation import method_inputs
from demo2code.evaluation.harness import GENERATION_FAILED, run_identity
from demo2code.evaluation.report import compare_runs, run_markdown
from demo2code.evaluation.summary import METRICS
from demo2code.llm.config import ModelConfig
from demo2code.noise import NoiseSpec

BENCH = get_benchmark("robotouille")
SEEDS = [0, 1]
REFERENCE_ID = run_identity("robotouille", "reference", ModelConfig(), [], 0)


def planted(task, program: str | None, error: str | None = None) -> dict:
    """A saved generation record, as the harness would have written it for `task`."""
    inputs = method_inputs(BENCH, task, "reference", ModelConfig(), [], 0)[1]
    return {"program": program, "error": error, "inputs_sha256": inputs}


ROW_KEYS = {
    "variant",
    "seed",
    "code_sha256",
    "outcome",
    "message",
    "line",
    "executed",
    "passed",
    "reasons",
    "failed_subgoal",
    "bleu",
    "codebleu",
    "calls",
    "tokens",
    "latency_s",
}


def few_tasks(n: int = 3):
    """A handful of test variants from different families."""
    by_family = {}
    for task in BENCH.tasks("test"):
        by_family.setdefault(task.family, task)
    return list(by_family.values())[:n]


def rows_of(run_dir: Path) -> list[dict]:
    return runlog.ResultsLog(run_dir / runlog.RESULTS_FILE).read()


def comparable(summary: dict) -> dict:
    return {k: v for k, v in summary.items() if k != "timing"}


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("eval") / "reference"
    seen: list[tuple[int, int]] = []
    result = evaluate(
        "robotouille",
        "reference",
        out,
        tasks=few_tasks(),
        seeds=SEEDS,
        workers=2,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert result.new_rows == len(few_tasks()) * len(SEEDS)
    assert seen[-1] == (result.new_rows, result.new_rows)
    return out, result.summary


def test_reference_scores_one_on_everything(reference_run: tuple[Path, dict]) -> None:
    out, summary = reference_run
    for key in ("overall", "overall_by_group"):
        assert summary[key] == dict.fromkeys(METRICS, 1.0)
    assert set(summary["variants"]) == {t.id for t in few_tasks()}
    assert all(v["episodes"] == len(SEEDS) for v in summary["variants"].values())
    assert summary["method"] == "reference" and summary["benchmark"] == "robotouille"
    assert summary["episodes"] == len(few_tasks()) * len(SEEDS) and summary["complete"]


def test_rows_programs_and_outputs_are_written(reference_run: tuple[Path, dict]) -> None:
    out, summary = reference_run
    rows = rows_of(out)
    assert len(rows) == summary["episodes"]
    assert all(ROW_KEYS <= set(row) for row in rows)
    assert {(r["variant"], r["seed"]) for r in rows} == {
        (t.id, s) for t in few_tasks() for s in SEEDS
    }
    for task in few_tasks():
        code_path, record_path, _ = runlog.program_paths(out, task.id)
        header, program = code_path.read_text().split("\n\n", 1)
        assert program == BENCH.reference_code(task)
        assert header.startswith(f"# variant: {task.id}\n# method: reference\n")
        assert json.loads(record_path.read_text())["program"] == BENCH.reference_code(task)
    assert json.loads((out / "summary.json").read_text()) == summary
    table = (out / "results.md").read_text()
    assert table == run_markdown(summary)
    assert "| exec | pass | BLEU | CodeBLEU |" in table and few_tasks()[0].id in table
    assert "tokenize=none" in table  # the BLEU recipe is stated
    for name in ("by_variant.png", "by_group.png", "outcomes.png"):
        assert (out / "plots" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_wrong_program_fails_with_its_subgoal(tmp_path: Path) -> None:
    """A saved generation is reused; here it is planted: the cut-lettuce program for a
    cook-patty variant runs fine but fails the unit test."""
    cook, cut = BENCH.task("cook-patty"), BENCH.task("cut-lettuce")
    wrong = BENCH.reference_code(cut)
    crash = "pick_up('no_such_thing', 'table1')\n"
    out = tmp_path / "run"
    runlog.check_run_config(out, REFERENCE_ID)
    runlog.save_generation(out, cook.id, wrong, planted(cook, wrong))
    runlog.save_generation(out, cut.id, crash, planted(cut, crash))
    result = evaluate("robotouille", "reference", out, tasks=[cook, cut], seeds=[0])
    by_variant = {r["variant"]: r for r in rows_of(out)}
    row = by_variant[cook.id]
    assert row["outcome"] == "finished" and row["executed"] and not row["passed"]
    assert "cooked" in row["failed_subgoal"] and row["failed_subgoal"] in row["reasons"]
    assert row["bleu"] < 1.0 and row["codebleu"] < 1.0
    crashed = by_variant[cut.id]
    assert crashed["outcome"] != "finished" and not crashed["executed"]
    assert not crashed["passed"] and crashed["reasons"][0].startswith("did not finish")
    assert crashed["line"] == 1
    assert result.summary["overall"]["pass"] == 0.0
    assert result.summary["overall"]["exec"] == 0.5


def test_failed_generation_is_recorded_not_run(tmp_path: Path) -> None:
    task = BENCH.task("cook-patty")
    out = tmp_path / "run"
    runlog.check_run_config(out, REFERENCE_ID)
    runlog.save_generation(out, task.id, None, planted(task, None, "model said no"))
    evaluate("robotouille", "reference", out, tasks=[task], seeds=[0, 1])
    rows = rows_of(out)
    assert [r["outcome"] for r in rows] == [GENERATION_FAILED] * 2
    assert all(
        r["bleu"] == 0.0 and not r["passed"] and "model said no" in r["message"] for r in rows
    )


@pytest.mark.parametrize("keep", [0, 1, 4])
def test_resume_after_truncation_gives_the_same_summary(
    reference_run: tuple[Path, dict], tmp_path: Path, keep: int
) -> None:
    full_dir, full = reference_run
    part = tmp_path / "part"
    shutil.copytree(full_dir, part)
    results = part / runlog.RESULTS_FILE
    lines = results.read_text().splitlines(keepends=True)
    torn = lines[keep][: len(lines[keep]) // 2]  # a row cut off mid-write by a kill
    results.write_text("".join(lines[:keep]) + torn)
    for path in (part / "summary.json", part / "results.md"):
        path.unlink()
    result = evaluate("robotouille", "reference", part, tasks=few_tasks(), seeds=SEEDS)
    assert result.new_rows == len(lines) - keep
    assert comparable(result.summary) == comparable(full)
    assert len(rows_of(part)) == len(lines)


@pytest.mark.parametrize("bad", [b"{not json\n", b"[1, 2]\n", b"\xff\xfe garbage\n", b"{}\n"])
def test_corrupt_line_in_the_middle_is_set_aside_and_the_rest_survives(
    reference_run: tuple[Path, dict], tmp_path: Path, bad: bytes
) -> None:
    full_dir, full = reference_run
    part = tmp_path / "part"
    shutil.copytree(full_dir, part)
    results = part / runlog.RESULTS_FILE
    lines = results.read_bytes().splitlines(keepends=True)
    damaged = 2  # 0-based index of the line replaced by garbage; line 3 of the file
    results.write_bytes(b"".join(lines[:damaged]) + bad + b"".join(lines[damaged + 1 :]))
    result = evaluate("robotouille", "reference", part, tasks=few_tasks(), seeds=SEEDS)
    assert result.corrupt_lines == [damaged + 1]
    assert result.new_rows == 1  # only the damaged episode ran again
    assert comparable(result.summary) == comparable(full)
    assert len(rows_of(part)) == len(lines)
    kept_aside = (part / "results.jsonl.corrupt").read_bytes()
    assert kept_aside.startswith(b"# line 3\n") and bad.rstrip(b"\n") in kept_aside


def test_complete_run_is_not_rerun(reference_run: tuple[Path, dict], tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(reference_run[0], copy)
    before = (copy / runlog.RESULTS_FILE).read_bytes()
    result = evaluate("robotouille", "reference", copy, tasks=few_tasks(), seeds=SEEDS)
    assert result.new_rows == 0
    assert (copy / runlog.RESULTS_FILE).read_bytes() == before


def test_different_settings_in_an_existing_run_dir_are_refused(
    reference_run: tuple[Path, dict], tmp_path: Path
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(reference_run[0], copy)
    with pytest.raises(InputError, match="method"):
        evaluate("robotouille", "demo2code", copy, tasks=few_tasks(), seeds=SEEDS)
    with pytest.raises(InputError, match="noise"):
        evaluate(
            "robotouille",
            "reference",
            copy,
            tasks=few_tasks(),
            seeds=SEEDS,
            noise=[NoiseSpec.parse("drop-state=0.2")],
        )


def test_pipeline_method_generates_once_and_report_compares(
    reference_run: tuple[Path, dict], tmp_path: Path
) -> None:
    tasks = few_tasks(2)
    out = tmp_path / "d2c"
    first = evaluate(
        "robotouille",
        "demo2code",
        out,
        config=ModelConfig(),
        tasks=tasks,
        seeds=[0],
        noise=[NoiseSpec.parse("add-distractor=0.1")],
        noise_seed=3,
    )
    assert first.summary["model"] == "symbolic"
    assert first.summary["noise"] == "add-distractor=0.1" and first.summary["noise_seed"] == 3
    record_path = runlog.program_paths(out, tasks[0].id)[1]
    stamp = record_path.stat().st_mtime_ns
    again = evaluate(
        "robotouille",
        "demo2code",
        out,
        config=ModelConfig(),
        tasks=tasks,
        seeds=[0, 1],
        noise=[NoiseSpec.parse("add-distractor=0.1")],
        noise_seed=3,
    )
    assert again.new_rows == len(tasks)  # only the new seed ran
    assert record_path.stat().st_mtime_ns == stamp  # the program was reused, not remade
    comparison = compare_runs([reference_run[0], out])
    assert comparison.runs == ["reference", "demo2code"]
    names = [name for _, name, _ in comparison.rows]
    # the reference ran 3 variants, demo2code 2: overall is over the 2 both have
    assert tasks[0].id in names and names[-2:] == [
        "overall (mean over the 2 variants every run has)",
        "overall (mean over groups, over the 2 variants every run has)",
    ]
    overall = dict((n, cells) for _, n, cells in comparison.rows)[names[-2]]
    assert overall[0] == dict.fromkeys(METRICS, 1.0)  # the reference scores 1 everywhere
    assert overall[1] == again.summary["overall"]
    csv_text = comparison.to_csv()
    assert csv_text.splitlines()[0] == "kind,row,run," + ",".join(METRICS)


@pytest.mark.slow
def test_every_reference_episode_scores_one(tmp_path: Path) -> None:
    every = BENCH.tasks("test")  # the paper's variants and the opt-in ones (async)
    result = evaluate("robotouille", "reference", tmp_path / "all", tasks=every, workers=2)
    assert result.summary["episodes"] == sum(len(t.seeds) for t in every)
    for key in ("overall", "overall_by_group"):
        assert result.summary[key] == dict.fromkeys(METRICS, 1.0)


def test_prompted_model_program_is_made_once(tmp_path: Path, scripted_server) -> None:
    """A real HTTP model (scripted): calls and tokens land in the rows, the transcript is
    saved, and resuming with more seeds sends no new request."""
    task = BENCH.task("cook-patty")
    answer = "```python\n" + BENCH.reference_code(task) + "\n```"
    server = scripted_server(responder=lambda messages: answer)
    config = ModelConfig(model="tiny", base_url=server.base_url, api_key="x", cache_mode="off")
    out = tmp_path / "lang"
    first = evaluate("robotouille", "lang2code", out, config=config, tasks=[task], seeds=[0])
    asked = len(server.requests)
    assert asked >= 1
    row = rows_of(out)[0]
    assert row["calls"] == asked and row["tokens"] > 0 and row["model"] == "tiny"
    assert row["passed"] and first.summary["overall"]["pass"] == 1.0
    assert runlog.program_paths(out, task.id)[2].read_text().count("\n") == asked
    again = evaluate("robotouille", "lang2code", out, config=config, tasks=[task], seeds=[0, 1])
    assert again.new_rows == 1 and len(server.requests) == asked
    # tokens per stage in summary.json: the saved generation's records, summed by stage
    generation = again.summary["generation"]
    assert generation["calls"] == asked
    stages = generation["by_stage"]
    assert sum(s["calls"] for s in stages.values()) == asked
    assert (
        sum(s["prompt_tokens"] + s["completion_tokens"] for s in stages.values()) == row["tokens"]
    )
    assert again.summary["variants"][task.id]["prompt_tokens"] == row["prompt_tokens"]
