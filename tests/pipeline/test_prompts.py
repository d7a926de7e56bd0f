"""Templates: every stage exists for every benchmark, markers are known, code snippets
parse, and summary answers are read robustly."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from demo2code.errors import InputError
from demo2code.paths import prompts_dir
from demo2code.reasoners.prompted import STAGES, Templates, parse_summary

BENCHMARKS = ("robotouille", "tabletop", "epic")


def filled(benchmark: str, stage: str) -> str:
    values = {name: f"<{name}>" for name in STAGES[stage]}
    return Templates(prompts_dir()).fill(benchmark, stage, values)


@pytest.mark.parametrize("benchmark", BENCHMARKS)
@pytest.mark.parametrize("stage", sorted(STAGES))
def test_every_template_fills_and_its_code_parses(benchmark: str, stage: str) -> None:
    text = filled(benchmark, stage)
    for name in STAGES[stage]:
        assert f"{{{name}}}" not in text
    for block in re.findall(r"```python\n(.*?)```", text, re.S):
        if "<program>" in block:
            continue  # the define template's placeholder for the program so far
        ast.parse(block)


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_robotouille_templates_show_no_test_variant_task(stage: str) -> None:
    """Few-shot examples come from training-style tasks; every test variant is a burger or
    a patty/lettuce preparation, so neither may be the subject of an example."""
    text = filled("robotouille", stage).lower()
    assert "burger" not in text
    instructions = re.findall(r"(?:instruction: |\]\n)(.*)", text)
    for line in instructions:
        assert not any(word in line for word in ("patty", "lettuce", "burger")), line


def test_examples_are_whole_programs_that_parse() -> None:
    examples = sorted((prompts_dir() / "robotouille" / "examples").glob("*.py"))
    assert len(examples) >= 3
    for path in examples:
        tree = ast.parse(path.read_text())
        assert any(isinstance(n, ast.FunctionDef) for n in tree.body), path.name
        assert any(isinstance(n, ast.Expr) for n in tree.body), path.name  # a main body
        task = re.search(r"^# Training-style task: (.*)$", path.read_text(), re.M)
        assert task and "burger" not in task.group(1).lower(), path.name


def test_unknown_marker_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "robotouille").mkdir()
    (tmp_path / "robotouille" / "write_code.txt").write_text("{api}\n{specification}\n")
    with pytest.raises(InputError, match="specification"):
        Templates(tmp_path).fill("robotouille", "write_code", {"api": "a", "spec": "s"})


def test_braces_in_inserted_text_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "robotouille").mkdir()
    (tmp_path / "robotouille" / "write_code.txt").write_text("{api}|{spec}")
    out = Templates(tmp_path).fill("robotouille", "write_code", {"api": "{spec}", "spec": "x"})
    assert out == "{spec}|x"


def test_missing_template_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="define"):
        Templates(tmp_path).fill("robotouille", "define", {})


@pytest.mark.parametrize(
    ("answer", "body", "done"),
    [
        ("* cut onion1\nSummarized enough: yes", "* cut onion1", True),
        ("* moved\nSummarized enough: no", "* moved", False),
        ("* moved\n**Summarized enough:** Yes.", "* moved", True),
        ("* a\nsummarised enough - no\n", "* a\nsummarised enough - no", False),
        ("* a\nSummarized enough: no\n* b\nSummarized enough: yes", "* a\n\n* b", True),
        ("* no verdict line at all", "* no verdict line at all", False),
    ],
)
def test_parse_summary(answer: str, body: str, done: bool) -> None:
    assert parse_summary(answer) == (body, done)
