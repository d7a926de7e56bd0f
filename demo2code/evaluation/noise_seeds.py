"""One evaluation per noise seed, combined: `eval --noise-seeds 0-4`.

Noise draws differ per seed (one seed of `drop-state=0.1` may lose nothing), so one seed's
figures say little. Each noise seed is an ordinary run in `OUT/noise-seed-<N>/` (its own
generation, rows and resume); `OUT/summary.json` averages them and gives each metric's mean,
min and max across the seeds as well as every seed's own overall figures (summary.py).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from demo2code.benchmarks.base import Benchmark
from demo2code.errors import InputError
from demo2code.evaluation import runlog
from demo2code.evaluation.harness import (
    EvalResult,
    Progress,
    evaluate,
    run_identity,
    write_outputs,
)
from demo2code.evaluation.summary import combine_seeds
from demo2code.llm.config import ModelConfig
from demo2code.noise import NoiseSpec

SEED_DIR = "noise-seed-{}"
PARTS = ("episodes", "complete", "overall", "overall_by_group", "groups", "variants")


def seed_dir(out_dir: Path, seed: int) -> Path:
    return Path(out_dir) / SEED_DIR.format(seed)


def evaluate_noise_seeds(
    benchmark: str | Benchmark,
    method: str,
    out_dir: Path,
    *,
    noise: Sequence[NoiseSpec],
    noise_seeds: Sequence[int],
    progress: Progress | None = None,
    **options: Any,
) -> EvalResult:
    """`evaluate` once per noise seed (each resumable on its own), then the combined
    summary in `out_dir`. Noise seeds without noise would be one run repeated: refused."""
    seeds = sorted(set(noise_seeds))
    if not noise:
        raise InputError("--noise-seeds", ",".join(map(str, seeds)), "a --noise to draw with")
    if len(seeds) == 1:
        return evaluate(
            benchmark, method, out_dir, noise=noise, noise_seed=seeds[0], progress=progress,
            **options,
        )  # fmt: skip
    started = time.monotonic()
    out_dir = Path(out_dir)
    name = benchmark if isinstance(benchmark, str) else benchmark.name
    config = options.get("config") or ModelConfig()
    identity = run_identity(name, method, config, list(noise), None)  # no one seed's run
    runlog.check_run_config(out_dir, identity)  # before any work, as a single run does
    results: dict[int, EvalResult] = {}
    offset = 0
    for seed in seeds:

        def step(done: int, total: int, before: int = offset) -> None:
            if progress:
                progress(before + done, total * len(seeds))

        result = evaluate(
            benchmark, method, seed_dir(out_dir, seed), noise=noise, noise_seed=seed,
            progress=step, **options,
        )  # fmt: skip
        results[seed] = result
        offset += result.summary["episodes"]
    first = results[seeds[0]].summary
    summary = {
        **identity,
        **({"repair": first["repair"]} if "repair" in first else {}),
        "noise_seeds": seeds,
        "noise_seed_dirs": {str(s): SEED_DIR.format(s) for s in seeds},
        "settings": first["settings"],
        **combine_seeds({s: {k: r.summary[k] for k in PARTS} for s, r in results.items()}),
        "generation": _generation(results.values()),
        "timing": {"wall_seconds": round(time.monotonic() - started, 3)},
    }
    write_outputs(out_dir, summary)
    return EvalResult(
        out_dir,
        summary,
        sum(r.new_rows for r in results.values()),
        {k: v for r in results.values() for k, v in r.unreachable.items()},
        [n for r in results.values() for n in r.corrupt_lines],
    )


def _generation(results: Any) -> dict[str, int]:
    """Model calls and tokens of all the seeds' generations together."""
    keys = ("calls", "prompt_tokens", "completion_tokens")
    return {k: sum(int(r.summary.get("generation", {}).get(k, 0)) for r in results) for k in keys}
