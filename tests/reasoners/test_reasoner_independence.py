"""The reasoners read demonstrations, never the answers: no module under
demo2code/reasoners/ imports a benchmark's checker or the data the tests are built from."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import demo2code

REASONERS = Path(demo2code.__file__).parent / "reasoners"
# a benchmark's unit-test code, and the modules that load its task catalogue (tasks.json,
# references, preferences) or look benchmarks up (which loads them)
FORBIDDEN_PARTS = {"checks", "trace_check", "catalog", "tasks", "registry", "importer"}
FORBIDDEN_MODULES = {
    "demo2code.benchmarks",
    "demo2code.benchmarks.robotouille",
    "demo2code.benchmarks.epic.benchmark",
    "demo2code.benchmarks.tabletop.benchmark",
}
# file names of test data a module could open directly
FORBIDDEN_TEXT = ("tasks.json", "reference/", "annotations/", "narrations.csv")


def imported(tree: ast.AST) -> list[str]:
    """Every module an `import` or `from ... import` names, with `from a import b` also as
    `a.b` (b may be a module); relative imports resolved against demo2code.reasoners."""
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = "demo2code.reasoners." + base
            names.append(base)
            names += [f"{base}.{alias.name}" for alias in node.names]
    return names


def forbidden(name: str) -> bool:
    parts = name.split(".")
    if name in FORBIDDEN_MODULES:
        return True
    return parts[:2] == ["demo2code", "benchmarks"] and bool(FORBIDDEN_PARTS & set(parts[2:]))


MODULES = sorted(REASONERS.rglob("*.py"))


def test_the_walk_sees_every_reasoner_module():
    names = {p.name for p in MODULES}
    assert {"epic.py", "epic_habits.py", "tabletop.py", "prompted.py"} <= names


def test_the_rule_catches_the_import_the_epic_rules_used_to_have():
    tree = ast.parse("from demo2code.benchmarks.epic import checks\n")
    assert any(forbidden(n) for n in imported(tree))
    tree = ast.parse("from demo2code.benchmarks.epic.sim import TAP\n")
    assert not any(forbidden(n) for n in imported(tree))  # the API's names are fine


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(REASONERS)))
def test_no_reasoner_module_imports_a_checker_or_test_data(path: Path):
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    bad = [n for n in imported(tree) if forbidden(n)]
    assert bad == [], f"{path.name} imports {bad}"
    docs = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}  # docstrings
    strings = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    ]
    opened = [s for s in strings for text in FORBIDDEN_TEXT if text in s]
    assert opened == [], f"{path.name} names test data {opened}"
