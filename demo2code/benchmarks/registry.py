"""Benchmark registration as plain data: name -> "module:Class"."""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING

from demo2code.errors import UnknownName

if TYPE_CHECKING:
    from demo2code.benchmarks.base import Benchmark

BENCHMARKS: dict[str, str] = {
    "robotouille": "demo2code.benchmarks.robotouille:RobotouilleBenchmark",
    "tabletop": "demo2code.benchmarks.tabletop:TabletopBenchmark",
    "epic": "demo2code.benchmarks.epic:EpicBenchmark",
}


@cache
def get_benchmark(name: str) -> Benchmark:
    """Instantiate a benchmark once per process; typos get a did-you-mean."""
    if name not in BENCHMARKS:
        raise UnknownName("benchmark", name, BENCHMARKS)
    module_name, class_name = BENCHMARKS[name].split(":")
    return getattr(importlib.import_module(module_name), class_name)()
