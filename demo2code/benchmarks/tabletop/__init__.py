"""Tabletop benchmark: blocks and cylinders on a PyBullet table (docs/architecture.md#tabletop)."""

from __future__ import annotations

from typing import Any

__all__ = ["TabletopBenchmark", "make_demo", "run_reference"]


def __getattr__(name: str) -> Any:
    # Lazy, so that `demo2code --help` and the other benchmarks never load PyBullet.
    if name in __all__:
        from demo2code.benchmarks.tabletop import benchmark

        return getattr(benchmark, name)
    raise AttributeError(name)
