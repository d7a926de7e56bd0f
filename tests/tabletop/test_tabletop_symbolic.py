"""The offline reasoner on tabletop: the catalogue, noise, and variants it has never seen.

The unseen variants are built here from scratch (scene, hand-written program, unit test);
their demonstrations are made with the benchmark's own demo machinery by running the program
on two seeds, and the program synthesized from those demonstrations alone must pass on seeds
the demonstrations never showed.
"""

from __future__ import annotations

import copy

import pytest

from demo2code.benchmarks.base import TaskVariant
from demo2code.benchmarks.tabletop import TabletopBenchmark
from demo2code.benchmarks.tabletop.benchmark import make_demo
from demo2code.noise import NoiseSpec, apply_noise
from demo2code.pipeline import synthesize
from demo2code.pipeline.methods import scenario_texts
from demo2code.reasoners.base import StageContext, UnsupportedMethod
from demo2code.reasoners.symbolic import SymbolicReasoner
from demo2code.reasoners.symbolic.tabletop import TabletopRules, low_level, parse_summary
from demo2code.verify import run_trusted

BENCH = TabletopBenchmark()
REASONER = SymbolicReasoner()
SEEDS = (0, 4, 8)


def ctx() -> StageContext:
    names = BENCH.episode(BENCH.tasks("test")[0], 0).namespace
    return StageContext("tabletop", BENCH.api_reference(), frozenset(names))


def passes(bench: TabletopBenchmark, task: TaskVariant, program: str, seeds) -> list[int]:
    """Seeds on which `program` runs to the end and passes the unit test."""
    good = []
    for seed in seeds:
        episode = bench.episode(task, seed)
        if run_trusted(program, episode) is None and bench.check(task, episode.trace()).passed:
            good.append(seed)
    return good


def one_per_group() -> list[TaskVariant]:
    seen: dict[str, TaskVariant] = {}
    for task in BENCH.tasks("test"):
        seen.setdefault(task.family, task)
    return list(seen.values())


# --- the catalogue ---------------------------------------------------------------------------


@pytest.mark.parametrize("task", one_per_group(), ids=lambda t: t.id)
def test_demo2code_passes_one_variant_per_group(task: TaskVariant) -> None:
    result = synthesize("demo2code", BENCH.demos(task), task.instruction, None, ctx(), REASONER)
    assert not result.failed, result.error
    assert result.calls == 0  # no model was involved
    assert result.functions  # the high-level code was expanded through `define`
    assert passes(BENCH, task, result.program, SEEDS) == list(SEEDS)


@pytest.mark.parametrize("method", ["demonolang2code", "nocot", "1step", "2steps"])
def test_ablation_methods_run_offline(method: str) -> None:
    task = BENCH.task("order-blocks-bottom-3")
    result = synthesize(method, BENCH.demos(task), task.instruction, None, ctx(), REASONER)
    assert not result.failed, result.error
    assert passes(BENCH, task, result.program, SEEDS) == list(SEEDS)


@pytest.mark.parametrize("method", ["lang2code", "spec2code"])
def test_free_text_methods_say_they_need_a_model(method: str) -> None:
    task = BENCH.task("place-at-edge-top")
    result = synthesize(method, BENCH.demos(task), task.instruction, task.spec, ctx(), REASONER)
    assert result.failed and "need a model" in (result.error or "")
    assert "\n" not in (result.error or "")
    with pytest.raises(UnsupportedMethod):
        TabletopRules().write_code(ctx(), task.spec)


def test_spec_generalizes_what_varies_between_scenarios() -> None:
    """Sides, corners and stacked objects that differ between scenarios become rules; what
    stays the same (a named side, a bottom order) is kept."""
    specs = {}
    for tid in ("place-next-to-any", "place-next-to-front", "place-at-corner-any",
                "order-blocks-bottom-2", "stack-blocks-max-3"):  # fmt: skip
        task = BENCH.task(tid)
        result = synthesize("demo2code", BENCH.demos(task), task.instruction, None, ctx(), REASONER)
        specs[tid] = result.spec or ""
    assert "on any side" in specs["place-next-to-any"]
    assert "in front of 'gray block'" in specs["place-next-to-front"]
    assert "corner closest to it" in specs["place-at-corner-any"]
    assert "starting with 'orange block', 'purple block';" in specs["order-blocks-bottom-2"]
    assert "at most 3 blocks" in specs["stack-blocks-max-3"]


