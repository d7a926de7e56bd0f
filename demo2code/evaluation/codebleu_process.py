"""CodeBLEU computed in one helper process whose string hashing is fixed.

The codebleu library names data-flow variables in the order of a `set` of strings
(`dataflow_match.normalize_dataflow_item`), and that order follows Python's per-process
hash seed: the same program against the same reference scored 0.880 in one process and
0.882 in another. A figure that changes between two runs of the same command cannot be
reported, so every CodeBLEU score of this project is computed in a child interpreter started
with PYTHONHASHSEED=0 (the parent's own seed cannot be changed after it started).

The child is started on first use, answers one JSON line per request over its pipes, and is
shared by every thread of the process (one request at a time: scoring is CPU-bound anyway).
Run as a module it is that child.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import threading
from typing import Any

from demo2code.errors import Demo2CodeError

HASH_SEED = "0"


class CodeBleuUnavailable(Demo2CodeError):
    """The scoring process could not be started or died twice in a row."""


class _Child:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.proc: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        env = {**os.environ, "PYTHONHASHSEED": HASH_SEED}
        return subprocess.Popen(
            [sys.executable, "-m", "demo2code.evaluation.codebleu_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
            start_new_session=True,  # Ctrl-C reaches the parent, which ends the child itself
        )

    def ask(self, reference: str, program: str) -> tuple[float, list[str]]:
        line = json.dumps({"reference": reference, "program": program}) + "\n"
        with self.lock:
            for _attempt in range(2):  # a child that died is started once more
                if self.proc is None or self.proc.poll() is not None:
                    self.proc = self._start()
                try:
                    assert self.proc.stdin is not None and self.proc.stdout is not None
                    self.proc.stdin.write(line)
                    self.proc.stdin.flush()
                    answer = self.proc.stdout.readline()
                except (BrokenPipeError, OSError):
                    answer = ""
                if answer:
                    reply = json.loads(answer)
                    if "error" in reply:
                        raise CodeBleuUnavailable(f"CodeBLEU failed: {reply['error']}")
                    return float(reply["score"]), list(reply["notes"])
                self.close()
            raise CodeBleuUnavailable("the CodeBLEU scoring process exited without an answer")

    def close(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()


_CHILD = _Child()
atexit.register(_CHILD.close)


def codebleu_fixed_hash(reference: str, program: str) -> tuple[float, list[str]]:
    """CodeBLEU (default weights, rounded to 6 places) and the library's warnings, the same
    in every process and every run."""
    return _CHILD.ask(reference, program)


def _score(reference: str, program: str) -> dict[str, Any]:
    from codebleu import calc_codebleu

    from demo2code.evaluation.quiet import root_log_captured

    with root_log_captured() as notes:
        result = calc_codebleu([reference], [program], lang="python")
    return {"score": round(float(result["codebleu"]), 6), "notes": notes}


def _serve() -> None:
    for line in sys.stdin:
        try:
            request = json.loads(line)
            reply = _score(request["reference"], request["program"])
        except Exception as exc:  # noqa: BLE001 - reported to the parent as one line
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _serve()
