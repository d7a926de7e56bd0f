"""Code similarity metrics: BLEU and CodeBLEU of a program against its reference.

Both are on a 0..1 scale and both are 1.0 for identical programs. A missing or empty
program scores 0.0 (the metric libraries cannot score nothing against something).

`bleu`/`codebleu` score whole programs (the paper's figures). Every reference carries its
benchmark's shared skill library (`data/<benchmark>/skills.py`) verbatim, so whole-program
scores reward copying that library; `bleu_task`/`codebleu_task` score the task-specific
code only: both sides with the library's functions taken out (`task_code`).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from demo2code.paths import packaged_data_dir

# The exact BLEU recipe; the report prints it so numbers can be reproduced elsewhere.
BLEU_SETTINGS: dict[str, Any] = {
    "library": "sacrebleu 2.6.0",
    "level": "sentence (one program against its one reference), averaged over variants",
    "pre_tokenization": "split on spaces, ' and \" quote characters and newlines; empty "
    "tokens dropped; lines containing 'say(' dropped; tokens joined by one space",
    "tokenize": "none",
    "smooth_method": "exp",
    "effective_order": True,
    "lowercase": False,
    "scale": "0..1 (sacrebleu score / 100)",
}
CODEBLEU_SETTINGS: dict[str, Any] = {
    "library": "codebleu 0.7.0",
    "call": "calc_codebleu([reference], [program], lang='python')",
    "process": "a helper interpreter with PYTHONHASHSEED=0 (the library's data-flow names "
    "follow set order, which otherwise changes between processes)",
    "weights": [0.25, 0.25, 0.25, 0.25],
    "scale": "0..1",
}

_SPLIT = re.compile(r"[ '\"\n]+")
_TOP_DEF = re.compile(r"^(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(")


def code_tokens(code: str) -> list[str]:
    """The paper's BLEU tokens: `say(...)` lines dropped, then split on spaces, quotes and
    newlines."""
    kept = "\n".join(line for line in code.splitlines() if "say(" not in line)
    return [tok for tok in _SPLIT.split(kept) if tok]


@cache
def _bleu_metric() -> Any:
    from sacrebleu.metrics import BLEU

    return BLEU(
        tokenize=BLEU_SETTINGS["tokenize"],
        smooth_method=BLEU_SETTINGS["smooth_method"],
        effective_order=BLEU_SETTINGS["effective_order"],
        lowercase=BLEU_SETTINGS["lowercase"],
    )


def bleu(program: str | None, reference: str) -> float:
    """Sentence BLEU of the program's tokens against the reference's, 0..1."""
    hyp, ref = code_tokens(program or ""), code_tokens(reference)
    if not hyp or not ref:
        return 1.0 if hyp == ref else 0.0
    score = _bleu_metric().sentence_score(" ".join(hyp), [" ".join(ref)]).score
    return round(score / 100.0, 6)


def codebleu(program: str | None, reference: str) -> float:
    """CodeBLEU (default weights) of the program against the reference, 0..1."""
    return codebleu_noted(program, reference)[0]


def codebleu_noted(program: str | None, reference: str) -> tuple[float, list[str]]:
    """CodeBLEU and what the library warned while computing it (e.g. that the reference has
    no data flow, so that component scores 0); the warnings are kept off the console."""
    if not program or not program.strip():
        return (0.0 if reference.strip() else 1.0), []
    from demo2code.evaluation.codebleu_process import codebleu_fixed_hash

    return codebleu_fixed_hash(reference, program)


def similarity(program: str | None, reference: str) -> dict[str, Any]:
    """BLEU, CodeBLEU and, when the CodeBLEU library warned, `codebleu_notes`."""
    score, notes = codebleu_noted(program, reference)
    return {"bleu": bleu(program, reference), "codebleu": score} | (
        {"codebleu_notes": notes} if notes else {}
    )


@cache
def library_names(benchmark: str) -> frozenset[str]:
    """Names of the functions of a benchmark's shared skill library (the file the offline
    reasoner's `define` answers from); none for a benchmark without one."""
    return _names_in(packaged_data_dir() / benchmark / "skills.py")


def _names_in(path: Path) -> frozenset[str]:
    if not path.is_file():
        return frozenset()
    return frozenset(
        m.group(1) for line in path.read_text().splitlines() if (m := _TOP_DEF.match(line))
    )


def task_code(code: str | None, library: frozenset[str]) -> str:
    """`code` without its top-level definitions of library functions: a `def` at column 0
    whose name is in `library`, with its indented or blank lines below. Works line by line,
    so a program that does not parse is cut the same way."""
    kept: list[str] = []
    skipping = False
    for line in (code or "").splitlines():
        if skipping and (not line.strip() or line[0] in " \t"):
            continue
        match = _TOP_DEF.match(line)
        skipping = bool(match and match.group(1) in library)
        if not skipping:
            kept.append(line)
    return "\n".join(kept).strip("\n") + ("\n" if any(ln.strip() for ln in kept) else "")


def task_similarity(
    program: str | None, reference: str, library: frozenset[str]
) -> dict[str, float]:
    """BLEU and CodeBLEU of the task-specific code of both sides (library functions out)."""
    hyp = None if program is None else task_code(program, library)
    ref = task_code(reference, library)
    return {"bleu_task": bleu(hyp, ref), "codebleu_task": codebleu(hyp, ref)}
