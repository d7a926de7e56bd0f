"""The self-check: run a generated program in its demonstrations' own scenarios and compare
what happened with what the demonstrator did (issue 14). Nothing from the test side is used."""

from demo2code.selfcheck.check import CheckReport, ScenarioCheck, self_check

__all__ = ["CheckReport", "ScenarioCheck", "self_check"]
