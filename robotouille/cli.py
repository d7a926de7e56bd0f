"""`robotouille`: play a kitchen level in a window and record it, replay a recording, or
render a level to a picture.

The GUI (and so pygame) is imported inside the commands, so `--help` stays fast. The
`robotouille` package never imports `demo2code`, with one documented exception: `--task`
needs the task catalogue (which level, which instruction), so `_task()` imports the
benchmark lazily, inside the function, only when that option is used.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import typer

from robotouille.generator import generate
from robotouille.level import Level, LevelError, builtin_level, load_level
from robotouille.recording import RecordingError, read_recording, scenario_level

app = typer.Typer(
    help="Play Robotouille and record demonstrations; replay and render them.",
    no_args_is_help=True,
    add_completion=False,
)

MODES = ("noisy", "full", "none")


class _Fail(Exception):
    """A one-line error for the user (no traceback)."""


def _task(task_id: str) -> tuple[Level, str, str, int]:
    """(base level, instruction, task id, first demonstration seed) of a catalogue task."""
    # Lazy on purpose: the only place the robotouille package touches demo2code.
    from demo2code.benchmarks.robotouille import RobotouilleBenchmark  # noqa: PLC0415
    from demo2code.errors import Demo2CodeError  # noqa: PLC0415

    try:
        bench = RobotouilleBenchmark()
        task = bench.task(task_id)
        base = bench.base_level(task)
    except Demo2CodeError as err:
        raise _Fail(str(err)) from None
    seed = task.demo_seeds[0] if task.demo_seeds else 100
    return base, task.instruction, task.id, seed


def _env(path: str) -> Level:
    """A level file, or the name of a level shipped with the package."""
    if Path(path).is_file() or path.endswith(".json"):
        return load_level(path)
    return builtin_level(path)


def _source(task: str | None, env: str | None, mode: str | None, instruction: str | None):
    """The level factory (seed -> level), instruction, task name and default seed."""
    if (task is None) == (env is None):
        raise _Fail("give exactly one of --task TASK or --env FILE")
    if mode is not None and mode not in MODES:
        raise _Fail(f"--mode: expected one of {', '.join(MODES)}, got {mode!r}")
    if task is not None:
        base, text, name, seed = _task(task)
        mode = mode or "noisy"
    else:
        base = _env(env)  # type: ignore[arg-type]
        text, name, seed = f"Play the level {base.name}.", base.name, 0
        mode = mode or "none"

    def make(s: int) -> Level:
        level = generate(base, s, mode)
        return replace(level, meta={**level.meta, "base": base.name, "mode": mode, "seed": s})

    return make, instruction or text, name, seed


def _run(fn) -> None:
    try:
        fn()
    except (_Fail, LevelError, RecordingError, ValueError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from None


@app.command()
def play(
    task: str | None = typer.Option(None, help="Task id from the catalogue."),
    env: str | None = typer.Option(None, help="A level JSON file (or a built-in level name)."),
    seed: int | None = typer.Option(None, help="Level seed (default: a fresh demo seed)."),
    record: Path | None = typer.Option(None, help="Demonstration JSON to write (appends)."),
    mode: str | None = typer.Option(
        None, help="noisy | full | none (default: noisy for --task, none for --env)."
    ),
    instruction: str | None = typer.Option(None, help="Override the instruction."),
    cell: int = typer.Option(72, help="Cell size in pixels."),
) -> None:
    """Open a window and play; with --record every step is saved as it happens."""

    def go() -> None:
        from robotouille.recording import Recorder  # noqa: PLC0415

        make, text, name, default_seed = _source(task, env, mode, instruction)
        recorder = Recorder(record, name, text) if record is not None else None
        first = seed
        if first is None:
            used = recorder.used_seeds() if recorder else set()
            first = max(used) + 1 if used else default_seed
        from robotouille.gui.app import run_game  # noqa: PLC0415
        from robotouille.gui.session import Session  # noqa: PLC0415

        run_game(Session(make, first, text, recorder), cell=cell, heading=name)
        if recorder is not None and recorder.path.exists():
            typer.echo(f"recorded {recorder.path}")

    _run(go)


def _replay_source(path: Path, scenario: int) -> tuple[Level, list[dict[str, Any]], str, str]:
    data = read_recording(path)
    n = len(data["scenarios"])
    if not 1 <= scenario <= n:
        raise _Fail(f"--scenario: expected 1..{n}, got {scenario}")
    scen = data["scenarios"][scenario - 1]
    level = scenario_level(data, scenario - 1, str(path))
    if level is None:  # recorded elsewhere (e.g. generated demos): rebuild from the catalogue
        base, _, _, _ = _task(str(data.get("task")))
        level = generate(base, int(scen.get("seed") or 0), "noisy")
    text = scen.get("instruction") or data.get("instruction", "")
    heading = f"{data.get('task')}  scenario {scenario}  seed {scen.get('seed')}"
    return level, list(scen.get("steps", [])), text, heading


@app.command()
def replay(
    demo: Path = typer.Argument(..., help="A demonstration JSON."),
    scenario: int = typer.Option(1, help="Scenario number, from 1."),
    gif: Path | None = typer.Option(None, help="Write an animation instead of a window."),
    delay: int = typer.Option(500, help="Milliseconds per step."),
) -> None:
    """Step through a recording (Space pauses, arrows step, Q quits), or write a GIF."""

    def go() -> None:
        level, steps, text, heading = _replay_source(demo, scenario)
        from robotouille.gui.replay import replay_window, write_gif  # noqa: PLC0415

        if gif is not None:
            try:
                frames = write_gif(level, steps, gif, text, heading, delay)
            except OSError as err:
                raise _Fail(f"--gif: cannot write {gif}: {err.strerror or err}") from None
            typer.echo(f"wrote {gif} ({frames} frames)")
            return
        replay_window(level, steps, text, heading, delay)

    _run(go)


@app.command()
def render(
    out: Path = typer.Option(..., help="PNG file to write."),
    task: str | None = typer.Option(None, help="Task id from the catalogue."),
    env: str | None = typer.Option(None, help="A level JSON file (or a built-in level name)."),
    seed: int | None = typer.Option(None, help="Level seed."),
    mode: str | None = typer.Option(None, help="noisy | full | none."),
    cell: int = typer.Option(72, help="Cell size in pixels."),
) -> None:
    """Write a picture of a level's start state (no window needed)."""

    def go() -> None:
        make, text, name, default_seed = _source(task, env, mode, None)
        s = default_seed if seed is None else seed
        from robotouille.gui.replay import render_level_png  # noqa: PLC0415

        try:
            render_level_png(make(s), out, text, f"{name}  seed {s}", cell)
        except OSError as err:
            raise _Fail(f"--out: cannot write {out}: {err.strerror or err}") from None
        typer.echo(f"wrote {out}")

    _run(go)


def main() -> None:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    app()


if __name__ == "__main__":
    main()