# --- noise -----------------------------------------------------------------------------------


def test_a_missing_state_is_bridged_by_belief() -> None:
    """With the first uncovering state gone, the object still on the buried block must have
    been taken off unseen: the summary says so and the program still passes."""
    task = BENCH.task("place-on-top-2-covering")
    demo = copy.deepcopy(BENCH.demos(task))
    del demo.scenarios[0].steps[0]
    text = scenario_texts(demo)[0]
    lines = low_level(text)
    assert "Put 'cyan cylinder' on the table (not shown)." in lines
    demo.scenarios = demo.scenarios[:1]
    result = synthesize("demo2code", demo, task.instruction, None, ctx(), REASONER)
    assert passes(BENCH, task, result.program, SEEDS) == list(SEEDS)


def test_a_stack_with_a_missing_state_is_rebuilt() -> None:
    task = BENCH.task("order-cylinders-full")
    demo = copy.deepcopy(BENCH.demos(task))
    del demo.scenarios[0].steps[1]  # the second cylinder's placement
    scene = parse_summary("\n".join(low_level(scenario_texts(demo)[0])))[0]
    onto = [(m.obj, m.onto) for m in scene.moves]
    assert onto == [
        ("green cylinder", "blue cylinder"),
        ("red cylinder", "green cylinder"),
        ("yellow cylinder", "red cylinder"),
    ]


@pytest.mark.parametrize("noise", ["drop-predicate=0.3", "add-distractor=1.0"])
def test_noisy_demonstrations_still_give_passing_programs(noise: str) -> None:
    for tid in ("place-next-to-left", "stack-cylinders-max-2", "stack-two-by-type"):
        task = BENCH.task(tid)
        demo = apply_noise(BENCH.demos(task), [NoiseSpec.parse(noise)], seed=3)
        result = synthesize("demo2code", demo, task.instruction, None, ctx(), REASONER)
        assert not result.failed, (tid, result.error)
        assert passes(BENCH, task, result.program, SEEDS) == list(SEEDS), (tid, result.spec)


def test_distractor_objects_never_reach_the_spec() -> None:
    task = BENCH.task("stack-blocks-no-limit")
    demo = apply_noise(BENCH.demos(task), [NoiseSpec.parse("add-distractor=1.0")], seed=1)
    real = {o for s in BENCH.demos(task).scenarios for o in s.objects or []}
    invented = {o for s in demo.scenarios for o in s.objects or []} - real
    assert invented
    result = synthesize("demo2code", demo, task.instruction, None, ctx(), REASONER)
    assert not any(name in (result.spec or "") for name in invented)


# --- variants the catalogue does not have ----------------------------------------------------


class HandWritten(TabletopBenchmark):
    """The tabletop benchmark whose 'reference' programs are the hand-written ones below."""

    def __init__(self, programs: dict[str, str]):
        self.programs = programs

    def reference_code(self, task: TaskVariant) -> str:
        return self.programs[task.id]


def variant(tid: str, instruction: str, scene: dict, checks: list[dict]) -> TaskVariant:
    return TaskVariant(
        id=tid, family="custom", instruction=instruction, spec=instruction, split="test",
        seeds=(0, 1, 2, 3, 4, 5), demo_seeds=(200, 201),
        data={"scene": scene, "checks": checks, "params": {}},
    )  # fmt: skip


