"""Rows -> per-variant, per-group and overall numbers.

exec and pass of a variant are fractions of its seeds; BLEU and CodeBLEU (whole program and
task-specific code, see metrics.py) belong to the variant's one program. `overall` averages
over variants (the paper's Robotouille numbers), `overall_by_group` averages the group
means (its tabletop numbers). A mean of nothing is None (null, "n/a"): nothing was
measured, which is not 0.0. Runs over several noise seeds are combined by `combine_seeds`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from demo2code.benchmarks.base import TaskVariant

METRICS = ("exec", "pass", "bleu", "codebleu", "bleu_task", "codebleu_task")
# task-code scores are missing from rows written before they existed
LATER_METRICS = ("bleu_task", "codebleu_task")
# with --repair N > 0 (issue 14): pass of the program before repair, and the share of
# variants whose program agreed with its own demonstrations before / after repair
REPAIR_METRICS = ("pass_before_repair", "self_check", "self_check_after")


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 6) if values else None


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
            "bleu_task": first.get("bleu_task"),
            "codebleu_task": first.get("codebleu_task"),
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


def average(entries: Iterable[dict[str, Any]]) -> dict[str, float | None]:
    """Each metric's mean over the entries; None when there is no entry, or when some entry
    lacks the metric (a run resumed across versions must not average a subset)."""
    entries = list(entries)
    out = {m: _mean([e[m] for e in entries]) for m in METRICS if m not in LATER_METRICS}
    for m in LATER_METRICS:
        values = [e.get(m) for e in entries]
        out[m] = None if None in values else _mean(values)
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


def spread(values: Sequence[float | None]) -> dict[str, float | None]:
    """Mean, min and max of one metric across noise seeds (seeds that measured nothing
    left out; all None when none did)."""
    known = [v for v in values if v is not None]
    if not known:
        return {"mean": None, "min": None, "max": None}
    return {"mean": _mean(known), "min": min(known), "max": max(known)}


def combine_seeds(per_seed: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """One run per noise seed -> the combined `variants`, `groups` and both `overall`s
    (each variant's metrics averaged over the noise seeds that ran it, then averaged as in a
    single run), `noise_spread` (mean, min and max of each seed's overall figures) and
    `by_noise_seed` (each seed's own overall figures)."""
    seeds = sorted(per_seed)
    found: dict[str, list[dict[str, Any]]] = {}
    for seed in seeds:
        for vid, scores in per_seed[seed]["variants"].items():
            found.setdefault(vid, []).append(scores)
    variants = {
        vid: {
            "family": entries[0]["family"],
            "episodes": sum(e["episodes"] for e in entries),
            "noise_seeds": len(entries),
            **average(entries),
        }
        for vid, entries in found.items()
    }
    groups = group_scores(variants)
    scopes = ("overall", "overall_by_group")
    return {
        "episodes": sum(per_seed[s]["episodes"] for s in seeds),
        "complete": all(per_seed[s]["complete"] for s in seeds),
        "overall": average(variants.values()),
        "overall_by_group": average(groups.values()),
        "noise_spread": {
            scope: {m: spread([per_seed[s][scope].get(m) for s in seeds]) for m in METRICS}
            for scope in scopes
        },
        "by_noise_seed": {
            str(s): {k: per_seed[s][k] for k in ("episodes", "complete", *scopes)} for s in seeds
        },
        "groups": groups,
        "variants": variants,
    }
