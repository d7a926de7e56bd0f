"""PNG plots of one run, and of several runs side by side. Uses matplotlib's object API with
the Agg canvas directly, so no global backend is switched and nothing needs a display.

Every chart's title names the benchmark, method and model; a run in which nothing passed (or
nothing ran) says so on the chart rather than drawing empty axes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Metrics a summary may hold, in plotting order, with their labels. Keys absent from a
# summary (e.g. the task-level BLEU of older runs) are skipped.
METRIC_LABELS = {
    "exec": "exec",
    "pass": "pass",
    "bleu": "BLEU",
    "codebleu": "CodeBLEU",
    "bleu_task": "BLEU (task)",
    "codebleu_task": "CodeBLEU (task)",
}
COLOURS = ["#9ecae1", "#2171b5", "#fdae6b", "#e6550d", "#a1d99b", "#31a354"]
OUTCOME_COLOURS = {
    "passed": "#31a354",
    "test failed": "#fdae6b",
    "precondition_failed": "#e6550d",
    "runtime_error": "#de2d26",
    "syntax_error": "#756bb1",
    "rejected": "#636363",
    "step_limit": "#fdd0a2",
    "timeout": "#9e9ac8",
    "memory_limit": "#bcbddc",
    "generation_failed": "#969696",
}
RUN_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"]
TITLE_SIZE, LABEL_SIZE, TICK_SIZE = 13, 11, 10
MAX_WIDTH = 14.0  # inches at 100 dpi: wider figures shrink their text when shown


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def run_title(summary: dict[str, Any]) -> str:
    """benchmark · method · model (and the noise, when there was some)."""
    title = f"{summary['benchmark']} · {summary['method']} · {summary.get('model') or 'no model'}"
    return title + (f" · noise {summary['noise']}" if summary.get("noise") else "")


def metric_keys(*entries: dict[str, Any]) -> list[str]:
    """The known metrics any of `entries` holds, in plotting order."""
    return [m for m in METRIC_LABELS if any(isinstance(e.get(m), int | float) for e in entries)]


def outcome_counts(scores: dict[str, Any]) -> dict[str, int]:
    """A variant's episodes by how they ended: 'passed', 'test failed' (ran to the end but
    failed the unit test), then each failure outcome of the sandbox."""
    episodes = int(scores.get("episodes", 0))
    passed = round(float(scores.get("pass", 0.0)) * episodes)
    counts = {"passed": passed}
    for outcome, n in scores.get("outcomes", {}).items():
        if outcome == "finished":
            counts["test failed"] = counts.get("test failed", 0) + n - passed
        else:
            counts[outcome] = counts.get(outcome, 0) + n
    return {k: v for k, v in counts.items() if v > 0}


def _failures(scores: dict[str, Any]) -> str:
    counts = outcome_counts(scores)
    return ", ".join(f"{k} {n}" for k, n in counts.items() if k != "passed")


def _run_totals(summary: dict[str, Any]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for scores in summary.get("variants", {}).values():
        for k, n in outcome_counts(scores).items():
            totals[k] = totals.get(k, 0) + n
    return totals


def failure_note(summary: dict[str, Any]) -> str | None:
    """The message drawn across a chart when a run has nothing to show as bars."""
    if not summary.get("episodes"):
        return "no episodes in this run"
    totals = _run_totals(summary)
    if totals.get("passed"):
        return None
    return "no episode passed\n" + ", ".join(f"{k} {n}" for k, n in totals.items())


def _note(ax: Any, text: str) -> None:
    ax.text(
        0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=LABEL_SIZE,
        color="#a50f15", bbox={"boxstyle": "round", "facecolor": "#fee0d2", "edgecolor": "#a50f15"},
    )  # fmt: skip


def save(fig: Any, path: Path) -> Path:
    fig.savefig(path)
    return path


def by_variant(summary: dict[str, Any]) -> Any:
    """Per variant: exec and pass as bars, BLEU and CodeBLEU (and any task-level scores) as
    markers on the same 0..1 axis; each failing variant's outcomes written beside it."""
    variants = summary.get("variants", {})
    names = list(variants)
    fig = _figure(11, max(3.0, 0.42 * len(names) + 1.6))
    ax = fig.add_subplot()
    ys = list(range(len(names)))
    keys = metric_keys(*variants.values())
    if "exec" in keys:
        ax.barh(ys, [variants[n]["exec"] for n in names], color=COLOURS[0], label="exec")
    if "pass" in keys:
        ax.barh(ys, [variants[n]["pass"] for n in names], 0.5, color=COLOURS[1], label="pass")
    markers = iter("^Ds*")
    for key in keys:
        if key not in ("exec", "pass"):
            colour = COLOURS[list(METRIC_LABELS).index(key)]
            values = [variants[n].get(key) for n in names]
            shown = [(v, y) for v, y in zip(values, ys, strict=True) if v is not None]
            ax.scatter(
                [v for v, _ in shown], [y for _, y in shown], marker=next(markers, "o"),
                color=colour, edgecolor="black", zorder=3, label=METRIC_LABELS[key], s=45,
            )  # fmt: skip
    if any(_failures(variants[n]) for n in names):  # outcomes of failing seeds, at the right
        right = ax.secondary_yaxis("right")
        right.set_yticks(ys, [_failures(variants[n]) for n in names], fontsize=TICK_SIZE - 1)
        right.tick_params(colors="#a50f15", length=0)
    ax.set_yticks(ys, names, fontsize=TICK_SIZE)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.tick_params(axis="x", labelsize=TICK_SIZE)
    ax.set_xlabel(
        "fraction of seeds (exec, pass) · similarity to the reference", fontsize=LABEL_SIZE
    )
    ax.set_title(f"{run_title(summary)}: per variant", fontsize=TITLE_SIZE)
    note = failure_note(summary)
    if note:
        _note(ax, note)
    if names:
        fig.legend(loc="outside lower center", ncol=len(keys), fontsize=TICK_SIZE, frameon=False)
    return fig


