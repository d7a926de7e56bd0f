"""Text that came from a program, made safe to show and to store.

A program controls its error messages, printed output and the arguments recorded in its
trace. Before any of it reaches a terminal, a JSONL row or a report it is cut to a length
and stripped of control characters, so it can neither flood a results file nor paint
"unit test: passed" on the user's screen with escape sequences.
"""

from __future__ import annotations

import re

MAX_FIELD_CHARS = 500  # one message, reason or recorded call
MAX_REASONS = 20
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\n\t]")


def clean_field(text: object, limit: int = MAX_FIELD_CHARS) -> str:
    """One line: control characters and line breaks become spaces or go, then the cap."""
    value = text if isinstance(text, str) else str(text)
    value = _CONTROL.sub("", _LINE_BREAKS.sub(" ", value[: limit * 4]))
    return _cap(value, limit)


def clean_block(text: str, limit: int) -> str:
    """Printed output: keeps newlines and tabs, drops other control characters."""
    return _CONTROL.sub("", text[: limit * 4])[:limit]


def clean_reasons(reasons: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    kept = tuple(clean_field(r) for r in list(reasons)[:MAX_REASONS])
    if len(reasons) > MAX_REASONS:
        kept += (f"... and {len(reasons) - MAX_REASONS} more",)
    return kept


def _cap(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
