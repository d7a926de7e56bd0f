"""The methods of the paper as small drivers over one reasoner, plus `synthesize` and
`summarize`, the library calls behind the `synthesize` and `summarize` commands.

Record keys (see `Runner`) order the records by phase: 0 summarization, 1 low-level
actions, 2 one-call demo stages, 3 specify, 4 write_code, 10+ definitions by depth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from demo2code import demo_text
from demo2code.demos import Demonstration
from demo2code.errors import Demo2CodeError, InputError, UnknownName
from demo2code.llm.errors import ModelError
from demo2code.pipeline.expand import expand
from demo2code.pipeline.records import Limits, ScenarioSummary, Synthesis
from demo2code.pipeline.repair import Check, repair_loop
from demo2code.pipeline.runner import Runner
from demo2code.pipeline.summarize import Summarizer
from demo2code.reasoners.base import Reasoner, StageContext


@dataclass(frozen=True)
class Inputs:
    """What a method may look at. `scenarios` are rendered in the paper's text style."""

    scenarios: list[str]  # with the instruction line
    scenarios_no_instruction: list[str]
    instruction: str
    spec: str | None


@dataclass
class _Run:
    reasoner: Reasoner
    ctx: StageContext
    runner: Runner
    limits: Limits
    out: Synthesis


def scenario_texts(demo: Demonstration, *, with_instruction: bool = True) -> list[str]:
    """Each scenario in the paper's text style, numbered from 1; optionally without the
    instruction line (for the methods that must not see it)."""
    texts = []
    for i, scen in enumerate(demo.scenarios):
        text = demo_text.render_scenario(demo, i, number=i + 1)
        if not with_instruction:
            instruction = (scen.instruction or demo.instruction).strip()
            lines = text.split("\n")
            for j, line in enumerate(lines):
                if instruction and line.strip() == instruction:
                    del lines[j]
                    break
            text = "\n".join(lines)
        texts.append(text)
    return texts


# --- the methods ----------------------------------------------------------------------------


def _code(run: _Run, main_code: str | None) -> None:
    result = expand(main_code or "", run.reasoner, run.ctx, run.runner, run.limits)
    run.out.program = result.program
    run.out.functions = result.functions


def _write_code(run: _Run, spec: str) -> None:
    answer = run.runner.call(
        (4,), "write_code", "specification" if run.out.spec else "instruction",
        lambda: run.reasoner.write_code(run.ctx, spec),
    )  # fmt: skip
    _code(run, answer.code)


def _summaries_to_spec(run: _Run, texts: list[str], instruction: str | None) -> None:
    summarizer = Summarizer(run.reasoner, run.ctx, run.runner, run.limits)
    run.out.summaries = summarizer.scenarios(texts)
    _specify(run, [s.final for s in run.out.summaries], instruction)


def _specify(run: _Run, summaries: list[str], instruction: str | None) -> None:
    answer = run.runner.call(
        (3,), "specify", f"{len(summaries)} summaries" + (", instruction" if instruction else ""),
        lambda: run.reasoner.specify(run.ctx, summaries, instruction),
    )  # fmt: skip
    run.out.spec = answer.text.strip()


def _spec_demo2code(run: _Run, inputs: Inputs) -> None:
    _summaries_to_spec(run, inputs.scenarios, inputs.instruction)


def _spec_demonolang2code(run: _Run, inputs: Inputs) -> None:
    _summaries_to_spec(run, inputs.scenarios_no_instruction, None)


def _spec_given(run: _Run, inputs: Inputs) -> None:
    if not inputs.spec:
        raise InputError("--method spec2code", "spec", "a task variant with a specification")
    run.out.spec = inputs.spec


def _spec_one_step(run: _Run, inputs: Inputs) -> None:
    answer = run.runner.call(
        (2,), "spec_from_demos", f"{len(inputs.scenarios)} scenarios, instruction",
        lambda: run.reasoner.spec_from_demos(run.ctx, inputs.scenarios, inputs.instruction),
    )  # fmt: skip
    run.out.spec = answer.text.strip()


def _spec_two_steps(run: _Run, inputs: Inputs) -> None:
    def actions(pair: tuple[int, str]) -> ScenarioSummary:
        i, text = pair
        answer = run.runner.call(
            (1, i), "low_level_actions", f"scenario {i + 1}",
            lambda: run.reasoner.low_level_actions(run.ctx, text),
        )  # fmt: skip
        return ScenarioSummary(i, text, [answer.text.strip()], done=True)

    run.out.summaries = run.runner.map(actions, list(enumerate(inputs.scenarios)))
    _specify(run, [s.final for s in run.out.summaries], inputs.instruction)


def _code_from_spec(run: _Run, inputs: Inputs) -> None:
    _write_code(run, run.out.spec or "")


def _code_from_instruction(run: _Run, inputs: Inputs) -> None:
    _write_code(run, inputs.instruction)


def _code_from_demos(run: _Run, inputs: Inputs) -> None:
    answer = run.runner.call(
        (2,), "code_from_demos", f"{len(inputs.scenarios)} scenarios, instruction",
        lambda: run.reasoner.code_from_demos(run.ctx, inputs.scenarios, inputs.instruction),
    )  # fmt: skip
    _code(run, answer.code)


Phase = Callable[[_Run, Inputs], None]


@dataclass(frozen=True)
class Method:
    """A method is an optional specification phase followed by a code phase."""

    name: str
    spec_phase: Phase | None
    code_phase: Phase
    needs_demo: bool
    help: str