NEW = [
    (
        variant("left-then-behind", "Put the red block left of the gray cylinder, then the "
                "green block behind it.",
                {"fixed": ["red block", "gray cylinder", "green block"],
                 "blocks": [3, 4], "cylinders": [2, 3]},
                [{"kind": "fact", "fact": ["left_of", "red block", "gray cylinder"]},
                 {"kind": "fact", "fact": ["behind", "green block", "red block"]},
                 {"kind": "only_moved", "objects": ["red block", "green block"]}]),
        "put_first_on_second('red block', parse_position('left of the gray cylinder'))\n"
        "put_first_on_second('green block', parse_position('behind the red block'))\n",
    ),
    (
        variant("three-specific", "Stack the blue cylinder on the red block and the green "
                "block on the blue cylinder.",
                {"fixed": ["red block", "blue cylinder", "green block"],
                 "blocks": [3, 4], "cylinders": [2, 3]},
                [{"kind": "directly_on", "objects": ["blue cylinder", "red block"]},
                 {"kind": "directly_on", "objects": ["green block", "blue cylinder"]},
                 {"kind": "only_moved", "objects": ["blue cylinder", "green block"]}]),
        "put_first_on_second('blue cylinder', 'red block')\n"
        "put_first_on_second('green block', 'blue cylinder')\n",
    ),
    (
        variant("corner-bottom-right-yellow", "Move the yellow block to the corner.",
                {"fixed": ["yellow block"], "blocks": [2, 3], "cylinders": [1, 2]},
                [{"kind": "fact", "fact": ["at", "yellow block", "bottom right corner"]},
                 {"kind": "only_moved", "objects": ["yellow block"]}]),
        "put_first_on_second('yellow block', parse_position('bottom right corner'))\n",
    ),
    (
        variant("uncover-two", "Put the cyan block on the orange cylinder.",
                {"fixed": ["cyan block", "orange cylinder"],
                 "hidden": {"base": "cyan block", "on": ["pink cylinder", "brown block"]},
                 "blocks": [3, 4], "cylinders": [3, 4]},
                [{"kind": "directly_on", "objects": ["cyan block", "orange cylinder"]},
                 {"kind": "only_moved",
                  "objects": ["cyan block", "pink cylinder", "brown block"]}]),
        "put_first_on_second('brown block', 'table')\n"
        "put_first_on_second('pink cylinder', 'table')\n"
        "put_first_on_second('cyan block', 'orange cylinder')\n",
    ),
    (
        variant("order-cylinders-three", "Stack the cylinders into one stack.",
                {"fixed": ["pink cylinder", "red cylinder", "gray cylinder"],
                 "cylinders": [4, 5], "blocks": [1, 2]},
                [{"kind": "one_stack", "type": "cylinder",
                  "bottom": ["pink cylinder", "red cylinder", "gray cylinder"]},
                 {"kind": "only_moved", "type": "cylinder"}]),
        "cylinders = get_all_obj_names_that_match_type('cylinder', get_obj_names())\n"
        "first = ['pink cylinder', 'red cylinder', 'gray cylinder']\n"
        "rest = [c for c in cylinders if c not in first]\n"
        "stack_without_height_limit(determine_final_stacking_order(first, rest))\n",
    ),
    (
        variant("all-objects-one-stack", "Put every object into one stack.",
                {"fixed": ["gray cylinder"], "blocks": [2, 2], "cylinders": [2, 3]},
                [{"kind": "one_stack", "bottom": ["gray cylinder"]}]),
        "objects = get_obj_names()\n"
        "rest = [o for o in objects if o != 'gray cylinder']\n"
        "stack_without_height_limit(['gray cylinder'] + rest)\n",
    ),
    (
        variant("cylinders-max-2-edge", "Stack the cylinders in pairs.",
                {"cylinders": [5, 6], "blocks": [1, 2]},
                [{"kind": "stacks", "type": "cylinder", "max_height": 2},
                 {"kind": "only_moved", "type": "cylinder"}]),
        "cylinders = get_all_obj_names_that_match_type('cylinder', get_obj_names())\n"
        "stack_with_height_limit(cylinders, 2)\n",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("task", "program"), NEW, ids=[t.id for t, _ in NEW])
def test_unseen_variant_is_synthesized_from_its_demonstrations(task, program) -> None:
    bench = HandWritten({task.id: program})
    assert passes(bench, task, program, task.seeds) == list(task.seeds)  # the test is sound
    demo = make_demo(bench, task)
    result = synthesize("demo2code", demo, task.instruction, None, ctx(), REASONER)
    assert not result.failed, result.error
    unseen = [s for s in task.seeds if s not in task.demo_seeds]
    assert passes(bench, task, result.program, unseen) == unseen, result.spec
