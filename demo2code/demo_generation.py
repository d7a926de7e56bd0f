"""Demonstrations are made, not hand-written: reference programs run on seeds outside the
test seeds. Regenerating them must reproduce the files on disk byte for byte."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from demo2code.benchmarks.base import Benchmark, TaskVariant


@dataclass
class GenerateResult:
    total: int = 0
    changed: list[Path] = field(default_factory=list)


def generate_demos(bench: Benchmark, tasks: list[TaskVariant], *, write: bool) -> GenerateResult:
    result = GenerateResult()
    for task in tasks:
        path = bench.demo_path(task)
        text = bench.make_demo(task).dumps()
        result.total += 1
        if not path.is_file() or path.read_text() != text:
            result.changed.append(path)
            if write:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".json.tmp")
                tmp.write_text(text)
                tmp.replace(path)
    return result
