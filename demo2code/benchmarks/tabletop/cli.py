"""`demo2code tabletop ...` commands (the lead mounts `app` on the main CLI)."""

from __future__ import annotations

from pathlib import Path

import typer

from demo2code.commands.console import user_errors

app = typer.Typer(help="Tabletop benchmark tools.", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Tabletop benchmark tools (keeps `render` a subcommand)."""


@app.command()
def render(
    task: str = typer.Option(..., help="Task variant id, e.g. place-at-corner-top-left."),
    seed: int = typer.Option(0, help="Scenario seed."),
    out: Path = typer.Option(Path("scene.png"), help="PNG file to write."),
) -> None:
    """Draw a task's initial scene for one seed."""
    from demo2code.benchmarks.tabletop.render import render_scene

    with user_errors():
        written = render_scene(task, seed, out)
    typer.echo(str(written))


if __name__ == "__main__":
    app()
