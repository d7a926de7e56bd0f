"""End to end against a real llama.cpp server with a small model: structure only (its
answers are poor; never assert on wording)."""

from __future__ import annotations

import ast
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
def test_cli_synthesize_and_one_variant_eval_at_default_settings(
    llama_server: str, tmp_path: Path
) -> None:
    """The README's commands against a one-slot local server, with no tuned time-out,
    retry or concurrency: both finish, and the eval writes its row."""
    env = {**os.environ, "OPENAI_API_KEY": "x", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    demo = ROOT / "data/robotouille/demos/cook-patty.json"
    model = ["--model", "gemma", "--base-url", llama_server]
    synth = subprocess.run(
        [sys.executable, "-m", "demo2code.cli", "synthesize", str(demo), *model,
         "--out", str(tmp_path / "prog.py")],
        capture_output=True, text=True, env=env, timeout=900,
    )  # fmt: skip
    assert synth.returncode in (0, 1), synth.stderr[-2000:]
    assert "Traceback" not in synth.stderr
    run = tmp_path / "run"
    done = subprocess.run(
        [sys.executable, "-m", "demo2code.cli", "eval", "--benchmark", "robotouille",
         "--method", "demo2code", "--tasks", "cook-patty", "--seeds", "0", *model,
         "--out", str(run)],
        capture_output=True, text=True, env=env, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    rows = (run / "results.jsonl").read_text().splitlines()
    assert len(rows) == 1
    assert "model:" not in done.stdout  # live lines go to stderr only
