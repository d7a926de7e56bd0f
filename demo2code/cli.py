"""The `demo2code` command. Each command is thin: it calls one library function that returns
data, then prints or writes it. Errors in user input print one line and exit non-zero."""

from __future__ import annotations

import fnmatch
import json
import sys
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from demo2code.benchmarks import BENCHMARKS, get_benchmark
from demo2code.benchmarks.base import TaskVariant
from demo2code.commands.console import err, out, progress_bar, user_errors
from demo2code.commands.help_text import PolishedGroup, print_version
from demo2code.commands.model_options import (
    BaseUrlOpt,
    CacheOpt,
    ConcurrencyOpt,
    MaxTokensOpt,
    ModelOpt,
    PriceInOpt,
    PriceOutOpt,
    RetriesOpt,
    TemperatureOpt,
    TimeoutOpt,
    TokenBudgetOpt,
    model_config,
    pipeline_limits,
    prices,
)
from demo2code.commands.model_status import model_activity, print_totals, totals
from demo2code.errors import Demo2CodeError, UnknownName
from demo2code.pipeline import METHODS
from demo2code.reasoners.base import UnsupportedMethod
from demo2code.reasoners.symbolic import offline_refusal

app = typer.Typer(
    help="Turn an instruction plus demonstrations into robot task code, and measure it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},  # inherited by every command
    cls=PolishedGroup,  # flags without placeholders, --version everywhere: see help_text.py
)
tasks_app = typer.Typer(help="The task catalogue of each benchmark.", no_args_is_help=True)
demos_app = typer.Typer(help="Demonstrations: generate, show, import.", no_args_is_help=True)
app.add_typer(tasks_app, name="tasks")
app.add_typer(demos_app, name="demos")


BenchmarkOpt = typer.Option(
    "robotouille", "--benchmark", "-b", help="robotouille, tabletop or epic"
)
TasksOpt = typer.Option(None, "--tasks", help="Glob over task ids, e.g. 'two-*'")


def select_tasks(
    benchmark: str, pattern: str | None, split: str | None = "test"
) -> list[TaskVariant]:
    bench = get_benchmark(benchmark)
    tasks = bench.tasks(split)
    if pattern:
        chosen = [t for t in tasks if fnmatch.fnmatchcase(t.id, pattern)]
        if not chosen:
            raise UnknownName("--tasks pattern", pattern, [t.id for t in tasks])
        return chosen
    from demo2code.benchmarks.base import default_tasks

    return default_tasks(bench, split)


# --- tasks ---------------------------------------------------------------------------------


@tasks_app.command("list")
def tasks_list(
    benchmark: str = BenchmarkOpt,
    split: str = typer.Option("all", help="test, train or all"),
    as_json: bool = typer.Option(False, "--json", help="Print the variants as JSON"),
) -> None:
    """List task variants with their family and instruction."""
    with user_errors():
        if split not in ("test", "train", "all"):
            raise UnknownName("--split", split, ["test", "train", "all"])
        tasks = get_benchmark(benchmark).tasks(None if split == "all" else split)
    if as_json:
        rows = [
            {"id": t.id, "family": t.family, "split": t.split, "instruction": t.instruction}
            for t in tasks
        ]
        print(json.dumps(rows, indent=1))
        return
    from demo2code.commands.tasks_view import print_tasks

    print_tasks(benchmark, tasks)


@tasks_app.command("verify")
def tasks_verify(
    benchmark: str = BenchmarkOpt,
    tasks: str | None = TasksOpt,
    split: str = typer.Option("test", help="test, train or all"),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON"),
) -> None:
    """Run every reference program on every test seed; exit 1 if any fails its unit test."""
    from demo2code.verify import verify

    with user_errors():
        if split not in ("test", "train", "all"):
            raise UnknownName("--split", split, ["test", "train", "all"])
        chosen = select_tasks(benchmark, tasks, None if split == "all" else split)
        bench = get_benchmark(benchmark)
        with progress_bar() as bar:
            job = bar.add_task("verifying", total=sum(len(t.seeds) for t in chosen))
            report = verify(bench, chosen, progress=lambda: bar.advance(job))
    if as_json:
        print(json.dumps(report.to_json(), indent=1))
    else:
        table = Table(title=f"{benchmark}: {report.passed}/{report.episodes} episodes pass")
        for col in ("variant", "passed", "first failure"):
            table.add_column(col)
        for v in report.variants:
            table.add_row(v.id, f"{v.passed}/{v.episodes}", v.failures[0] if v.failures else "")
        out.print(table)
    if report.passed != report.episodes:
        raise typer.Exit(1)


