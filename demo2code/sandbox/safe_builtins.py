"""The builtins generated code may use: pure functions, containers and exception types.

Left out on purpose: anything that loads code or files (``__import__``, ``exec``, ``eval``,
``compile``, ``open``, ``input``), introspects (``getattr`` and friends, ``globals``,
``vars``, ``dir``, ``type``, ``object``, ``super``), and ``__build_class__`` (class
statements are refused by the validator).
"""

from __future__ import annotations

import builtins
from typing import Any

SAFE_BUILTIN_NAMES: tuple[str, ...] = (
    # functions
    "abs",
    "all",
    "any",
    "bin",
    "callable",
    "chr",
    "divmod",
    "enumerate",
    "filter",
    "hash",
    "hex",
    "isinstance",
    "iter",
    "len",
    "map",
    "max",
    "min",
    "next",
    "oct",
    "ord",
    "pow",
    "print",
    "range",
    "repr",
    "reversed",
    "round",
    "sorted",
    "sum",
    "zip",
    # value types
    "bool",
    "dict",
    "float",
    "frozenset",
    "int",
    "list",
    "set",
    "slice",
    "str",
    "tuple",
    # exceptions a program may raise or catch
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "Exception",
    "IndexError",
    "KeyError",
    "LookupError",
    "NameError",
    "NotImplementedError",
    "RuntimeError",
    "StopIteration",
    "TypeError",
    "ValueError",
    "ZeroDivisionError",
)


def safe_builtins() -> dict[str, Any]:
    """A fresh builtins dict for one run (fresh so a run cannot alter the next one's)."""
    return {name: getattr(builtins, name) for name in SAFE_BUILTIN_NAMES}
