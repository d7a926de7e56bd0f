"""Errors of the model layer, importable without the `openai` package."""

from __future__ import annotations

from demo2code.errors import Demo2CodeError


class ModelError(Demo2CodeError):
    """A model call that could not be completed; the message is one line naming the endpoint."""


class CacheMiss(ModelError):
    """`--cache only` was asked for and the request has no cached answer."""
