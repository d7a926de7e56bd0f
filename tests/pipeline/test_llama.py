"""End to end against a real llama.cpp server with a small model: structure only (its
answers are poor; never assert on wording)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from demo2code.llm.client import ChatClient
from demo2code.llm.config import ModelConfig
from demo2code.pipeline import Limits, synthesize
from demo2code.reasoners.prompted import STAGES, PromptedReasoner
from tests.pipeline.conftest import CTX, make_demo

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_demo2code_end_to_end_on_llama_cpp(llama_server: str) -> None:
    config = ModelConfig(
        model="gemma", base_url=llama_server, api_key="x", cache_mode="off",
        max_tokens=256,
    )  # fmt: skip
    demo = make_demo(n_scenarios=2, n_steps=3)
    with ChatClient(config) as client:
        reasoner = PromptedReasoner(client)
        limits = Limits(summary_depth=2, expand_depth=2)
        result = synthesize("demo2code", demo, None, None, CTX, reasoner, limits=limits)
    assert result.records, "at least one stage ran"
    assert all(r.stage in STAGES for r in result.records)
    assert all(r.calls >= 1 and r.prompt_tokens > 0 for r in result.records if not r.error)
    if result.failed:
        assert result.error and result.program is None
    else:
        ast.parse(result.program or "")
        assert result.spec is not None and len(result.summaries) == 2


@pytest.mark.slow
def test_cli_synthesize_then_one_variant_eval_at_default_settings(
    llama_server: str, tmp_path: Path
) -> None:
    """The README's model commands against a one-slot local llama.cpp server, with no
    tuned time-out, retry, token or concurrency option. `eval` asks the same questions
    about the same demonstration, so the answer cache `synthesize` filled serves it: the
    model work is done once (demo2code/llm/cache.py keys on the request, not the command)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_MODEL_ENV)}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")  # the default cache, in this test only
    model = ["--model", "gemma", "--base-url", llama_server]
    synth = _cli(env, "synthesize", str(COOK_PATTY), *model, "--json")
    assert synth.returncode in (0, 1), synth.stderr[-2000:]
    assert "Traceback" not in synth.stderr
    record = json.loads(synth.stdout)
    usage = record["model_totals"]
    assert usage["calls"] >= 1 and usage["failed"] == 0, usage
    # No time-out storm (every call retried until it gives up): the adaptive gate learns
    # in one round that the server answers one request at a time (demo2code/llm/gate.py).
    assert usage["retries"] < usage["calls"], usage
    assert "no complete answer" not in synth.stderr
    if synth.returncode == 1:  # the tiny model's answer was unusable: said in one line
        assert record["failed"] and record["error"]
        assert synth.stderr.rstrip().splitlines()[-1].startswith("error: ")

    run = tmp_path / "run"
    done = _cli(
        env, "eval", "--benchmark", "robotouille", "--method", "demo2code",
        "--tasks", "cook-patty", "--seeds", "0", *model, "--out", str(run),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    rows = [json.loads(line) for line in (run / "results.jsonl").read_text().splitlines()]
    assert len(rows) == 1 and rows[0]["variant"] == "cook-patty"
    for live in ("waiting for the model", "model: "):  # live lines and totals: stderr only
        assert live not in done.stdout and live not in synth.stdout


_MODEL_ENV = ("OPENAI_", "DEMO2CODE_")
COOK_PATTY = ROOT / "data" / "robotouille" / "demos" / "cook-patty.json"


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`demo2code ARGS` in a child process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "demo2code.cli", *args],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=1500,
    )  # fmt: skip
