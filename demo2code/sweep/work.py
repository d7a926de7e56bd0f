"""What a sweep worker runs, on this machine or on a Ray node: plain functions of plain,
picklable arguments that return plain data. They never write a run directory: the driver
alone does, so where a task ran cannot change what the run directory holds."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from demo2code.benchmarks import get_benchmark
from demo2code.evaluation import runlog
from demo2code.evaluation.generation import Generation, generate
from demo2code.evaluation.harness import episode_row, program_scores
from demo2code.noise import NoiseSpec
from demo2code.sandbox import Limits
from demo2code.sweep.cells import Cell


@dataclass(frozen=True)
class Made:
    """A variant's program as the worker made (or reloaded) it, and the files the driver
    is to write into the cell's `programs/` (none when the saved one was reused)."""

    cell: str
    variant: str
    generation: Generation
    scores: dict[str, float]
    files: dict[str, str] = field(default_factory=dict)  # path under the run dir -> text


def make_program(
    cell: Cell, variant: str, saved: dict[str, Any] | None, concurrency: int = 4
) -> Made:
    """`eval`'s generation step in a scratch directory. With `saved` (the cell's record of
    this variant), `generate` reuses it after checking its inputs, so the model is never
    asked again for a variant the cell has."""
    bench = get_benchmark(cell.benchmark)
    task = bench.task(variant)
    noise = [NoiseSpec.parse(s) for s in cell.specs]
    with tempfile.TemporaryDirectory(prefix="demo2code-sweep-") as tmp:
        scratch = Path(tmp)
        if saved is not None:
            runlog.save_generation(scratch, variant, saved.get("program"), saved)
        gen = generate(
            bench, task, cell.method, cell.config, scratch, noise, cell.noise_seed,
            concurrency, None, cell.repair,
        )  # fmt: skip
        files = {}
        if not gen.reused:
            folder = scratch / runlog.PROGRAMS_DIR
            if folder.is_dir():
                files = {
                    p.relative_to(scratch).as_posix(): p.read_text(encoding="utf-8")
                    for p in sorted(folder.iterdir())
                }
    scores = program_scores(bench, task, gen.program) if not gen.retryable else {}
    return Made(cell.name, variant, gen, scores, files)


def run_seed(
    cell: Cell, identity: dict[str, Any], made: Made, seed: int
) -> tuple[str, dict[str, Any]]:
    """One episode in its own sandbox process, judged here: (cell name, results row)."""
    bench = get_benchmark(cell.benchmark)
    task = bench.task(made.variant)
    row = episode_row(
        bench, task, seed, made.generation, made.scores, identity, Limits(), cell.isolation,
        cell.repair,
    )  # fmt: skip
    return cell.name, row
