"""Bugs in prompts breed bugs in answers: every whole example program that a Robotouille
prompt shows runs in the simulator and passes the unit test of the training variant it
illustrates, on every test seed of that variant."""

from __future__ import annotations

import re

import pytest

from demo2code.benchmarks import get_benchmark
from demo2code.paths import prompts_dir
from demo2code.sandbox import run_program

BENCH = get_benchmark("robotouille")
EXAMPLES = sorted((prompts_dir() / "robotouille" / "examples").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_program_passes_its_training_variant(path):
    source = path.read_text()
    found = re.search(r"^# Training variant: (\S+)$", source, re.M)
    assert found, f"{path.name} names no '# Training variant:'"
    task = BENCH.task(found.group(1))
    assert task.split == "train"  # examples never come from test variants
    for seed in task.seeds:
        result = run_program(source, lambda seed=seed: BENCH.episode(task, seed))
        assert result.outcome == "finished", (seed, result.message)
        verdict = BENCH.check(task, result.trace)
        assert verdict.passed, (seed, verdict.reasons)
