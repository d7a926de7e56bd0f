"""Rows -> per-variant, per-group and overall numbers (DESIGN §8).

exec and pass of a variant are fractions of its seeds; BLEU and CodeBLEU belong to the
variant's one program. `overall` averages over variants (the paper's Robotouille numbers),
`overall_by_group` averages the group means (its tabletop numbers).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from demo2code.benchmarks.base import TaskVariant

METRICS = ("exec", "pass", "bleu", "codebleu")
# with --repair N > 0 (issue 14): pass of the program before repair, and the share of
# variants whose program agreed with its own demonstrations before / after repair
REPAIR_METRICS = ("pass_before_repair", "self_check", "self_check_after")


def _mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 6) if values else 0.0


def variant_scores(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One variant's numbers from its rows (one per seed)."""
    first = rows[0]
    return (
        {
            "family": first["family"],
            "episodes": len(rows),
            "exec": _mean([1.0 if r["executed"] else 0.0 for r in rows]),
            "pass": _mean([1.0 if r["passed"] else 0.0 for r in rows]),
            "bleu": first["bleu"],
            "codebleu": first["codebleu"],
            "code_sha256": first["code_sha256"],
            "calls": first["calls"],
            "tokens": first["tokens"],
            "prompt_tokens": first.get("prompt_tokens", 0),
            "completion_tokens": first.get("completion_tokens", 0),
            "outcomes": _count(r["outcome"] for r in rows),
            "failed_seeds": [r["seed"] for r in rows if not r["passed"]],
        }
        | _repair_scores(rows)
        | _codebleu_notes(first)
    )


def _codebleu_notes(row: dict[str, Any]) -> dict[str, Any]:
    """What the CodeBLEU library warned while scoring (only when it did)."""
    return {"codebleu_notes": row["codebleu_notes"]} if row.get("codebleu_notes") else {}


def _repair_scores(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    if "passed_before_repair" not in rows[0]:
        return {}
    first = rows[0]

    def flag(value: Any) -> float | None:
        return None if value is None else 1.0 if value else 0.0

    return {
        "pass_before_repair": _mean([1.0 if r["passed_before_repair"] else 0.0 for r in rows]),
        "self_check": flag(first["self_check"]),
        "self_check_after": flag(first["self_check_after"]),
        "first_disagreement": first["first_disagreement"],
        "repairs": first["repairs"],
        "repair_stopped": first["repair_stopped"],
        "repair_calls": first["repair_calls"],
        "repair_tokens": first["repair_tokens"],
    }


def _count(items: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        out[item] = out.get(item, 0) + 1
    return dict(sorted(out.items()))


def average(entries: Iterable[dict[str, Any]]) -> dict[str, float]:
    entries = list(entries)
    out = {m: _mean([e[m] for e in entries]) for m in METRICS}
    for m in REPAIR_METRICS:  # only in runs made with --repair N > 0
        values = [e[m] for e in entries if e.get(m) is not None]
        if values and all(m in e for e in entries):
            out[m] = _mean(values)
    return out


def group_scores(variants: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Mean of each metric over the variants of each group, groups in first-seen order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for scores in variants.values():
        groups.setdefault(scores["family"], []).append(scores)
    return {
        name: {**average(members), "variants": len(members)} for name, members in groups.items()
    }


def summarize_rows(
    rows: Iterable[dict[str, Any]], tasks: Sequence[TaskVariant], seeds: dict[str, list[int]]
) -> dict[str, Any]:
    """The `overall`, `overall_by_group`, `groups` and `variants` parts of summary.json,
    over the selected (variant, seed) pairs only. Variants keep the catalogue's order."""
    wanted = {(t.id, s) for t in tasks for s in seeds[t.id]}
    by_variant: dict[str, dict[int, dict[str, Any]]] = {}
    for row in rows:
        if (row["variant"], row["seed"]) in wanted:
            by_variant.setdefault(row["variant"], {})[row["seed"]] = row
    variants = {}
    for task in tasks:
        found = by_variant.get(task.id)
        if found:
            variants[task.id] = variant_scores([found[s] for s in sorted(found)])
    groups = group_scores(variants)
    episodes = sum(v["episodes"] for v in variants.values())
    extra = {}
    if any("repairs" in v for v in variants.values()):
        extra["repair_cost"] = {
            "repairs": sum(v["repairs"] for v in variants.values()),
            "calls": sum(v["repair_calls"] for v in variants.values()),
            "tokens": sum(v["repair_tokens"] for v in variants.values()),
        }
    return extra | {
        "episodes": episodes,
        "complete": episodes == len(wanted),
        "overall": average(variants.values()),
        "overall_by_group": average(groups.values()),
        "groups": groups,
        "variants": variants,
    }


def generation_totals(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Model calls and tokens of the selected variants' generations, in all and per stage
    (summarize_step, specify, write_code, define...), from their saved records."""
    totals: dict[str, Any] = {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0}
    by_stage: dict[str, dict[str, int]] = {}
    for record in records:
        for stage_record in record.get("records", []):
            row = by_stage.setdefault(
                str(stage_record.get("stage", "?")),
                {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0},
            )
            for key in row:
                row[key] += int(stage_record.get(key, 0) or 0)
        for key in ("calls", "prompt_tokens", "completion_tokens"):
            totals[key] += int(record.get(key, 0) or 0)
    return {**totals, "by_stage": by_stage}
