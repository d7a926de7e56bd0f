"""One way to parse Python source into an AST, safe across threads.

CPython 3.11 keeps the recursion-depth counter of its C-to-Python AST conversion in shared
state, so two threads calling `ast.parse` at once can fail with "SystemError: AST
constructor recursion depth mismatch". The pipeline (concurrent stages) and the evaluation
harness (worker threads validating programs) both parse concurrently, so every parse goes
through this lock.
"""

from __future__ import annotations

import ast
import threading

_LOCK = threading.Lock()


def parse(source: str, filename: str = "<unknown>", mode: str = "exec") -> ast.AST:
    with _LOCK:
        return ast.parse(source, filename=filename, mode=mode)
