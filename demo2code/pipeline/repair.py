"""The closed loop (issue 14): check the program against its own demonstrations, and when
they disagree ask the `repair` stage for a corrected one, up to N rounds.

The repair stage sees the program and the self-check's words only. A model answers one
program (whole, or the functions it redefines); the offline rules answer every other
reading they have (`extra["candidates"]`), and the first that agrees is kept. A repair that
never agrees keeps the last program and says why it stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from demo2code import codegen
from demo2code.errors import Demo2CodeError
from demo2code.pipeline.expand import expand
from demo2code.pipeline.records import Limits
from demo2code.pipeline.runner import Runner
from demo2code.reasoners.base import GenerationFailed, Reasoner, StageContext

PHASE_REPAIR = 100  # record keys: (PHASE_REPAIR * round,) and its defines above it


class Report(Protocol):
    """What the self-check returns (demo2code.selfcheck.CheckReport)."""

    @property
    def agrees(self) -> bool: ...

    @property
    def reason(self) -> str | None: ...


Check = Callable[[str], Report]


@dataclass
class RepairLog:
    """`self_check`: did the first program agree; `repairs`: rounds used; `agrees`: does the
    kept program agree; `stopped`: why the loop ended without agreement."""

    self_check: bool
    first_disagreement: str | None = None
    repairs: int = 0
    agrees: bool = False
    stopped: str | None = None
    rounds: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "self_check": self.self_check,
            "first_disagreement": self.first_disagreement,
            "repairs": self.repairs,
            "agrees": self.agrees,
            "stopped": self.stopped,
            "rounds": self.rounds,
        }


def merge_answer(program: str, code: str) -> str:
    """The answer's functions replace those of the same name, its main body (if it has one)
    replaces the old one; functions it does not mention are kept, so a whole program and a
    few redefined functions are both answers."""
    defs, body = codegen.split_definitions(code)
    old, old_body = codegen.split_definitions(program)
    main = body if body.strip() else old_body
    parts = [*{**old, **defs}.values()] + ([main] if main.strip() else [])
    return codegen.assemble("\n\n".join(parts), {})


def _disagreements(rounds: list[dict[str, Any]], n: int) -> str:
    """Round `n`'s readings' disagreements, one a line, each once."""
    seen = [r["disagreement"] for r in rounds if r.get("round") == n and r.get("disagreement")]
    return "\n".join(dict.fromkeys(seen))


def repair_loop(
    program: str,
    check: Check,
    reasoner: Reasoner,
    ctx: StageContext,
    runner: Runner,
    limits: Limits,
    rounds: int,
) -> tuple[str, RepairLog]:
    report = check(program)
    log = RepairLog(self_check=report.agrees, first_disagreement=report.reason)
    log.agrees = report.agrees
    failure = report.reason
    for n in range(1, rounds + 1):
        if log.agrees:
            break
        log.repairs = n
        try:
            answer = runner.call(
                (PHASE_REPAIR * n,), "repair", f"round {n}: {failure}",
                lambda p=program, f=failure: reasoner.repair(ctx, p, f or ""),
            )  # fmt: skip
        except Demo2CodeError as err:  # no usable answer: keep the program, say why
            log.stopped = f"round {n}: {err}"
            break
        candidates = answer.extra.get("candidates") or [answer.code or ""]
        several = len(candidates) > 1
        kept, kept_reason = None, failure
        for k, code in enumerate(candidates):
            try:
                merged = merge_answer(program, code)
                # the rules' readings are expanded from their skill library at no cost; a
                # model's helpers are defined by the model, counted under this round
                own = Runner(1) if several else runner
                full = expand(merged, reasoner, ctx, own, limits, phase=PHASE_REPAIR * n + 10)
            except (GenerationFailed, SyntaxError) as err:
                log.rounds.append({"round": n, "candidate": k, "error": str(err)})
                continue
            result = check(full.program)
            log.rounds.append({"round": n, "candidate": k, "agrees": result.agrees,
                               "disagreement": result.reason})  # fmt: skip
            if result.agrees or not several:  # a model's answer is kept even if it fails
                kept, kept_reason = full.program, result.reason
            if result.agrees:
                break
        if kept is None:
            # readings are all tried at once: none agrees, so the first reading stays; the
            # next round hears what each reading disagreed on (a rule set may read a missing
            # fact from it), and stops here when it has nothing new to hear
            heard = _disagreements(log.rounds, n)
            if several and n < rounds and heard and heard != failure:
                failure = heard
                continue
            log.stopped = (
                f"round {n}: none of the {len(candidates)} other readings agrees"
                if several
                else f"round {n}: no usable program in the answer"
            )
            break
        program, failure = kept, kept_reason
        log.agrees = failure is None
    if not log.agrees and log.stopped is None:
        log.stopped = f"no agreement after {rounds} repair round(s): {failure}"
    return program, log
