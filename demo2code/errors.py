"""User-facing errors: one line naming the file, field or option and what was expected."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class Demo2CodeError(Exception):
    """Base class; the CLI prints `str(err)` on one line and exits non-zero."""


class InputError(Demo2CodeError):
    """A malformed file: names the file, the field (or line) and what was expected."""

    def __init__(self, source: str, where: str, expected: str):
        self.source, self.where, self.expected = source, where, expected
        super().__init__(f"{source}: {where}: {expected}")


class UnknownName(Demo2CodeError):
    """A mistyped benchmark, task, method or option value; suggests the closest names."""

    def __init__(self, kind: str, name: str, choices: Iterable[str]):
        choices = sorted(choices)
        close = difflib.get_close_matches(name, choices, n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        shown = ", ".join(choices[:40]) + (", ..." if len(choices) > 40 else "")
        super().__init__(f"unknown {kind} {name!r}.{hint} Expected one of: {shown}")
        self.kind, self.name = kind, name
