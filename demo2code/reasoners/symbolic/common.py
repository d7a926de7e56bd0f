"""Pieces every rule set needs: reading its own line formats, aligning scenarios, and the
body of a specification it wrote."""

from __future__ import annotations

import re
from collections.abc import Sequence

from demo2code.paths import packaged_data_dir
from demo2code.reasoners.base import StageAnswer, StageContext, UnsupportedMethod
from demo2code.reasoners.symbolic.skills import define_from_library

Patterns = Sequence[tuple[str, re.Pattern]]
FREE_TEXT = (
    "the offline reasoner reads only specifications it wrote itself; free-text "
    "instructions or specs (lang2code, spec2code) need a model (--model)"
)


def match_line(patterns: Patterns, line: str) -> tuple[str, re.Match] | None:
    """The first (name, match) of a line against named patterns."""
    for name, rx in patterns:
        m = rx.match(line.strip())
        if m:
            return name, m
    return None


def spec_body(spec: str) -> list[str]:
    """The lines after "Specifically:"; anything else is free text the rules cannot read."""
    lines = spec.splitlines()
    stripped = [ln.strip() for ln in lines]
    if "Specifically:" not in stripped:
        raise UnsupportedMethod(FREE_TEXT)
    return lines[stripped.index("Specifically:") + 1 :]


def unreadable(line: str) -> UnsupportedMethod:
    return UnsupportedMethod(
        f"the offline reasoner cannot read the spec line {line.strip()!r}: free-text specs "
        "need a model (--model)"
    )


def lcs_pairs(ka: Sequence, kb: Sequence) -> list[tuple[int, int]]:
    """Index pairs of a longest common subsequence of two key sequences: how two scenarios
    line up when noise has removed different parts of each."""
    n, m = len(ka), len(kb)
    lcs = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            lcs[i][j] = (
                lcs[i + 1][j + 1] + 1 if ka[i] == kb[j] else max(lcs[i + 1][j], lcs[i][j + 1])
            )
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if ka[i] == kb[j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif lcs[i + 1][j] >= lcs[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


class RuleSet:
    """The stages every benchmark's rules answer the same way. A rule set supplies how it
    reads demonstrations (`low_level`, `summarize_step`), how it writes a specification from
    summaries (`spec_from_texts`) and how it reads that specification back (`spec_to_code`);
    function definitions come from its skill library, `data/<benchmark>/skills.py`."""

    benchmark: str

    def __init__(self) -> None:
        self.skills = packaged_data_dir() / self.benchmark / "skills.py"
        self._read: tuple[list[str], str | None] | None = None  # what `repair` re-reads

    # --- what each rule set provides ----------------------------------------------------
    def low_level(self, text: str) -> list[str]:
        raise NotImplementedError

    def spec_from_texts(self, texts: list[str], instruction: str | None) -> str:
        raise NotImplementedError

    def spec_to_code(self, spec: str) -> str:
        raise NotImplementedError

    # --- shared stages --------------------------------------------------------------------
    def specify(self, ctx: StageContext, summaries: list[str], instruction: str | None):
        self._read = (list(summaries), instruction)
        return StageAnswer(self.spec_from_texts(summaries, instruction))

    def write_code(self, ctx: StageContext, spec: str) -> StageAnswer:
        code = self.spec_to_code(spec)
        return StageAnswer(code, code=code)

    def define(self, ctx: StageContext, signature: str, program_so_far: str) -> StageAnswer:
        return define_from_library(self.skills, signature)

    def code_from_demos(self, ctx: StageContext, demos: list[str], instruction: str | None):
        self._read = (list(demos), instruction)
        code = self.spec_to_code(self.spec_from_texts(demos, instruction))
        return StageAnswer(code, code=code)

    def spec_from_demos(self, ctx: StageContext, demos: list[str], instruction: str | None):
        return self.specify(ctx, demos, instruction)

    def low_level_actions(self, ctx: StageContext, text: str) -> StageAnswer:
        return StageAnswer("\n".join(self.low_level(text)))

    # --- repair: the other readings of the same scenarios -----------------------------------
    def readings(self, texts: list[str], instruction: str | None) -> list[list[str]]:
        """Which scenarios to merge, in which order: all of them (today's reading), all in
        the other order (a merge of scenarios that disagree keeps the first one's objects),
        each scenario alone (one scenario noise did not reach), all but one."""
        n = len(texts)
        orders = [list(range(n)), list(range(n))[::-1]]
        orders += [[i] for i in range(n)] if n > 1 else []
        orders += [[j for j in range(n) if j != i] for i in range(n)] if n > 2 else []
        out: list[list[str]] = []
        for order in orders:
            chosen = [texts[i] for i in order]
            if chosen not in out:
                out.append(chosen)
        return out

    def alternative_specs(
        self, texts: list[str], instruction: str | None, failure: str
    ) -> list[str]:
        """Specifications a rule set reads differently from the same texts (bridging what
        noise hid, or a fact the self-check's `failure` names), tried after the other
        readings; none by default."""
        return []

    def repair(self, ctx: StageContext, program: str, failure: str) -> StageAnswer:
        """Rules answer every other reading they have of the scenarios they specified from
        (their alternative readings may use a fact the failure names), and the self-check
        keeps the first that agrees."""
        if self._read is None:
            raise UnsupportedMethod("the offline reasoner repairs only programs it specified")
        texts, instruction = self._read
        candidates: list[str] = []
        specs = [
            lambda chosen=chosen: self.spec_from_texts(chosen, instruction)
            for chosen in self.readings(texts, instruction)[1:]
        ]
        try:
            more = self.alternative_specs(texts, instruction, failure)
        except Exception:  # noqa: BLE001 - no alternative reading of these texts
            more = []
        specs += [lambda spec=spec: spec for spec in more]
        for spec_of in specs:
            try:
                code = self.spec_to_code(spec_of())
            except Exception:  # noqa: BLE001 - a reading the rules cannot turn into code
                continue
            if code not in candidates:
                candidates.append(code)
        if not candidates:
            raise UnsupportedMethod("the offline reasoner has no other reading of these scenarios")
        text = f"{len(candidates)} other readings of the scenarios"
        return StageAnswer(text, code=candidates[0], extra={"candidates": candidates})
