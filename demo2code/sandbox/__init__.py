"""Run untrusted generated programs against a benchmark episode: a trusted simulator, an
untrusted program.

The verdict never depends on anything the program can touch. The episode (simulator, step
count, trace) and the unit test stay in the trusted process; the program runs in a
separate, isolated process whose namespace holds only call stubs. Each call crosses a
socket as plain data (`protocol`), is checked and executed here (`runner`), and the answer
goes back as a plain value or a failure to raise. A report from the program's side is
never believed: it can say how it ended, and that is all.

Lines of defence, each tested on its own (docs/sandbox.md has the threat table):

1. **Static filter** (`validate`): imports, underscore names, introspection builtins,
   ``.format``, frame/generator attributes and class statements are refused up front.
   A first filter for readable errors, not the boundary.
2. **Process split** (`runner`, `untrusted`): no simulator object, API key or harness
   function exists in the program's process; arguments are rebuilt as exact built-in
   values of bounded size before they reach the simulator.
3. **Fork server** (`forkserver`): episodes are forked from a fresh-exec'd process with an
   empty environment, never from the trusted process.
4. **OS layers** (`isolation`): own session and no descriptor but the channel; rlimits
   (CPU, memory, file size 0, processes); an unprivileged uid when started as root; user,
   PID, mount, network, IPC and UTS namespaces; an empty read-only root; no-new-privs;
   Landlock; a seccomp allow-list; the trusted process non-dumpable. Each is applied where
   the machine allows it, and every result says which were active (`RunResult.isolation`).
5. **Caps on text** (`text`): everything the program wrote is cut to length and stripped
   of control characters before it reaches a terminal, a results row or a report.

`run_program` returns a `RunResult` whose `outcome` is one of `benchmarks.base.OUTCOMES`.
"""

from demo2code.sandbox.isolation import ALL_LAYERS, LAYERS
from demo2code.sandbox.limits import Limits, RunResult
from demo2code.sandbox.runner import (
    SandboxHarnessError,
    SandboxUnavailable,
    active_layers,
    available_layers,
    run_program,
)
from demo2code.sandbox.safe_builtins import SAFE_BUILTIN_NAMES, safe_builtins
from demo2code.sandbox.validate import (
    FILENAME,
    SandboxRejected,
    SandboxSyntaxError,
    validate,
)

__all__ = [
    "ALL_LAYERS",
    "FILENAME",
    "LAYERS",
    "SandboxUnavailable",
    "active_layers",
    "available_layers",
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
