"""Where the project's data and prompts live, in a source checkout or an installed wheel."""

from __future__ import annotations

import os
from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _locate(name: str) -> Path:
    installed = _PKG / name  # wheel: force-included next to the package
    return installed if installed.is_dir() else _PKG.parent / name


def packaged_data_dir() -> Path:
    """The data shipped with the tool: skill libraries and API references live here."""
    return _locate("data")


def data_dir() -> Path:
    """The root of the task catalogues: `DEMO2CODE_DATA` when set, else the shipped data."""
    return Path(os.environ["DEMO2CODE_DATA"]) if "DEMO2CODE_DATA" in os.environ else _locate("data")


def benchmark_data(name: str) -> Path:
    """One benchmark's catalogue: the user's own under `DEMO2CODE_DATA/<name>` if there is
    one, so a catalogue of one benchmark does not hide the others."""
    override = data_dir() / name
    return override if override.is_dir() else packaged_data_dir() / name


def prompts_dir() -> Path:
    return _locate("prompts")
