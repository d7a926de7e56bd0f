"""The closed loop with a real client and the scripted OpenAI-compatible server: a first
program that disagrees with its own demonstrations is repaired; the repair prompt holds the
program and the self-check's words only; a repair that never converges stops at N."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from demo2code import codegen
from demo2code.benchmarks import get_benchmark
from demo2code.benchmarks.base import api_names
from demo2code.evaluation.generation import demo_check
from demo2code.pipeline import synthesize
from demo2code.pipeline.records import Limits
from demo2code.pipeline.repair import merge_answer, repair_loop
from demo2code.pipeline.runner import Runner
from demo2code.reasoners.base import StageAnswer, StageContext
from demo2code.reasoners.symbolic import SymbolicReasoner
from tests.pipeline.conftest import first_user

BENCH = get_benchmark("robotouille")
TASK = BENCH.task("burger-lettuce-on-patty-immediately")
REFERENCE = BENCH.reference_code(TASK)
NO_CUT = REFERENCE.replace("\ncut_obj(lettuce)\n", "\n")
CTX = StageContext(BENCH.name, BENCH.api_reference(), api_names(BENCH, TASK))
REPAIR_OPENING = "It does not do what the demonstrator did"


def _script(answers: list[str]) -> Callable[[list[dict[str, Any]]], str]:
    """nocot's one code call answers the program without the cut; each repair call answers
    the next of `answers` (the last one again when they run out)."""
    state = {"repairs": 0}

    def respond(messages: list[dict[str, Any]]) -> str:
        prompt = first_user(messages)
        if REPAIR_OPENING in prompt:
            state["repairs"] += 1
            return f"```python\n{answers[min(state['repairs'], len(answers)) - 1]}\n```"
        return f"Here it is.\n```python\n{NO_CUT}\n```"

    return respond


def _repair_prompts(server) -> list[str]:
    prompts = [first_user(r["messages"]) for r in server.requests]
    return [p for p in prompts if REPAIR_OPENING in p]


def test_failing_first_answer_is_repaired_and_the_prompt_holds_no_test(reasoner_for) -> None:
    main_only = REFERENCE.split("\nused_objs = []\n")[1]
    reasoner, server = reasoner_for(_script(["used_objs = []\n" + main_only]))
    demo = BENCH.demos(TASK)
    result = synthesize(
        "nocot", demo, demo.instruction, None, CTX, reasoner,
        check=demo_check(BENCH, demo), repair=2,
    )  # fmt: skip
    assert not result.failed, result.error
    log = result.repair
    assert log is not None
    assert log["self_check"] is False and log["agrees"] is True and log["repairs"] == 1
    assert log["first_disagreement"] == (
        "scenario 1: 'lettuce1' was never cut; the demonstration cut it before stacking it "
        "on 'patty1'"
    )
    assert log["calls"] == 1 and log["prompt_tokens"] > 0 and log["completion_tokens"] > 0
    assert result.first_program is not None and "cut_obj(lettuce)" not in result.first_program
    assert "cut_obj(lettuce)" in (result.program or "")
    assert demo_check(BENCH, demo)(result.program or "").agrees
    assert result.calls == 2  # the code call and one repair
    (prompt,) = _repair_prompts(server)
    assert log["first_disagreement"] in prompt and "def cut_obj" in prompt
    # the program and the self-check's words only: no test seed, unit test or reference
    test = json.dumps(TASK.data["test"].to_json())
    for secret in (TASK.id, TASK.spec, test, REFERENCE, "seed", '"chains"'):
        assert secret not in prompt
    assert "subgoal" not in prompt and "unit test" not in prompt


def test_repair_that_never_converges_stops_at_n_and_keeps_the_last(reasoner_for) -> None:
    still_wrong = [NO_CUT.replace("cook_obj(patty)", "cook_obj(patty)\nnoop()", 1), NO_CUT]
    reasoner, server = reasoner_for(_script(still_wrong))
    demo = BENCH.demos(TASK)
    result = synthesize(
        "nocot", demo, demo.instruction, None, CTX, reasoner,
        check=demo_check(BENCH, demo), repair=2,
    )  # fmt: skip
    log = result.repair
    assert log is not None and not log["agrees"] and log["repairs"] == 2
    assert log["stopped"].startswith("no agreement after 2 repair round(s): scenario 1:")
    assert len(_repair_prompts(server)) == 2
    # the last answer is kept; it is the first program again, so nothing is "before repair"
    assert result.program == codegen.assemble(NO_CUT, {}) and result.first_program is None
    assert log["calls"] == 2


def test_repair_zero_is_todays_record(reasoner_for) -> None:
    reasoner, _ = reasoner_for(_script([REFERENCE]))
    demo = BENCH.demos(TASK)
    result = synthesize("nocot", demo, demo.instruction, None, CTX, reasoner, repair=0,
                        check=demo_check(BENCH, demo))  # fmt: skip
    assert result.repair is None and result.first_program is None
    assert "repair" not in result.to_json() and result.calls == 1


def test_redefined_functions_replace_only_themselves() -> None:
    program = "def a():\n    noop()\n\ndef b():\n    a()\nb()\n"
    merged = merge_answer(program, "def a():\n    cut('x')\n")
    assert "cut('x')" in merged and "def b" in merged and merged.rstrip().endswith("b()")
    body_only = merge_answer(program, "noop()\n")
    assert "def a" in body_only and body_only.rstrip().endswith("noop()")
    assert "b()" not in body_only.split("\n\n")[-1]


def test_offline_reasoner_keeps_the_reading_that_agrees() -> None:
    """Noise makes the merged reading of the two scenarios cook the patty twice; another
    reading agrees with both demonstrations and is kept."""
    from demo2code.noise import NoiseSpec, apply_noise

    task = BENCH.task("burger-lettuce-on-patty-after-prep")
    specs = [NoiseSpec.parse("drop-state=0.1"), NoiseSpec.parse("drop-predicate=0.1")]
    demo = apply_noise(BENCH.demos(task), specs, 0)
    ctx = StageContext(BENCH.name, BENCH.api_reference(), api_names(BENCH, task))
    check = demo_check(BENCH, demo)
    plain = synthesize("demo2code", demo, task.instruction, None, ctx, SymbolicReasoner())
    assert not check(plain.program or "").agrees
    fixed = synthesize("demo2code", demo, task.instruction, None, ctx, SymbolicReasoner(),
                       check=check, repair=2)  # fmt: skip
    assert fixed.repair is not None and fixed.repair["agrees"] and fixed.repair["calls"] == 0
    assert fixed.first_program == plain.program and fixed.program != plain.program
    from demo2code.evaluation.episodes import run_episode

    assert all(run_episode(BENCH, task, s, fixed.program or "").passed for s in (0, 1))


class _Readings:
    """Rules-like repair stage: several readings a round. Round 1's readings both disagree;
    it answers the agreeing one only once it has heard what they disagreed on."""

    def __init__(self, wrong: list[str], right: str):
        self.wrong, self.right = wrong, right
        self.heard: list[str] = []

    def repair(self, ctx: StageContext, program: str, failure: str) -> StageAnswer:
        self.heard.append(failure)
        said = "was never stacked" in failure and "was never cut" in failure
        candidates = [*self.wrong, self.right] if said else list(self.wrong)
        return StageAnswer("readings", code=candidates[0], extra={"candidates": candidates})


def test_readings_that_all_disagree_pass_their_words_to_the_next_round() -> None:
    check = demo_check(BENCH, BENCH.demos(TASK))
    no_stack = REFERENCE.replace("\nstack_obj_on(lettuce, patty)\n", "\n")
    assert no_stack != REFERENCE
    readings = _Readings([NO_CUT, no_stack], REFERENCE)
    program, log = repair_loop(no_stack, check, readings, CTX, Runner(1), Limits(), rounds=2)
    assert log.self_check is False and log.agrees and log.repairs == 2
    assert check(program).agrees and "stack_obj_on(lettuce, patty)" in program
    first, second = readings.heard[:2]
    assert "was never stacked" in first and "was never cut" not in first
    # round 2 heard every disagreement of round 1's readings, each once
    assert second.count("\n") == 1 and "was never cut" in second

    stuck = _Readings([NO_CUT, NO_CUT + "noop()\n"], REFERENCE)
    _, log = repair_loop(NO_CUT, check, stuck, CTX, Runner(1), Limits(), rounds=3)
    # a round that hears nothing new stops: no endless re-reading of the same words
    assert not log.agrees and log.repairs == 1 and "none of the 2 other readings" in log.stopped
