"""Static checks on generated code before it is allowed to run.

The rule set is deliberately blunt: generated robot programs only call the benchmark API,
loop, branch and define helper functions, so anything that reaches into Python's object
model is refused rather than analysed. The checks, each with the reason it exists:

* imports of any kind: the program gets its API through the namespace only;
* identifiers starting with ``_`` (names, attributes, arguments, keywords, function names,
  match-pattern attributes): every classic escape (``().__class__.__bases__``,
  ``f.__globals__``, ``print.__self__``) goes through a dunder. The bare name ``_`` is the
  one exception: it is the usual throw-away loop variable and cannot reach anything;
* the names exec, eval, compile, open, input, getattr, setattr, delattr, globals, locals,
  vars, breakpoint, type, object, super and friends, called or merely referenced
  (``f = eval``); most are not in the safe builtins anyway, this makes the refusal early
  and readable;
* attributes of frames, generators, coroutines, tracebacks and code objects that need no
  underscore (``gi_frame``, ``f_globals``, ``tb_frame``, ``co_code``, ``mro``...);
* ``.format`` and ``.format_map`` on anything, in any attribute form: a template string
  walks attributes and items (``"{0.__class__}".format(x)``), and a format string that is
  malformed after its first field is still evaluated up to that point, so no analysis of
  the template is sound. f-strings need no rule: their expressions are ordinary AST nodes;
* the exception attribute ``obj`` (``AttributeError.obj`` hands out the object whose
  attribute was missing, e.g. an API stub);
* match-class keyword patterns (``case str(format=f)``) go through the same attribute
  rules as ``x.attr``;
* ``class`` statements (they need ``__build_class__`` and open metaclass tricks; generated
  task code has no use for them), ``async`` functions, ``await`` and ``async for/with``;
* programs longer than ``MAX_CODE_CHARS`` or nested too deeply for the parser.

Everything is a ``SandboxRejected(construct, line)``; ``SyntaxError`` from the parser or the
compiler becomes ``SandboxSyntaxError(message, line)``. The validator raises nothing else:
deep nesting, huge literals or a failure in any check end as a rejection with a reason.

This is a first filter that makes mistakes fail early and readably. It is not the
boundary: the program runs in an isolated process that holds no simulator and no secret
(see `demo2code.sandbox`), and the tests run hostile programs with the filter off.
"""

from __future__ import annotations

import ast
from types import CodeType

from demo2code import pyparse
from demo2code.errors import Demo2CodeError

FILENAME = "<generated>"
MAX_CODE_CHARS = 200_000

BANNED_NAMES = frozenset(
    {
        "exec",
        "eval",
        "compile",
        "open",
        "input",
        "getattr",
        "setattr",
        "delattr",
        "hasattr",
        "globals",
        "locals",
        "vars",
        "dir",
        "breakpoint",
        "help",
        "exit",
        "quit",
        "type",
        "object",
        "super",
        "classmethod",
        "staticmethod",
        "property",
        "memoryview",
        "format_map",
    }
)

BANNED_ATTRIBUTES = frozenset(
    {
        # generators, coroutines, async generators
        "gi_frame",
        "gi_code",
        "gi_yieldfrom",
        "gi_running",
        "cr_frame",
        "cr_code",
        "cr_await",
        "cr_origin",
        "ag_frame",
        "ag_code",
        "ag_await",
        # frames
        "f_globals",
        "f_locals",
        "f_builtins",
        "f_back",
        "f_code",
        "f_trace",
        "f_lasti",
        # tracebacks
        "tb_frame",
        "tb_next",
        "tb_lasti",
        # code objects and Python 2 style function internals
        "co_code",
        "co_consts",
        "co_names",
        "co_varnames",
        "func_globals",
        "func_code",
        "func_closure",
        "func_defaults",
        "im_func",
        "im_self",
        "im_class",
        # type internals reachable without underscores
        "mro",
        # string templates walk attributes; exceptions hand out live objects
        "format",
        "format_map",
        "obj",
    }
)

_REFUSED_NODES: dict[type[ast.AST], str] = {
    ast.Import: "import statement",
    ast.ImportFrom: "import statement",
    ast.ClassDef: "class definition",
    ast.AsyncFunctionDef: "async function",
    ast.Await: "await",
    ast.AsyncFor: "async for",
    ast.AsyncWith: "async with",
}


