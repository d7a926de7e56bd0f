"""Robotouille rules for every pipeline stage.

Summaries go up in two levels, each written as text a model could have written:
  level 0 -> 1 (reading.py): predicate changes -> low-level actions ("Pick up 'patty1'.")
  level 1 -> 2 (subtasks.py): low-level actions -> subtasks ("Cook 'patty1'.")
The plan (planning.py) abstracts object ids to roles, finds repeated units and work that
overlaps a time-taking process, and is written (spec.py) in a small line-oriented language
that code.py reads back.
"""

from __future__ import annotations

import re

from demo2code.reasoners.base import GenerationFailed, StageAnswer, StageContext
from demo2code.reasoners.symbolic.common import RuleSet
from demo2code.reasoners.symbolic.robotouille.alternatives import alternative_specs
from demo2code.reasoners.symbolic.robotouille.code import spec_to_code
from demo2code.reasoners.symbolic.robotouille.planning import (
    HIGH,
    merge_scenarios,
    parse_ops,
    plan_of,
)
from demo2code.reasoners.symbolic.robotouille.reading import low_level
from demo2code.reasoners.symbolic.robotouille.spec import spec_text
from demo2code.reasoners.symbolic.robotouille.subtasks import LOW, subtasks

__all__ = ["RobotouilleRules", "low_level", "spec_to_code", "subtasks"]


# --- the rules object ------------------------------------------------------------------------


class RobotouilleRules(RuleSet):
    benchmark = "robotouille"
    low_level = staticmethod(low_level)
    spec_to_code = staticmethod(spec_to_code)

    def summarize_step(self, ctx: StageContext, text: str, level: int) -> StageAnswer:
        if level == 0:
            if not re.search(r"^State \d+:", text, re.M):  # merged chunk summaries
                return StageAnswer(text, done=False)
            return StageAnswer("\n".join(low_level(text)), done=False)
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if any(rx.match(ln.strip()) for ln in lines for _, rx in HIGH) and not any(
            LOW[0][1].match(ln.strip()) for ln in lines
        ):
            return StageAnswer(text, done=True)  # already at the subtask level
        return StageAnswer("\n".join(subtasks(lines)), done=True)

    def spec_from_texts(self, texts: list[str], instruction: str | None) -> str:
        op_lists = [ops for ops in map(parse_ops, texts) if ops]
        if not op_lists:
            raise GenerationFailed("the demonstrations show no cooking, cutting or stacking")
        return spec_text(plan_of(merge_scenarios(op_lists)), instruction)

    def alternative_specs(
        self, texts: list[str], instruction: str | None, failure: str
    ) -> list[str]:
        return alternative_specs(texts, instruction, failure)  # only repair reads these
