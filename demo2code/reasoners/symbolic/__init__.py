"""The offline reasoner: every stage answered by rules, per benchmark.

It reads only what a model would read (the rendered demonstrations, the summaries, the
specification) and never looks a task up by id, file name or instruction text.
"""

from __future__ import annotations

import importlib

from demo2code.reasoners.base import StageAnswer, StageContext, UnsupportedMethod

# Methods that read free text (an instruction or a spec written by a person); rules cannot.
FREE_TEXT_METHODS = frozenset({"lang2code", "spec2code"})
# Ablations of a model's chain of thought (or of its instruction). One set of rules answers
# every stage the same way whatever the chain, so offline they would only repeat demo2code's
# programs under another name; `eval` refuses them offline with this reason (README).
_SAME_RULES = "the offline reasoner's rules answer every stage alike, so offline it would "
CHAIN_ABLATIONS = {
    m: f"--method {m} ablates a model's {what}; {_SAME_RULES}only repeat demo2code's "
    "programs; give a model with --model (and --base-url for a local server)"
    for m, what in (
        ("nocot", "chain of thought"),
        ("1step", "chain of thought"),
        ("2steps", "chain of thought"),
        ("demonolang2code", "instruction"),
    )
}


def offline_refusal(method: str) -> str | None:
    """Why the offline reasoner cannot run `method` (one line), or None when it can; eval and
    synthesize both ask here, so the two commands refuse the same methods alike."""
    if method in FREE_TEXT_METHODS:
        return (
            f"--method {method} reads free text, which the offline reasoner cannot; "
            "give a model with --model (and --base-url for a local server)"
        )
    return CHAIN_ABLATIONS.get(method)


RULES = {
    "robotouille": "demo2code.reasoners.symbolic.robotouille:RobotouilleRules",
    "tabletop": "demo2code.reasoners.symbolic.tabletop:TabletopRules",
    "epic": "demo2code.reasoners.symbolic.epic:EpicRules",
}


class SymbolicReasoner:
    """Dispatches each stage to the rule set of the context's benchmark."""

    name = "symbolic"

    def __init__(self) -> None:
        self._rules: dict[str, object] = {}

    def _for(self, ctx: StageContext):
        if ctx.benchmark not in self._rules:
            if ctx.benchmark not in RULES:
                raise UnsupportedMethod(f"the offline reasoner has no rules for {ctx.benchmark!r}")
            module, cls = RULES[ctx.benchmark].split(":")
            try:
                self._rules[ctx.benchmark] = getattr(importlib.import_module(module), cls)()
            except ModuleNotFoundError as err:
                if err.name != module:  # a real import error inside the rules: let it show
                    raise
                raise UnsupportedMethod(
                    f"the offline reasoner has no rules for {ctx.benchmark!r} yet; use --model"
                ) from None
        return self._rules[ctx.benchmark]

    def summarize_step(self, ctx: StageContext, text: str, level: int) -> StageAnswer:
        return self._for(ctx).summarize_step(ctx, text, level)

    def specify(self, ctx: StageContext, summaries: list[str], instruction: str | None):
        return self._for(ctx).specify(ctx, summaries, instruction)

    def write_code(self, ctx: StageContext, spec: str) -> StageAnswer:
        return self._for(ctx).write_code(ctx, spec)

    def define(self, ctx: StageContext, signature: str, program_so_far: str) -> StageAnswer:
        return self._for(ctx).define(ctx, signature, program_so_far)

    def code_from_demos(self, ctx: StageContext, demos: list[str], instruction: str | None):
        return self._for(ctx).code_from_demos(ctx, demos, instruction)

    def spec_from_demos(self, ctx: StageContext, demos: list[str], instruction: str | None):
        return self._for(ctx).spec_from_demos(ctx, demos, instruction)

    def low_level_actions(self, ctx: StageContext, text: str) -> StageAnswer:
        return self._for(ctx).low_level_actions(ctx, text)

    def repair(self, ctx: StageContext, program: str, failure: str) -> StageAnswer:
        return self._for(ctx).repair(ctx, program, failure)
