"""`eval --repair N` (issue 14): rows and summary.json record the self-check before repair,
the rounds used and their cost, and pass with and without repair; results.md shows both;
`--repair 0` gives the rows of before."""

from __future__ import annotations

import json
from pathlib import Path

from demo2code.benchmarks import get_benchmark
from demo2code.evaluation import evaluate
from demo2code.llm.config import ModelConfig
from demo2code.noise import NoiseSpec

BENCH = get_benchmark("robotouille")
NOISE = [NoiseSpec.parse("drop-state=0.1"), NoiseSpec.parse("drop-predicate=0.1")]
REPAIR_KEYS = {
    "self_check", "self_check_after", "first_disagreement", "repairs", "repair_stopped",
    "repair_calls", "repair_tokens", "passed_before_repair", "first_code_sha256",
}  # fmt: skip


def _run(out: Path, repair: int) -> dict:
    # noise seed 0 makes the offline reading of this variant cook the patty twice
    tasks = [BENCH.task("burger-lettuce-on-patty-after-prep"), BENCH.task("cook-patty")]
    result = evaluate(
        BENCH, "demo2code", out, config=ModelConfig(), tasks=tasks, seeds=[0, 1],
        noise=NOISE, noise_seed=0, repair=repair,
    )  # fmt: skip
    return result.summary


def test_repair_rows_summary_and_results_md(tmp_path: Path) -> None:
    summary = _run(tmp_path / "r2", 2)
    rows = [json.loads(x) for x in (tmp_path / "r2" / "results.jsonl").read_text().splitlines()]
    assert all(REPAIR_KEYS <= set(r) for r in rows)
    repaired = [r for r in rows if r["variant"] == "burger-lettuce-on-patty-after-prep"]
    assert all(r["self_check"] is False and r["self_check_after"] is True for r in repaired)
    assert all(r["passed"] and not r["passed_before_repair"] for r in repaired)
    assert all(r["repairs"] == 1 and r["repair_calls"] == 0 for r in repaired)
    assert all(r["first_disagreement"].startswith("scenario ") for r in repaired)
    untouched = [r for r in rows if r["variant"] == "cook-patty"]
    assert all(r["self_check"] is True and r["repairs"] == 0 for r in untouched)
    assert all(r["first_code_sha256"] is None for r in untouched)
    assert summary["repair"] == 2
    assert summary["overall"]["pass"] == 1.0 and summary["overall"]["pass_before_repair"] == 0.5
    assert summary["overall"]["self_check"] == 0.5
    assert summary["overall"]["self_check_after"] == 1.0
    assert summary["repair_cost"] == {"repairs": 1, "calls": 0, "tokens": 0}
    saved = json.loads((tmp_path / "r2" / "summary.json").read_text())
    assert saved["variants"]["burger-lettuce-on-patty-after-prep"]["pass_before_repair"] == 0.0
    md = (tmp_path / "r2" / "results.md").read_text()
    assert "pass (repair) | pass (no repair) | self-check before" in md
    assert "| &nbsp;&nbsp;burger-lettuce-on-patty-after-prep | 1.00 | 1.00 | 0.00 | 0.00 |" in md


def test_repair_zero_rows_are_as_before(tmp_path: Path) -> None:
    summary = _run(tmp_path / "r0", 0)
    rows = [json.loads(x) for x in (tmp_path / "r0" / "results.jsonl").read_text().splitlines()]
    assert not any(REPAIR_KEYS & set(r) for r in rows)
    assert "repair" not in summary and "pass_before_repair" not in summary["overall"]
    assert "pass (no repair)" not in (tmp_path / "r0" / "results.md").read_text()
    assert summary["overall"]["pass"] == 0.5
