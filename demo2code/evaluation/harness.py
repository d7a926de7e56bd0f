"""`evaluate`: every selected variant's program on every seed, into a resumable run dir.

Per variant, one worker thread makes (or reloads) the program once, scores BLEU and
CodeBLEU once, then runs each pending seed in the sandbox (each thread has its own fork
server, so `workers` programs run at a time) and appends one row per seed. The episodes'
simulators run here, in the trusted process, answering the programs' calls.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from demo2code.benchmarks import get_benchmark
from demo2code.benchmarks.base import Benchmark, TaskVariant, default_tasks
from demo2code.errors import UnknownName
from demo2code.evaluation import runlog
from demo2code.evaluation.episodes import EpisodeResult, run_episode
from demo2code.evaluation.generation import REFERENCE, Generation, generate, sha256
from demo2code.evaluation.metrics import (
    BLEU_SETTINGS,
    CODEBLEU_SETTINGS,
    library_names,
    similarity,
    task_similarity,
)
from demo2code.evaluation.summary import generation_totals, summarize_rows
from demo2code.llm.config import ModelConfig
from demo2code.noise import NoiseSpec, format_noise
from demo2code.pipeline import Limits as PipelineLimits
from demo2code.reasoners.base import UnsupportedMethod
from demo2code.reasoners.symbolic import offline_refusal
from demo2code.sandbox import Limits, active_layers

GENERATION_FAILED = "generation_failed"  # row outcome when the method produced no program
Progress = Callable[[int, int], None]  # (episodes done, episodes in total)
RowSeen = Callable[[dict[str, Any]], None]  # each results row as it is written
_POLL_SECONDS = 0.1


def method_names() -> list[str]:
    from demo2code.pipeline import METHODS

    return [*METHODS, REFERENCE]


def check_method(method: str) -> None:
    names = method_names()
    if method not in names:
        raise UnknownName("--method", method, names)


@dataclass
class EvalResult:
    out_dir: Path
    summary: dict[str, Any]
    new_rows: int  # rows written by this call (0 when everything was already done)
    unreachable: dict[str, str] = field(default_factory=dict)  # variant -> model error
    corrupt_lines: list[int] = field(default_factory=list)  # results.jsonl lines set aside


@dataclass
class _Job:
    task: TaskVariant
    seeds: list[int]


class _Shared:
    """What the worker threads share: the log, the stop flag and the progress count."""

    def __init__(
        self,
        log: runlog.ResultsLog,
        done: int,
        total: int,
        progress: Progress | None,
        on_row: RowSeen | None = None,
    ):
        self.log, self.done, self.total, self.progress = log, done, total, progress
        self.on_row = on_row
        self.stop = threading.Event()
        self.written = 0
        self.unreachable: dict[str, str] = {}
        self._lock = threading.Lock()

    def unreached(self, variant: str, error: str) -> None:
        with self._lock:
            self.unreachable[variant] = error

    def add(self, row: dict[str, Any]) -> None:
        self.log.append(row)
        with self._lock:
            self.done += 1
            self.written += 1
            done = self.done
        if self.on_row:
            self.on_row(row)
        if self.progress:
            self.progress(done, self.total)


def evaluate(
    benchmark: str | Benchmark,
    method: str,
    out_dir: Path,
    *,
    config: ModelConfig | None = None,
    tasks: Sequence[TaskVariant] | None = None,
    seeds: Sequence[int] | None = None,
    noise: Sequence[NoiseSpec] = (),
    noise_seed: int = 0,
    workers: int = 1,
    limits: Limits | None = None,
    concurrency: int = 4,
    progress: Progress | None = None,
    pipeline_limits: PipelineLimits | None = None,
    isolation: str = "best",
    on_row: RowSeen | None = None,
    repair: int = 0,
) -> EvalResult:
    """Evaluate `method` on `tasks` (default: the test split) x `seeds` (default: each
    variant's own), resuming whatever `out_dir` already holds. Returns the summary.
    `repair` > 0: each program is checked against its own demonstrations and repaired up
    to `repair` rounds; rows then also say how the program before repair did."""
    started = time.monotonic()
    bench = get_benchmark(benchmark) if isinstance(benchmark, str) else benchmark
    check_method(method)
    config = config or ModelConfig()
    refusal = offline_refusal(method) if config.offline else None
    if refusal is not None:
        raise UnsupportedMethod(refusal)
    limits = limits or Limits()
    active_layers(strict=isolation == "strict")  # refuse before any work, not per episode
    noise = list(noise)
    chosen = list(tasks) if tasks is not None else default_tasks(bench)
    seed_map = {t.id: list(seeds) if seeds is not None else list(t.seeds) for t in chosen}
    if repair < 0:
        raise ValueError("repair must be 0 or more")
    repair = 0 if method == REFERENCE else repair
    identity = run_identity(bench.name, method, config, noise, noise_seed)
    if repair:  # only then, so runs made before --repair existed still resume with 0
        identity["repair"] = repair
    out_dir = Path(out_dir)
    runlog.check_run_config(out_dir, identity)
    log = runlog.ResultsLog(out_dir / runlog.RESULTS_FILE, runlog.ROW_KEYS)
    finished = {(r["variant"], r["seed"]) for r in log.read()}
    jobs = [_Job(t, [s for s in seed_map[t.id] if (t.id, s) not in finished]) for t in chosen]
    jobs = [j for j in jobs if j.seeds]
    total = sum(len(s) for s in seed_map.values())
    shared = _Shared(log, total - sum(len(j.seeds) for j in jobs), total, progress, on_row)
    if progress:
        progress(shared.done, total)

    def work(job: _Job) -> None:
        _run_job(
            bench,
            method,
            config,
            out_dir,
            noise,
            noise_seed,
            limits,
            concurrency,
            pipeline_limits,
            identity,
            job,
            shared,
            isolation,
            repair,
        )

    with _sigterm_as_interrupt():
        _run_all(jobs, work, max(1, workers), shared)
    summary = run_summary(out_dir, identity, limits, seeds, log.read(), chosen, seed_map, started)
    write_outputs(out_dir, summary)
    return EvalResult(
        out_dir, summary, shared.written, dict(shared.unreachable), list(log.set_aside)
    )


def run_summary(
    out_dir: Path,
    identity: dict[str, Any],
    limits: Limits,
    seeds: Sequence[int] | None,
    rows: list[dict[str, Any]],
    chosen: Sequence[TaskVariant],
    seed_map: dict[str, list[int]],
    started: float,
) -> dict[str, Any]:
    """summary.json of a run from its rows and saved generations (also used by `sweep`,
    whose driver writes each cell's run directory the way `evaluate` does)."""
    return {
        **identity,
        "settings": {
            "bleu": BLEU_SETTINGS,
            "codebleu": CODEBLEU_SETTINGS,
            # bleu_task/codebleu_task: both sides without these library functions
            "task_code": {
                "library": f"data/{identity['benchmark']}/skills.py",
                "functions_taken_out": sorted(library_names(identity["benchmark"])),
            },
            "sandbox_limits": asdict(limits),
            "seeds": list(seeds) if seeds is not None else "per variant",
        },
        **summarize_rows(rows, chosen, seed_map),
        "generation": generation_totals(
            record
            for record in (runlog.load_generation(out_dir, t.id) for t in chosen)
            if record is not None
        ),
        "timing": {"wall_seconds": round(time.monotonic() - started, 3)},
    }


def run_identity(
    benchmark: str, method: str, config: ModelConfig, noise: list[NoiseSpec], noise_seed: int
) -> dict[str, Any]:
    """What defines a run (and must match to resume one). The reference method uses no
    model, so none is recorded for it."""
    return {
        "benchmark": benchmark,
        "method": method,
        "model": None if method == REFERENCE else config.model,
        "noise": format_noise(noise),
        "noise_seed": noise_seed if noise else None,
        # sampling settings change what a model writes; they are part of what a run is
        "temperature": None if method == REFERENCE or config.offline else config.temperature,
        "max_tokens": None if method == REFERENCE or config.offline else config.max_tokens,
    }


def write_outputs(out_dir: Path, summary: dict[str, Any]) -> None:
    """summary.json, results.md and the plots: all derived from the rows, rewritten."""
    import json

    from demo2code.evaluation.plots import write_plots
    from demo2code.evaluation.report import run_markdown

    runlog.write_atomic(out_dir / "summary.json", json.dumps(summary, indent=1) + "\n")
    runlog.write_atomic(out_dir / "results.md", run_markdown(summary))
    write_plots(summary, out_dir / "plots")


def _run_all(jobs: list[_Job], work: Callable[[_Job], None], workers: int, shared: _Shared) -> None:
    """Run jobs on `workers` threads. On an interrupt or a failure, no new episode starts;
    episodes already running finish and are written; then the error propagates."""
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="eval")
    futures: list[Future[None]] = [pool.submit(work, job) for job in jobs]
    try:
        pending: set[Future[None]] = set(futures)
        while pending:
            # Wake up often: a signal delivered to a worker thread only runs its Python
            # handler (KeyboardInterrupt) once the main thread gets back to bytecode.
            done, pending = wait(pending, timeout=_POLL_SECONDS, return_when=FIRST_EXCEPTION)
            for future in done:
                future.result()  # re-raise the first failure
    except BaseException:
        shared.stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _run_job(
    bench: Benchmark,
    method: str,
    config: ModelConfig,
    out_dir: Path,
    noise: list[NoiseSpec],
    noise_seed: int,
    limits: Limits,
    concurrency: int,
    pipeline_limits: PipelineLimits | None,
    identity: dict[str, Any],
    job: _Job,
    shared: _Shared,
    isolation: str = "best",
    repair: int = 0,
) -> None:
    if shared.stop.is_set():
        return
    task = job.task
    gen = generate(
        bench, task, method, config, out_dir, noise, noise_seed, concurrency, pipeline_limits,
        repair,
    )  # fmt: skip
    if gen.retryable:  # no rows: the variant stays to do, and a re-run resumes it
        shared.unreached(task.id, gen.error or "the model could not be reached")
        return
    scores = program_scores(bench, task, gen.program)
    for seed in job.seeds:
        if shared.stop.is_set():
            return
        shared.add(episode_row(bench, task, seed, gen, scores, identity, limits, isolation, repair))


def program_scores(bench: Benchmark, task: TaskVariant, program: str | None) -> dict[str, float]:
    """BLEU and CodeBLEU of a variant's one program, whole and task code only."""
    reference = bench.reference_code(task)
    scores = similarity(program, reference)
    return scores | task_similarity(program, reference, library_names(bench.name))


def episode_row(
    bench: Benchmark,
    task: TaskVariant,
    seed: int,
    gen: Generation,
    scores: dict[str, float],
    identity: dict[str, Any],
    limits: Limits,
    isolation: str = "best",
    repair: int = 0,
) -> dict[str, Any]:
    """Run one seed of a generated program in the sandbox and make its results row (also
    what a `sweep` worker runs, so its rows are made exactly as `eval` makes them)."""
    if gen.program is None:
        result = EpisodeResult(
            GENERATION_FAILED, False, gen.error or "", None, (f"no program: {gen.error}",)
        )
    else:
        result = run_episode(bench, task, seed, gen.program, limits, isolation)
    row = make_row(identity, task, seed, gen, result, scores)
    if repair:
        before = result
        if gen.first_program is not None:  # repair changed it: how did the first do?
            before = run_episode(bench, task, seed, gen.first_program, limits, isolation)
        row.update(repair_fields(gen, before))
    return row


def make_row(
    identity: dict[str, Any],
    task: TaskVariant,
    seed: int,
    gen: Generation,
    result: EpisodeResult,
    scores: dict[str, float],
) -> dict[str, Any]:
    """One results.jsonl row: ids, hashes, outcome, verdict, scores, cost, timings."""
    return {
        "benchmark": identity["benchmark"],
        "method": identity["method"],
        "model": identity["model"],
        "variant": task.id,
        "family": task.family,
        "seed": seed,
        "code_sha256": gen.code_sha256,
        "inputs_sha256": gen.inputs_sha256,
        "outcome": result.outcome,
        "message": result.message,
        "line": result.line,
        "executed": result.executed,
        "passed": result.passed,
        "reasons": list(result.reasons),
        "failed_subgoal": None if result.passed else (result.reasons or (None,))[-1],
        "bleu": scores["bleu"],
        "codebleu": scores["codebleu"],
        "bleu_task": scores.get("bleu_task"),
        "codebleu_task": scores.get("codebleu_task"),
        "calls": gen.calls,
        "prompt_tokens": gen.prompt_tokens,
        "completion_tokens": gen.completion_tokens,
        "tokens": gen.prompt_tokens + gen.completion_tokens,
        "latency_s": gen.latency_s,
        "generation_seconds": gen.seconds,
        "run_seconds": result.seconds,
        "isolation": list(result.isolation),
    } | ({"codebleu_notes": scores["codebleu_notes"]} if scores.get("codebleu_notes") else {})


def repair_fields(gen: Generation, before: EpisodeResult) -> dict[str, Any]:
    """The row's closed-loop columns: did the program agree with its own demonstrations
    before repair, how many rounds were used and what they cost, and whether the program
    before repair passed this seed (the "without repair" column)."""
    log = gen.repair or {}
    return {
        "self_check": log.get("self_check"),
        "self_check_after": log.get("agrees"),
        "first_disagreement": log.get("first_disagreement"),
        "repairs": log.get("repairs", 0),
        "repair_stopped": log.get("stopped"),
        "repair_calls": log.get("calls", 0),
        "repair_tokens": log.get("prompt_tokens", 0) + log.get("completion_tokens", 0),
        "passed_before_repair": before.passed,
        "first_code_sha256": None if gen.first_program is None else sha256(gen.first_program),
    }


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM stops the run like Ctrl-C (finished rows stay, running episodes finish)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
