"""`demo2code show RUN VARIANT`: one variant of a run, readable without opening JSON: the
instruction and spec, the generated program beside the reference (or as a diff), and how
each seed ended."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from demo2code.commands.console import out, user_errors

SIDE_BY_SIDE_WIDTH = 140  # narrower terminals get the diff by default


def show_command(
    run: Path = typer.Argument(..., help="a run directory written by `eval`"),
    variant: str = typer.Argument(..., help="a task variant id of that run"),
    view: str = typer.Option(
        "auto", "--view", help="side (programs side by side), diff, or auto (side when wide)"
    ),
    as_json: bool = typer.Option(False, "--json", help="print everything as JSON"),
) -> None:
    """Instruction, spec, generated and reference programs, and each seed's outcome and
    failed subgoal, of one variant of a run."""
    from demo2code.errors import UnknownName
    from demo2code.evaluation.variant_view import load_variant

    with user_errors():
        if view not in ("auto", "side", "diff"):
            raise UnknownName("--view", view, ["auto", "side", "diff"])
        shown = load_variant(run, variant)
    if as_json:
        print(json.dumps(shown.to_json(), indent=1))
        return
    if view == "auto":
        view = "side" if out.width >= SIDE_BY_SIDE_WIDTH else "diff"
    model = shown.model or "no model"
    scores = " · ".join(f"{k} {v:.2f}" for k, v in shown.scores.items())
    out.print(
        f"{shown.variant} · {shown.benchmark} · {shown.method} · {model}"
        + (f" · {scores}" if scores else ""),
        markup=False, highlight=False, style="bold",
    )  # fmt: skip
    out.print(Panel(Text(shown.instruction), title="instruction", title_align="left"))
    out.print(Panel(Text(shown.spec), title="spec", title_align="left"))
    if shown.program is None:
        out.print(f"no program: {shown.error or 'the method produced none'}", markup=False)
    elif view == "side":
        _print_side_by_side(shown.side_by_side())
    else:
        _print_diff(shown.diff())
    _print_seeds(shown)


def _print_diff(lines: list[str]) -> None:
    if not lines:
        out.print("the generated program is identical to the reference", highlight=False)
        return
    styles = {"+": "green", "-": "red", "@": "cyan"}
    for line in lines:
        style = None if line.startswith(("+++", "---")) else styles.get(line[:1])
        out.print(Text(line, style=style or ""), soft_wrap=True)


def _print_side_by_side(rows: list[tuple[str | None, str | None, bool]]) -> None:
    """Generated and reference lines facing each other; lines that differ in colour."""
    table = Table("generated", "reference", expand=True, box=None, padding=(0, 1))
    for left, right, same in rows:
        table.add_row(
            Text(left if left is not None else "", style="" if same else "green"),
            Text(right if right is not None else "", style="" if same else "red"),
        )
    out.print(table)


def _print_seeds(shown) -> None:  # noqa: ANN001 - a VariantView
    if not shown.seeds:
        out.print("no seed has run yet", highlight=False)
        return
    table = Table("seed", "outcome", "unit test", "failed subgoal / message")
    for s in shown.seeds:
        why = "" if s.passed else (s.failed_subgoal or s.message)
        table.add_row(str(s.seed), s.outcome, "passed" if s.passed else "failed", Text(why))
    passed = sum(s.passed for s in shown.seeds)
    table.title = f"{passed}/{len(shown.seeds)} seeds passed"
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command("show")(show_command)
