"""One variant of a run, gathered for reading (`demo2code show RUN VARIANT`): what the method
was given, what it wrote, the reference, and how each seed ended. Read from the run
directory only (see `demo2code/evaluation/runlog.py` for its layout)."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from demo2code.errors import InputError, UnknownName
from demo2code.evaluation import runlog


@dataclass
class SeedOutcome:
    seed: int
    outcome: str
    passed: bool
    failed_subgoal: str | None
    message: str


@dataclass
class VariantView:
    run: str
    benchmark: str
    method: str
    model: str | None
    variant: str
    instruction: str
    spec: str
    program: str | None  # None: the method produced no program
    error: str | None  # why it produced none
    reference: str
    scores: dict[str, float] = field(default_factory=dict)  # bleu, codebleu (as scored)
    seeds: list[SeedOutcome] = field(default_factory=list)

    def diff(self) -> list[str]:
        """Unified diff lines from the reference to the generated program."""
        return list(
            difflib.unified_diff(
                self.reference.splitlines(),
                (self.program or "").splitlines(),
                "reference",
                "generated",
                lineterm="",
            )
        )

    def side_by_side(self) -> list[tuple[str | None, str | None, bool]]:
        """(generated line, reference line, same?) rows, equal lines facing each other;
        None where one side has no counterpart."""
        gen, ref = (self.program or "").splitlines(), self.reference.splitlines()
        rows: list[tuple[str | None, str | None, bool]] = []
        matcher = difflib.SequenceMatcher(None, gen, ref, autojunk=False)
        for tag, g0, g1, r0, r1 in matcher.get_opcodes():
            if tag == "equal":
                rows += [(line, line, True) for line in gen[g0:g1]]
                continue
            left, right = gen[g0:g1], ref[r0:r1]
            for i in range(max(len(left), len(right))):
                rows.append(
                    (
                        left[i] if i < len(left) else None,
                        right[i] if i < len(right) else None,
                        False,
                    )
                )
        return rows

    def to_json(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def _run_identity(run_dir: Path) -> dict[str, Any]:
    path = run_dir / runlog.RUN_FILE
    if not path.is_file():
        raise InputError(str(run_dir), runlog.RUN_FILE, "a run directory written by `eval`")
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as err:
        raise InputError(str(path), f"line {err.lineno}", "valid JSON") from None


def load_variant(run_dir: Path, variant: str) -> VariantView:
    """The view of `variant` in the run at `run_dir`; an unknown variant names the ones the
    run has."""
    from demo2code.benchmarks import get_benchmark

    run_dir = Path(run_dir)
    identity = _run_identity(run_dir)
    record = runlog.load_generation(run_dir, variant)
    rows = [
        r
        for r in runlog.ResultsLog(run_dir / runlog.RESULTS_FILE, runlog.ROW_KEYS).read()
        if r.get("variant") == variant
    ]
    if record is None and not rows:
        made = sorted(p.stem for p in (run_dir / runlog.PROGRAMS_DIR).glob("*.json"))
        raise UnknownName(f"variant in {run_dir}", variant, made)
    bench = get_benchmark(identity["benchmark"])
    task = bench.task(variant)
    record = record or {}
    first = rows[0] if rows else {}
    return VariantView(
        run=str(run_dir),
        benchmark=bench.name,
        method=identity.get("method", "?"),
        model=identity.get("model"),
        variant=variant,
        instruction=task.instruction,
        spec=task.spec,
        program=record.get("program"),
        error=record.get("error"),
        reference=bench.reference_code(task),
        scores={
            k: first[k]
            for k in ("bleu", "codebleu", "bleu_task", "codebleu_task")
            if isinstance(first.get(k), int | float)
        },  # fmt: skip
        seeds=[
            SeedOutcome(
                r["seed"],
                r.get("outcome", "?"),
                bool(r.get("passed")),
                r.get("failed_subgoal"),
                " ".join(str(r.get("message") or "").split()),
            )  # fmt: skip
            for r in sorted(rows, key=lambda r: r["seed"])
        ],
    )
