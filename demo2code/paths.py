"""Where the project's data and prompts live, in a source checkout or an installed wheel."""

from __future__ import annotations

import os
from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _locate(name: str) -> Path:
    installed = _PKG / name  # wheel: force-included next to the package
    return installed if installed.is_dir() else _PKG.parent / name


def data_dir() -> Path:
    """`DEMO2CODE_DATA` overrides, so users can point the tool at their own task catalogue."""
    return Path(os.environ["DEMO2CODE_DATA"]) if "DEMO2CODE_DATA" in os.environ else _locate("data")


def prompts_dir() -> Path:
    return _locate("prompts")
