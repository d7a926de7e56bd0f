"""The contract every benchmark (Robotouille, tabletop, EPIC) fulfils.

The pipeline and the evaluation harness only ever talk to this protocol, so a new benchmark
is a new module plus a line in the registry (`demo2code.benchmarks.registry`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from demo2code.demos import Demonstration

Split = Literal["test", "train"]
Outcome = Literal[
    "finished",
    "syntax_error",
    "rejected",
    "runtime_error",
    "precondition_failed",
    "step_limit",
    "timeout",
    "memory_limit",
]
OUTCOMES: tuple[str, ...] = Outcome.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class TaskVariant:
    """One task variant: what the user says, what it means in detail, and how it is judged."""

    id: str
    family: str  # the group used for "averaged over groups"
    instruction: str  # what a user would say
    spec: str  # detailed specification in our words (the spec2code input)
    split: Split  # only "train" variants may appear as few-shot examples in prompts
    seeds: tuple[int, ...] = tuple(range(10))  # test scenarios
    demo_seeds: tuple[int, ...] = (100, 101)  # scenarios demonstrations are made from
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Verdict:
    """A unit-test result; `reasons` says which subgoal or constraint failed."""

    passed: bool
    reasons: tuple[str, ...] = ()


class ActionFailed(Exception):
    """An API action whose precondition does not hold. Benchmarks raise it (or a subclass)."""

    outcome = "precondition_failed"

    def __init__(self, action: str, condition: str):
        super().__init__(f"{action} failed: {condition}")
        self.action = action
        self.condition = condition


class StepLimitReached(Exception):
    """The program used up the episode's step budget (a runaway loop)."""

    outcome = "step_limit"


class Episode(Protocol):
    """A fresh simulator for one (task, seed) plus the functions generated code may call."""

    namespace: dict[str, Callable[..., Any]]

    def trace(self) -> dict[str, Any]:
        """JSON-able record of what happened; `check` judges it. Must include a
        `"failures"` list of `{"outcome", "action", "message"}` for every ActionFailed /
        StepLimitReached raised, even if the program caught it."""
        ...


class Benchmark(Protocol):
    name: str
    text_style: str  # "robotouille" | "tabletop" | "epic": how demonstrations render

    def tasks(self, split: Split | None = None) -> list[TaskVariant]: ...

    def task(self, task_id: str) -> TaskVariant:
        """Look a variant up by id; unknown ids raise UnknownName with suggestions."""
        ...

    def demos(self, task: TaskVariant) -> Demonstration: ...

    def api_reference(self) -> str:
        """The API text prompts show the model."""
        ...

    def episode(self, task: TaskVariant, seed: int) -> Episode: ...

    def check(self, task: TaskVariant, trace: dict[str, Any]) -> Verdict: ...

    def reference_code(self, task: TaskVariant) -> str: ...

    def demo_path(self, task: TaskVariant) -> Path:
        """Where the variant's demonstration file lives."""
        ...

    def make_demo(self, task: TaskVariant) -> Demonstration:
        """Rebuild the demonstration from its sources (reference runs on the demo seeds, or
        imported annotations); `demos generate` compares it with `demo_path` byte for byte."""
        ...


def api_names(benchmark: Benchmark, task: TaskVariant) -> frozenset[str]:
    """The functions generated code may call: the callables of an episode's namespace."""
    namespace = benchmark.episode(task, task.demo_seeds[0] if task.demo_seeds else 0).namespace
    return frozenset(name for name, value in namespace.items() if callable(value))


def default_tasks(benchmark: Benchmark, split: Split | None = "test") -> list[TaskVariant]:
    """What runs when no tasks are named: a catalogue may keep families out of the default
    with `"opt_in": true` (Robotouille's async tasks are not part of the paper's benchmark)."""
    return [t for t in benchmark.tasks(split) if not t.data.get("opt_in")]
