"""`EpicBenchmark`: each video is a task variant, each person a family."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from demo2code.benchmarks.base import Split, TaskVariant, Verdict
from demo2code.benchmarks.epic import catalog, checks, sim
from demo2code.demos import Demonstration, load_json
from demo2code.errors import InputError, UnknownName

API_REFERENCE = """\
get_all_objects() -> list[str]
    The names of the dishes to clean in this kitchen, e.g. ["plate_2", "mug_1"].
    Fixed names: "sink_1" (with the tap "tap_1" and the sponge "sponge_1"), "counter_1"
    (with the towel "towel_1"), "dishrack_1" (the drying rack).
bring_objects_to_loc(obj, loc)
    Carry one object (or a list of objects, one at a time) to the place loc and put it there;
    the robot ends at loc. Needs a free hand.
go_to(loc)              Walk to a place.
pick_up(obj)            Pick obj up from the robot's place; the robot has two hands.
place(obj, loc)         Put a held obj at loc; the robot must be at loc.
turn_on(tap) / turn_off(tap)
    Open or close the tap; the robot must be at the sink.
soap(obj)               Soap a held obj with the held sponge, at the sink.
rinse(obj)              Rinse a held obj under the running tap, at the sink: a soapy dish
                        becomes clean; a dirty dish that was never soaped stays dirty.
clean_with(obj, tool)   With a sponge: soap obj. With a towel: dry a held, rinsed obj.
An action whose precondition fails raises an error naming the failed condition.
"""


class EpicEpisode:
    """A fresh kitchen; `namespace` holds the API bound to it."""

    def __init__(self, kitchen: sim.Kitchen, step_limit: int = sim.DEFAULT_STEP_LIMIT):
        self.sim = sim.Simulator(kitchen, step_limit)
        self.namespace: dict[str, Callable[..., Any]] = self.sim.api()

    def trace(self) -> dict[str, Any]:
        return self.sim.trace()


class EpicBenchmark:
    name = "epic"
    text_style = "epic"

    @cached_property
    def _entries(self) -> dict[str, catalog.Entry]:
        return {e.id: e for e in catalog.load_entries()}

    @cached_property
    def _tasks(self) -> dict[str, TaskVariant]:
        out = {}
        for e in self._entries.values():
            if e.split not in ("test", "train"):
                raise InputError("tasks.json", f"{e.id}.split", "expected test or train")
            out[e.id] = TaskVariant(
                id=e.id,
                family=e.id.split("_")[0],
                instruction=e.instruction,
                spec=spec_text(e),
                split=e.split,  # type: ignore[arg-type]
                seeds=tuple(range(10)),
                demo_seeds=(),
                data={"prefs": e.prefs, "note": e.note, "segment": e.segment},
            )
        return out

    def tasks(self, split: Split | None = None) -> list[TaskVariant]:
        return [t for t in self._tasks.values() if split is None or t.split == split]

    def task(self, task_id: str) -> TaskVariant:
        if task_id not in self._tasks:
            raise UnknownName("task", task_id, self._tasks)
        return self._tasks[task_id]

    def demo_path(self, task: TaskVariant) -> Path:
        return catalog.epic_dir() / "annotations" / f"{task.id}.json"

    def make_demo(self, task: TaskVariant) -> Demonstration:
        """EPIC demonstrations are annotations imported from the narrations."""
        return catalog.build_annotation(self._entries[task.id])

    def demos(self, task: TaskVariant) -> Demonstration:
        return load_json(self.demo_path(task))

    def api_reference(self) -> str:
        return API_REFERENCE

    def episode(self, task: TaskVariant, seed: int) -> EpicEpisode:
        return EpicEpisode(catalog.make_kitchen(self._dishes(task.id), seed, task.id))

    @cache  # noqa: B019 - one benchmark object per process; the annotations do not change
    def _dishes(self, task_id: str) -> list[tuple[str, str]]:
        return catalog.dishes_of(self.demos(self.task(task_id)))

    def check(self, task: TaskVariant, trace: dict[str, Any]) -> Verdict:
        reasons = checks.evaluate(task.data["prefs"], checks.record_from_trace(trace))
        return Verdict(not reasons, tuple(reasons))

    def reference_code(self, task: TaskVariant) -> str:
        path = catalog.epic_dir() / "reference" / f"{task.id}.py"
        try:
            return path.read_text()
        except FileNotFoundError:
            raise InputError(str(path), "file", "not found") from None


def spec_text(entry: catalog.Entry) -> str:
    """The detailed specification in our words, generated from the checked preferences."""
    p = entry.prefs
    lines = [entry.instruction, "Specifically:"]
    order = {
        "each": "Soap and rinse one dish completely before starting the next.",
        "all": "Soap every dish first, then rinse every dish.",
        "kind": "Wash dishes of the same kind together: soap all of them, then rinse them.",
    }.get(p.get("order") or "", "Soap each dish, then rinse it.")
    lines.append(order)
    if p.get("tap_when_soaping"):
        lines.append(f"Keep the tap {p['tap_when_soaping']} while soaping.")
    if p.get("tap_between") == "off":
        lines.append("Turn the tap off after each group of dishes is rinsed.")
    elif p.get("tap_between") == "running":
        lines.append("Leave the tap running until the last dish is rinsed.")
    if p.get("dry"):
        lines.append("Dry each dish with the towel after rinsing it.")
    if p.get("destination"):
        lines.append(f"Put every clean dish at {p['destination']}.")
    if p.get("tap_at_end") == "off":
        lines.append("Turn the tap off at the end.")
    return "\n".join(lines)
