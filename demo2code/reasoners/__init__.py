"""Reasoners answer the pipeline's stages: `make_reasoner` picks one from the model config."""

from __future__ import annotations

from pathlib import Path

from demo2code.llm.config import ModelConfig
from demo2code.llm.transcript import Transcript
from demo2code.reasoners.base import (
    GenerationFailed,
    Reasoner,
    StageAnswer,
    StageContext,
    UnsupportedMethod,
)


def make_reasoner(
    config: ModelConfig,
    *,
    transcript: Transcript | None = None,
    prompts_root: Path | None = None,
) -> Reasoner:
    """`symbolic` -> the offline rules; any other model -> the prompted reasoner over a
    `ChatClient` (imported lazily, so the offline path never loads the openai package)."""
    if config.offline:
        from demo2code.reasoners.symbolic import SymbolicReasoner

        return SymbolicReasoner()
    from demo2code.llm.client import ChatClient
    from demo2code.reasoners.prompted import PromptedReasoner

    return PromptedReasoner(ChatClient(config, transcript), prompts_root)


__all__ = [
    "GenerationFailed",
    "Reasoner",
    "StageAnswer",
    "StageContext",
    "UnsupportedMethod",
    "make_reasoner",
]
