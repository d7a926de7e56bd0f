"""Tables from summaries: one run's results.md (shaped like the paper's Table 2), and
`demo2code report`: several runs side by side per variant, per group and overall."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from demo2code.errors import InputError
from demo2code.evaluation.summary import METRICS, average, group_scores

HEADERS = {
    "exec": "exec",
    "pass": "pass",
    "bleu": "BLEU",
    "codebleu": "CodeBLEU",
    "bleu_task": "BLEU task",
    "codebleu_task": "CodeBLEU task",
}
OVERALL = "overall (mean over variants)"
OVERALL_GROUPS = "overall (mean over groups)"
TERMINAL_WIDTH = 100  # `demo2code report`'s compact view fits a 100-column terminal
COMPACT_ORDER = ("pass", "exec", "bleu", "codebleu")
COMPACT_HEADERS = {"exec": "exec", "pass": "pass", "bleu": "BLEU", "codebleu": "CodeB"}


def _f(value: float | None) -> str:
    """None is a figure nothing measured (no episode, or a run older than the metric)."""
    return "n/a" if value is None else f"{value:.2f}"


def _title(summary: dict[str, Any]) -> str:
    model = summary.get("model") or "no model"
    noise = summary.get("noise") or "none"
    if summary.get("noise_seeds"):
        noise += f" (noise seeds {', '.join(map(str, summary['noise_seeds']))}: figures are "
        noise += "means over the seeds)"
    elif summary.get("noise"):
        noise += f" (noise seed {summary.get('noise_seed')})"
    return (
        f"# {summary['benchmark']} · {summary['method']} · {model}\n\n"
        f"Noise: {noise}. Episodes: {summary.get('episodes', 0)}"
        f"{'' if summary.get('complete', True) else ' (incomplete run)'}.\n"
    )


def _row(label: str, scores: dict[str, Any], bold: bool = False) -> str:
    cells = [_f(scores.get(m)) for m in METRICS]
    if bold:
        label, cells = f"**{label}**", [f"**{c}**" for c in cells]
    return "| " + " | ".join([label, *cells]) + " |"


def run_markdown(summary: dict[str, Any]) -> str:
    """results.md: rows are groups with their variants below them, then both overall
    averages; columns exec / pass / BLEU / CodeBLEU (and, with --repair, pass without
    repair and the self-check side by side)."""
    if summary.get("repair"):
        return _repair_markdown(summary)
    head = " | ".join(HEADERS[m] for m in METRICS)
    lines = [_title(summary), "", f"| group / variant | {head} |"]
    lines.append("|---" + "|---:" * len(METRICS) + "|")
    variants: dict[str, dict[str, Any]] = summary.get("variants", {})
    for group, scores in summary.get("groups", {}).items():
        lines.append(_row(group, scores, bold=True))
        lines += [_row(f"&nbsp;&nbsp;{n}", v) for n, v in variants.items() if v["family"] == group]
    lines.append(_row(OVERALL, summary.get("overall", {}), bold=True))
    lines.append(_row(OVERALL_GROUPS, summary.get("overall_by_group", {}), bold=True))
    lines += _spread_lines(summary)
    lines += ["", _settings_text(summary), ""]
    return "\n".join(lines)


def _spread_lines(summary: dict[str, Any]) -> list[str]:
    """Under a run over several noise seeds: each seed's overall figures, then the mean,
    min and max across the seeds."""
    if "noise_spread" not in summary:
        return []
    head = " | ".join(HEADERS[m] for m in METRICS)
    lines = ["", "Overall (mean over variants) per noise seed:", ""]
    lines += [f"| noise seed | {head} |", "|---" + "|---:" * len(METRICS) + "|"]
    for seed, part in summary["by_noise_seed"].items():
        lines.append(_row(seed, part["overall"]))
    spread = summary["noise_spread"]["overall"]
    for stat in ("mean", "min", "max"):
        lines.append(_row(stat, {m: spread[m][stat] for m in METRICS}, bold=True))
    return lines


REPAIR_COLUMNS = ("exec", "pass", "pass_before_repair", "self_check", "self_check_after")


def _repair_row(label: str, scores: dict[str, Any], bold: bool = False) -> str:
    cells = [_f(scores.get(m)) for m in REPAIR_COLUMNS]
    cells += [str(scores["repairs"]) if "repairs" in scores else ""]
    cells += [_f(scores.get(m)) for m in ("bleu", "codebleu", "bleu_task", "codebleu_task")]
    if bold:
        label, cells = f"**{label}**", [f"**{c}**" if c else c for c in cells]
    return "| " + " | ".join([label, *cells]) + " |"


def _repair_markdown(summary: dict[str, Any]) -> str:
    """results.md of a run with --repair N: pass with and without repair side by side."""
    lines = [
        _title(summary),
        "",
        "| group / variant | exec | pass (repair) | pass (no repair) | self-check before | "
        "self-check after | repairs | BLEU | CodeBLEU | BLEU task | CodeBLEU task |",
        "|---" + "|---:" * 10 + "|",
    ]
    variants: dict[str, dict[str, Any]] = summary.get("variants", {})
    for group, scores in summary.get("groups", {}).items():
        lines.append(_repair_row(group, scores, bold=True))
        lines += [
            _repair_row(f"&nbsp;&nbsp;{n}", v) for n, v in variants.items() if v["family"] == group
        ]
    lines.append(_repair_row(OVERALL, summary.get("overall", {}), bold=True))
    lines.append(_repair_row(OVERALL_GROUPS, summary.get("overall_by_group", {}), bold=True))
    lines += _spread_lines(summary)
    cost = summary.get("repair_cost", {})
    lines += [
        "",
        f"Repair: up to {summary['repair']} round(s) when a program disagrees with its own "
        "demonstrations (run in the demonstrations' scenarios, before any test). "
        "Self-check: share of variants whose program agreed. "
        f"Repair rounds used: {cost.get('repairs', 0)}; calls {cost.get('calls', 0)}; "
        f"tokens {cost.get('tokens', 0)}.",
        "",
        _settings_text(summary),
        "",
    ]
    return "\n".join(lines)


def _settings_text(summary: dict[str, Any]) -> str:
    settings = summary.get("settings", {})
    bleu = settings.get("bleu", {})
    parts = [
        "exec: fraction of seeds on which the program ran to the end; pass: fraction of "
        "seeds on which it also passed the unit test. BLEU and CodeBLEU score the whole "
        "program against the reference (the paper's figures); BLEU task and CodeBLEU task "
        "score only the task-specific code (the main program and functions outside the "
        "benchmark's shared skill library, which every reference carries verbatim)."
    ]
    if bleu:
        parts.append("BLEU: " + "; ".join(f"{k}={v}" for k, v in bleu.items()) + ".")
    codebleu = settings.get("codebleu", {})
    if codebleu:
        parts.append("CodeBLEU: " + "; ".join(f"{k}={v}" for k, v in codebleu.items()) + ".")
    return "\n\n".join(parts)


# --- several runs side by side -------------------------------------------------------------


@dataclass
class Comparison:
    """Rows (variant, group or overall) x runs x metrics; None where a run lacks a row."""

    runs: list[str]  # column labels, one per run
    rows: list[tuple[str, str, list[dict[str, float] | None]]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)

    def to_markdown(self) -> str:
        head = ["row"] + [f"{run} {HEADERS[m]}" for run in self.runs for m in METRICS]
        lines = ["| " + " | ".join(head) + " |", "|---" + "|---:" * (len(head) - 1) + "|"]
        for kind, name, cells in self.rows:
            label = name if kind == "variant" else f"**{name}**"
            values = [_f(c[m]) if c else "" for c in cells for m in METRICS]
            lines.append("| " + " | ".join([label, *values]) + " |")
        bleu = self.settings.get("bleu", {})
        note = ("\nBLEU: " + "; ".join(f"{k}={v}" for k, v in bleu.items()) + ".\n") if bleu else ""
        return "\n".join(lines) + "\n" + note

    def to_text(self, width: int = TERMINAL_WIDTH) -> str:
        """The compact terminal view within `width` columns: as many metrics per run as fit
        (pass first, then exec, BLEU, CodeBLEU); with many runs, several blocks of runs."""
        label_w = max([len("row"), *(len(name) for _, name, _ in self.rows)])
        room = width - label_w
        shown = list(COMPACT_ORDER)
        while len(shown) > 1 and len(self.runs) * (2 + 6 * len(shown)) > room:
            shown.pop()
        per_block = max(1, room // (2 + 6 * len(shown)))
        names = [f"[{i}] {run}" for i, run in enumerate(self.runs, 1)]
        one_line = "runs: " + " · ".join(names)
        lines = [one_line] if len(one_line) <= width else ["runs:", *(f"  {n}" for n in names)]
        for start in range(0, len(self.runs), per_block):
            lines += ["", *self._text_block(label_w, shown, start, start + per_block)]
        hidden = [HEADERS[m] for m in METRICS if m not in shown]
        if hidden:
            lines.append(f"({', '.join(hidden)} not shown at this width: see --full or --out)")
        return "\n".join(lines) + "\n"

    def _text_block(self, label_w: int, shown: list[str], start: int, stop: int) -> list[str]:
        numbers = range(start + 1, min(stop, len(self.runs)) + 1)
        group_w = 6 * len(shown)
        lines = [" " * label_w + "".join(f" | {f'[{i}]':<{group_w - 1}}" for i in numbers)]
        metric_head = "".join(f"{COMPACT_HEADERS[m]:>6}" for m in shown)
        lines.append("row".ljust(label_w) + f" |{metric_head}" * len(numbers))
        rule = "-" * len(lines[-1])
        lines.append(rule)
        previous = "variant"
        for kind, name, cells in self.rows:
            if kind != previous:  # a rule between variants, groups and the overall rows
                lines.append(rule)
                previous = kind
            line = name.ljust(label_w)
            for cell in cells[start:stop]:
                line += " |" + "".join(f"{_f(cell[m]) if cell else '':>6}" for m in shown)
            lines.append(line)
        return lines

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["kind", "row", "run", *METRICS])
        for kind, name, cells in self.rows:
            for run, cell in zip(self.runs, cells, strict=True):
                if cell:
                    writer.writerow(
                        [
                            kind,
                            name,
                            run,
                            *("" if cell[m] is None else f"{cell[m]:.6f}" for m in METRICS),
                        ]
                    )
        return buf.getvalue()


def load_summary(run_dir: Path) -> dict[str, Any]:
    path = Path(run_dir) / "summary.json"
    if not path.is_file():
        raise InputError(str(run_dir), "summary.json", "a run directory written by `eval`")
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as err:
        raise InputError(str(path), f"line {err.lineno}", "valid JSON") from None


def _labels(summaries: list[dict[str, Any]], dirs: list[Path]) -> list[str]:
    """Method names, made unique with the model, then with the directory name."""
    labels = [s["method"] for s in summaries]
    if len(set(labels)) < len(labels):
        labels = [f"{s['method']}/{s.get('model') or '-'}" for s in summaries]
    if len(set(labels)) < len(labels):
        labels = [f"{lab} ({d.name})" for lab, d in zip(labels, dirs, strict=True)]
    return labels


def compare_runs(run_dirs: list[Path]) -> Comparison:
    """Every variant any run has (catalogue order of the first run that has it), then
    groups, then both overall averages."""
    dirs = [Path(d) for d in run_dirs]
    summaries = [load_summary(d) for d in dirs]
    benchmarks = {s["benchmark"] for s in summaries}
    if len(benchmarks) > 1:
        raise InputError("report", "RUN", f"runs of one benchmark (got {sorted(benchmarks)})")
    comp = Comparison(_labels(summaries, dirs), settings=summaries[0].get("settings", {}))

    def pick(section: str, key: str | None = None) -> list[dict[str, float] | None]:
        out = []
        for s in summaries:
            part = s.get(section, {})
            cell = part.get(key) if key is not None else part
            out.append({m: cell.get(m) for m in METRICS} if cell else None)
        return out

    variants = list(dict.fromkeys(v for s in summaries for v in s.get("variants", {})))
    groups = list(dict.fromkeys(g for s in summaries for g in s.get("groups", {})))
    comp.rows += [("variant", v, pick("variants", v)) for v in variants]
    comp.rows += [("group", g, pick("groups", g)) for g in groups]
    common = [v for v in variants if all(v in s.get("variants", {}) for s in summaries)]
    label = f"over the {len(common)} variant{'' if len(common) == 1 else 's'} every run has"
    comp.rows.append(("overall", f"overall (mean {label})", _overall(summaries, common, False)))
    comp.rows.append(
        ("overall", f"overall (mean over groups, {label})", _overall(summaries, common, True))
    )
    return comp


def _overall(
    summaries: list[dict[str, Any]], common: list[str], by_group: bool
) -> list[dict[str, float | None] | None]:
    """Each run's overall over the same variants, so runs that ran different variants are
    still compared like with like; None for every run when no variant is shared."""
    if not common:
        return [None for _ in summaries]
    out = []
    for s in summaries:
        variants = {v: {m: s["variants"][v].get(m) for m in METRICS} for v in common}
        for v in common:
            variants[v]["family"] = s["variants"][v]["family"]
        entries = group_scores(variants).values() if by_group else variants.values()
        out.append({m: average(entries)[m] for m in METRICS})
    return out


def write_comparison(comp: Comparison, out: Path) -> tuple[Path, Path]:
    """FILE.md and FILE.csv next to it."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(comp.to_markdown())
    csv_path = out.with_suffix(".csv")
    csv_path.write_text(comp.to_csv())
    return out, csv_path


def write_comparison_plot(run_dirs: list[Path], labels: list[str], path: Path) -> Path:
    """One PNG of several runs side by side: a panel per metric, a bar series per run."""
    from demo2code.evaluation.plots import compare, save

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return save(compare([load_summary(Path(d)) for d in run_dirs], labels), path)
