"""Benchmarks behind one protocol (see `base.py`); look them up with `get_benchmark`."""

from demo2code.benchmarks.registry import BENCHMARKS, get_benchmark

__all__ = ["BENCHMARKS", "get_benchmark"]
