"""tables.md, tables.csv and the comparison plots of a sweep, laid out like the paper's
tables: one block per table and benchmark, rows are groups (or variants, or noise
settings), columns are methods with exec / pass / BLEU each. Cells of a noise setting
drawn with several noise seeds are averaged over those seeds.

Everything here is read from the cells' summary.json files, so it is the same whichever
executor made them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from demo2code.evaluation import runlog
from demo2code.evaluation.report import HEADERS, OVERALL, OVERALL_GROUPS
from demo2code.sweep.cells import Cell, table_cells
from demo2code.sweep.config import NO_NOISE, Sweep, TableSpec

SHOWN = ("exec", "pass", "bleu")  # the paper's columns; tables.csv also has CodeBLEU
# tables.csv has them all.
METRICS = ("exec", "pass", "bleu", "codebleu", "bleu_task", "codebleu_task")


@dataclass
class Block:
    """One benchmark (and noise setting) of one table: rows x columns x metrics."""

    title: str
    kind: str  # what the rows are: "group", "variant" or "noise"
    rows: list[str]
    columns: list[str]
    values: dict[tuple[str, str], dict[str, float]]  # (row, column) -> metric -> mean
    counts: dict[tuple[str, str], int]  # how many cells (noise seeds) each mean is over
    runs: list[tuple[str, dict[str, Any]]]  # (label, summary) of each cell, for the plot


def _summary(out: Path, cell: Cell) -> dict[str, Any] | None:
    import json

    path = out / cell.name / "summary.json"
    if not path.is_file():
        return None
    summary = json.loads(path.read_text())
    return summary if summary.get("episodes") else None


def _column(table: TableSpec, cell: Cell) -> str:
    label = cell.method
    if len(table.models) > 1 and cell.model != "none":
        label += f" ({cell.model})"
    if len(table.repair) > 1:
        label += f" repair {cell.repair}"
    return label


def _rows_of(summary: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    if kind == "variant":
        rows.update(summary.get("variants", {}))
    if kind in ("variant", "group"):
        rows.update(summary.get("groups", {}))
    rows[OVERALL] = summary.get("overall", {})
    rows[OVERALL_GROUPS] = summary.get("overall_by_group", {})
    return rows


def _add(block: Block, row: str, column: str, scores: dict[str, Any]) -> None:
    """Fold one cell's scores into the running mean of (row, column)."""
    if row not in block.rows:
        block.rows.append(row)
    key = (row, column)
    n = block.counts.get(key, 0)
    old = block.values.get(key, {})
    block.values[key] = {
        m: (old.get(m, 0.0) * n + (scores.get(m) or 0.0)) / (n + 1) for m in METRICS
    }
    block.counts[key] = n + 1


def blocks(sweep: Sweep, out: Path) -> list[Block]:
    """Every table's blocks, in the file's order."""
    result = []
    for table in sweep.tables:
        cells = table_cells(sweep, table)
        columns = list(dict.fromkeys(_column(table, c) for c in cells))
        noise_groups = [table.noise] if table.rows == "noise" else [[n] for n in table.noise]
        for benchmark in table.benchmarks:
            for noise in noise_groups:
                title = f"{table.title} · {benchmark}"
                if table.rows != "noise" and noise != [NO_NOISE]:
                    seeds = len(sweep.noise[noise[0]].seeds)
                    specs = ", ".join(sweep.noise[noise[0]].specs)
                    title += f" · noise {noise[0]} ({specs}; mean over {seeds} noise seed(s))"
                kind = {"groups": "group", "variants": "variant", "noise": "noise"}[table.rows]
                block = Block(title, kind, [], columns, {}, {}, [])
                for cell in cells:
                    if cell.benchmark != benchmark or cell.noise not in noise:
                        continue
                    summary = _summary(out, cell)
                    if summary is None:
                        continue
                    column = _column(table, cell)
                    label = column if kind != "noise" else f"{column} · {cell.noise}"
                    if cell.noise != NO_NOISE and len(sweep.noise[cell.noise].seeds) > 1:
                        label += f" ns{cell.noise_seed}"
                    block.runs.append((label, summary))
                    if kind == "noise":
                        _add(block, cell.noise, column, summary.get("overall", {}))
                    else:
                        for row, scores in _rows_of(summary, kind).items():
                            _add(block, row, column, scores)
                if kind == "noise":  # the file's order, not the order cells finished
                    block.rows = [n for n in noise if n in block.rows]
                result.append(block)
    return result


def _f(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def to_markdown(all_blocks: list[Block]) -> str:
    lines = ["# Sweep results", ""]
    for block in all_blocks:
        head = [block.kind] + [f"{c} {HEADERS[m]}" for c in block.columns for m in SHOWN]
        lines += [f"## {block.title}", ""]
        lines += ["| " + " | ".join(head) + " |", "|---" + "|---:" * (len(head) - 1) + "|"]
        if not block.rows:
            lines += ["", "(no finished cell yet)"]
        for row in block.rows:
            label = f"**{row}**" if row in (OVERALL, OVERALL_GROUPS) else row
            cells = [
                _f(block.values.get((row, c), {}).get(m)) for c in block.columns for m in SHOWN
            ]
            lines.append("| " + " | ".join([label, *cells]) + " |")
        lines.append("")
    lines.append(
        "exec and pass: fractions of seeds; BLEU: of each variant's one program against the "
        "reference (settings in each cell's summary.json). Noise rows and noisy blocks average "
        "the cells of every noise seed."
    )
    return "\n".join(lines) + "\n"


def to_csv(all_blocks: list[Block]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["table", "kind", "row", "column", "cells", *METRICS])
    for block in all_blocks:
        for row in block.rows:
            for column in block.columns:
                scores = block.values.get((row, column))
                if scores:
                    n = block.counts[(row, column)]
                    values = [f"{scores[m]:.6f}" for m in METRICS]
                    writer.writerow([block.title, block.kind, row, column, n, *values])
    return buf.getvalue()


def write_tables(sweep: Sweep, out: Path) -> list[Path]:
    """tables.md, tables.csv and plots/table-N.png: each block's cells side by side, one
    panel per metric (demo2code/evaluation/plots.py's comparison figure)."""
    from demo2code.evaluation.plots import compare, save

    all_blocks = blocks(sweep, out)
    runlog.write_atomic(out / "tables.md", to_markdown(all_blocks))
    runlog.write_atomic(out / "tables.csv", to_csv(all_blocks))
    written = [out / "tables.md", out / "tables.csv"]
    for i, block in enumerate(all_blocks, start=1):
        if block.runs:
            path = out / "plots" / f"table-{i}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            labels = [label for label, _ in block.runs]
            written.append(save(compare([s for _, s in block.runs], labels), path))
    return written
