"""A real, tiny Episode for sandbox tests: a counter robot with a step budget."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from demo2code.benchmarks.base import ActionFailed, StepLimitReached


class CounterEpisode:
    """`add(n)` moves the counter up (n must be positive), `take(n)` down (never below 0).

    Every action costs one step; past `max_steps` each action raises StepLimitReached.
    Failures are recorded in the trace even when the program catches them.
    """

    def __init__(self, start: int = 0, max_steps: int = 20):
        self.value = start
        self.max_steps = max_steps
        self.actions: list[str] = []
        self.said: list[str] = []
        self.failures: list[dict[str, Any]] = []
        self.namespace: dict[str, Callable[..., Any]] = {
            "add": self.add,
            "take": self.take,
            "value": self.get_value,
            "say": self.say,
        }

    def _step(self, action: str) -> None:
        if len(self.actions) >= self.max_steps:
            self._fail(StepLimitReached(f"step limit of {self.max_steps} reached at {action}"))
        self.actions.append(action)

    def _fail(self, err: Exception) -> None:
        outcome = type(err).outcome  # type: ignore[attr-defined]
        action = getattr(err, "action", "")
        self.failures.append({"outcome": outcome, "action": action, "message": str(err)})
        raise err

    def add(self, n: int) -> int:
        self._step(f"add({n})")
        if n <= 0:
            self._fail(ActionFailed(f"add({n})", "n must be positive"))
        self.value += n
        return self.value

    def take(self, n: int) -> int:
        self._step(f"take({n})")
        if n > self.value:
            self._fail(ActionFailed(f"take({n})", f"counter is only {self.value}"))
        self.value -= n
        return self.value

    def get_value(self) -> int:
        return self.value

    def say(self, text: str) -> None:
        self.said.append(str(text))

    def trace(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "actions": list(self.actions),
            "said": list(self.said),
            "failures": [dict(f) for f in self.failures],
        }


class OddEpisode(CounterEpisode):
    """CounterEpisode plus API functions with unusual answers: a tuple, a KeyError, an
    object that is not plain data (a benchmark bug the program must not receive)."""

    def __init__(self) -> None:
        super().__init__()
        self.namespace.update(
            lookup=self.lookup, both=self.both, opaque=self.opaque, echo=self.echo
        )

    def lookup(self, key: str) -> int:
        return {"known": 1}[key]

    def both(self) -> tuple[int, int]:
        return (1, 2)

    def opaque(self) -> object:
        return self

    def echo(self, value: object) -> object:
        return value


class _Chooser:
    def __init__(self) -> None:
        self.calls = 0

    def choice(self, options: list) -> object:
        self.calls += 1
        return options[-1]


class _Toolbox:
    """An object in the namespace: its public functions reach the program by dotted name."""

    def __init__(self) -> None:
        self.random = _Chooser()


class ToolboxEpisode(CounterEpisode):
    def __init__(self) -> None:
        super().__init__()
        self.namespace.update(np=_Toolbox(), CORNERS=["a", "b"])  # type: ignore[dict-item]
