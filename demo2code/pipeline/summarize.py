"""Recursive summarization of one scenario, with a token budget per call.

Each level hands the previous level's text to `summarize_step` until the reasoner says the
summary is enough or the depth limit is hit. Text longer than the budget is cut into chunks
on state boundaries (`State 3:` headers; lines, if one state alone is too long), each chunk
is summarized at the same level, and the chunk summaries are merged by one more
`summarize_step` over their concatenation (itself chunked again if still too long).
"""

from __future__ import annotations

import re

from demo2code.errors import Demo2CodeError
from demo2code.llm.tokens import count_tokens
from demo2code.pipeline.records import Limits, ScenarioSummary
from demo2code.pipeline.runner import Key, Runner
from demo2code.reasoners.base import GenerationFailed, Reasoner, StageAnswer, StageContext

# "State 2:", "Initial State (State 1):", "Initial Condition (State 1):", "[Scenario 1]"
_BOUNDARY = re.compile(r"^\s*(?:\[Scenario \d+\]|(?:[A-Za-z ]+\()?State \d+\)?:)\s*$")
_MAX_MERGE_ROUNDS = 4


class BudgetError(Demo2CodeError):
    """The text cannot be brought under the token budget."""


def split_blocks(text: str) -> list[str]:
    """The text cut before every state/scenario header; the joined blocks give it back."""
    blocks: list[list[str]] = [[]]
    for line in text.splitlines(keepends=True):
        if _BOUNDARY.match(line) and any(s.strip() for s in blocks[-1]):
            blocks.append([])
        blocks[-1].append(line)
    return ["".join(b) for b in blocks if b]


def chunk_text(text: str, budget: int, model: str) -> list[str]:
    """Greedy packing of whole states into chunks of at most `budget` tokens. A state longer
    than the budget is split on lines; a single line longer than the budget is an error."""
    pieces: list[str] = []
    for block in split_blocks(text):
        if count_tokens(block, model) <= budget:
            pieces.append(block)
            continue
        for line in block.splitlines(keepends=True):
            if count_tokens(line, model) > budget:
                raise BudgetError(
                    f"one line of the demonstration is longer than the token budget "
                    f"({budget}): {line[:60]!r}"
                )
            pieces.append(line)
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = current + piece
        if current and count_tokens(candidate, model) > budget:
            chunks.append(current)
            current = piece
        else:
            current = candidate
    if current.strip():
        chunks.append(current)
    return chunks


class Summarizer:
    """Summarizes scenarios through a reasoner, recording every call in the runner."""

    def __init__(self, reasoner: Reasoner, ctx: StageContext, runner: Runner, limits: Limits):
        self.reasoner, self.ctx, self.runner, self.limits = reasoner, ctx, runner, limits

    def scenarios(self, texts: list[str]) -> list[ScenarioSummary]:
        """All scenarios, concurrently; the result is in scenario order."""
        return self.runner.map(lambda pair: self.scenario(*pair), list(enumerate(texts)))

    def scenario(self, index: int, text: str) -> ScenarioSummary:
        summary = ScenarioSummary(scenario=index, source=text)
        current = text
        for level in range(self.limits.summary_depth):
            answer = self._level(
                current, level, key=(0, index, level), label=f"scenario {index + 1}"
            )
            current = answer.text.strip()
            if not current:
                raise GenerationFailed(f"summary of scenario {index + 1} at level {level} is empty")
            summary.levels.append(current)
            if answer.done:
                summary.done = True
                break
        return summary

    def _level(self, text: str, level: int, key: Key, label: str, rounds: int = 0) -> StageAnswer:
        """One level over `text`, chunked when it is over budget."""
        budget, model = self.limits.token_budget, self.limits.token_model
        what = f"{label}, level {level}"
        if count_tokens(text, model) <= budget:
            return self.runner.call(
                key, "summarize_step", what,
                lambda: self.reasoner.summarize_step(self.ctx, text, level),
            )  # fmt: skip
        if rounds >= _MAX_MERGE_ROUNDS:
            raise BudgetError(
                f"{label}: chunk summaries at level {level} stay over the token budget "
                f"({budget}) after {rounds} merge rounds"
            )
        chunks = chunk_text(text, budget, model)
        if len(chunks) < 2:
            raise BudgetError(f"{label}: cannot split the text at level {level} under the budget")

        def one(pair: tuple[int, str]) -> str:
            j, chunk = pair
            answer = self.runner.call(
                (*key, rounds, j), "summarize_step", f"{what}, chunk {j + 1}/{len(chunks)}",
                lambda: self.reasoner.summarize_step(self.ctx, chunk, level),
            )  # fmt: skip
            return answer.text.strip()

        parts = self.runner.map(one, list(enumerate(chunks)))
        merged = "\n\n".join(p for p in parts if p)
        return self._level(
            merged, level, (*key, rounds, len(chunks)), label + " (merge)", rounds + 1
        )
