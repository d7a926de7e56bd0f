"""EPIC-Kitchens dish washing: narration import, a symbolic kitchen, per-person checks."""

from __future__ import annotations

from typing import Any

__all__ = ["EpicBenchmark"]


def __getattr__(name: str) -> Any:
    # Lazy, so `import_video` and the simulator load without the task catalogue.
    if name == "EpicBenchmark":
        from demo2code.benchmarks.epic.benchmark import EpicBenchmark

        return EpicBenchmark
    raise AttributeError(name)
