"""Run untrusted generated programs against a benchmark episode, with limits.

This is defence in depth for benchmark programs written by a language model, NOT a security
boundary against a determined attacker: Python cannot be sandboxed from the inside, and the
layers below only make accidents and casual escapes fail loudly and be classified. Run the
whole tool in a container or VM if the code may come from an adversary.

The layers, outermost first:

1. **Static validation** (`validate`): the program is parsed with `ast` and refused if it
   imports, touches any ``_``-prefixed name or attribute, names exec/eval/getattr/open and
   friends, reads frame/generator/code attributes, uses ``.format`` tricks, or defines
   classes. See `demo2code.sandbox.validate` for the exact rules.
2. **Restricted globals**: the program runs with a whitelist of builtins
   (`safe_builtins`) plus the episode's API functions, nothing else.
3. **A forked child process**: the episode is built in the child, so the parent's simulator
   state is never touched. The child's stdin/stdout/stderr point at /dev/null; ``print``
   goes to a capped in-memory buffer.
4. **Resource limits in the child**: RLIMIT_CPU (SIGXCPU, then SIGKILL one second later),
   RLIMIT_AS (the size right after fork plus ``memory_mb``), no core files, no file writes
   (RLIMIT_FSIZE 0) and no new processes (RLIMIT_NPROC 0, ignored for root) while the
   program runs.
5. **The parent's wall clock**: at the deadline the child gets SIGTERM (it answers with a
   partial report: output so far and the episode trace), then SIGKILL after
   ``grace_seconds``. The child is always reaped; its report is size-capped.

`run_program` returns a `RunResult` whose `outcome` is one of `benchmarks.base.OUTCOMES`.
"""

from demo2code.sandbox.limits import Limits, RunResult
from demo2code.sandbox.runner import SandboxHarnessError, run_program
from demo2code.sandbox.safe_builtins import SAFE_BUILTIN_NAMES, safe_builtins
from demo2code.sandbox.validate import (
    FILENAME,
    SandboxRejected,
    SandboxSyntaxError,
    validate,
)

__all__ = [
    "FILENAME",
    "Limits",
    "RunResult",
    "SAFE_BUILTIN_NAMES",
    "SandboxHarnessError",
    "SandboxRejected",
    "SandboxSyntaxError",
    "run_program",
    "safe_builtins",
    "validate",
]