# --- demonstrations ------------------------------------------------------------------------


@demos_app.command("generate")
def demos_generate(
    benchmark: str = BenchmarkOpt,
    tasks: str | None = TasksOpt,
    check: bool = typer.Option(False, "--check", help="Only compare with the files on disk"),
) -> None:
    """Rebuild demonstrations by running reference programs on the demo seeds."""
    from demo2code.demo_generation import generate_demos

    with user_errors():
        bench = get_benchmark(benchmark)
        chosen = select_tasks(benchmark, tasks, split=None)
        result = generate_demos(bench, chosen, write=not check)
    verb = "differ from" if check else "written to"
    out.print(f"{len(result.changed)} of {result.total} demonstrations {verb} disk")
    if check and result.changed:
        for path in result.changed:
            out.print(f"  {path}")
        raise typer.Exit(1)


@demos_app.command("show")
def demos_show(
    path: Path = typer.Argument(..., help="a demonstration: JSON or a text file"),
    style: str | None = typer.Option(None, help="robotouille, tabletop or epic"),
    noise: list[str] = typer.Option([], "--noise", help="e.g. drop-predicate=0.1 (repeatable)"),
    noise_seed: int = typer.Option(0, "--noise-seed", help="Seed of the random noise"),
) -> None:
    """Print a demonstration (JSON or any text style) in the paper's text form."""
    from demo2code.demo_text import load_demonstration, render
    from demo2code.noise import NoiseSpec, apply_noise

    with user_errors():
        demo = load_demonstration(path, style=style)
        specs = [NoiseSpec.parse(n) for n in noise]
        if specs:
            demo = apply_noise(demo, specs, noise_seed)
        print(render(demo, style, initial_state=True))


@demos_app.command("import")
def demos_import(
    path: Path = typer.Argument(..., help="a text demonstration"),
    out_path: Path = typer.Option(..., "--out", help="Where to write the JSON"),
    style: str | None = typer.Option(None, help="robotouille, tabletop or epic"),
    benchmark: str | None = typer.Option(None, help="Benchmark to record in the file"),
    task: str | None = typer.Option(None, help="Task id to record in the file"),
) -> None:
    """Convert a text demonstration (e.g. from the original Demo2Code release) to JSON."""
    from demo2code.demo_text import load_demonstration

    with user_errors():
        if benchmark is not None and benchmark not in BENCHMARKS:
            raise UnknownName("benchmark", benchmark, BENCHMARKS)
        demo = load_demonstration(path, style=style, benchmark=benchmark, task=task)
        demo.save(out_path)
    missing = "" if demo.instruction_given else "; no instruction line, recorded as null"
    out.print(f"wrote {out_path} ({len(demo.scenarios)} scenarios{missing})")


# --- the method ---------------------------------------------------------------------------

MethodOpt = typer.Option(
    "demo2code",
    "--method",
    "-m",
    help=", ".join(METHODS),
)
TranscriptOpt = typer.Option(None, "--transcript", help="Append every model call here (JSONL)")


