"""The result of one model call, importable without the `openai` package."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Completion:
    """One answer. Token counts come from the server's usage block when it sent one
    (`usage_reported`), else from tiktoken. `latency_s` is the caller's wait, retries
    included."""

    text: str
    prompt_tokens: int
    completion_tokens: int
    latency_s: float
    cached: bool
    usage_reported: bool
