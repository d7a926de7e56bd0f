"""A small offline sweep for the sweep tests: two methods x two benchmarks x two noise
seeds, two variants per benchmark, two test seeds (8 cells, 32 episodes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SMALL = """
seeds = "0-1"
repair = [0]

[models.symbolic]
model = "symbolic"

[noise.drop-state]
specs = ["drop-state=0.2"]
seeds = [0, 1]

[[tables]]
title = "Small"
benchmarks = ["robotouille", "epic"]
methods = ["demo2code", "reference"]
noise = ["drop-state"]
tasks = { robotouille = "*cheese-burger*", epic = "P22*" }

[[tables]]
title = "Noise"
benchmarks = ["robotouille"]
methods = ["demo2code"]
noise = ["drop-state"]
rows = "noise"
tasks = "*cheese-burger*"
"""
CELLS = 8
EPISODES = 32
TIMINGS = ("latency_s", "generation_seconds", "run_seconds")


@pytest.fixture
def small_sweep(tmp_path: Path) -> Path:
    path = tmp_path / "small.toml"
    path.write_text(SMALL)
    return path


def rows_without_timings(cell_dir: Path) -> list[str]:
    """A cell's rows, timings removed, sorted: what must not depend on the
    executor."""
    path = cell_dir / "results.jsonl"
    lines = path.read_text().splitlines() if path.is_file() else []
    skip = TIMINGS
    rows = [{k: v for k, v in json.loads(line).items() if k not in skip} for line in lines]
    return sorted(json.dumps(r, sort_keys=True) for r in rows)


def every_row(out: Path) -> dict[str, list[str]]:
    return {
        d.name: rows_without_timings(d) for d in sorted(out.iterdir()) if (d / "run.json").is_file()
    }
