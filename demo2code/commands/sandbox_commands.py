"""`demo2code sandbox info` and the isolation notice `run` and `eval` print once."""

from __future__ import annotations

import json

import typer

from demo2code.commands.console import err, out, user_errors

IsolationOpt = typer.Option(
    "best",
    "--isolation",
    help="best: every isolation layer this machine allows; strict: refuse to run unless all",
)
app = typer.Typer(help="The sandbox generated code runs in.", no_args_is_help=True)


def check_isolation(mode: str) -> None:
    from demo2code.errors import InputError

    if mode not in ("best", "strict"):
        raise InputError("--isolation", mode, "expected 'best' or 'strict'")


def notice_missing_layers() -> None:
    """One line on stderr when some isolation layer is unavailable here, naming why."""
    from demo2code.sandbox import available_layers

    missing = {k: v for k, v in available_layers().items() if v is not None}
    missing.pop("uid_drop", None)  # only meaningful when started as root
    if missing:
        listed = "; ".join(f"{name}: {why}" for name, why in sorted(missing.items()))
        err.print(f"note: sandbox layers not active on this machine: {listed}", markup=False)


@app.command("info")
def info(as_json: bool = typer.Option(False, "--json", help="print layer -> reason")) -> None:
    """Which isolation layers this machine applies to generated programs, and why not."""
    from rich.table import Table

    from demo2code.sandbox import LAYERS, available_layers

    with user_errors():
        found = available_layers()
    if as_json:
        print(json.dumps(found, indent=1))
        return
    table = Table(title="sandbox isolation layers")
    for col in ("layer", "active", "what it stops / why not"):
        table.add_column(col)
    for name, what in LAYERS.items():
        why = found.get(name, "unknown")
        table.add_row(name, "yes" if why is None else "no", what if why is None else why)
    out.print(table)
