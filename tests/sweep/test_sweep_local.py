"""The sweep on this machine: each cell is the run directory `eval` would make, dry-run
counts, resume after an interrupt, tables, and one shared limit per model endpoint."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CELLS, EPISODES, every_row, rows_without_timings
from typer.testing import CliRunner

from demo2code.cli import app
from demo2code.evaluation import runlog
from demo2code.sweep.cells import expand
from demo2code.sweep.config import load_sweep
from demo2code.sweep.executors import LocalExecutor
from demo2code.sweep.run import run_sweep
from demo2code.sweep.tables import write_tables

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_dry_run_lists_cells_with_episodes_and_calls(tmp_path: Path, small_sweep: Path) -> None:
    out = tmp_path / "runs"
    result = runner.invoke(app, ["sweep", str(small_sweep), "--out", str(out), "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    cells = {c.name for c in expand(load_sweep(small_sweep))}
    listed = {line.split()[0]: line.split()[1:] for line in lines[2:-1]}
    assert set(listed) == cells
    assert all(v == ["4", "4", "2", "0"] for v in listed.values())  # offline: no model call
    assert lines[-1].split() == ["total", str(EPISODES), str(EPISODES), str(2 * CELLS), "0"]
    assert not out.exists()  # a dry run writes nothing


def test_dry_run_estimates_model_calls(tmp_path: Path) -> None:
    path = tmp_path / "model.toml"
    path.write_text(
        """
