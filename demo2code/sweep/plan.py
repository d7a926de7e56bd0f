"""`sweep --dry-run`: each cell, its episodes (all, and still to run), the programs it
still has to make, and an estimate of the model calls they need. Nothing is written.

The estimate counts the stage calls the offline reasoner makes for the same method on the
benchmark's first test variant (the pipeline's recursion is the same whoever answers), times
the programs to make; methods that read free text count only the code-writing stages of
`demo2code`. Repair rounds, retries and a model's deeper recursion are not counted.
"""

from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass
from pathlib import Path

from demo2code.evaluation import runlog
from demo2code.sweep.cells import Cell
from demo2code.sweep.run import plan_cell

CODE_STAGES = ("write_code", "define")  # what a method without demonstrations still calls


@dataclass(frozen=True)
class CellEstimate:
    name: str
    episodes: int
    to_run: int
    to_make: int
    calls: int


@functools.cache
def calls_per_program(benchmark: str, method: str) -> int:
    from demo2code.benchmarks import get_benchmark
    from demo2code.benchmarks.base import default_tasks
    from demo2code.evaluation.generation import generate
    from demo2code.llm.config import ModelConfig
    from demo2code.reasoners.symbolic import FREE_TEXT_METHODS

    bench = get_benchmark(benchmark)
    task = default_tasks(bench)[0]
    stand_in = "demo2code" if method in FREE_TEXT_METHODS else method
    with tempfile.TemporaryDirectory(prefix="demo2code-estimate-") as tmp:
        generate(bench, task, stand_in, ModelConfig(), Path(tmp), [], 0)
        record = runlog.load_generation(Path(tmp), task.id) or {}
    stages = [r.get("stage") for r in record.get("records", [])]
    if method in FREE_TEXT_METHODS:
        stages = [s for s in stages if s in CODE_STAGES]
    return len(stages)


def estimate(cells: list[Cell], out: Path) -> list[CellEstimate]:
    from demo2code.evaluation.harness import REFERENCE

    result = []
    for cell in cells:
        plan = plan_cell(cell, out / cell.name, create=False)
        to_make = sum(1 for v in plan.pending if runlog.load_generation(plan.out_dir, v) is None)
        model_free = cell.config.offline or cell.method == REFERENCE
        per = 0 if model_free or not to_make else calls_per_program(cell.benchmark, cell.method)
        result.append(CellEstimate(cell.name, plan.episodes, plan.missing, to_make, per * to_make))
    return result
