"""Robotouille behind the Benchmark protocol: tasks, levels per seed, episodes, unit tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from demo2code.benchmarks.base import TaskVariant, Verdict
from demo2code.benchmarks.trace_check import TraceTest, check_trace
from demo2code.demos import Change as DemoChange
from demo2code.demos import Demonstration, Scenario, Step, load_json
from demo2code.errors import InputError, UnknownName
from demo2code.paths import benchmark_data, packaged_data_dir
from demo2code.verify import run_trusted
from robotouille.api import KitchenAPI, shown_changes
from robotouille.env import KitchenEnv
from robotouille.generator import generate
from robotouille.kinds import kind_of
from robotouille.level import ENVIRONMENTS, Level, LevelError, load_level

STEP_LIMIT = 400
TASK_FIELDS = ("id", "family", "split", "environment", "instruction", "spec", "test")


# Perception functions: their answers depend only on the kitchen's state and change nothing,
# so the sandbox may answer a repeated one from its copy until the next other call
# (docs/sandbox.md, "Queries"). A function left out is simply always asked.
QUERIES = frozenset(
    {
        "get_all_obj_names_that_match_type",
        "get_all_location_names_that_match_type",
        "is_cut",
        "is_cooked",
        "is_fried",
        "is_cooking",
        "is_frying",
        "is_filled",
        "is_heating",
        "is_boiling",
        "is_simmering",
        "is_soup",
        "is_holding",
        "is_in_a_stack",
        "get_obj_that_is_underneath",
        "get_obj_location",
        "get_curr_location",
    }
)


@dataclass
class RobotouilleEpisode:
    api: KitchenAPI
    seed: int
    queries = QUERIES

    @property
    def namespace(self) -> dict[str, Any]:
        return self.api.namespace()

    def trace(self) -> dict[str, Any]:
        return {**self.api.trace(), "seed": self.seed}


def load_task(path: Path) -> TaskVariant:
    src = str(path)
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as err:
        raise InputError(src, f"line {err.lineno}", f"invalid JSON ({err.msg})") from None
    if not isinstance(data, dict):
        raise InputError(src, "top level", "expected a JSON object")
    for key in TASK_FIELDS:
        if key not in data:
            raise InputError(src, key, "missing")
    for key in ("id", "family", "environment", "instruction", "spec"):
        if not isinstance(data[key], str) or not data[key].strip():
            raise InputError(src, key, "expected a non-empty string")
    if data["split"] not in ("test", "train"):
        raise InputError(src, "split", "expected 'test' or 'train'")
    seeds = data.get("seeds", list(range(10)))
    demo_seeds = data.get("demo_seeds", [100, 101])
    for key, value in (("seeds", seeds), ("demo_seeds", demo_seeds)):
        if not isinstance(value, list) or not all(isinstance(s, int) for s in value):
            raise InputError(src, key, "expected a list of integers")
    test = TraceTest.from_json(data["test"], src)
    return TaskVariant(
        id=data["id"],
        family=data["family"],
        instruction=data["instruction"],
        spec=data["spec"],
        split=data["split"],
        seeds=tuple(seeds),
        demo_seeds=tuple(demo_seeds),
        data={
            "environment": data["environment"],
            "test": test,
            "path": src,
            # Only run when asked for by name (--tasks): kept out of the paper's benchmark.
            "opt_in": bool(data.get("opt_in", False)),
        },
    )


class RobotouilleBenchmark:
    name = "robotouille"
    text_style = "robotouille"

    def __init__(self, root: Path | None = None):
        self.root = root or benchmark_data("robotouille")
        self._levels: dict[str, Level] = {}

    @cached_property
    def _tasks(self) -> dict[str, TaskVariant]:
        tasks = {}
        for path in sorted((self.root / "tasks").glob("*.json")):
            task = load_task(path)
            if task.id in tasks:
                raise InputError(str(path), "id", f"duplicate task id {task.id!r}")
            tasks[task.id] = task
        return tasks

    def tasks(self, split: str | None = None) -> list[TaskVariant]:
        return [t for t in self._tasks.values() if split is None or t.split == split]

    def task(self, task_id: str) -> TaskVariant:
        if task_id not in self._tasks:
            raise UnknownName("robotouille task", task_id, self._tasks)
        return self._tasks[task_id]

    def base_level(self, task: TaskVariant) -> Level:
        """The variant's level as written; read once, since every episode starts from it."""
        env = task.data["environment"]
        if env not in self._levels:
            self._levels[env] = self._read_level(task, env)
        return self._levels[env]

    def _read_level(self, task: TaskVariant, env: str) -> Level:
        local = self.root / "environments" / f"{env}.json"  # a catalogue's own levels first
        path = local if local.is_file() else ENVIRONMENTS / f"{env}.json"
        if not path.is_file():
            raise InputError(task.data["path"], "environment", f"no level named {env!r}")
        try:
            return load_level(path)
        except LevelError as err:
            raise InputError(task.data["path"], "environment", str(err)) from None

    def level(self, task: TaskVariant, seed: int) -> Level:
        return generate(self.base_level(task), seed, "noisy")

    def episode(self, task: TaskVariant, seed: int, step_limit: int = STEP_LIMIT):
        env = KitchenEnv(self.level(task, seed), step_limit=step_limit)
        return RobotouilleEpisode(KitchenAPI(env), seed)

    def check(self, task: TaskVariant, trace: dict[str, Any]) -> Verdict:
        return check_trace(task.data["test"], trace, kind_of)

    def reference_code(self, task: TaskVariant) -> str:
        return (self.root / "reference" / f"{task.id}.py").read_text()

    def api_reference(self) -> str:
        """A catalogue may describe its own API; otherwise the shipped reference is used."""
        own = self.root / "api_reference.txt"
        return (
            own if own.is_file() else packaged_data_dir() / "robotouille" / own.name
        ).read_text()

    def demo_path(self, task: TaskVariant) -> Path:
        return self.root / "demos" / f"{task.id}.json"

    def demos(self, task: TaskVariant) -> Demonstration:
        return load_json(self.demo_path(task))

    # --- demonstrations from reference runs ---------------------------------------------
    def make_demo(self, task: TaskVariant) -> Demonstration:
        """Run the reference program on the demo seeds and keep what the paper shows."""
        scenarios = []
        for seed in task.demo_seeds:
            episode = self.episode(task, seed)
            error = run_trusted(self.reference_code(task), episode)
            if error:
                raise RuntimeError(f"reference of {task.id} fails on seed {seed}: {error}")
            trace = episode.trace()
            initial = [
                DemoChange(f[0], tuple(f[1:]))
                for f in trace["initial"]
                if f[0] in ("at", "atop", "cut", "cooked")
            ]
            steps = [
                Step(
                    s["action"],
                    [
                        DemoChange(c["predicate"], tuple(c["args"]), c["value"])
                        for c in shown_changes(s)
                    ],
                )
                for s in trace["steps"]
            ]
            scenarios.append(Scenario(seed, steps, initial))
        return Demonstration(self.name, task.id, task.instruction, scenarios)
