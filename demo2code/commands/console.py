"""Where commands print, and how user errors end: one line on stderr, exit code 2."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from demo2code.errors import Demo2CodeError

out = Console()
err = Console(stderr=True)


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Bad input (a malformed file, a mistyped name, a path that cannot be read or written)
    ends in one line on stderr and exit code 2; never a traceback."""
    from robotouille.level import LevelError

    try:
        yield
    except (Demo2CodeError, LevelError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except BrokenPipeError:  # the reader went away (`| head`): not an error to report
        raise
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        err.print(
            f"[red]error:[/red] {escape(where + str(exc.strerror or exc))}",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        err.print("interrupted; finished results are kept")
        raise typer.Exit(130) from None


def progress_bar(*extra: ProgressColumn) -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        *extra,
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
