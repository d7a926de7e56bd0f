"""Code handling between the reasoner and the sandbox: pull code out of a model answer, find
the calls that still need a definition, and assemble one program with each function once.

Everything here works on source text with Python's `ast`; nothing is executed.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass

from demo2code import pyparse

BUILTIN_NAMES: frozenset[str] = frozenset(dir(builtins))

_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)
_CODE_LANGS = {"", "python", "py", "python3"}


def _parses(code: str) -> bool:
    try:
        pyparse.parse(code)
    except (SyntaxError, ValueError):
        return False
    return True


def extract_code(answer: str) -> str | None:
    """The code in a model answer, or None when there is none.

    Rule: fenced blocks tagged python/py (or untagged) are candidates; blocks in another
    language are ignored. Among the candidates that parse, the LAST one wins, except that a
    later block much shorter than the longest (under a third of its lines, e.g. a trailing
    usage line) loses to the longest. With no fence at all, the whole answer is the code
    when it parses and defines or calls something. A fenced candidate that does not parse is
    returned anyway when nothing parses, so the caller can report the syntax error.
    """
    blocks = [
        body.strip("\n")
        for lang, body in _FENCE.findall(answer)
        if lang.lower() in _CODE_LANGS and body.strip()
    ]
    if blocks:
        good = [b for b in blocks if _parses(b)]
        if not good:
            return blocks[-1]
        longest = max(good, key=lambda b: len(b.splitlines()))
        last = good[-1]
        if len(last.splitlines()) * 3 < len(longest.splitlines()):
            return longest
        return last
    text = answer.strip()
    if text and _parses(text) and _looks_like_code(text):
        return text
    return None


def _looks_like_code(text: str) -> bool:
    """Prose such as `Done` parses as a bare name; demand a call, def, or assignment."""
    tree = pyparse.parse(text)
    return any(
        isinstance(node, ast.Call | ast.FunctionDef | ast.Assign | ast.For | ast.If)
        for node in ast.walk(tree)
    )


@dataclass(frozen=True)
class CallSite:
    """A call to a name that needs a definition, as the code wrote it."""

    name: str
    text: str  # e.g. "cook_object_at_location(obj=patty, location=stove)"
    lineno: int


class _Bindings(ast.NodeVisitor):
    """Every name the code binds anywhere (defs, classes, targets, params, imports)."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.names.add(node.name)
        args = node.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            self.names.add(arg.arg)
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                self.names.add(extra.arg)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
            self.names.add(arg.arg)
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.names.add(node.name)
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Store | ast.Del):
            self.names.add(node.id)

    def visit_alias(self, node: ast.alias) -> None:
        self.names.add((node.asname or node.name).split(".")[0])

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.names.add(node.name)
        self.generic_visit(node)


def defined_functions(code: str) -> list[str]:
    """Top-level function names in the order they are defined."""
    tree = pyparse.parse(code)
    return [n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def undefined_calls(code: str, known: set[str] | frozenset[str]) -> list[CallSite]:
    """Calls to bare names that are neither in `known` (the API, plus functions defined
    elsewhere), nor builtins, nor bound anywhere in `code`. Method calls (`xs.append(...)`)
    are never counted. One entry per name, the first call in source order."""
    tree = pyparse.parse(code)
    binder = _Bindings()
    binder.visit(tree)
    skip = set(known) | BUILTIN_NAMES | binder.names
    seen: dict[str, CallSite] = {}
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    calls.sort(key=lambda n: (n.lineno, n.col_offset))
    for node in calls:
        name = node.func.id  # type: ignore[attr-defined]
        if name in skip or name in seen:
            continue
        seen[name] = CallSite(name, ast.unparse(node), node.lineno)
    return list(seen.values())


def split_definitions(code: str) -> tuple[dict[str, str], str]:
    """Top-level function definitions (name -> source, first one wins) and the rest."""
    tree = pyparse.parse(code)
    defs: dict[str, str] = {}
    rest: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            defs.setdefault(node.name, ast.unparse(node))
        else:
            rest.append(node)
    body = "\n".join(ast.unparse(n) for n in rest)
    return defs, body


def assemble(main_code: str, definitions: dict[str, str]) -> str:
    """One program: every helper function once (the first definition of a name wins, in the
    order given; functions defined inside `main_code` come before later helpers), the
    helper definitions first, then the main body. The result is checked to parse."""
    functions: dict[str, str] = {}
    main_defs, main_body = split_definitions(main_code)
    sources = [main_defs] + [split_definitions(code)[0] for code in definitions.values()]
    for source in sources:
        for name, text in source.items():
            functions.setdefault(name, text)
    parts = list(functions.values())
    if main_body.strip():
        parts.append(main_body)
    program = "\n\n".join(parts) + "\n"
    pyparse.parse(program)
    return program
