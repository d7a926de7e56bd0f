"""The sweep driver: plans every cell as an `eval` run directory, hands generation and
episodes to an executor, and alone writes what comes back (programs, rows, summaries).

Resume works cell by cell: a cell whose rows are all there is skipped; in any other, only
the missing (variant, seed) rows are run, and a variant whose program is saved is never
generated again (`demo2code/evaluation/generation.py` reuses it).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from demo2code.benchmarks import get_benchmark
from demo2code.benchmarks.base import TaskVariant
from demo2code.evaluation import runlog
from demo2code.evaluation.harness import run_identity, run_summary, write_outputs
from demo2code.llm.gate import DEFAULT_CONCURRENCY
from demo2code.noise import NoiseSpec
from demo2code.sandbox import Limits, active_layers
from demo2code.sweep.cells import Cell
from demo2code.sweep.executors import Executor
from demo2code.sweep.work import Made, make_program, run_seed

Progress = Callable[[int, int], None]  # (episodes done, episodes in the sweep)
_POLL_SECONDS = 0.2


@dataclass
class CellPlan:
    """One cell's run directory and what it still lacks."""

    cell: Cell
    out_dir: Path
    tasks: list[TaskVariant]
    seed_map: dict[str, list[int]]
    identity: dict[str, Any]
    log: runlog.ResultsLog
    pending: dict[str, list[int]]  # variant -> seeds without a row
    started: float = field(default_factory=time.monotonic)
    outstanding: int = 0  # rows still to come in this call

    @property
    def episodes(self) -> int:
        return sum(len(s) for s in self.seed_map.values())

    @property
    def missing(self) -> int:
        return sum(len(s) for s in self.pending.values())


@dataclass
class SweepResult:
    cells: list[CellPlan]
    ran: list[str]  # cells that had work to do
    skipped: list[str]  # cells already complete
    new_rows: int
    unreachable: dict[str, str]  # "cell/variant" -> why the model gave no program
    seconds: float


def plan_cell(cell: Cell, out_dir: Path, *, create: bool = True) -> CellPlan:
    """What the cell's run directory holds and lacks; with `create`, records the run's
    identity (run.json) as `eval` does, refusing a directory of another run."""
    from demo2code.cli import select_tasks  # the cell's glob over the test split, as `eval`

    bench = get_benchmark(cell.benchmark)
    tasks = select_tasks(cell.benchmark, cell.tasks)
    seeds = cell.seeds
    seed_map = {t.id: list(seeds) if seeds is not None else list(t.seeds) for t in tasks}
    noise = [NoiseSpec.parse(s) for s in cell.specs]
    identity = run_identity(bench.name, cell.method, cell.config, noise, cell.noise_seed)
    if cell.repair:
        identity["repair"] = cell.repair
    if create:
        runlog.check_run_config(out_dir, identity)
    log = runlog.ResultsLog(out_dir / runlog.RESULTS_FILE, runlog.ROW_KEYS)
    finished = {(r["variant"], r["seed"]) for r in log.read()}
    pending = {t.id: [s for s in seed_map[t.id] if (t.id, s) not in finished] for t in tasks}
    pending = {v: s for v, s in pending.items() if s}
    return CellPlan(cell, out_dir, tasks, seed_map, identity, log, pending)


def finish_cell(plan: CellPlan) -> dict[str, Any]:
    """summary.json, results.md and plots, exactly as `eval` writes them."""
    seeds = plan.cell.seeds
    summary = run_summary(
        plan.out_dir, plan.identity, Limits(), list(seeds) if seeds is not None else None,
        plan.log.read(), plan.tasks, plan.seed_map, plan.started,
    )  # fmt: skip
    write_outputs(plan.out_dir, summary)
    return summary


class _Admission:
    """Under Ray, at most `limit` generations per model endpoint run at once, each sending
    one request at a time: the grid's requests to one server never exceed its limit, even
    spread over many nodes. (Locally the process-wide gate, demo2code/llm/gate.py, does it.)"""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.running: dict[str, int] = {}

    @staticmethod
    def endpoint(cell: Cell, saved: dict[str, Any] | None) -> str | None:
        return None if saved is not None or cell.config.offline else cell.config.endpoint

    def admits(self, cell: Cell, saved: dict[str, Any] | None) -> bool:
        key = self.endpoint(cell, saved)
        if not self.enabled or key is None:
            return True
        limit = cell.config.concurrency or DEFAULT_CONCURRENCY
        return self.running.get(key, 0) < limit

    def change(self, cell: Cell, saved: dict[str, Any] | None, by: int) -> None:
        key = self.endpoint(cell, saved)
        if self.enabled and key is not None:
            self.running[key] = self.running.get(key, 0) + by


