"""The `sweep` command: the paper's grid from one SWEEP.toml, on this machine or on Ray.
Thin: the work is in `demo2code.sweep`."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from demo2code.commands.console import err, out, progress_bar, user_errors


def sweep_command(
    sweep_file: Path = typer.Argument(..., help="a SWEEP.toml (see sweeps/offline.toml)"),
    out_dir: Path = typer.Option(..., "--out", help="sweep directory (resumed if it exists)"),
    dry_run: bool = typer.Option(False, "--dry-run", help="list the cells; run nothing"),
    executor: str = typer.Option("local", "--executor", help="local or ray"),
    address: str | None = typer.Option(
        None, "--address", help="a running Ray cluster (with --executor ray), e.g. HOST:6379"
    ),
    workers: int = typer.Option(
        os.cpu_count() or 1, "--workers", "-j", help="tasks at once (local; a new Ray instance)"
    ),
) -> None:
    """Every cell of the sweep as an `eval` run directory under OUT/<cell>/, then
    OUT/tables.md, OUT/tables.csv and OUT/plots/ in the paper's table layout."""
    from demo2code.evaluation.options import check_workers
    from demo2code.sweep.cells import expand
    from demo2code.sweep.config import load_sweep

    with user_errors():
        sweep = load_sweep(sweep_file)
        cells = expand(sweep)
        check_workers(workers)
        if dry_run:
            _print_dry_run(cells, out_dir)
            return
        from demo2code.commands.sandbox_commands import notice_missing_layers
        from demo2code.sweep.executors import make_executor
        from demo2code.sweep.run import run_sweep
        from demo2code.sweep.tables import write_tables

        notice_missing_layers()
        runner = make_executor(executor, workers, address)
        bar = progress_bar()
        with bar:
            job = bar.add_task(f"sweep ({runner.name})", total=None)
            result = run_sweep(
                cells, out_dir, runner,
                progress=lambda done, total: bar.update(job, completed=done, total=total),
            )  # fmt: skip
        write_tables(sweep, out_dir)
    out.print(
        f"{len(result.ran)} cell(s) run, {len(result.skipped)} already complete; "
        f"{result.new_rows} new episode(s) in {result.seconds:.1f} s",
        highlight=False,
    )
    out.print(f"tables in {out_dir}/tables.md and tables.csv; plots in {out_dir}/plots/")
    if result.unreachable:
        where, why = next(iter(result.unreachable.items()))
        err.print(
            f"error: {len(result.unreachable)} variant(s) not generated ({where}: {why}); "
            "run the same command again to resume",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1)


def _print_dry_run(cells: list, out_dir: Path) -> None:  # noqa: ANN001 - Cells
    """Plain aligned columns: cell names are long, and the list is read or grepped whole."""
    from demo2code.sweep.plan import estimate

    rows = estimate(cells, out_dir)
    head = ("cell", "episodes", "to run", "programs to make", "model calls (est.)")
    total = ("total", *(str(sum(getattr(r, k) for r in rows))
                        for k in ("episodes", "to_run", "to_make", "calls")))  # fmt: skip
    lines = [(r.name, str(r.episodes), str(r.to_run), str(r.to_make), str(r.calls)) for r in rows]
    width = max(len(line[0]) for line in [head, *lines, total])
    fmt = f"{{:<{width}}}  {{:>8}}  {{:>7}}  {{:>16}}  {{:>18}}"
    print(f"{len(cells)} cell(s) under {out_dir}/")
    for line in [head, *lines, total]:
        print(fmt.format(*line))


def register(app: typer.Typer) -> None:
    app.command("sweep")(sweep_command)
