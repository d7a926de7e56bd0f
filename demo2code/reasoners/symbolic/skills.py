"""A library of function definitions written against a benchmark's API, answering `define`."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from demo2code import pyparse
from demo2code.reasoners.base import GenerationFailed, StageAnswer


@cache
def load_skills(path: Path) -> dict[str, str]:
    text = path.read_text()
    tree = pyparse.parse(text)
    return {
        node.name: ast.get_source_segment(text, node) or ""
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
    }


def define_from_library(path: Path, signature: str) -> StageAnswer:
    name = signature.split("(", 1)[0].strip()
    skills = load_skills(path)
    if name not in skills:
        raise GenerationFailed(f"the offline reasoner has no skill named {name!r}")
    return StageAnswer(text=skills[name], code=skills[name])
