"""`demo2code tabletop ...` commands (the lead mounts `app` on the main CLI)."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="Tabletop benchmark tools.", no_args_is_help=True)


@app.command()
def render(
    task: str = typer.Option(..., help="Task variant id, e.g. place-at-corner-top-left."),
    seed: int = typer.Option(0, help="Scenario seed."),
    out: Path = typer.Option(Path("scene.png"), help="PNG file to write."),
) -> None:
    """Draw a task's initial scene for one seed."""
    from demo2code.benchmarks.tabletop.render import render_scene

    typer.echo(str(render_scene(task, seed, out)))


@app.command("generate-demos")
def generate_demos_cmd(
    out_dir: Path = typer.Option(None, help="Directory (default: data/tabletop/demos)."),
) -> None:
    """Rebuild the demonstration files by running the reference programs on demo seeds."""
    from demo2code.benchmarks.tabletop.benchmark import generate_demos

    typer.echo(f"wrote {len(generate_demos(out_dir))} demonstrations")


if __name__ == "__main__":
    app()
