"""Model access: settings, an OpenAI-compatible client with retries, an answer cache,
token counting and transcripts.

`ChatClient` is loaded on first use so that importing this package never imports `openai`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from demo2code.llm.completion import Completion
from demo2code.llm.config import ModelConfig
from demo2code.llm.errors import CacheMiss, ModelError
from demo2code.llm.transcript import Transcript

if TYPE_CHECKING:
    from demo2code.llm.client import ChatClient

__all__ = ["CacheMiss", "ChatClient", "Completion", "ModelConfig", "ModelError", "Transcript"]


def __getattr__(name: str) -> Any:
    if name == "ChatClient":
        from demo2code.llm.client import ChatClient

        return ChatClient
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