def run_sweep(
    cells: list[Cell],
    out: Path,
    executor: Executor,
    *,
    progress: Progress | None = None,
    on_row: Callable[[str, dict[str, Any]], None] | None = None,
) -> SweepResult:
    """Run every missing episode of every cell; write each cell's outputs when it is done."""
    started = time.monotonic()
    if any(c.isolation == "strict" for c in cells):
        active_layers(strict=True)  # refuse before any work, not per episode
    plans = [plan_cell(c, Path(out) / c.name, create=False) for c in cells]
    for plan in plans:  # refuse a directory of another run before writing anything
        if (plan.out_dir / runlog.RUN_FILE).is_file():
            runlog.check_run_config(plan.out_dir, plan.identity)
    for plan in plans:
        runlog.check_run_config(plan.out_dir, plan.identity)
    by_name = {p.cell.name: p for p in plans}
    todo = [p for p in plans if p.pending]
    skipped = [p.cell.name for p in plans if not p.pending]
    total = sum(p.episodes for p in plans)
    done = total - sum(p.missing for p in plans)
    if progress:
        progress(done, total)
    admission = _Admission(executor.name == "ray")
    concurrency = 1 if admission.enabled else 4
    waiting: list[tuple[CellPlan, str, dict[str, Any] | None]] = [
        (p, v, runlog.load_generation(p.out_dir, v)) for p in todo for v in p.pending
    ]
    for plan in todo:
        plan.outstanding = plan.missing
    running: dict[Any, tuple[str, Any]] = {}
    unreachable: dict[str, str] = {}
    new_rows = 0

    def submit_generations() -> None:
        """Keep a few generations ahead of the episodes, not all of them: episodes then
        start (and rows stream in) from the first program on."""
        still = []
        making = sum(1 for kind, _ in running.values() if kind == "made")
        for plan, variant, saved in waiting:
            if making < executor.slots and admission.admits(plan.cell, saved):
                admission.change(plan.cell, saved, +1)
                handle = executor.submit(make_program, plan.cell, variant, saved, concurrency)
                running[handle] = ("made", (plan, saved))
                making += 1
            else:
                still.append((plan, variant, saved))
        waiting[:] = still

    def cell_done(plan: CellPlan, rows: int) -> None:
        plan.outstanding -= rows
        if plan.outstanding == 0:
            finish_cell(plan)

    try:
        submit_generations()
        while running:
            for handle, value in executor.wait(list(running), _POLL_SECONDS):
                kind, info = running.pop(handle)
                if kind == "made":
                    plan, saved = info
                    admission.change(plan.cell, saved, -1)
                    made: Made = value
                    for rel, text in made.files.items():
                        runlog.write_atomic(plan.out_dir / rel, text)
                    seeds = plan.pending[made.variant]
                    if made.generation.retryable:  # no rows: a re-run resumes the variant
                        why = made.generation.error or "the model could not be reached"
                        unreachable[f"{plan.cell.name}/{made.variant}"] = why
                        cell_done(plan, len(seeds))
                        continue
                    light = dataclasses.replace(made, files={})
                    for seed in seeds:
                        h = executor.submit(run_seed, plan.cell, plan.identity, light, seed)
                        running[h] = ("row", None)
                else:
                    name, row = value
                    plan = by_name[name]
                    plan.log.append(row)
                    new_rows += 1
                    done += 1
                    if on_row:
                        on_row(name, row)
                    if progress:
                        progress(done, total)
                    cell_done(plan, 1)
            submit_generations()
    except BaseException:  # an interrupt or a failure: start nothing new; rows so far stay
        executor.cancel(list(running))
        raise
    finally:
        executor.close()
    ran = [p.cell.name for p in todo]
    for plan in todo:  # a cell with an unreachable variant still gets its partial summary
        if plan.outstanding:
            finish_cell(plan)
    for plan in plans:
        if not (plan.out_dir / "summary.json").is_file():
            finish_cell(plan)
    return SweepResult(plans, ran, skipped, new_rows, unreachable,
                       round(time.monotonic() - started, 3))  # fmt: skip
