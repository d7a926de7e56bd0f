"""PNG plots of one run. Uses matplotlib's object API with the Agg canvas directly, so no
global backend is switched and nothing needs a display."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def pass_by_variant(summary: dict[str, Any], path: Path) -> Path:
    """Horizontal bars: pass rate of every variant (exec rate as a lighter bar behind)."""
    variants = summary.get("variants", {})
    names = list(variants)
    fig = _figure(8, max(2.0, 0.3 * len(names) + 1))
    ax = fig.add_subplot()
    ys = range(len(names))
    ax.barh(ys, [variants[n]["exec"] for n in names], color="#c6dbef", label="exec")
    ax.barh(ys, [variants[n]["pass"] for n in names], color="#2171b5", height=0.5, label="pass")
    ax.set_yticks(list(ys), names, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("fraction of seeds")
    ax.set_title(f"{summary['benchmark']} · {summary['method']}: per variant")
    ax.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    return path


def exec_pass_by_group(summary: dict[str, Any], path: Path) -> Path:
    """Grouped bars: exec and pass of each group and of both overall averages."""
    groups = dict(summary.get("groups", {}))
    groups["overall (variants)"] = summary.get("overall", {})
    groups["overall (groups)"] = summary.get("overall_by_group", {})
    names = list(groups)
    fig = _figure(max(4.0, 1.1 * len(names) + 1), 3.5)
    ax = fig.add_subplot()
    xs = [float(i) for i in range(len(names))]
    ax.bar([x - 0.2 for x in xs], [groups[n].get("exec", 0) for n in names], 0.4, label="exec")
    ax.bar([x + 0.2 for x in xs], [groups[n].get("pass", 0) for n in names], 0.4, label="pass")
    ax.set_xticks(xs, names, rotation=30, ha="right", fontsize=7)
    ax.set_ylim(0, 1)
    ax.set_ylabel("mean")
    ax.set_title(f"{summary['benchmark']} · {summary['method']}: by group")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    return path


def write_plots(summary: dict[str, Any], directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    if not summary.get("variants"):
        return []
    return [
        pass_by_variant(summary, directory / "pass_by_variant.png"),
        exec_pass_by_group(summary, directory / "exec_pass_by_group.png"),
    ]


def methods_side_by_side(
    title: str, rows: list[str], series: dict[str, list[float | None]], path: Path
) -> Path:
    """Grouped bars: one group per row (a task group, variant or noise setting), one bar
    per method, height the pass rate; a missing value leaves a gap (`demo2code sweep`)."""
    fig = _figure(max(5.0, 0.9 * len(rows) * max(1, len(series)) / 2 + 2), 3.8)
    ax = fig.add_subplot()
    width = 0.8 / max(1, len(series))
    for i, (name, values) in enumerate(series.items()):
        xs = [r + (i - (len(series) - 1) / 2) * width for r in range(len(rows))]
        ax.bar(xs, [v if v is not None else 0.0 for v in values], width, label=name)
    ax.set_xticks(list(range(len(rows))), rows, rotation=30, ha="right", fontsize=7)
    ax.set_ylim(0, 1)
    ax.set_ylabel("pass")
    ax.set_title(title, fontsize=8)
    ax.legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(path)
    return path
