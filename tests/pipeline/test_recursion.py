"""The whole recursion through the real client and a scripted OpenAI-compatible server."""

from __future__ import annotations

import ast
import itertools
import re

import pytest

from demo2code.demos import Demonstration
from demo2code.errors import InputError, UnknownName
from demo2code.llm.tokens import count_tokens
from demo2code.pipeline import METHODS, Limits, summarize, synthesize
from tests.pipeline.conftest import (
    CTX,
    DEFINITIONS,
    Script,
    first_user,
    make_demo,
    stage_of,
    summarized_text,
)


def functions_of(program: str) -> list[str]:
    return [n.name for n in ast.parse(program).body if isinstance(n, ast.FunctionDef)]


def test_demo2code_runs_the_whole_recursion(reasoner_for, demo: Demonstration) -> None:
    reasoner, server = reasoner_for(Script(done_level=2))
    result = synthesize("demo2code", demo, None, None, CTX, reasoner, concurrency=4)
    assert not result.failed, result.error
    assert result.program is not None
    assert sorted(functions_of(result.program)) == sorted(DEFINITIONS)  # each exactly once
    assert result.program.rstrip().endswith("noop()")  # main body last
    # two summary levels per scenario: level 0 said "no", level 1 said "yes"
    assert [len(s.levels) for s in result.summaries] == [2, 2]
    assert all(s.done for s in result.summaries)
    assert result.spec and "Specifically:" in result.spec
    stages = [r.stage for r in result.records]
    assert stages == ["summarize_step"] * 4 + ["specify", "write_code"] + ["define"] * 4
    # each name is defined once even though do_task is called twice and reached twice
    defined = [
        re.search(r"(\w+)\(", r.input.split(": ", 1)[1]).group(1)
        for r in result.records
        if r.stage == "define"
    ]  # type: ignore[union-attr]
    assert sorted(defined) == sorted(DEFINITIONS)
    assert result.calls == len(server.requests) == 10
    assert result.tokens > 0 and all(r.prompt_tokens > 0 for r in result.records)


def test_instruction_reaches_specify_only_when_allowed(reasoner_for, demo) -> None:
    reasoner, server = reasoner_for(Script())
    synthesize("demonolang2code", demo, None, None, CTX, reasoner)
    for body in server.requests:
        prompt = first_user(body["messages"])
        if stage_of(body["messages"]) == "summarize_step":
            assert demo.instruction not in summarized_text(prompt)
        if stage_of(body["messages"]) == "specify":
            assert "Instruction: Do the task." not in prompt


def test_summary_depth_limit_stops_a_reasoner_that_never_says_enough(reasoner_for, demo):
    reasoner, _ = reasoner_for(Script(done_level=99))
    result = summarize(demo, CTX, reasoner, limits=Limits(summary_depth=3))
    assert not result.failed
    assert [len(s.levels) for s in result.summaries] == [3, 3]
    assert not any(s.done for s in result.summaries)
    assert result.program is None and result.spec


def test_transient_faults_are_retried(reasoner_for, demo) -> None:
    reasoner, server = reasoner_for(Script(), faults=["429", "500", "timeout", "drop"], timeout=0.3)
    result = synthesize("demo2code", demo, None, None, CTX, reasoner, concurrency=1)
    assert not result.failed, result.error
    assert len(server.requests) == result.calls + 4


def test_model_error_is_a_failed_generation(reasoner_for, demo) -> None:
    script = Script()
    script.overrides["specify"] = lambda messages: None  # the server answers HTTP 400
    reasoner, _ = reasoner_for(script)
    result = synthesize("demo2code", demo, None, None, CTX, reasoner)
    assert result.failed and result.program is None
    assert "HTTP 400" in (result.error or "")
    assert result.records[-1].stage == "specify" and result.records[-1].error
    assert len(result.summaries) == 2  # what came before the failure is kept


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("I would rather not write code.", "no Python code"),
        ("```python\ndef broken(:\n    pass\n```", "does not parse"),
        ("", "empty"),
    ],
)
def test_malformed_code_is_retried_once_then_reported(reasoner_for, demo, bad, message):
    script = Script()
    script.overrides["write_code"] = lambda messages: bad
    reasoner, server = reasoner_for(script)
    result = synthesize("demo2code", demo, None, None, CTX, reasoner)
    assert result.failed and result.program is None
    assert message in (result.error or "")
    (record,) = [r for r in result.records if r.stage == "write_code"]
    assert record.calls == 2 and record.error
    retry = [b for b in server.requests if stage_of(b["messages"]) == "write_code"][-1]
    assert retry["messages"][-1]["role"] == "user" and message in retry["messages"][-1]["content"]


