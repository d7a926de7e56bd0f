"""End to end against a real llama.cpp server with a small model: structure only (its
answers are poor; never assert on wording)."""

from __future__ import annotations

import ast

import pytest

from demo2code.llm.client import ChatClient
from demo2code.llm.config import ModelConfig
from demo2code.pipeline import Limits, synthesize
from demo2code.reasoners.prompted import STAGES, PromptedReasoner
from tests.pipeline.conftest import CTX, make_demo


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
