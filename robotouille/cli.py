"""`robotouille`: play a kitchen level in a window and record it, replay a recording, or
render a level to a picture.

The GUI (and so pygame) is imported inside the commands, so `--help` stays fast. The
`robotouille` package never imports `demo2code`, with one documented exception: `--task`
(and `--task-file`) needs the task catalogue (which level, which instruction, and the unit
test that decides when the goal is reached), so `_task()` imports the benchmark lazily,
inside the function, only when that option is used.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import typer

from demo2code.commands.help_text import PolishedGroup, print_version
from robotouille.generator import generate
from robotouille.level import Level, LevelError, builtin_level, load_level
from robotouille.recording import RecordingError, read_recording, scenario_level

app = typer.Typer(
    help="Play Robotouille and record demonstrations; replay and render them.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    cls=PolishedGroup,  # flags without placeholders, --version everywhere (help_text.py)
)


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        is_eager=True,
        help="Print the version and exit.",
        callback=print_version,
    ),  # fmt: skip
) -> None:
    pass


MODES = ("noisy", "full", "none")


class _Fail(Exception):
    """A one-line error for the user (no traceback)."""


@dataclass(frozen=True)
class _Task:
    base: Level
    instruction: str
    name: str
    seed: int  # the first demonstration seed
    judge: Any  # trace -> goal progress: the task's own unit test (robotouille/gui/session.py)


def _task(task_id: str | None, task_file: Path | None = None) -> _Task:
    """A task of the catalogue (`DEMO2CODE_DATA` or the shipped one), or one task file."""
    # Lazy on purpose: the only place the robotouille package touches demo2code.
    from demo2code.benchmarks.goal_progress import goal_progress  # noqa: PLC0415
    from demo2code.benchmarks.robotouille import RobotouilleBenchmark, load_task  # noqa: PLC0415
    from demo2code.errors import Demo2CodeError  # noqa: PLC0415
    from robotouille.kinds import kind_of  # noqa: PLC0415

    try:
        if task_file is not None:
            if not task_file.is_file():
                raise _Fail(f"--task-file: {task_file}: no such file")
            task = load_task(task_file)
            folder = task_file.resolve().parent  # a catalogue keeps tasks in <root>/tasks/
            bench = RobotouilleBenchmark(folder.parent if folder.name == "tasks" else folder)
        else:
            bench = RobotouilleBenchmark()
            task = bench.task(str(task_id))
        base = bench.base_level(task)
    except Demo2CodeError as err:
        raise _Fail(str(err)) from None
    test = task.data["test"]
    seed = task.demo_seeds[0] if task.demo_seeds else 100
    return _Task(
        base, task.instruction, task.id, seed, lambda trace: goal_progress(test, trace, kind_of)
    )


def _env(path: str) -> Level:
    """A level file, or the name of a level shipped with the package."""
    if Path(path).is_file() or path.endswith(".json"):
        return load_level(path)
    return builtin_level(path)


def _source(
    task: str | None,
    env: str | None,
    mode: str | None,
    instruction: str | None,
    task_file: Path | None = None,
):
    """The level factory (seed -> level), instruction, task name, default seed and judge
    (None for a bare level: its PDDL goal, if any, is all there is)."""
    if sum(x is not None for x in (task, env, task_file)) != 1:
        raise _Fail("give exactly one of --task TASK, --task-file FILE or --env FILE")
    if mode is not None and mode not in MODES:
        raise _Fail(f"--mode: expected one of {', '.join(MODES)}, got {mode!r}")
    judge = None
    if env is None:
        found = _task(task, task_file)
        base, text, name, seed, judge = (
            found.base,
            found.instruction,
            found.name,
            found.seed,
            found.judge,
        )
        mode = mode or "noisy"
    else:
        base = _env(env)
        text, name, seed = f"Play the level {base.name}.", base.name, 0
        mode = mode or "none"

    def make(s: int) -> Level:
        level = generate(base, s, mode)
        return replace(level, meta={**level.meta, "base": base.name, "mode": mode, "seed": s})

    return make, instruction or text, name, seed, judge


def _display_problem() -> str | None:
    if os.environ.get("SDL_VIDEODRIVER") == "":
        del os.environ["SDL_VIDEODRIVER"]  # empty means "choose", as when unset
    from robotouille.gui.app import display_problem  # noqa: PLC0415

    return display_problem()


def _run(fn) -> None:
    try:
        fn()
    except (_Fail, LevelError, RecordingError, ValueError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from None


CELL_HELP = "Smallest cell size in pixels (cells grow when the panel needs the height)."
TASK_FILE_HELP = "A task JSON of your own (its level: <root>/environments or a built-in)."


@app.command()
def play(
    task: str | None = typer.Option(None, help="Task id from the catalogue."),
    task_file: Path | None = typer.Option(None, help=TASK_FILE_HELP),
    env: str | None = typer.Option(None, help="A level JSON file (or a built-in level name)."),
    seed: int | None = typer.Option(None, help="Level seed (default: a fresh demo seed)."),
    record: Path | None = typer.Option(None, help="Demonstration JSON to write (appends)."),
    mode: str | None = typer.Option(
        None, help="noisy | full | none (default: noisy for --task, none for --env)."
    ),
    instruction: str | None = typer.Option(None, help="Override the instruction."),
    cell: int = typer.Option(72, help=CELL_HELP),
) -> None:
    """Open a window and play; with --record every step is saved as it happens. With a task,
    the goal is the task's own unit test, its goals ticked off in the side panel."""

    def go() -> None:
        from robotouille.recording import Recorder  # noqa: PLC0415

        make, text, name, default_seed, judge = _source(task, env, mode, instruction, task_file)
        problem = _display_problem()
        if problem is not None:
            raise _Fail(problem)
        from robotouille.gui.app import run_game  # noqa: PLC0415

        recorder = Recorder(record, name, text) if record is not None else None
        first = seed
        if first is None:
            used = recorder.used_seeds() if recorder else set()
            first = max(used) + 1 if used else default_seed
        from robotouille.gui.session import Session  # noqa: PLC0415

        run_game(Session(make, first, text, recorder, judge=judge), cell=cell, heading=name)
        if recorder is not None and recorder.path.exists():
            typer.echo(f"recorded {recorder.path}")

    _run(go)