def _prepare(demo_path: Path, config, transcript, style, benchmark):
    """Demonstration, stage context and reasoner for the summarize/synthesize commands."""
    from demo2code.benchmarks.base import api_names
    from demo2code.demo_text import load_demonstration
    from demo2code.llm.transcript import Transcript
    from demo2code.reasoners import StageContext, make_reasoner

    if benchmark is not None and benchmark not in BENCHMARKS:
        raise UnknownName("benchmark", benchmark, BENCHMARKS)
    demo = load_demonstration(demo_path, style=style, benchmark=benchmark)
    if demo.benchmark not in BENCHMARKS:
        raise UnknownName(f"benchmark (in {demo_path})", demo.benchmark, BENCHMARKS)
    bench = get_benchmark(demo.benchmark)
    known = {t.id: t for t in bench.tasks()}
    task = known.get(demo.task) or next(iter(known.values()))
    ctx = StageContext(bench.name, bench.api_reference(), api_names(bench, task))
    log = Transcript(transcript) if transcript else None
    return demo, ctx, make_reasoner(config, transcript=log), known.get(demo.task)


@app.command("summarize")
def summarize_cmd(
    demo: Path = typer.Argument(..., help="a demonstration: JSON or a text file"),
    method: str = MethodOpt,
    model: str | None = ModelOpt,
    base_url: str | None = BaseUrlOpt,
    cache: str | None = CacheOpt,
    temperature: float | None = TemperatureOpt,
    max_tokens: int | None = MaxTokensOpt,
    timeout: float | None = TimeoutOpt,
    retries: int | None = RetriesOpt,
    concurrency: int | None = ConcurrencyOpt,
    price_in: float | None = PriceInOpt,
    price_out: float | None = PriceOutOpt,
    token_budget: int | None = TokenBudgetOpt,
    transcript: Path | None = TranscriptOpt,
    style: str | None = typer.Option(None, help="Text style of DEMO if it is not JSON"),
    benchmark: str | None = typer.Option(None, help="Benchmark of a text DEMO"),
    as_json: bool = typer.Option(False, "--json", help="Print the summaries as JSON"),
) -> None:
    """Print every intermediate summary of DEMO and the task specification."""
    from demo2code.pipeline import summarize

    with user_errors():
        config = model_config(
            model, base_url, cache, temperature, max_tokens, timeout,
            retries=retries, concurrency=concurrency,
        )  # fmt: skip
        price = prices(price_in, price_out)
        d, ctx, reasoner, _ = _prepare(demo, config, transcript, style, benchmark)
        with model_activity(config):
            limits = pipeline_limits(token_budget)
            result = summarize(d, ctx, reasoner, method=method, limits=limits)
        usage = totals(config, price)
    if as_json:
        print(json.dumps({**result.to_json(), "model_totals": usage}, indent=1))
    else:
        print_totals(usage)
        from rich.panel import Panel

        for scen in result.summaries:
            for level, text in enumerate(scen.levels, start=1):
                title = f"scenario {scen.scenario + 1}, summary level {level}"
                out.print(Panel(text or "(empty)", title=title, expand=False), highlight=False)
        if result.spec:
            out.print(Panel(result.spec, title="specification", expand=False), highlight=False)
    if result.failed:
        err.print(f"[red]error:[/red] {escape(str(result.error))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)


@app.command("synthesize")
def synthesize_cmd(
    demo: Path = typer.Argument(..., help="a demonstration: JSON or a text file"),
    method: str = MethodOpt,
    model: str | None = ModelOpt,
    base_url: str | None = BaseUrlOpt,
    cache: str | None = CacheOpt,
    temperature: float | None = TemperatureOpt,
    max_tokens: int | None = MaxTokensOpt,
    timeout: float | None = TimeoutOpt,
    retries: int | None = RetriesOpt,
    concurrency: int | None = ConcurrencyOpt,
    price_in: float | None = PriceInOpt,
    price_out: float | None = PriceOutOpt,
    token_budget: int | None = TokenBudgetOpt,
    transcript: Path | None = TranscriptOpt,
    style: str | None = typer.Option(None, help="Text style of DEMO if it is not JSON"),
    benchmark: str | None = typer.Option(None, help="Benchmark of a text DEMO"),
    out_path: Path | None = typer.Option(None, "--out", help="Write the program here"),
    as_json: bool = typer.Option(False, "--json", help="Print the whole record as JSON"),
    repair: int = typer.Option(
        2,
        "--repair",
        min=0,
        help="Repair rounds when the program disagrees with DEMO in its own scenarios (0: off)",
    ),  # fmt: skip
) -> None:
    """Turn DEMO (plus its instruction) into a program for the benchmark's API."""
    from demo2code.evaluation.generation import demo_check
    from demo2code.pipeline import synthesize

    with user_errors():
        config = model_config(
            model, base_url, cache, temperature, max_tokens, timeout,
            retries=retries, concurrency=concurrency,
        )  # fmt: skip
        refusal = offline_refusal(method) if config.offline else None
        if refusal is not None:
            raise UnsupportedMethod(refusal)
        price = prices(price_in, price_out)
        d, ctx, reasoner, task = _prepare(demo, config, transcript, style, benchmark)
        spec = task.spec if task is not None else None
        if method == "spec2code" and spec is None:
            raise UnknownName(
                "task for spec2code (from the demonstration)",
                d.task,
                [t.id for t in get_benchmark(d.benchmark).tasks()],
            )
        limits = pipeline_limits(token_budget)
        check = None
        if repair > 0:
            try:
                check = demo_check(get_benchmark(d.benchmark), d)
            except Demo2CodeError as exc:  # e.g. a text demonstration without its scenarios
                err.print(f"self-check skipped: {exc}", markup=False, highlight=False)
        with model_activity(config):
            result = synthesize(
                method, d, d.instruction, spec, ctx, reasoner,
                limits=limits, check=check, repair=repair,
            )  # fmt: skip
        usage = totals(config, price)
    if as_json:
        print(json.dumps({**result.to_json(), "model_totals": usage}, indent=1))
    else:
        print_totals(usage)
        if result.program and out_path is None:
            print(result.program, end="")
    if result.program and out_path is not None:
        with user_errors():
            out_path.parent.mkdir(parents=True, exist_ok=True)
            out_path.write_text(result.program)
        err.print(f"wrote {out_path} ({result.calls} model calls, {result.tokens} tokens)")
    if result.repair is not None and not as_json:  # after the write: errors stay one line
        log = result.repair
        if log["self_check"]:
            err.print("self-check: the program agrees with every scenario", highlight=False)
        else:
            verdict = "agrees after" if log["agrees"] else "still disagrees after"
            err.print(
                f"self-check: {log['first_disagreement']}; {verdict} {log['repairs']} "
                "repair round(s)" + ("" if log["agrees"] else f" ({log['stopped']})"),
                markup=False, highlight=False, soft_wrap=True,
            )  # fmt: skip
    if result.failed:
        err.print(f"[red]error:[/red] {escape(str(result.error))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)


def _mount_benchmark_commands() -> None:
    """Benchmark-specific commands live with their benchmark."""
    from demo2code.benchmarks.epic.cli import app as epic_app
    from demo2code.benchmarks.tabletop.cli import app as tabletop_app

    app.add_typer(epic_app, name="epic", help="EPIC-Kitchens: import narrations.")
    app.add_typer(tabletop_app, name="tabletop", help="Tabletop: draw a task's initial scene.")
    from demo2code.commands.sandbox_commands import app as sandbox_app

    app.add_typer(sandbox_app, name="sandbox", help="The sandbox: which isolation layers apply.")


_mount_benchmark_commands()


def _register_eval_commands() -> None:
    from demo2code.commands.eval_commands import register

    register(app)


_register_eval_commands()


def _register_check_command() -> None:
    from demo2code.commands.check_command import register

    register(app)


_register_check_command()


def _register_show_command() -> None:
    from demo2code.commands.show_command import register

    register(app)


_register_show_command()


def _register_sweep_command() -> None:
    from demo2code.commands.sweep_command import register

    register(app)


_register_sweep_command()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        is_eager=True,
        help="Print the version and exit.",
        callback=print_version,
    ),
) -> None:
    pass


def main() -> None:
    try:
        app(prog_name="demo2code")
    except KeyboardInterrupt:
        err.print("interrupted; finished results are kept")
        sys.exit(130)


if __name__ == "__main__":
    main()