def test_one_corrective_retry_can_recover(reasoner_for, demo) -> None:
    script = Script()
    answers = iter(["", "```python\nnoop()\n```"])
    script.overrides["write_code"] = lambda messages: next(answers)
    reasoner, _ = reasoner_for(script)
    result = synthesize("demo2code", demo, None, None, CTX, reasoner)
    assert not result.failed and result.program == "noop()\n"
    (record,) = [r for r in result.records if r.stage == "write_code"]
    assert record.calls == 2


def test_definition_that_never_converges_fails_at_the_depth_limit(reasoner_for, demo) -> None:
    counter = itertools.count()
    script = Script()

    def define(messages):
        name = re.search(r"Define the function `(\w+)`", first_user(messages)).group(1)
        return f"```python\ndef {name}():\n    helper_{next(counter)}()\n```"

    script.overrides["define"] = define
    reasoner, _ = reasoner_for(script)
    result = synthesize("lang2code", demo, None, None, CTX, reasoner, limits=Limits(expand_depth=3))
    assert result.failed
    assert "still undefined at expansion depth 3" in (result.error or "")
    assert sum(r.stage == "define" for r in result.records) == 2 + 2 + 2  # 3 depths


def test_define_answer_without_the_function_is_a_failure(reasoner_for, demo) -> None:
    script = Script()
    script.overrides["define"] = lambda messages: "```python\ndef unrelated():\n    noop()\n```"
    reasoner, _ = reasoner_for(script)
    result = synthesize("lang2code", demo, None, None, CTX, reasoner)
    assert result.failed and "does not define" in (result.error or "")


def test_long_scenarios_are_chunked_under_the_token_budget(reasoner_for) -> None:
    demo = make_demo(n_scenarios=1, n_steps=40)
    reasoner, server = reasoner_for(Script(done_level=2))
    budget = 150
    limits = Limits(token_budget=budget)
    result = synthesize("demo2code", demo, None, None, CTX, reasoner, limits=limits)
    assert not result.failed, result.error
    texts = [
        summarized_text(first_user(b["messages"]))
        for b in server.requests
        if stage_of(b["messages"]) == "summarize_step"
    ]
    assert len(texts) > 3  # chunks + merge
    assert all(count_tokens(t, limits.token_model) <= budget for t in texts)
    chunks = [r for r in result.records if "chunk" in r.input]
    assert len(chunks) >= 2
    # chunks cut on state boundaries: one chunk holds the scenario header, every other one
    # starts with a state header (requests arrive in any order under concurrency)
    chunk_texts = [t for t in texts if "summary of" not in t]
    assert sum(t.startswith("[Scenario 1]") for t in chunk_texts) == 1
    others = [t for t in chunk_texts if not t.startswith("[Scenario 1]")]
    assert others and all(t.startswith("State ") for t in others), chunk_texts


def _fingerprint(result) -> tuple:
    return (
        result.program,
        result.spec,
        [s.levels for s in result.summaries],
        [(r.stage, r.input, r.text, r.code, r.calls) for r in result.records],
    )


def test_result_is_the_same_whatever_the_concurrency(reasoner_for) -> None:
    demo = make_demo(n_scenarios=4, n_steps=12)
    limits = Limits(token_budget=120)
    runs = []
    for concurrency in (1, 8):
        reasoner, _ = reasoner_for(Script())
        runs.append(
            synthesize(
                "demo2code", demo, None, None, CTX, reasoner, concurrency=concurrency, limits=limits
            )  # fmt: skip
        )
    assert not runs[0].failed, runs[0].error
    assert _fingerprint(runs[0]) == _fingerprint(runs[1])


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_method_runs(reasoner_for, demo, method: str) -> None:
    reasoner, _ = reasoner_for(Script())
    spec = "Do the task.\nSpecifically:\nDo it." if method == "spec2code" else None
    result = synthesize(method, demo, None, spec, CTX, reasoner)
    assert not result.failed, result.error
    assert result.program is not None
    functions = functions_of(result.program)
    assert len(functions) == len(set(functions))
    assert result.calls == sum(r.calls for r in result.records) > 0
    assert sum(result.by_stage()[s]["calls"] for s in result.by_stage()) == result.calls


def test_unknown_method_suggests_the_closest(reasoner_for, demo) -> None:
    reasoner, _ = reasoner_for(Script())
    with pytest.raises(UnknownName, match="Did you mean 'demo2code'"):
        synthesize("demo2cod", demo, None, None, CTX, reasoner)


def test_spec2code_without_spec_is_an_input_error(reasoner_for, demo) -> None:
    reasoner, _ = reasoner_for(Script())
    with pytest.raises(InputError, match="spec"):
        synthesize("spec2code", demo, None, None, CTX, reasoner)


def test_summarize_refuses_methods_without_a_summary(reasoner_for, demo) -> None:
    reasoner, _ = reasoner_for(Script())
    with pytest.raises(InputError, match="summarizes"):
        summarize(demo, CTX, reasoner, method="lang2code")