class SandboxRejected(Demo2CodeError):
    """Generated code uses a construct the sandbox refuses to run."""

    def __init__(self, construct: str, line: int | None):
        self.construct, self.line = construct, line
        where = f"line {line}" if line else "program"
        super().__init__(f"{FILENAME}: {where}: refused construct: {construct}")


class SandboxSyntaxError(Demo2CodeError):
    """Generated code is not valid Python."""

    def __init__(self, message: str, line: int | None):
        self.message, self.line = message, line
        where = f"line {line}" if line else "program"
        super().__init__(f"{FILENAME}: {where}: syntax error: {message}")


def validate(code: str) -> None:
    """Raise SandboxSyntaxError or SandboxRejected if `code` may not run; return otherwise."""
    compile_checked(code)


def compile_checked(code: str) -> CodeType:
    """Validate `code` and return its code object (filename ``<generated>``)."""
    try:
        return _compile_checked(code)
    except (SandboxRejected, SandboxSyntaxError):
        raise
    except (RecursionError, MemoryError) as err:
        raise SandboxRejected(
            f"program too deeply nested to check ({type(err).__name__})", None
        ) from None
    except Exception as err:  # noqa: BLE001 - a checker bug must not become a traceback
        raise SandboxRejected(
            f"program the validator cannot check ({type(err).__name__})", None
        ) from None


def _compile_checked(code: str) -> CodeType:
    if not isinstance(code, str):
        raise SandboxRejected("program is not text", None)
    if len(code) > MAX_CODE_CHARS:
        raise SandboxRejected(f"program longer than {MAX_CODE_CHARS} characters", None)
    try:
        tree = pyparse.parse(code, filename=FILENAME)
    except SyntaxError as err:
        raise SandboxSyntaxError(str(err.msg), err.lineno) from None
    except ValueError as err:  # e.g. a null byte in the source
        raise SandboxSyntaxError(str(err), None) from None
    except (RecursionError, MemoryError) as err:
        construct = f"program the parser cannot handle ({type(err).__name__})"
        raise SandboxRejected(construct, None) from None
    _check_tree(tree)
    try:
        return compile(tree, FILENAME, "exec", dont_inherit=True)
    except SyntaxError as err:  # e.g. 'return' outside function: only the compiler sees it
        raise SandboxSyntaxError(str(err.msg), err.lineno) from None
    except ValueError as err:  # e.g. a null byte in the source
        raise SandboxSyntaxError(str(err), None) from None
    except (RecursionError, MemoryError) as err:
        construct = f"program the compiler cannot handle ({type(err).__name__})"
        raise SandboxRejected(construct, None) from None


def _check_tree(tree: ast.AST) -> None:
    for node in ast.walk(tree):
        line = getattr(node, "lineno", None)
        refused = _REFUSED_NODES.get(type(node))
        if refused:
            raise SandboxRejected(refused, line)
        for ident in _identifiers(node):
            if ident.startswith("_") and ident != "_":
                raise SandboxRejected(f"underscore name {ident!r}", line)
        if isinstance(node, ast.Name) and node.id in BANNED_NAMES:
            raise SandboxRejected(f"forbidden name {node.id!r}", line)
        if isinstance(node, ast.Attribute):
            _check_attribute(node.attr, line)
        if isinstance(node, ast.MatchClass):
            for attr in node.kwd_attrs:
                _check_attribute(attr, line)


def _identifiers(node: ast.AST) -> list[str]:
    """Every identifier a node introduces or refers to (not string constants)."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, ast.keyword):
        return [node.arg] if node.arg else []
    if isinstance(node, ast.FunctionDef | ast.ExceptHandler | ast.MatchAs | ast.MatchStar):
        return [node.name] if node.name else []
    if isinstance(node, ast.Global | ast.Nonlocal):
        return list(node.names)
    if isinstance(node, ast.MatchClass):
        return list(node.kwd_attrs)
    if isinstance(node, ast.MatchMapping):
        return [node.rest] if node.rest else []
    if isinstance(node, ast.alias):
        return [node.name, node.asname or ""]
    return []


def _check_attribute(attr: str, line: int | None) -> None:
    """One rule for every way of naming an attribute (``x.attr``, ``case C(attr=...)``)."""
    if attr in BANNED_ATTRIBUTES:
        raise SandboxRejected(f"forbidden attribute {attr!r}", line)
