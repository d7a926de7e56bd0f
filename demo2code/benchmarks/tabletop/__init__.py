"""Tabletop benchmark: blocks and cylinders on a PyBullet table (DESIGN §6)."""

from demo2code.benchmarks.tabletop.benchmark import (
    TabletopBenchmark,
    generate_demos,
    make_demo,
    run_reference,
)

__all__ = ["TabletopBenchmark", "generate_demos", "make_demo", "run_reference"]
