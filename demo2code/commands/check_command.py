"""`demo2code check PROGRAM DEMO`: does a program do what its demonstration did, in the
demonstration's own scenarios? No test seed, unit test or reference is involved."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from demo2code.commands.console import out, user_errors


def check_command(
    program: Path = typer.Argument(..., help="a Python program file"),
    demo: Path = typer.Argument(..., help="the demonstration JSON it should agree with"),
    as_json: bool = typer.Option(False, "--json", help="print the report as JSON"),
) -> None:
    """Run PROGRAM in the sandbox in each scenario of DEMO and compare with what the
    demonstrator did; exit 1 at the first disagreement (reported in one sentence)."""
    from demo2code.benchmarks import BENCHMARKS, get_benchmark
    from demo2code.demos import load_json
    from demo2code.errors import InputError, UnknownName
    from demo2code.selfcheck import self_check

    with user_errors():
        try:
            code = program.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(str(program), "file", f"a readable UTF-8 program ({exc})") from None
        demonstration = load_json(demo)
        if demonstration.benchmark not in BENCHMARKS:
            raise UnknownName(f"benchmark (in {demo})", demonstration.benchmark, BENCHMARKS)
        bench = get_benchmark(demonstration.benchmark)
        report = self_check(bench, demonstration, code, source=str(demo))
    if as_json:
        print(json.dumps(report.to_json(), indent=1))
    else:
        for s in report.scenarios:
            text = "agrees" if s.agrees else s.disagreement
            out.print(f"scenario {s.scenario}: {text}" if s.agrees else text,
                      markup=False, highlight=False, soft_wrap=True)  # fmt: skip
        total = len(report.scenarios)
        agreeing = sum(s.agrees for s in report.scenarios)
        out.print(f"{agreeing}/{total} scenarios agree with the demonstration", highlight=False)
    if not report.agrees:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("check")(check_command)
