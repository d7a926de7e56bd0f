"""The task catalogue (data/tabletop/tasks.json) as TaskVariants, validated on load."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from demo2code.benchmarks.base import TaskVariant
from demo2code.errors import InputError
from demo2code.paths import benchmark_data

CHECK_KINDS = {"fact", "any_fact", "directly_on", "only_moved", "one_stack", "stacks", "two_stacks"}


def catalogue_path() -> Path:
    return benchmark_data("tabletop") / "tasks.json"


def _variant(raw: Any, src: str, i: int) -> TaskVariant:
    where = f"tasks[{i}]"
    if not isinstance(raw, dict):
        raise InputError(src, where, "expected an object")
    for key, kind in [("id", str), ("family", str), ("instruction", str), ("spec", str),
                      ("split", str), ("scene", dict), ("checks", list)]:  # fmt: skip
        if not isinstance(raw.get(key), kind):
            raise InputError(src, f"{where}.{key}", f"expected {kind.__name__}")
    if raw["split"] not in ("test", "train"):
        raise InputError(src, f"{where}.split", "expected 'test' or 'train'")
    for j, check in enumerate(raw["checks"]):
        if not isinstance(check, dict) or check.get("kind") not in CHECK_KINDS:
            raise InputError(
                src, f"{where}.checks[{j}].kind", f"expected one of {sorted(CHECK_KINDS)}"
            )
    seeds = raw.get("seeds", list(range(10)))
    demo_seeds = raw.get("demo_seeds", [100, 101])
    for key, value in (("seeds", seeds), ("demo_seeds", demo_seeds)):
        if not isinstance(value, list) or not all(isinstance(s, int) for s in value):
            raise InputError(src, f"{where}.{key}", "expected a list of integers")
    data = {k: raw[k] for k in ("scene", "checks")} | {"params": raw.get("params", {})}
    return TaskVariant(
        id=raw["id"], family=raw["family"], instruction=raw["instruction"], spec=raw["spec"],
        split=raw["split"], seeds=tuple(seeds), demo_seeds=tuple(demo_seeds), data=data,
    )  # fmt: skip


@cache
def _load(path: Path) -> tuple[TaskVariant, ...]:
    src = str(path)
    try:
        raw = json.loads(path.read_text())
    except FileNotFoundError:
        raise InputError(src, "file", "not found") from None
    except json.JSONDecodeError as err:
        raise InputError(src, f"line {err.lineno}", f"invalid JSON ({err.msg})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("tasks"), list):
        raise InputError(src, "tasks", "expected a list of task variants")
    variants = tuple(_variant(t, src, i) for i, t in enumerate(raw["tasks"]))
    ids = [v.id for v in variants]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise InputError(src, "tasks", f"duplicate ids {dupes}")
    return variants


def load_tasks() -> tuple[TaskVariant, ...]:
    return _load(catalogue_path())