METHODS: dict[str, Method] = {
    m.name: m
    for m in [
        Method("demo2code", _spec_demo2code, _code_from_spec, True,
               "summarize each scenario recursively, specify, then expand code"),
        Method("lang2code", None, _code_from_instruction, False,
               "the instruction only, straight to code"),
        Method("demonolang2code", _spec_demonolang2code, _code_from_spec, True,
               "like demo2code, but the instruction is hidden"),
        Method("spec2code", _spec_given, _code_from_spec, False,
               "the task variant's detailed specification to code"),
        Method("nocot", None, _code_from_demos, True,
               "demonstrations straight to code (no chain of thought)"),
        Method("1step", _spec_one_step, _code_from_spec, True,
               "all demonstrations to a specification in one call, then code"),
        Method("2steps", _spec_two_steps, _code_from_spec, True,
               "each scenario to low-level actions, then specify, then code"),
    ]
}  # fmt: skip


def get_method(name: str) -> Method:
    """The method called `name`; a typo raises UnknownName with suggestions."""
    if name not in METHODS:
        raise UnknownName("method", name, METHODS)
    return METHODS[name]


# --- entry points ---------------------------------------------------------------------------


def _inputs(
    method: Method, demo: Demonstration | None, instruction: str | None, spec: str | None
) -> Inputs:
    if method.needs_demo and (demo is None or not demo.scenarios):
        raise InputError(f"--method {method.name}", "demonstration", "at least one scenario")
    instruction = instruction if instruction is not None else (demo.instruction if demo else "")
    if method.name == "lang2code" and not instruction.strip():
        raise InputError("--method lang2code", "instruction", "a non-empty instruction")
    with_text = scenario_texts(demo) if demo is not None else []
    without = scenario_texts(demo, with_instruction=False) if demo is not None else []
    return Inputs(with_text, without, instruction, spec)


def _repair(run: _Run, check: Check, rounds: int) -> None:
    """The closed loop after the code phase; what it cost is kept apart in the log."""
    before = run.runner.records()
    first = run.out.program or ""
    program, log = repair_loop(first, check, run.reasoner, run.ctx, run.runner, run.limits, rounds)
    spent = [r for r in run.runner.records() if r not in before]
    run.out.repair = {
        **log.to_json(),
        "rounds_allowed": rounds,
        "calls": sum(r.calls for r in spent),
        "prompt_tokens": sum(r.prompt_tokens for r in spent),
        "completion_tokens": sum(r.completion_tokens for r in spent),
    }
    if program != first:
        run.out.program, run.out.first_program = program, first


def _execute(
    method: Method,
    phases: list[Phase],
    inputs: Inputs,
    ctx: StageContext,
    reasoner: Reasoner,
    concurrency: int,
    limits: Limits | None,
    check: Check | None = None,
    repair: int = 0,
) -> Synthesis:
    run = _Run(reasoner, ctx, Runner(concurrency), limits or Limits(), Synthesis(method.name))
    try:
        for phase in phases:
            phase(run, inputs)
        if repair > 0 and check is not None and run.out.program is not None:
            _repair(run, check, repair)
    except InputError:
        raise
    except ModelError as err:  # unreachable or failing endpoint, after the client's retries
        run.out.failed, run.out.error, run.out.retryable = True, str(err), True
        run.out.program = None
    except Demo2CodeError as err:  # GenerationFailed, BudgetError, ...
        run.out.failed, run.out.error = True, str(err)
        run.out.program = None
    run.out.records = run.runner.records()
    return run.out


def synthesize(
    method: str,
    demo: Demonstration | None,
    instruction: str | None,
    spec: str | None,
    ctx: StageContext,
    reasoner: Reasoner,
    *,
    concurrency: int = 4,
    limits: Limits | None = None,
    check: Check | None = None,
    repair: int = 0,
) -> Synthesis:
    """Run `method` and return everything it produced. With `repair` > 0 and a `check`
    (the self-check against the demonstrations), a disagreeing program goes through up to
    `repair` rounds of the repair stage (demo2code/pipeline/repair.py).
    Model misbehaviour (ModelError, GenerationFailed, a token budget that cannot be met)
    gives `failed=True` with the reason; only bad input (unknown method, missing
    demonstration or spec) raises.
    `instruction=None` takes the demonstration's."""
    chosen = get_method(method)
    inputs = _inputs(chosen, demo, instruction, spec)
    phases = [p for p in (chosen.spec_phase, chosen.code_phase) if p is not None]
    return _execute(chosen, phases, inputs, ctx, reasoner, concurrency, limits, check, repair)


def summarize(
    demo: Demonstration,
    ctx: StageContext,
    reasoner: Reasoner,
    *,
    method: str = "demo2code",
    concurrency: int = 4,
    limits: Limits | None = None,
) -> Synthesis:
    """Only the specification half of a method: every summary level and the
    specification, no code (`program` stays None)."""
    chosen = get_method(method)
    if chosen.spec_phase is None or not chosen.needs_demo:
        usable = [m.name for m in METHODS.values() if m.spec_phase and m.needs_demo]
        raise InputError("--method", method, f"a method that summarizes: {', '.join(usable)}")
    inputs = _inputs(chosen, demo, None, None)
    return _execute(chosen, [chosen.spec_phase], inputs, ctx, reasoner, concurrency, limits)
