"""`eval --noise-seeds`: one real run per noise seed, combined; resumed seed by seed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from demo2code.benchmarks import get_benchmark
from demo2code.errors import InputError
from demo2code.evaluation import evaluate
from demo2code.evaluation.noise_seeds import evaluate_noise_seeds, seed_dir
from demo2code.evaluation.options import noise_seed_list
from demo2code.evaluation.report import run_markdown
from demo2code.evaluation.summary import METRICS
from demo2code.noise import NoiseSpec
from demo2code.reasoners.base import UnsupportedMethod

BENCH = get_benchmark("robotouille")
TASKS = [BENCH.task("cheese-burger"), BENCH.task("cook-patty")]
NOISE = [NoiseSpec.parse("drop-state=0.3")]


def run(out: Path, seeds: list[int], tasks=TASKS):
    return evaluate_noise_seeds(
        "robotouille", "demo2code", out, noise=NOISE, noise_seeds=seeds, tasks=tasks, seeds=[0]
    )


def test_one_run_per_noise_seed_combined_and_resumed_per_seed(tmp_path: Path) -> None:
    out = tmp_path / "noisy"
    first = run(out, [0, 2])
    assert first.new_rows == 2 * len(TASKS)
    s = first.summary
    assert s["noise_seeds"] == [0, 2] and s["noise_seed"] is None
    for seed in (0, 2):  # each seed is an ordinary run with its own identity
        own = json.loads((seed_dir(out, seed) / "summary.json").read_text())
        assert own["noise_seed"] == seed and own["noise"] == "drop-state=0.3"
        assert s["by_noise_seed"][str(seed)]["overall"] == own["overall"]
    for m in METRICS:  # the spread is over the seeds' own overall figures
        values = [s["by_noise_seed"][k]["overall"][m] for k in ("0", "2")]
        assert s["noise_spread"]["overall"][m]["min"] == min(values)
        assert s["noise_spread"]["overall"][m]["max"] == max(values)
    assert s["episodes"] == 2 * len(TASKS) and s["complete"]
    task_code = s["settings"]["task_code"]  # what the task scores left out, by name
    assert task_code["library"] == "data/robotouille/skills.py"
    assert "move_to" in task_code["functions_taken_out"]
    assert json.loads((out / "summary.json").read_text())["noise_seeds"] == [0, 2]
    assert "noise seeds 0, 2" in (out / "results.md").read_text()
    # resume: seeds 0 and 2 are done; only seed 1 runs
    again = run(out, [0, 1, 2])
    assert again.new_rows == len(TASKS)
    assert again.summary["noise_seeds"] == [0, 1, 2]
    assert list(again.summary["by_noise_seed"]) == ["0", "1", "2"]


def test_a_combined_dir_and_a_single_seed_run_do_not_mix(tmp_path: Path) -> None:
    out = tmp_path / "noisy"
    run(out, [0, 1], TASKS[:1])
    with pytest.raises(InputError, match="noise_seed"):
        evaluate("robotouille", "demo2code", out, noise=NOISE, noise_seed=0, tasks=TASKS[:1])
    single = tmp_path / "single"
    evaluate("robotouille", "demo2code", single, noise=NOISE, noise_seed=3, tasks=TASKS[:1],
             seeds=[0])  # fmt: skip
    with pytest.raises(InputError, match="noise_seed"):
        run(single, [0, 1], TASKS[:1])


def test_noise_seeds_need_noise_and_exclude_noise_seed() -> None:
    with pytest.raises(InputError, match="--noise-seeds"):
        evaluate_noise_seeds("robotouille", "demo2code", Path("unused"), noise=[],
                             noise_seeds=[0, 1])  # fmt: skip
    assert noise_seed_list(None, None) == [0] and noise_seed_list(4, None) == [4]
    assert noise_seed_list(None, "0-2,7") == [0, 1, 2, 7]
    with pytest.raises(InputError, match="--noise-seed"):
        noise_seed_list(1, "0-4")
    with pytest.raises(InputError, match="--noise-seeds"):
        noise_seed_list(None, "4-0")


@pytest.mark.parametrize("method", ["nocot", "1step", "2steps", "demonolang2code"])
def test_ablations_are_refused_offline_in_one_line(method: str, tmp_path: Path) -> None:
    with pytest.raises(UnsupportedMethod) as err:
        evaluate("robotouille", method, tmp_path / "x", tasks=TASKS[:1])
    assert "--model" in str(err.value) and "\n" not in str(err.value)
    assert not (tmp_path / "x").exists()  # refused before any work


@pytest.mark.parametrize("method", ["nocot", "demonolang2code", "lang2code"])
def test_synthesize_refuses_offline_what_eval_refuses(method: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    demo = Path(__file__).resolve().parents[2] / "data/robotouille/demos/cook-patty.json"
    done = subprocess.run(
        [sys.executable, "-m", "demo2code.cli", "synthesize", str(demo), "--method", method,
         "--out", str(tmp_path / "p.py")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2 and not (tmp_path / "p.py").exists()
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and f"--method {method}" in lines[0] and "--model" in lines[0]


def test_a_run_with_no_episode_shows_n_a_not_zero(tmp_path: Path) -> None:
    from demo2code.evaluation.summary import summarize_rows

    empty = {"benchmark": "robotouille", "method": "demo2code", "model": "symbolic",
             "noise": "", **summarize_rows([], TASKS, {t.id: [0] for t in TASKS})}  # fmt: skip
    text = run_markdown(empty)
    overall = next(ln for ln in text.splitlines() if "overall (mean over variants)" in ln)
    assert overall.count("n/a") == len(METRICS) and "0.00" not in overall
    assert json.loads(json.dumps(empty))["overall"]["pass"] is None  # null in summary.json
