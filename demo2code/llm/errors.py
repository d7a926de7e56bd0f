"""Errors of the model layer, importable without the `openai` package."""

from __future__ import annotations

from typing import Literal

from demo2code.errors import Demo2CodeError

# What went wrong, so callers can say what to do: only "failed" (5xx, 429, dropped or
# unreadable answers after every retry) and "unreachable" may pass by themselves, so only
# they are worth resuming with the same settings.
ErrorKind = Literal["unreachable", "slow", "auth", "unknown_model", "rejected", "failed", "cache"]
RESUMABLE_KINDS: frozenset[str] = frozenset({"unreachable", "failed"})


class ModelError(Demo2CodeError):
    """A model call that could not be completed; the message is one line naming the endpoint
    and what the user can do about it."""

    def __init__(self, message: str, kind: ErrorKind = "failed"):
        super().__init__(message)
        self.kind: ErrorKind = kind

    @property
    def resumable(self) -> bool:
        """Running the same command again may succeed (the server was down or failing)."""
        return self.kind in RESUMABLE_KINDS


class CacheMiss(ModelError):
    """`--cache only` was asked for and the request has no cached answer."""

    def __init__(self, message: str):
        super().__init__(message, "cache")


# Phrases that only the messages of non-resumable kinds hold (see `ChatClient`'s messages in
# demo2code/llm/client.py): `eval` keeps only the message text of a failed generation, and
# suggests running again only when none of these is in it.
RESUME_HINTS = (
    "allow more time with --timeout",
    "refused the API key",
    "pick one with --model",
    "check --model",
    "model call rejected by",
)
