"""Writing demonstrations played by a person (or replayed from a file).

The file has the same JSON schema the generator writes (see demo2code/demos.py), with the
same key order and indentation, so `demo2code` loads it like any other demonstration. Each
scenario also keeps its level in `extra["level"]`, so a recording replays without the task
catalogue. The file is rewritten after every step through a temporary file and `os.replace`,
so a crash or a closed window never leaves a half-written file. No pygame here.
"""

from __future__ import annotations

import ast
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from robotouille.api import KitchenAPI, shown_changes
from robotouille.env import SHOWN, KitchenEnv
from robotouille.level import Level, LevelError, level_from_json

BENCHMARK = "robotouille"


class RecordingError(ValueError):
    """A recording file that cannot be read or extended; names the file and the field."""

    def __init__(self, source: str, where: str, expected: str):
        super().__init__(f"{source}: {where}: {expected}")


def parse_action(text: str) -> tuple[str, tuple[str, ...]]:
    """`"move('table1', 'stove1')"` -> `("move", ("table1", "stove1"))`: the API call a
    recorded step stands for, so it can be run again through KitchenAPI."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise ValueError(f"not an API call: {text!r}") from None
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name) or node.keywords:
        raise ValueError(f"not an API call: {text!r}")
    args = []
    for arg in node.args:
        if not isinstance(arg, ast.Constant) or not isinstance(arg.value, str):
            raise ValueError(f"expected string arguments in {text!r}")
        args.append(arg.value)
    return node.func.id, tuple(args)


def run_action(api: KitchenAPI, text: str) -> None:
    """Run a recorded action through the API (raises PreconditionFailed like a live call)."""
    name, args = parse_action(text)
    if name not in (
        "move",
        "pick_up",
        "place",
        "stack",
        "unstack",
        "cut",
        "start_cooking",
        "start_frying",
        "fill",
        "start_boiling",
        "noop",
    ):
        raise ValueError(f"not an action of the API: {text!r}")
    getattr(api, name)(*args)


def initial_state(env: KitchenEnv) -> list[dict[str, Any]]:
    """The shown facts of a fresh episode, in the generator's order (sorted facts)."""
    return [
        {"predicate": f[0], "args": list(f[1:]), "value": True}
        for f in sorted(env.facts)
        if f[0] in SHOWN
    ]


def step_json(step: dict[str, Any]) -> dict[str, Any]:
    """A KitchenAPI trace step as a demonstration step: the action and the shown changes."""
    return {
        "action": step["action"],
        "changes": [
            {"predicate": c["predicate"], "args": list(c["args"]), "value": c["value"]}
            for c in shown_changes(step)
        ],
    }


@dataclass
class ScenarioRecord:
    seed: int | None
    instruction: str
    level: dict[str, Any]
    initial_state: list[dict[str, Any]]
    steps: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        # Key order as in demo2code.demos.Scenario.to_json, so a load/dump round trip is exact.
        return {
            "seed": self.seed,
            "instruction": self.instruction,
            "extra": {"level": self.level},
            "initial_state": self.initial_state,
            "steps": self.steps,
        }


class Recorder:
    """One demonstration file: earlier scenarios (kept verbatim) plus the ones played now.

    A scenario with no steps yet is not written, so pressing "next scenario" twice or quitting
    right away leaves no empty scenario behind.
    """

    def __init__(self, path: str | Path, task: str, instruction: str):
        self.path = Path(path)
        self.task, self.instruction = task, instruction
        self.earlier: list[dict[str, Any]] = []
        self.scenarios: list[ScenarioRecord] = []
        self._existed = self.path.exists()
        if self._existed:
            self._load_existing()

    def _load_existing(self) -> None:
        src = str(self.path)
        try:
            data = json.loads(self.path.read_text())
        except json.JSONDecodeError as err:
            raise RecordingError(src, f"line {err.lineno}", f"invalid JSON ({err.msg})") from None
        if not isinstance(data, dict) or not isinstance(data.get("scenarios"), list):
            raise RecordingError(src, "scenarios", "expected a demonstration with a list")
        if data.get("benchmark") != BENCHMARK:
            raise RecordingError(src, "benchmark", f"expected {BENCHMARK!r} to append to it")
        if data.get("task") != self.task:
            raise RecordingError(
                src, "task", f"the file records {data.get('task')!r}, not {self.task!r}"
            )
        self.instruction = str(data.get("instruction", self.instruction))
        self.earlier = list(data["scenarios"])

    def used_seeds(self) -> set[int]:
        seeds = {s.get("seed") for s in self.earlier if isinstance(s, dict)}
        seeds |= {s.seed for s in self.scenarios}
        return {s for s in seeds if isinstance(s, int)}

    def start(self, level: Level, env: KitchenEnv, instruction: str | None = None) -> None:
        """Begin a scenario on a fresh episode of `level` (its seed comes from level.meta)."""
        seed = level.meta.get("seed")
        self.scenarios.append(
            ScenarioRecord(
                seed if isinstance(seed, int) else None,
                instruction or self.instruction,
                level.to_json(),
                initial_state(env),
            )
        )
        self.save()

    @property
    def current(self) -> ScenarioRecord:
        if not self.scenarios:
            raise RuntimeError("no scenario started")
        return self.scenarios[-1]

    def record(self, step: dict[str, Any]) -> None:
        """Hook for KitchenAPI.on_step: append the step and save at once."""
        self.current.steps.append(step_json(step))
        self.save()

    def undo(self) -> None:
        if self.current.steps:
            self.current.steps.pop()
            self.save()

    def restart(self) -> None:
        self.current.steps.clear()
        self.save()

    def to_json(self) -> dict[str, Any]:
        played = [s.to_json() for s in self.scenarios if s.steps]
        return {
            "benchmark": BENCHMARK,
            "task": self.task,
            "instruction": self.instruction,
            "scenarios": self.earlier + played,
        }

    def save(self) -> None:
        """Atomic: write a temporary file next to the target, then rename it over it."""
        data = self.to_json()
        if not data["scenarios"]:
            # Nothing played (or everything undone): a demonstration needs one scenario.
            if not self._existed and self.path.exists():
                self.path.unlink()
            return
        text = json.dumps(data, indent=1) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(fd, "w") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def read_recording(path: str | Path) -> dict[str, Any]:
    """The raw JSON of a demonstration file, with a one-line error when it is not one."""
    src = str(path)
    try:
        data = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise RecordingError(src, "file", "not found") from None
    except json.JSONDecodeError as err:
        raise RecordingError(src, f"line {err.lineno}", f"invalid JSON ({err.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("scenarios"), list):
        raise RecordingError(src, "scenarios", "expected a demonstration with a list")
    if not data["scenarios"]:
        raise RecordingError(src, "scenarios", "expected at least one scenario")
    return data


def scenario_level(data: dict[str, Any], index: int, source: str) -> Level | None:
    """The level stored with scenario `index` (0-based), or None when it has none."""
    scen = data["scenarios"][index]
    raw = scen.get("extra", {}).get("level") if isinstance(scen, dict) else None
    if raw is None:
        return None
    try:
        return level_from_json(raw, f"{source}: scenarios[{index}].extra.level")
    except LevelError as err:
        raise RecordingError(source, f"scenarios[{index}].extra.level", str(err)) from None
