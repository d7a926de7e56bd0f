"""What a pipeline run produces: limits in, records and the final program out."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Limits:
    """Recursion and size limits. `token_budget` caps the demonstration text handed to any
    single summarization call (counted with tiktoken for `token_model`); longer text is
    summarized in chunks split on state boundaries and the chunk summaries merged."""

    summary_depth: int = 4
    expand_depth: int = 5
    token_budget: int = 3000
    token_model: str = "gpt-3.5-turbo"
    max_functions: int = 60  # a define loop that keeps inventing names stops here

    def __post_init__(self) -> None:
        for name in ("summary_depth", "expand_depth", "token_budget", "max_functions"):
            if getattr(self, name) < 1:
                raise ValueError(f"Limits.{name} must be at least 1")


@dataclass(frozen=True)
class StageRecord:
    """One reasoner call: what went in (briefly), what came out, and what it cost."""

    stage: str
    input: str  # short description of the input, e.g. "scenario 1, level 0, chunk 2/3"
    text: str  # the raw answer
    code: str | None = None
    done: bool | None = None
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    cached: bool = False
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ScenarioSummary:
    """Every level of one scenario's summary: `levels[0]` is the answer to level 0 (raw
    predicates in), the last entry is what `specify` sees."""

    scenario: int
    source: str
    levels: list[str] = field(default_factory=list)
    done: bool = False  # the reasoner said "enough" (False: stopped by the depth limit)

    @property
    def final(self) -> str:
        return self.levels[-1] if self.levels else self.source

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "levels": list(self.levels),
            "done": self.done,
        }


@dataclass
class Synthesis:
    """The outcome of one method on one demonstration. `failed` runs keep everything that
    was produced before the failure."""

    method: str
    program: str | None = None
    spec: str | None = None
    summaries: list[ScenarioSummary] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)  # helper functions, definition order
    records: list[StageRecord] = field(default_factory=list)
    failed: bool = False
    error: str | None = None
    retryable: bool = False  # failed because the model could not be reached: try again later
    repair: dict[str, Any] | None = None  # the self-check and repair log (--repair N > 0)
    first_program: str | None = None  # the program before repair, when repair changed it

    @property
    def calls(self) -> int:
        return sum(r.calls for r in self.records)

    @property
    def prompt_tokens(self) -> int:
        return sum(r.prompt_tokens for r in self.records)

    @property
    def completion_tokens(self) -> int:
        return sum(r.completion_tokens for r in self.records)

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def by_stage(self) -> dict[str, dict[str, int]]:
        """Calls and tokens per stage, in first-seen order (for reports and the bench)."""
        out: dict[str, dict[str, int]] = {}
        for r in self.records:
            row = out.setdefault(r.stage, {"calls": 0, "tokens": 0})
            row["calls"] += r.calls
            row["tokens"] += r.prompt_tokens + r.completion_tokens
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "failed": self.failed,
            "error": self.error,
            "retryable": self.retryable,
            "program": self.program,
            "spec": self.spec,
            "summaries": [s.to_json() for s in self.summaries],
            "functions": list(self.functions),
            "calls": self.calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "records": [r.to_json() for r in self.records],
        } | self._repair_json()

    def _repair_json(self) -> dict[str, Any]:
        """Only with --repair N > 0, so records made with --repair 0 are today's exactly."""
        if self.repair is None:
            return {}
        return {"repair": self.repair, "first_program": self.first_program}
