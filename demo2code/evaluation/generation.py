"""Code for one task variant, made once per run: through the pipeline, or the reference
program for the `reference` self-check. A saved generation is reused, so resuming a run
never calls the model again for a variant it already has."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from demo2code.benchmarks.base import Benchmark, TaskVariant, api_names
from demo2code.demos import Demonstration
from demo2code.errors import InputError
from demo2code.evaluation import runlog
from demo2code.llm.config import ModelConfig
from demo2code.noise import NoiseSpec, apply_noise, format_noise
from demo2code.pipeline import Limits as PipelineLimits

REFERENCE = "reference"


@dataclass(frozen=True)
class Generation:
    """The program for one variant and what it cost."""

    program: str | None  # None: the method failed to produce one
    error: str | None
    inputs_sha256: str
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    seconds: float = 0.0
    reused: bool = False
    retryable: bool = False  # the model could not be reached; nothing was saved
    repair: dict[str, Any] | None = None  # self-check and repair log (--repair N > 0)
    first_program: str | None = None  # the program before repair, when repair changed it

    @property
    def code_sha256(self) -> str | None:
        return None if self.program is None else sha256(self.program)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Generation:
        return cls(
            program=record.get("program"),
            error=record.get("error"),
            inputs_sha256=record.get("inputs_sha256", ""),
            calls=record.get("calls", 0),
            prompt_tokens=record.get("prompt_tokens", 0),
            completion_tokens=record.get("completion_tokens", 0),
            latency_s=record.get("latency_s", 0.0),
            seconds=record.get("seconds", 0.0),
            reused=True,
            repair=record.get("repair"),
            first_program=record.get("first_program"),
        )


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def generate(
    benchmark: Benchmark,
    task: TaskVariant,
    method: str,
    config: ModelConfig,
    out_dir: Path,
    noise: list[NoiseSpec],
    noise_seed: int,
    concurrency: int = 4,
    limits: PipelineLimits | None = None,
    repair: int = 0,
) -> Generation:
    """Reuse the saved generation of `task` in `out_dir`, or make and save a new one. A saved
    one is reused only if it was made from the same inputs. With `repair` > 0 the program
    is checked against the (noisy) demonstration it came from and repaired up to `repair`
    rounds; the run's identity records `repair`, so a saved one was made the same way."""
    demo, inputs_sha256 = method_inputs(benchmark, task, method, config, noise, noise_seed, limits)
    saved = runlog.load_generation(out_dir, task.id)
    if saved is not None:
        if saved.get("inputs_sha256") != inputs_sha256:
            raise InputError(
                str(out_dir), task.id,
                "its inputs changed since this run was made (demonstration, instruction, spec "
                "or noise); use a new --out",
            )  # fmt: skip
        return Generation.from_record(saved)
    start = time.monotonic()
    if method == REFERENCE:
        record = _reference_record(benchmark, task, inputs_sha256)
    else:
        record = _pipeline_record(
            benchmark, task, method, config, out_dir, demo, concurrency, limits, repair
        )
        record.update(inputs_sha256=inputs_sha256, noise=format_noise(noise),
                      noise_seed=noise_seed)  # fmt: skip
    record["seconds"] = round(time.monotonic() - start, 4)
    if record.get("retryable"):  # not a result: a re-run must ask the model again
        return dataclasses.replace(Generation.from_record(record), reused=False, retryable=True)
    header = program_header(task, method, None if method == REFERENCE else config.model)
    runlog.save_generation(out_dir, task.id, record.get("program"), record, header)
    return dataclasses.replace(Generation.from_record(record), reused=False)


def program_header(task: TaskVariant, method: str, model: str | None) -> str:
    """Comment lines that open a saved program file, so the file says what it is. Only the
    file has them: the record's program (what ran and was scored) does not."""
    lines = [
        f"variant: {task.id}",
        f"method: {method}",
        f"model: {model or 'none'}",
        "spec:",
        *(f"  {line}".rstrip() for line in task.spec.splitlines()),
        "(this header is not part of the program that was run and scored)",
    ]
    return "".join("#" + (f" {line}" if line else "") + "\n" for line in lines) + "\n"


def method_inputs(
    benchmark: Benchmark,
    task: TaskVariant,
    method: str,
    config: ModelConfig,
    noise: list[NoiseSpec],
    noise_seed: int,
    limits: PipelineLimits | None = None,
) -> tuple[Demonstration | None, str]:
    """What the method is given (the demonstration after noise), and a hash of everything
    that decides the generated program."""
    from demo2code.pipeline import get_method

    if method == REFERENCE:
        return None, sha256(json.dumps({"method": REFERENCE, "variant": task.id}))
    demo = None
    if get_method(method).needs_demo:
        demo = benchmark.demos(task)
        if noise:
            demo = apply_noise(demo, noise, noise_seed)
    inputs = {
        "method": method,
        "model": config.model,
        "instruction": task.instruction,
        "spec": task.spec,
        "demo": demo.to_json() if demo is not None else None,
        "noise": format_noise(noise),
        "noise_seed": noise_seed,
    }
    if limits is not None:  # only when set, so runs made before this option still resume
        inputs["limits"] = dataclasses.asdict(limits)
    return demo, sha256(json.dumps(inputs, sort_keys=True))


def _reference_record(
    benchmark: Benchmark, task: TaskVariant, inputs_sha256: str
) -> dict[str, Any]:
    program = benchmark.reference_code(task)
    return {
        "method": REFERENCE,
        "variant": task.id,
        "program": program,
        "error": None,
        "failed": False,
        "inputs_sha256": inputs_sha256,
        "calls": 0,
        "prompt_tokens": 0,
        "completion_tokens": 0,
        "latency_s": 0.0,
        "records": [],
    }


def _pipeline_record(
    benchmark: Benchmark,
    task: TaskVariant,
    method: str,
    config: ModelConfig,
    out_dir: Path,
    demo: Demonstration | None,
    concurrency: int,
    limits: PipelineLimits | None,
    repair: int = 0,
) -> dict[str, Any]:
    from demo2code.llm.transcript import Transcript
    from demo2code.pipeline import synthesize
    from demo2code.reasoners import StageContext, make_reasoner

    _, _, transcript_path = runlog.program_paths(out_dir, task.id)
    reasoner = make_reasoner(config, transcript=Transcript(transcript_path))
    ctx = StageContext(benchmark.name, benchmark.api_reference(), api_names(benchmark, task))
    check = demo_check(benchmark, demo) if repair > 0 and demo is not None else None
    result = synthesize(
        method, demo, task.instruction, task.spec, ctx, reasoner,
        concurrency=concurrency, limits=limits, check=check, repair=repair,
    )  # fmt: skip
    record = result.to_json()
    record.update(
        variant=task.id,
        model=config.model,
        latency_s=round(sum(r.latency_s for r in result.records), 6),
    )
    if record.get("program") is None and not record.get("error"):
        record["error"] = "the method produced no program"
    return record


def demo_check(benchmark: Benchmark, demo: Demonstration):
    """The self-check against `demo`: a function of the program, stopping at the first
    disagreement (all that repair is told)."""
    from demo2code.selfcheck import self_check
    from demo2code.selfcheck.rules import episode_factory

    for i in range(len(demo.scenarios)):  # bad scenarios fail now, not inside the pipeline
        episode_factory(benchmark, demo, i, f"demonstration of {demo.task}")
    return lambda code: self_check(benchmark, demo, code, stop_early=True)
