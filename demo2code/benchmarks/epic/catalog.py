"""The task catalogue (data/epic/tasks.json), its annotations, and the kitchens of episodes."""

from __future__ import annotations

import ast
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from demo2code import pyparse
from demo2code.benchmarks.epic import sim
from demo2code.benchmarks.epic.importer import ImportOptions, import_video
from demo2code.benchmarks.epic.narrations import parse_segment
from demo2code.demos import Demonstration
from demo2code.errors import InputError
from demo2code.paths import benchmark_data

FIXED_PLACES = (sim.SINK, "counter_1", "dishrack_1")


def epic_dir() -> Path:
    return benchmark_data("epic")


@dataclass(frozen=True)
class Entry:
    """One video's line in tasks.json."""

    id: str
    split: str
    segment: str
    instruction: str
    note: str
    options: dict[str, Any]
    prefs: dict[str, Any]

    def import_options(self) -> ImportOptions:
        opts = dict(self.options)
        for key in ("another", "again"):
            opts[key] = tuple(opts.get(key, ()))
        return ImportOptions(instruction=self.instruction, **opts)


def load_entries(path: Path | None = None) -> list[Entry]:
    path = path or epic_dir() / "tasks.json"
    try:
        raw = json.loads(path.read_text())
    except FileNotFoundError:
        raise InputError(str(path), "file", "not found") from None
    except json.JSONDecodeError as err:
        raise InputError(str(path), f"line {err.lineno}", f"invalid JSON ({err.msg})") from None
    out = []
    for i, t in enumerate(raw.get("tasks", []) if isinstance(raw, dict) else []):
        try:
            out.append(
                Entry(
                    t["id"],
                    t["split"],
                    t["segment"],
                    t["instruction"],
                    t.get("note", ""),
                    dict(t.get("import", {})),
                    dict(t.get("prefs", {})),
                )  # fmt: skip
            )
        except (KeyError, TypeError) as err:
            raise InputError(str(path), f"tasks[{i}]", f"missing field {err}") from None
    if not out:
        raise InputError(str(path), "tasks", "expected a non-empty list of tasks")
    return out


def build_annotation(entry: Entry, csv_path: Path | None = None) -> Demonstration:
    """Import the entry's segment with its options and attach the preference note."""
    csv_path = csv_path or epic_dir() / "narrations.csv"
    demo = import_video(csv_path, entry.id, parse_segment(entry.segment), entry.import_options())
    demo.scenarios[0].extra["preference_note"] = entry.note
    return demo


def dishes_of(demo: Demonstration) -> list[tuple[str, str]]:
    """(kind, starting place) of every dish to clean in the demonstration."""
    return [
        (sim.kind_of(name), place)
        for name, place, *_ in demo.scenarios[0].extra["objects_to_clean"]
    ]


def make_kitchen(dishes: list[tuple[str, str]], seed: int, salt: str) -> sim.Kitchen:
    """The demonstrated dishes, shuffled, plus 0-2 clean distractors of the same kinds, so ids
    and order change with the seed (same seed, same kitchen)."""
    rng = random.Random(f"{salt}:{seed}")
    kinds = sorted({k for k, _ in dishes})
    distractors = (
        [
            (rng.choice(kinds), rng.choice(["dishrack_1", "counter_1"]))
            for _ in range(rng.randint(0, 2))
        ]
        if kinds
        else []
    )
    entries = [(k, p, True) for k, p in dishes] + [(k, p, False) for k, p in distractors]
    numbers: dict[str, list[int]] = {}
    for kind in kinds:
        count = sum(1 for k, _, _ in entries if k == kind)
        numbers[kind] = rng.sample(range(1, count + 1), count)
    places = list(FIXED_PLACES)
    things: dict[str, sim.Thing] = {
        sim.SPONGE: sim.Thing(sim.SINK),
        sim.TOWEL: sim.Thing("counter_1"),
    }
    to_clean = []
    for kind, place, dirty in entries:
        name = f"{kind}_{numbers[kind].pop()}"
        if place not in places:
            places.append(place)
        things[name] = sim.Thing(place, dirty=dirty, clean=not dirty)
        if dirty:
            to_clean.append(name)
    rng.shuffle(to_clean)
    return sim.Kitchen(places, things, sim.SINK, False, to_clean)


def kitchen_from_state(demo: Demonstration) -> sim.Kitchen:
    """The kitchen a demonstration's initial condition describes (for replaying it)."""
    scen = demo.scenarios[0]
    places, things = list(FIXED_PLACES), {}
    robot, tap_on = sim.SINK, False
    for c in scen.initial_state:
        if c.predicate == "at":
            robot = c.args[0]
        elif c.predicate == "is_on":
            tap_on = True
        elif c.predicate in ("in", "on"):
            things[c.args[0]] = sim.Thing(c.args[1])
            if c.args[1] not in places:
                places.append(c.args[1])
        elif c.predicate == "is_in_hand":
            things[c.args[0]] = sim.Thing("hand")
    for c in scen.initial_state:
        if c.predicate in ("is_dirty", "is_soapy", "is_clean") and c.args[0] in things:
            setattr(things[c.args[0]], c.predicate[3:], True)
    for step in scen.steps:  # places only visited later (e.g. the drying rack)
        for c in step.changes:
            if c.predicate in ("in", "on", "at") and c.args[-1] not in places:
                places.append(c.args[-1])
    to_clean = [name for name, *_ in scen.extra.get("objects_to_clean", [])]
    return sim.Kitchen(places, things, robot, tap_on, to_clean)


def replay_annotation(demo: Demonstration) -> list[str]:
    """Run every step's action in the simulator; problems where the recorded changes differ."""
    simulator = sim.Simulator(kitchen_from_state(demo), step_limit=100_000)
    api = simulator.api()
    problems = []
    for i, step in enumerate(demo.scenarios[0].steps):
        try:
            call = pyparse.parse(step.action or "", mode="eval").body
            assert isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
            args = [ast.literal_eval(a) for a in call.args]
            api[call.func.id](*args)
        except Exception as err:  # a broken annotation, reported not raised
            problems.append(f"step {i + 2} {step.action}: {err}")
            continue
        got = {
            (c["predicate"], *c["args"])
            for c in simulator.events[-1]["changes"]
            if c["value"]
            and (c["predicate"] != "is_dry" or c["args"] and step.action.startswith("clean_with"))
        }
        want = {(c.predicate, *c.args) for c in step.changes}
        if got != want:
            problems.append(f"step {i + 2} {step.action}: changes {sorted(got)} != {sorted(want)}")
    return problems
