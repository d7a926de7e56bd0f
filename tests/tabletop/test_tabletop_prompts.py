"""Tabletop prompts: examples are whole programs that pass the training variant they
illustrate, few-shot demonstrations come from training variants only, and the answers the
prompts show are the ones the offline rules give (both speak the same spec language)."""

from __future__ import annotations

import ast
import re

import pytest

from demo2code.benchmarks.tabletop import TabletopBenchmark
from demo2code.paths import prompts_dir
from demo2code.pipeline.methods import scenario_texts
from demo2code.reasoners.prompted import STAGES, Templates
from demo2code.reasoners.symbolic.tabletop import low_level, spec_to_code
from demo2code.sandbox import run_program

BENCH = TabletopBenchmark()
ROOT = prompts_dir() / "tabletop"
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def filled(stage: str) -> str:
    values = {name: f"<{name}>" for name in STAGES[stage]}
    return Templates(prompts_dir()).fill("tabletop", stage, values)


def training_variant(source: str):
    found = re.search(r"^# Training variant: (\S+)$", source, re.M)
    assert found, "the example names no '# Training variant:'"
    return BENCH.task(found.group(1))


def test_there_are_examples_and_each_is_a_whole_program() -> None:
    assert len(EXAMPLES) >= 4
    for path in EXAMPLES:
        source = path.read_text()
        tree = ast.parse(source)
        assert any(isinstance(n, ast.FunctionDef) for n in tree.body), path.name
        assert any(isinstance(n, ast.Expr | ast.Assign) for n in tree.body), path.name
        assert training_variant(source).split == "train", path.name


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_program_passes_its_training_variant(path) -> None:
    source = path.read_text()
    task = training_variant(source)
    for seed in task.seeds:
        result = run_program(source, lambda seed=seed: BENCH.episode(task, seed))
        assert result.outcome == "finished", (seed, result.message)
        verdict = BENCH.check(task, result.trace)
        assert verdict.passed, (seed, verdict.reasons)


def test_every_example_marker_names_an_existing_example() -> None:
    names = {p.stem for p in EXAMPLES}
    for template in ROOT.glob("*.txt"):
        for name in re.findall(r"\{example(?:_main|_def)?:([A-Za-z0-9_.-]+)", template.read_text()):
            assert name in names, (template.name, name)


def _scenario_body(text: str) -> str:
    """A scenario without its number, whitespace-normalized, for comparison."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return "\n".join(ln for ln in lines if not re.match(r"^\[Scenario \d+\]$", ln))


def _shown_scenarios() -> list[str]:
    """Every demonstration scenario the templates show: from `objects=` to the answer."""
    stop = re.compile(r"^(objects=|Answer:|Actions:|Specification:|Code:|Now |Instruction:)")
    out = []
    for stage in STAGES:
        lines = filled(stage).splitlines()
        for i, line in enumerate(lines):
            if line.startswith("objects="):
                j = i + 1
                while j < len(lines) and not stop.match(lines[j]):
                    j += 1
                out.append(_scenario_body("\n".join(lines[i:j])))
    return out


def test_few_shot_demonstrations_come_from_training_variants_only() -> None:
    def scenarios(split: str) -> list[str]:
        return [
            _scenario_body(text)
            for t in BENCH.tasks(split)
            for text in scenario_texts(BENCH.demos(t))
        ]

    train, test = scenarios("train"), scenarios("test")
    shown = _shown_scenarios()
    assert len(shown) >= 4
    for body in shown:
        assert body in train, body
        assert body not in test, body


def test_low_level_example_answer_is_what_the_rules_answer() -> None:
    text = filled("low_level_actions")
    demo, answer = text.split("Example:\n", 1)[1].split("\nActions:\n", 1)
    shown = answer.split("\n\nNow the task.", 1)[0].strip().splitlines()
    assert low_level(demo) == shown


def test_write_code_examples_are_what_the_rules_write() -> None:
    text = filled("write_code")
    pairs = re.findall(r"Specification:\n(.*?)\n\nCode:\n```python\n(.*?)```", text, re.S)
    assert len(pairs) >= 2
    for spec, code in pairs:
        assert ast.dump(ast.parse(spec_to_code(spec))) == ast.dump(ast.parse(code)), spec