seeds = [0]
[models.m]
model = "m"
base_url = "http://127.0.0.1:9/v1"
[[tables]]
title = "T"
benchmarks = ["robotouille"]
methods = ["lang2code", "demo2code"]
tasks = "*cheese-burger*"
"""
    )
    result = runner.invoke(app, ["sweep", str(path), "--out", str(tmp_path / "o"), "--dry-run"])
    assert result.exit_code == 0, result.output
    calls = {line.split()[0].split(".")[1]: int(line.split()[-1])
             for line in result.output.strip().splitlines()[2:-1]}  # fmt: skip
    # demo2code summarizes the demonstrations first: more calls than writing code alone
    assert calls["demo2code"] > calls["lang2code"] > 0
    assert calls["lang2code"] % 2 == 0 and calls["demo2code"] % 2 == 0  # per program, x2


def test_cell_is_the_run_dir_eval_makes(tmp_path: Path, small_sweep: Path) -> None:
    out = tmp_path / "runs"
    result = runner.invoke(app, ["sweep", str(small_sweep), "--out", str(out), "-j", "2"])
    assert result.exit_code == 0, result.output
    rows = every_row(out)
    assert len(rows) == CELLS and sum(len(r) for r in rows.values()) == EPISODES
    name = "robotouille.demo2code.symbolic.drop-state.ns1.r0.tasks-_cheese-burger_"
    eval_dir = tmp_path / "eval"
    subprocess.run(
        [sys.executable, "-m", "demo2code.cli", "eval", "-b", "robotouille", "-m", "demo2code",
         "--tasks", "*cheese-burger*", "--seeds", "0-1", "--noise", "drop-state=0.2",
         "--noise-seed", "1", "--repair", "0", "--out", str(eval_dir)],
        check=True, capture_output=True, cwd=ROOT,
    )  # fmt: skip
    assert rows_without_timings(eval_dir) == rows[name]
    for same in ("run.json", "programs/two-cheese-burgers.py", "programs/cheese-burger.py"):
        assert (eval_dir / same).read_text() == (out / name / same).read_text()
    summary = json.loads((out / name / "summary.json").read_text())
    by_eval = json.loads((eval_dir / "summary.json").read_text())

    assert by_eval["overall"] == summary["overall"]
    assert by_eval["groups"] == summary["groups"]
    assert summary["noise_seed"] == 1 and summary["episodes"] == 4
    tables = (out / "tables.md").read_text()
    assert "## Small · robotouille · noise drop-state" in tables
    assert "## Noise · robotouille" in tables and "| drop-state |" in tables
    assert (out / "tables.csv").read_text().startswith("table,kind,row,column,cells,exec")
    assert len(list((out / "plots").glob("table-*.png"))) == 3
    # the table's cell is the mean over the two noise seeds of the cells' own numbers
    seeds = [json.loads((out / n / "summary.json").read_text())["overall"]["pass"]
             for n in (name, name.replace("ns1", "ns0"))]  # fmt: skip
    line = next(x for x in tables.splitlines() if x.startswith("| **overall (mean over v"))
    demo2code_pass = line.split("|")[3].strip()  # label, demo2code exec, pass
    assert demo2code_pass == f"{sum(seeds) / 2:.2f}"


class Interrupt(Exception):
    pass


def test_resume_after_interrupt_skips_finished_cells(tmp_path: Path, small_sweep: Path) -> None:
    sweep = load_sweep(small_sweep)
    cells = expand(sweep)
    out = tmp_path / "runs"
    seen: list[str] = []

    def stop_after_ten(cell: str, row: dict) -> None:
        seen.append(cell)
        if len(seen) == 10:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(cells, out, LocalExecutor(1), on_row=stop_after_ten)
    before = every_row(out)
    assert sum(len(r) for r in before.values()) == 10
    complete = {name for name, rows in before.items() if len(rows) == 4}
    assert complete and all((out / n / "summary.json").is_file() for n in complete)
    made = {p: p.stat().st_mtime_ns for p in out.glob("*/programs/*.json")}
    again = run_sweep(cells, out, LocalExecutor(2))
    assert set(again.skipped) == complete
    assert again.new_rows == EPISODES - 10
    after = every_row(out)
    assert all(len(rows) == len(set(rows)) == 4 for rows in after.values())
    for name in complete:
        assert after[name] == before[name]
    # a program saved before the interrupt was reused, never made again
    assert all(p.stat().st_mtime_ns == t for p, t in made.items())
    write_tables(sweep, out)
    assert "(no finished cell yet)" not in (out / "tables.md").read_text()


def test_cells_on_one_endpoint_share_its_limit(tmp_path: Path, scripted_server) -> None:
    """Two models on one scripted server, limit 1: never two requests at once, though the
    grid runs 4 variants on 4 threads; resuming with more seeds sends no request."""
    from demo2code.benchmarks import get_benchmark

    bench = get_benchmark("robotouille")
    answers = {t.instruction: bench.reference_code(t) for t in bench.tasks("test")}

    def respond(messages: list) -> str:
        text = messages[-1]["content"]
        code = next(c for i, c in answers.items() if i in text)
        return "```python\n" + code + "\n```"

    server = scripted_server(responder=respond, delay=0.05)
    path = tmp_path / "m.toml"
    body = """
seeds = [0]
cache = "off"
[models.a]
model = "a"
base_url = "URL"
concurrency = 1
[models.b]
model = "b"
base_url = "URL"
concurrency = 2
[[tables]]
title = "T"
benchmarks = ["robotouille"]
methods = ["lang2code"]
tasks = "*cheese-burger*"
repair = [0]
"""
    path.write_text(body.replace("URL", server.base_url))
    out = tmp_path / "runs"
    cells = expand(load_sweep(path))
    result = run_sweep(cells, out, LocalExecutor(4))
    assert result.new_rows == 4 and not result.unreachable
    assert server.max_active == 1
    asked = len(server.requests)
    assert asked >= 4
    path.write_text(body.replace("URL", server.base_url).replace("seeds = [0]", "seeds = [0, 1]"))
    again = run_sweep(expand(load_sweep(path)), out, LocalExecutor(4))
    assert again.new_rows == 4 and len(server.requests) == asked
    assert all(runlog.load_generation(out / c.name, "cheese-burger") for c in cells)
