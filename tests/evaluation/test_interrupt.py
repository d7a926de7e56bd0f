"""A real interrupt: SIGTERM a running evaluation half way, restart it, and compare with an
uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from demo2code.benchmarks import get_benchmark
from demo2code.evaluation import evaluate, runlog

ROOT = Path(__file__).resolve().parents[2]
SEEDS = [0, 1, 2, 3]
SCRIPT = """
import sys
from pathlib import Path
from demo2code.benchmarks import get_benchmark
from demo2code.evaluation import evaluate
bench = get_benchmark("robotouille")
tasks = [bench.task(t) for t in sys.argv[2].split(",")]
evaluate(bench, "reference", Path(sys.argv[1]), tasks=tasks, seeds=[0, 1, 2, 3], workers=1)
"""


def _tasks() -> list:
    return get_benchmark("robotouille").tasks("test")[:4]


def _rows(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.endswith("}")]


@pytest.mark.parametrize(
    ("sig", "group"), [(signal.SIGTERM, False), (signal.SIGINT, False), (signal.SIGINT, True)]
)
def test_interrupted_run_resumes_to_the_same_summary(tmp_path: Path, sig: int, group: bool) -> None:
    """`group` is Ctrl-C in a terminal: SIGINT to the whole foreground process group. The
    sandbox's processes live in sessions of their own, so running episodes are not killed
    into wrong rows; every kept row is a real, passing result."""
    tasks = _tasks()
    total = len(tasks) * len(SEEDS)
    out = tmp_path / "interrupted"
    results = out / runlog.RESULTS_FILE
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(out), ",".join(t.id for t in tasks)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=group,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while len(_rows(results)) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode != 0, stderr.decode()[-2000:]
    kept = runlog.ResultsLog(results).read()
    assert 3 <= len(kept) < total  # interrupted half way, every finished row intact
    assert all(row["passed"] for row in kept)
    assert not (out / "summary.json").exists()

    resumed = evaluate("robotouille", "reference", out, tasks=tasks, seeds=SEEDS)
    assert resumed.new_rows == total - len(kept)
    straight = evaluate("robotouille", "reference", tmp_path / "straight", tasks=tasks,
                        seeds=SEEDS)  # fmt: skip
    drop = ("timing",)
    assert {k: v for k, v in resumed.summary.items() if k not in drop} == {
        k: v for k, v in straight.summary.items() if k not in drop
    }
    rows = runlog.ResultsLog(results).read()
    assert sorted((r["variant"], r["seed"]) for r in rows) == sorted(
        (t.id, s) for t in tasks for s in SEEDS
    )
