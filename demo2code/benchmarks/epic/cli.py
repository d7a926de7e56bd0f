"""`demo2code epic ...`: import EPIC narrations as a demonstration."""

from __future__ import annotations

from pathlib import Path

import typer

from demo2code.benchmarks.epic.importer import ImportOptions, import_video
from demo2code.benchmarks.epic.narrations import parse_segment
from demo2code.commands.console import user_errors
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
        demo = import_video(csv_path, video, parse_segment(segment), opts)
        if out is not None:
            demo.save(out)
    if out is not None:
        typer.echo(f"wrote {out}")
    else:
        typer.echo(render(demo), nl=False)
