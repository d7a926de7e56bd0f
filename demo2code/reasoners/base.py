"""What answers each pipeline stage. The recursion in `demo2code.pipeline` only sees this
protocol, so an LLM (`prompted`) and the offline rules (`symbolic`) are interchangeable.

Every method returns a `StageAnswer`: `text` is what a model would have written (kept in the
records and transcripts), the other fields are what the pipeline acts on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from demo2code.errors import Demo2CodeError


class UnsupportedMethod(Demo2CodeError):
    """A reasoner that cannot serve a method (e.g. rules cannot read free text)."""


class GenerationFailed(Demo2CodeError):
    """A stage produced nothing usable (no code block, syntax error after retries, ...).
    The pipeline reports it as a failed generation; it never crashes the run."""


@dataclass(frozen=True)
class StageContext:
    """What every stage may look at. `demos` are rendered in the paper's text style; the
    reasoner never sees task ids, file names or reference programs."""

    benchmark: str  # "robotouille" | "tabletop" | "epic": selects prompt folder / rule set
    api_reference: str
    api_names: frozenset[str]  # functions the generated code may call


@dataclass(frozen=True)
class StageAnswer:
    text: str  # raw answer (model text, or the rules' rendering of the same thing)
    done: bool = True  # summarize_step: is the summary at the top level now?
    code: str | None = None  # code stages: the extracted code
    calls: int = 0  # model calls spent (0 for rules)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached: bool = False
    extra: dict = field(default_factory=dict)


class Reasoner(Protocol):
    name: str

    def summarize_step(self, ctx: StageContext, text: str, level: int) -> StageAnswer:
        """One level of recursive summarization of ONE scenario's text (level 0 = raw
        predicate changes). `done` says whether another level is needed."""
        ...

    def specify(
        self, ctx: StageContext, summaries: list[str], instruction: str | None
    ) -> StageAnswer:
        """All scenario summaries (+ the instruction, unless the method hides it) -> one
        task specification in the paper's style ("Specifically:" then steps)."""
        ...

    def write_code(self, ctx: StageContext, spec: str) -> StageAnswer:
        """Specification (or a bare instruction) -> high-level code that may call functions
        that do not exist yet."""
        ...

    def define(self, ctx: StageContext, signature: str, program_so_far: str) -> StageAnswer:
        """Define one undefined function (its call signature as used, e.g.
        `cook_object_at_location(patty, stove)`); the body may call further undefined ones."""
        ...

    def repair(self, ctx: StageContext, program: str, failure: str) -> StageAnswer:
        """The self-check found `failure` (outcome, line and message, or the first
        disagreement with the demonstrations): a corrected program, whole or only the
        functions it redefines. A reasoner with several readings may offer them all in
        `extra["candidates"]` (high-level code each), best first."""
        ...

    # --- the paper's chain-of-thought ablations --------------------------------------------
    def code_from_demos(
        self, ctx: StageContext, demos: list[str], instruction: str | None
    ) -> StageAnswer:
        """nocot: demonstrations straight to high-level code."""
        ...

    def spec_from_demos(
        self, ctx: StageContext, demos: list[str], instruction: str | None
    ) -> StageAnswer:
        """1step: all demonstrations to a specification in one call."""
        ...

    def low_level_actions(self, ctx: StageContext, text: str) -> StageAnswer:
        """2steps: one scenario's predicates to low-level actions in one call."""
        ...
