"""One real completion from a real local OpenAI-compatible server (llama.cpp + Gemma 270M).
The model is tiny: assert on the shape of the answer, never on its wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from demo2code.llm.client import ChatClient
from demo2code.llm.config import ModelConfig
from demo2code.llm.transcript import Transcript, read_transcript


@pytest.mark.slow
def test_real_completion_from_llama_server(llama_server: str, tmp_path: Path) -> None:
    config = ModelConfig.from_options(
        model="gemma-3-270m",
        base_url=llama_server,
        cache="use",
        cache_dir=tmp_path / "cache",
        max_tokens=24,
        timeout=120,
        max_retries=1,
        env={},
    )
    messages = [{"role": "user", "content": "Name one kitchen tool."}]
    with ChatClient(config, Transcript(tmp_path / "t.jsonl")) as client:
        first = client.complete(messages, "smoke")
        again = client.complete(messages, "smoke")
    assert isinstance(first.text, str) and first.text.strip()
    assert first.usage_reported and not first.cached
    assert first.prompt_tokens > 0 and 0 < first.completion_tokens <= 24
    assert first.latency_s > 0
    assert again.cached and again.text == first.text
    rows = read_transcript(tmp_path / "t.jsonl")
    assert [row["cache_hit"] for row in rows] == [False, True]
