"""Demonstrations: the JSON model on disk and the paper's text form shown to reasoners.

A demonstration is a task plus scenarios; each scenario is an initial state and a list of
steps, each step the action that was executed (ground truth, never shown in prompts) and the
predicates it changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from demo2code.errors import InputError


@dataclass(frozen=True)
class Change:
    predicate: str
    args: tuple[str, ...]
    value: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"predicate": self.predicate, "args": list(self.args), "value": self.value}


@dataclass
class Step:
    action: str | None
    changes: list[Change] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action, "changes": [c.to_json() for c in self.changes]}


@dataclass
class Scenario:
    seed: int | None
    steps: list[Step]
    initial_state: list[Change] = field(default_factory=list)
    instruction: str | None = None  # overrides the demonstration's when scenarios differ
    objects: list[str] | None = None  # tabletop: the `objects=[...]` header
    extra: dict[str, Any] = field(default_factory=dict)  # style-specific header data (EPIC)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"seed": self.seed}
        if self.instruction is not None:
            out["instruction"] = self.instruction
        if self.objects is not None:
            out["objects"] = list(self.objects)
        if self.extra:
            out["extra"] = self.extra
        out["initial_state"] = [c.to_json() for c in self.initial_state]
        out["steps"] = [s.to_json() for s in self.steps]
        return out


@dataclass
class Demonstration:
    benchmark: str
    task: str
    instruction: str
    scenarios: list[Scenario]
    # False when the source had no instruction line (the release's DemoNoLang2Code inputs);
    # `instruction` is then "" and the JSON records it as null.
    instruction_given: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "task": self.task,
            "instruction": self.instruction if self.instruction_given else None,
            "scenarios": [s.to_json() for s in self.scenarios],
        }

    def dumps(self) -> str:
        """Canonical serialisation: stable key order and indentation, so files diff cleanly
        and `demo2code demos generate` can be checked byte for byte."""
        return json.dumps(self.to_json(), indent=1) + "\n"

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(self.dumps())
        tmp.replace(path)


# --- JSON reading with field-level errors -------------------------------------------------


def _need(obj: Any, key: str, kind: type | tuple[type, ...], src: str, where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise InputError(src, f"{where}{key}", "missing")
    value = obj[key]
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise InputError(src, f"{where}{key}", f"expected {names}, got {type(value).__name__}")
    return value


def _change(obj: Any, src: str, where: str) -> Change:
    if not isinstance(obj, dict):
        raise InputError(src, where, "expected an object with predicate, args, value")
    pred = _need(obj, "predicate", str, src, where + ".")
    args = _need(obj, "args", list, src, where + ".")
    if not all(isinstance(a, str) for a in args):
        raise InputError(src, f"{where}.args", "expected a list of object names (strings)")
    value = obj.get("value", True)
    if not isinstance(value, bool):
        raise InputError(src, f"{where}.value", "expected true or false")
    return Change(pred, tuple(args), value)


def demonstration_from_json(data: Any, src: str = "<demonstration>") -> Demonstration:
    if not isinstance(data, dict):
        raise InputError(src, "top level", "expected a JSON object")
    benchmark = _need(data, "benchmark", str, src, "")
    task = _need(data, "task", str, src, "")
    given = data.get("instruction", "") is not None if isinstance(data, dict) else True
    instruction = _need(data, "instruction", str, src, "") if given else ""
    raw_scenarios = _need(data, "scenarios", list, src, "")
    if not raw_scenarios:
        raise InputError(src, "scenarios", "expected at least one scenario")
    scenarios = []
    for i, raw in enumerate(raw_scenarios):
        where = f"scenarios[{i}]."
        seed = raw.get("seed") if isinstance(raw, dict) else None
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise InputError(src, where + "seed", "expected an integer or null")
        steps_raw = _need(raw, "steps", list, src, where)
        steps = []
        for j, s in enumerate(steps_raw):
            sw = f"{where}steps[{j}]"
            if not isinstance(s, dict):
                raise InputError(src, sw, "expected an object with action and changes")
            action = s.get("action")
            if action is not None and not isinstance(action, str):
                raise InputError(src, sw + ".action", "expected a string or null")
            changes_raw = _need(s, "changes", list, src, sw + ".")
            changes = [_change(c, src, f"{sw}.changes[{k}]") for k, c in enumerate(changes_raw)]
            steps.append(Step(action, changes))
        init_raw = raw.get("initial_state", [])
        if not isinstance(init_raw, list):
            raise InputError(src, where + "initial_state", "expected a list")
        initial = [_change(c, src, f"{where}initial_state[{k}]") for k, c in enumerate(init_raw)]
        instr = raw.get("instruction")
        if instr is not None and not isinstance(instr, str):
            raise InputError(src, where + "instruction", "expected a string")
        objects = raw.get("objects")
        if objects is not None and not (
            isinstance(objects, list) and all(isinstance(o, str) for o in objects)
        ):
            raise InputError(src, where + "objects", "expected a list of strings")
        extra = raw.get("extra", {})
        if not isinstance(extra, dict):
            raise InputError(src, where + "extra", "expected an object")
        scenarios.append(Scenario(seed, steps, initial, instr, objects, extra))
    return Demonstration(benchmark, task, instruction, scenarios, instruction_given=given)


def load_json(path: Path) -> Demonstration:
    try:
        data = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise InputError(str(path), "file", "not found") from None
    except json.JSONDecodeError as err:
        raise InputError(str(path), f"line {err.lineno}", f"invalid JSON ({err.msg})") from None
    return demonstration_from_json(data, str(path))
