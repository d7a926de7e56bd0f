"""Resource limits and the result of one sandboxed run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Limits:
    """Per-run limits. The wall clock and CPU time cover the whole child (episode set-up too)."""

    wall_seconds: float = 10.0
    cpu_seconds: float = 10  # RLIMIT_CPU takes whole seconds: rounded up, at least 1
    memory_mb: int = 512  # on top of what the child maps right after fork
    max_output_chars: int = 20_000
    grace_seconds: float = 1.0  # for a dead program's set-up process to report how it ended


@dataclass
class RunResult:
    """What happened when one program ran; `outcome` is a `benchmarks.base.Outcome`."""

    outcome: str
    message: str = ""
    line: int | None = None
    output: str = ""
    trace: dict[str, Any] | None = None
    seconds: float = 0.0
    output_truncated: bool = False
    isolation: list[str] = field(default_factory=list)  # the layers that were active

    @property
    def succeeded(self) -> bool:
        return self.outcome == "finished"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunResult:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})
