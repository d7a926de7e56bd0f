"""The EPIC prompt templates: they fill for every stage, their few-shot material comes only
from train videos, their worked answers are right, and every example program runs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from demo2code.benchmarks.base import TaskVariant
from demo2code.benchmarks.epic import EpicBenchmark
from demo2code.paths import prompts_dir
from demo2code.reasoners.base import StageContext
from demo2code.reasoners.prompted import STAGES, Templates
from demo2code.reasoners.symbolic.epic import EpicRules, low_level, to_subtasks
from demo2code.sandbox import run_program

BENCH = EpicBenchmark()
EPIC_PROMPTS = prompts_dir() / "epic"
EXAMPLES = sorted((EPIC_PROMPTS / "examples").glob("*.py"))
TEMPLATES = Templates(prompts_dir())


def _prompt_texts() -> dict[str, str]:
    files = sorted(EPIC_PROMPTS.glob("*.txt")) + EXAMPLES
    return {p.name: p.read_text() for p in files}


def _video_of(example: Path) -> str:
    doc = ast.get_docstring(ast.parse(example.read_text())) or ""
    m = re.match(r"Example from the train video (\w+):", doc)
    assert m, f"{example.name}: the docstring must name its train video"
    return m.group(1)


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_every_stage_template_fills(stage: str) -> None:
    values = {name: f"<{name}>" for name in STAGES[stage]}
    text = TEMPLATES.fill("epic", stage, values)
    for name in STAGES[stage]:
        if f"{{{name}}}" in TEMPLATES.raw("epic", stage):
            assert f"<{name}>" in text
    assert "{example" not in text  # every example marker resolved
    assert "Example" in text  # every stage has a few-shot example


def test_examples_exist_and_are_used() -> None:
    assert len(EXAMPLES) >= 3
    used = " ".join(TEMPLATES.raw("epic", s) for s in STAGES)
    assert any(f":{p.stem}" in used for p in EXAMPLES)


def test_few_shot_material_comes_only_from_train_videos() -> None:
    """No test video's id, and no dish that only a test video has, appears in a prompt."""
    test_ids = {t.id for t in BENCH.tasks("test")}
    train_names = {
        n
        for t in BENCH.tasks("train")
        for n, *_ in BENCH.demos(t).scenarios[0].extra["objects_to_clean"]
    }
    test_only = {
        n
        for t in BENCH.tasks("test")
        for n, *_ in BENCH.demos(t).scenarios[0].extra["objects_to_clean"]
        if n not in train_names
    }
    assert test_only  # the check below can catch something
    for name, text in _prompt_texts().items():
        for vid in test_ids:
            assert vid not in text, (name, vid)
        for obj in test_only:
            assert not re.search(rf"\b{obj}\b", text), (name, obj)
    for example in EXAMPLES:
        assert BENCH.task(_video_of(example)).split == "train"


def _dishes(task: TaskVariant) -> list[str]:
    return [n for n, *_ in BENCH.demos(task).scenarios[0].extra["objects_to_clean"]]


def _between(text: str, start: str, end: str) -> str:
    i = text.index(start) + len(start)
    return text[i : text.index(end, i)]


def test_worked_summaries_agree_with_the_rules() -> None:
    text = TEMPLATES.raw("epic", "summarize_step")
    demo = _between(text, "Example (level 0)\n", "\nAnswer:")
    level1 = _between(text, "\nAnswer:\n", "\nSummarized enough: no")
    level2 = _between(
        text, "Example (level 1: the answer above)\nAnswer:\n", "\nSummarized enough: yes"
    )
    assert low_level(demo) == level1.splitlines()
    assert to_subtasks(level1) == level2.splitlines()
    actions = TEMPLATES.raw("epic", "low_level_actions")
    shown = _between(actions, "Example\n", "\nActions:")
    answer = _between(actions, "\nActions:\n", "\n\nNow the task.")
    assert low_level(shown) == answer.splitlines()


@pytest.mark.parametrize("stage", ["specify", "spec_from_demos"])
def test_worked_specifications_agree_with_the_rules(stage: str) -> None:
    text = TEMPLATES.raw("epic", stage)
    source = _between(
        text,
        "Summaries:\n" if stage == "specify" else "Instruction: ",
        "\n\nInstruction:" if stage == "specify" else "\nSpecification:",
    )
    spec = _between(text, "\nSpecification:\n", "\n\nNow the task.")
    instruction = spec.splitlines()[0]
    ctx = StageContext("epic", BENCH.api_reference(), frozenset())
    assert EpicRules().specify(ctx, [source], instruction).text == spec


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_program_passes_its_train_video(example: Path) -> None:
    code = example.read_text()
    ast.parse(code)
    task = BENCH.task(_video_of(example))
    assert "get_all_objects()" in code
    for name in _dishes(task):
        assert f"'{name}'" not in code and f'"{name}"' not in code
    for seed in task.seeds:
        result = run_program(code, lambda seed=seed: BENCH.episode(task, seed))
        assert result.outcome == "finished", (seed, result.message)
        verdict = BENCH.check(task, result.trace or {})
        assert verdict.passed, (seed, verdict.reasons)
