"""Code similarity metrics (DESIGN §8): BLEU and CodeBLEU of a program against its reference.

Both are on a 0..1 scale and both are 1.0 for identical programs. A missing or empty
program scores 0.0 (the metric libraries cannot score nothing against something).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

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
    "weights": [0.25, 0.25, 0.25, 0.25],
    "scale": "0..1",
}

_SPLIT = re.compile(r"[ '\"\n]+")


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
    from codebleu import calc_codebleu

    from demo2code.evaluation.quiet import root_log_captured

    with root_log_captured() as notes:
        result = calc_codebleu([reference], [program], lang="python")
    return round(float(result["codebleu"]), 6), notes


def similarity(program: str | None, reference: str) -> dict[str, Any]:
    """BLEU, CodeBLEU and, when the CodeBLEU library warned, `codebleu_notes`."""
    score, notes = codebleu_noted(program, reference)
    return {"bleu": bleu(program, reference), "codebleu": score} | (
        {"codebleu_notes": notes} if notes else {}
    )
