"""TabletopBenchmark: the Benchmark protocol over the PyBullet table scene."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from demo2code.benchmarks.base import Split, TaskVariant, Verdict
from demo2code.benchmarks.tabletop.checks import judge
from demo2code.benchmarks.tabletop.episode import TabletopEpisode
from demo2code.benchmarks.tabletop.geometry import sample_scene
from demo2code.benchmarks.tabletop.tasks import load_tasks
from demo2code.demos import Change, Demonstration, Scenario, Step, load_json
from demo2code.errors import InputError, UnknownName
from demo2code.paths import benchmark_data
from demo2code.verify import run_trusted

API_REFERENCE = """\
Tabletop API (blocks and cylinders on a square table; names look like 'blue block', 'red cylinder';
colours: blue, red, green, orange, yellow, purple, pink, cyan, brown, gray).
The table's 'top' is its far side (behind), 'bottom' its near side (in front); left and right
as seen by the robot. Positions are [x, y] in metres, x to the right, y to the top, centre
[0, 0], the table reaching 0.5 in every direction.

get_obj_names() -> list[str]
    Every object in the scene, blocks first; some scenes answer in a random order each call.
get_all_obj_names_that_match_type(type_name, objects_list) -> list[str]
    The objects of objects_list whose shape ('block', 'cylinder') or colour ('red') is type_name.
determine_final_stacking_order(objects_to_enforce_order, objects_without_order) -> list[str]
    A bottom-to-top stacking order: the enforced objects first, in their order, then the others
    as given (leave the enforced ones out of objects_without_order, or they appear twice).
put_first_on_second(arg1, arg2) -> None
    Pick up arg1 (nothing may be on top of it) and put it on arg2: an object with nothing on top,
    'table' (a free spot near where arg1 is), an [x, y] position on the table, or a corner,
    an edge or the middle by name ('left edge', 'top right corner', 'middle').
stack_without_height_limit(objects_to_stack) -> None
    One stack, bottom to top in list order; the first object stays where it is.
stack_with_height_limit(objects_to_stack, height_limit) -> None
    Consecutive groups of height_limit objects from the list, each group its own stack.
parse_position(description) -> [x, y]
    A position from words: 'top left corner', 'bottom edge', 'middle of the table',
    'left of the green block', 'right of ...', 'behind ...', 'in front of ...', 'next to ...',
    'the corner closest to the red block', 'the edge closest to ...',
    'between the red block and the blue cylinder'.
say(text) -> None
    Tell the user something.
ALL_CORNERS_LIST, ALL_EDGES_LIST, ALL_POSITION_RELATION_LIST: the corner names, the edge names
    and the relations 'left of', 'right of', 'behind', 'in front of'.
np.random.choice(options) -> one of the options, at random.
A failed precondition raises an error naming it; a program may make at most 60 moves.
"""


class TabletopBenchmark:
    name = "tabletop"
    text_style = "tabletop"

    def tasks(self, split: Split | None = None) -> list[TaskVariant]:
        return [t for t in load_tasks() if split is None or t.split == split]

    def task(self, task_id: str) -> TaskVariant:
        for t in load_tasks():
            if t.id == task_id:
                return t
        raise UnknownName("tabletop task", task_id, [t.id for t in load_tasks()])

    def demos(self, task: TaskVariant) -> Demonstration:
        return load_json(demo_path(task.id))

    def api_reference(self) -> str:
        return API_REFERENCE

    def episode(self, task: TaskVariant, seed: int) -> TabletopEpisode:
        return TabletopEpisode(sample_scene(task.data["scene"], seed), task.id, seed)

    def check(self, task: TaskVariant, trace: dict[str, Any]) -> Verdict:
        reasons = judge(task.data["checks"], trace)
        return Verdict(not reasons, tuple(reasons))

    def demo_path(self, task: TaskVariant) -> Path:
        return demo_path(task.id)

    def make_demo(self, task: TaskVariant) -> Demonstration:
        return make_demo(self, task)

    def reference_code(self, task: TaskVariant) -> str:
        path = benchmark_data("tabletop") / "reference" / f"{task.id}.py"
        if not path.is_file():
            raise InputError(str(path), "file", f"reference program for {task.id!r} not found")
        return path.read_text()


def demo_path(task_id: str, root: Path | None = None) -> Path:
    return (root or benchmark_data("tabletop") / "demos") / f"{task_id}.json"


def run_reference(bench: TabletopBenchmark, task: TaskVariant, seed: int) -> TabletopEpisode:
    """Run the trusted reference program in a fresh episode (tests, demos, verification)."""
    episode = bench.episode(task, seed)
    error = run_trusted(bench.reference_code(task), episode)
    if error:
        raise RuntimeError(f"reference of {task.id} fails on seed {seed}: {error}")
    return episode


def _changes(items: list[dict[str, Any]]) -> list[Change]:
    return [Change(c["predicate"], tuple(c["args"]), c["value"]) for c in items]


def make_demo(bench: TabletopBenchmark, task: TaskVariant) -> Demonstration:
    """One scenario per demo seed: the reference program's moves and the facts they changed."""
    scenarios = []
    for seed in task.demo_seeds:
        episode = run_reference(bench, task, seed)
        trace = episode.trace()
        initial = [Change(f[0], tuple(f[1:])) for f in trace["initial_facts"] if f[0] != "moved"]
        steps = [Step(s["action"], _changes(s["changes"])) for s in trace["steps"]]
        scenarios.append(Scenario(seed, steps, initial, objects=list(trace["objects"])))
    return Demonstration("tabletop", task.id, task.instruction, scenarios)