def _replay_source(path: Path, scenario: int):
    """(level, steps, instruction, heading, judge) of one recorded scenario; the judge is the
    recorded task's unit test when the catalogue has that task, else None."""
    data = read_recording(path)
    n = len(data["scenarios"])
    if not 1 <= scenario <= n:
        raise _Fail(f"--scenario: expected 1..{n}, got {scenario}")
    scen = data["scenarios"][scenario - 1]
    level = scenario_level(data, scenario - 1, str(path))
    try:
        found = _task(str(data.get("task")))
    except _Fail:
        if level is None:
            raise
        found = None
    if level is None:  # recorded elsewhere (e.g. generated demos): rebuild from the catalogue
        level = generate(found.base, int(scen.get("seed") or 0), "noisy")  # type: ignore[union-attr]
    text = scen.get("instruction") or data.get("instruction", "")
    heading = f"{data.get('task')}  scenario {scenario}  seed {scen.get('seed')}"
    judge = found.judge if found is not None else None
    return level, list(scen.get("steps", [])), text, heading, judge


@app.command()
def replay(
    demo: Path = typer.Argument(..., help="A demonstration JSON."),
    scenario: int = typer.Option(1, help="Scenario number, from 1."),
    gif: Path | None = typer.Option(None, help="Write an animation instead of a window."),
    delay: int = typer.Option(500, help="Milliseconds per step."),
) -> None:
    """Step through a recording (Space pauses, arrows step, Q quits), or write a GIF."""

    def go() -> None:
        level, steps, text, heading, judge = _replay_source(demo, scenario)
        from robotouille.gui.replay import replay_window, write_gif  # noqa: PLC0415

        if gif is not None:
            try:
                frames = write_gif(level, steps, gif, text, heading, delay, judge=judge)
            except OSError as err:
                raise _Fail(f"--gif: cannot write {gif}: {err.strerror or err}") from None
            typer.echo(f"wrote {gif} ({frames} frames)")
            return
        problem = _display_problem()
        if problem is not None:
            raise _Fail(problem)
        replay_window(level, steps, text, heading, delay, judge)

    _run(go)


@app.command()
def render(
    out: Path = typer.Option(..., help="PNG file to write."),
    task: str | None = typer.Option(None, help="Task id from the catalogue."),
    task_file: Path | None = typer.Option(None, help=TASK_FILE_HELP),
    env: str | None = typer.Option(None, help="A level JSON file (or a built-in level name)."),
    seed: int | None = typer.Option(None, help="Level seed."),
    mode: str | None = typer.Option(None, help="noisy | full | none."),
    cell: int = typer.Option(72, help=CELL_HELP),
) -> None:
    """Write a picture of a level's start state (no window needed)."""

    def go() -> None:
        make, text, name, default_seed, judge = _source(task, env, mode, None, task_file)
        s = default_seed if seed is None else seed
        from robotouille.gui.replay import render_level_png  # noqa: PLC0415

        try:
            render_level_png(make(s), out, text, f"{name}  seed {s}", cell, judge)
        except OSError as err:
            raise _Fail(f"--out: cannot write {out}: {err.strerror or err}") from None
        typer.echo(f"wrote {out}")

    _run(go)


def main() -> None:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    app()


if __name__ == "__main__":
    main()
