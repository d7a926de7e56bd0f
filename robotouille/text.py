"""Facts and changes in the paper's sentence style: `'patty1' is cooked`."""

from __future__ import annotations

from collections.abc import Iterable

from robotouille.env import SHOWN, Change, Fact

TEMPLATES = {
    "at": "'{0}' is {neg}at '{1}'",
    "holding": "'{0}' is {neg}holding '{1}'",
    "atop": "'{0}' is {neg}on top of '{1}'",
    "cut": "'{0}' is {neg}cut",
    "cooked": "'{0}' is {neg}cooked",
}


def fact_text(fact: Fact, value: bool = True) -> str:
    return TEMPLATES[fact[0]].format(*fact[1:], neg="" if value else "not ")


def changes_text(changes: Iterable[Change]) -> list[str]:
    """Only what the paper shows: bookkeeping facts (vacant, empty, clear, ...) are left out."""
    return [fact_text(c.fact, c.value) for c in changes if c.fact[0] in SHOWN]


def state_text(facts: Iterable[Fact]) -> list[str]:
    return sorted(fact_text(f) for f in facts if f[0] in SHOWN)
