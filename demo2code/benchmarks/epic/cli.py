"""`demo2code epic ...`: import EPIC narrations as a demonstration."""

from __future__ import annotations

from pathlib import Path

import typer

from demo2code.benchmarks.epic.importer import ImportOptions, narrations_to_demonstration
from demo2code.benchmarks.epic.narrations import parse_segment, read_narrations
from demo2code.commands.console import err, user_errors
from demo2code.demo_text import render

app = typer.Typer(help="EPIC-Kitchens dish washing.", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """EPIC-Kitchens dish washing (keeps `import` a subcommand)."""


@app.command("import")
def import_cmd(
    csv_path: Path = typer.Argument(..., help="EPIC-KITCHENS-100 narration CSV"),
    video: str = typer.Option(..., "--video", help="video id, e.g. P22_07"),
    segment: str | None = typer.Option(None, "--segment", help="narration numbers START-END"),
    origin: str = typer.Option("sink_1", help="where dishes start"),
    rack: str = typer.Option("dishrack_1", help="where released clean dishes go"),
    out: Path | None = typer.Option(None, "--out", help="write demonstration JSON here"),
) -> None:
    """Narrations -> an EPIC-style demonstration (text on stdout, or JSON with --out)."""
    with user_errors():
        opts = ImportOptions(origin=origin, rack=rack)
        rows = read_narrations(csv_path, video, parse_segment(segment))
        demo = narrations_to_demonstration(rows, video, opts)
        if out is not None:
            demo.save(out)
    if segment is None and rows:
        err.print(
            f"note: no --segment, so all {len(rows)} narrations of {video} were imported "
            f"({rows[0].number}-{rows[-1].number}); a washing episode is usually a segment, "
            "e.g. --segment START-END (data/epic/tasks.json gives the project's)",
            markup=False, highlight=False, soft_wrap=True,
        )  # fmt: skip
    if out is not None:
        typer.echo(f"wrote {out}")
    else:
        typer.echo(render(demo), nl=False)
