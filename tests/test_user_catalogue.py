"""The README's "catalogue of your own" flow: DEMO2CODE_DATA holds one benchmark's tasks and
references only; the tool fills in the rest from what it ships (the API reference, the skill
library, the other benchmarks)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "robotouille"


def cli(args: list[str], data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEMO2CODE_DATA": str(data)}
    return subprocess.run(
        [sys.executable, "-m", "demo2code.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=data,
    )


def test_a_one_benchmark_catalogue_runs_end_to_end(tmp_path):
    cat = tmp_path / "robotouille"
    (cat / "tasks").mkdir(parents=True)
    (cat / "reference").mkdir()
    task = json.loads((SHIPPED / "tasks" / "cheese-burger.json").read_text())
    task.update(id="my-cheese-burger", seeds=[30, 31], demo_seeds=[200, 201])
    (cat / "tasks" / "my-cheese-burger.json").write_text(json.dumps(task))
    (cat / "reference" / "my-cheese-burger.py").write_text(
        (SHIPPED / "reference" / "cheese-burger.py").read_text()
    )
    assert cli(["demos", "generate"], tmp_path).returncode == 0
    assert (cat / "demos" / "my-cheese-burger.json").is_file()
    verify = cli(["tasks", "verify", "--json"], tmp_path)
    assert json.loads(verify.stdout)["passed"] == 2, verify.stderr
    synth = cli(["synthesize", str(cat / "demos" / "my-cheese-burger.json")], tmp_path)
    assert synth.returncode == 0 and "cook_obj" in synth.stdout, synth.stderr
    run = cli(["eval", "--out", str(tmp_path / "run"), "--json"], tmp_path)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["overall"]["pass"] == 1.0
    other = cli(["tasks", "list", "-b", "epic", "--json"], tmp_path)
    assert other.returncode == 0 and len(json.loads(other.stdout)) == 15