def _grouped_bars(
    ax: Any,
    names: list[str],
    series: list[tuple[str, list[float | None]]],
    colours: Sequence[str] = COLOURS,
) -> None:
    """Bars of each series side by side at each name; a missing value draws nothing."""
    width = 0.8 / max(1, len(series))
    for i, (label, values) in enumerate(series):
        xs = [x - 0.4 + width * (i + 0.5) for x in range(len(names))]
        shown = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
        ax.bar([x for x, _ in shown], [v for _, v in shown], width, label=label,
               color=colours[i % len(colours)])  # fmt: skip
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=TICK_SIZE)
    ax.tick_params(axis="y", labelsize=TICK_SIZE)
    ax.set_ylim(0, 1.05)


def group_rows(summary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each group, then both overall averages (the rows of the paper's tables)."""
    rows = dict(summary.get("groups", {}))
    rows["overall (variants)"] = summary.get("overall", {})
    rows["overall (groups)"] = summary.get("overall_by_group", {})
    return rows


def by_group(summary: dict[str, Any]) -> Any:
    """Grouped bars: every metric of each group and of both overall averages."""
    rows = group_rows(summary)
    names = list(rows)
    keys = metric_keys(*rows.values()) if summary.get("episodes") else []
    fig = _figure(min(MAX_WIDTH, max(7.0, 0.25 * len(keys) * len(names) + 2)), 5.0)
    ax = fig.add_subplot()
    _grouped_bars(ax, names, [(METRIC_LABELS[k], [rows[n].get(k) for n in names]) for k in keys])
    ax.set_ylabel("mean", fontsize=LABEL_SIZE)
    ax.set_title(f"{run_title(summary)}: by group", fontsize=TITLE_SIZE)
    note = failure_note(summary)
    if note:
        _note(ax, note)
    if keys:
        ax.legend(fontsize=TICK_SIZE, ncol=min(len(keys), 3), loc="upper left")
    return fig


def outcomes(summary: dict[str, Any]) -> Any:
    """Stacked bars: each variant's seeds by how they ended."""
    variants = summary.get("variants", {})
    names = list(variants)
    counts = {n: outcome_counts(variants[n]) for n in names}
    kinds = list(dict.fromkeys(["passed", "test failed", *OUTCOME_COLOURS]))
    kinds = [k for k in kinds if any(k in c for c in counts.values())]
    kinds += sorted({k for c in counts.values() for k in c} - set(kinds))
    fig = _figure(11, max(3.0, 0.42 * len(names) + 1.6))
    ax = fig.add_subplot()
    from matplotlib.ticker import MaxNLocator

    ys = list(range(len(names)))
    left = [0] * len(names)
    for kind in kinds:
        widths = [counts[n].get(kind, 0) for n in names]
        ax.barh(ys, widths, left=left, color=OUTCOME_COLOURS.get(kind), label=kind,
                edgecolor="white")  # fmt: skip
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(ys, names, fontsize=TICK_SIZE)
    ax.invert_yaxis()
    ax.tick_params(axis="x", labelsize=TICK_SIZE)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("seeds", fontsize=LABEL_SIZE)
    ax.set_title(f"{run_title(summary)}: how each seed ended", fontsize=TITLE_SIZE)
    note = failure_note(summary)
    if note:
        _note(ax, note)
    if kinds:
        fig.legend(loc="outside lower center", ncol=min(len(kinds), 5), fontsize=TICK_SIZE,
                   frameon=False)  # fmt: skip
    return fig


def write_plots(summary: dict[str, Any], directory: Path) -> list[Path]:
    """by_variant.png, by_group.png and outcomes.png of one run (also for an empty run,
    whose charts say it is empty)."""
    directory.mkdir(parents=True, exist_ok=True)
    return [
        save(by_variant(summary), directory / "by_variant.png"),
        save(by_group(summary), directory / "by_group.png"),
        save(outcomes(summary), directory / "outcomes.png"),
    ]


def compare(summaries: Sequence[dict[str, Any]], labels: Sequence[str]) -> Any:
    """Several runs in one PNG, one panel per metric, groups and overall along the x axis
    and one bar series per run (method), as in the paper's figures."""
    rows = [group_rows(s) for s in summaries]
    names = list(dict.fromkeys(n for r in rows for n in r))
    keys = metric_keys(*(v for r in rows for v in r.values()))
    cols = 2 if len(keys) > 1 else 1
    panels = max(1, len(keys))
    n_rows = (panels + cols - 1) // cols
    width = min(MAX_WIDTH, max(7.0, 0.25 * len(names) * len(labels) + 2) * cols / 1.4)
    fig = _figure(width, 3.6 * n_rows + 1.2)
    benchmark = summaries[0]["benchmark"] if summaries else "?"
    models = sorted({s.get("model") or "no model" for s in summaries})
    fig.suptitle(f"{benchmark} · {', '.join(labels)} · {', '.join(models)}", fontsize=TITLE_SIZE)
    for i, key in enumerate(keys or ["pass"]):
        ax = fig.add_subplot(n_rows, cols, i + 1)
        series = [
            (label, [r.get(n, {}).get(key) if s.get("episodes") else None for n in names])
            for label, r, s in zip(labels, rows, summaries, strict=True)
        ]
        _grouped_bars(ax, names, series, RUN_COLOURS)
        ax.set_title(METRIC_LABELS.get(key, key), fontsize=LABEL_SIZE + 1)
        if i == 0:
            fig.legend(loc="outside lower center", ncol=min(len(labels), 4), fontsize=LABEL_SIZE,
                       frameon=False)  # fmt: skip
        empty = [lab for lab, s in zip(labels, summaries, strict=True) if failure_note(s)]
        if empty and i == 0:
            ax.text(0.99, 0.97, "nothing passed: " + ", ".join(empty), transform=ax.transAxes,
                    ha="right", va="top", fontsize=TICK_SIZE, color="#a50f15")  # fmt: skip
    return fig
