"""The `eval`, `run` and `report` commands. Thin: each calls one library function in
`demo2code.evaluation` and prints what it returns. `register(app)` adds them to an app."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import ProgressColumn

from demo2code.commands.console import err, out, progress_bar, user_errors
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
from demo2code.commands.sandbox_commands import (
    IsolationOpt,
    check_isolation,
    notice_missing_layers,
)
from demo2code.pipeline import METHODS

BenchmarkOpt = typer.Option(
    "robotouille", "--benchmark", "-b", help="robotouille, tabletop or epic"
)
RepairOpt = typer.Option(
    2,
    "--repair",
    min=0,
    help="repair rounds when a program disagrees with its own demonstrations (0: off)",
)


def eval_command(
    method: str = typer.Option(
        "demo2code",
        "--method",
        "-m",
        help=f"{', '.join(METHODS)}, or reference (the reference programs; no model)",
    ),
    out_dir: Path = typer.Option(..., "--out", help="run directory (resumed if it exists)"),
    benchmark: str = BenchmarkOpt,
    model: str | None = ModelOpt,
    base_url: str | None = BaseUrlOpt,
    tasks: str | None = typer.Option(None, "--tasks", help="Glob over task ids, e.g. 'two-*'"),
    seeds: str | None = typer.Option(None, "--seeds", help="e.g. 0-9 or 0,3,5"),
    noise: list[str] = typer.Option([], "--noise", help="e.g. drop-predicate=0.1 (repeatable)"),
    noise_seed: int | None = typer.Option(
        None, "--noise-seed", help="the seed of the noise draws (default 0)"
    ),
    noise_seeds: str | None = typer.Option(
        None, "--noise-seeds", help="one run per noise seed, combined, e.g. 0-4 or 0,2,5"
    ),
    workers: int = typer.Option(1, "--workers", "-j", help="episodes run in parallel"),
    cache: str | None = CacheOpt,
    temperature: float | None = TemperatureOpt,
    max_tokens: int | None = MaxTokensOpt,
    timeout: float | None = TimeoutOpt,
    retries: int | None = RetriesOpt,
    concurrency: int | None = ConcurrencyOpt,
    price_in: float | None = PriceInOpt,
    price_out: float | None = PriceOutOpt,
    token_budget: int | None = TokenBudgetOpt,
    as_json: bool = typer.Option(False, "--json", help="print summary.json"),
    isolation: str = IsolationOpt,
    repair: int = RepairOpt,
) -> None:
    """Generate code once per variant, run it on every seed in the sandbox, check the unit
    test, score BLEU and CodeBLEU; writes results.jsonl, summary.json, results.md, plots."""
    from demo2code import cli
    from demo2code.evaluation.harness import REFERENCE, check_method, evaluate
    from demo2code.evaluation.noise_seeds import evaluate_noise_seeds
    from demo2code.evaluation.options import check_workers, noise_seed_list, parse_seeds
    from demo2code.llm.config import ModelConfig
    from demo2code.noise import NoiseSpec

    with user_errors():
        check_method(method)
        chosen = cli.select_tasks(benchmark, tasks)
        seed_list = parse_seeds(seeds) if seeds is not None else None
        specs = [NoiseSpec.parse(n) for n in noise]
        noise_seed_values = noise_seed_list(noise_seed, noise_seeds)
        check_workers(workers)
        check_isolation(isolation)
        notice_missing_layers()
        if method == REFERENCE:
            config = ModelConfig.from_options("symbolic", None, None, cache)
        else:
            config = model_config(
                model, base_url, cache, temperature, max_tokens, timeout,
                retries=retries, concurrency=concurrency,
            )  # fmt: skip
        price = prices(price_in, price_out)
        status = EvalStatus()
        bar = progress_bar(status.column())
        with model_activity(config, bar):
            job = bar.add_task(f"{method} on {benchmark}", total=None)
            options = dict(
                config=config,
                tasks=chosen,
                seeds=seed_list,
                workers=workers,
                pipeline_limits=pipeline_limits(token_budget),
                isolation=isolation,
                on_row=status.row,
                repair=repair,
                progress=lambda done, total: bar.update(job, completed=done, total=total),
            )
            if noise_seeds is None:
                result = evaluate(
                    benchmark, method, out_dir, noise=specs, noise_seed=noise_seed_values[0],
                    **options,
                )  # fmt: skip
            else:
                result = evaluate_noise_seeds(
                    benchmark, method, out_dir, noise=specs, noise_seeds=noise_seed_values,
                    **options,
                )  # fmt: skip
        usage = totals(config, price)
    summary = result.summary
    if result.corrupt_lines:
        lines = ", ".join(str(n) for n in result.corrupt_lines)
        err.print(
            f"warning: {out_dir}/results.jsonl line(s) {lines} were not valid rows; kept aside "
            "in results.jsonl.corrupt and those episodes were run again",
            markup=False,
            highlight=False,
        )
    if as_json:
        print(json.dumps({**summary, "model_totals": usage}, indent=1))
    else:
        _print_summary(summary, result.new_rows, out_dir, price)
        _print_outcomes(out_dir, summary)
        print_totals(usage)
    if result.unreachable:
        first = next(iter(result.unreachable.values()))
        again = "; run the same command again to resume" if resumable(first) else ""
        err.print(
            f"error: {len(result.unreachable)} variant(s) not generated: {first}{again}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1)


def resumable(message: str) -> bool:
    """Whether re-running the same command may help: the server was down or failing, not
    too slow for the settings, refusing the key, or missing the model."""
    from demo2code.llm.errors import RESUME_HINTS

    return not any(hint in message for hint in RESUME_HINTS)


class EvalStatus:
    """The progress bar's last column: the running pass count and, while a model works,
    the stage it is in (read afresh at every refresh)."""

    def __init__(self) -> None:
        self.done = self.passed = 0

    def row(self, row: dict) -> None:
        self.done += 1
        self.passed += bool(row.get("passed"))

    def text(self) -> str:
        from demo2code.llm.activity import ACTIVITY

        stages = ACTIVITY.stages()
        passing = f"pass {self.passed}/{self.done}" if self.done else "no episode yet"
        return passing + (f" · generating: {', '.join(stages)}" if stages else "")

    def column(self) -> ProgressColumn:
        from rich.progress import ProgressColumn
        from rich.text import Text

        status = self

        class _Column(ProgressColumn):
            def render(self, task: object) -> Text:
                return Text(status.text(), style="dim")

        return _Column()


def variant_cost(scores: dict, price: tuple[float, float]) -> float:
    """Dollars of one variant's generation at (per million prompt, completion) tokens."""
    from demo2code.commands.model_status import cost

    return cost(scores.get("prompt_tokens", 0), scores.get("completion_tokens", 0), price)


def _print_summary(
    summary: dict, new_rows: int, out_dir: Path, price: tuple[float, float] | None = None
) -> None:
    from rich.table import Table

    from demo2code.evaluation.summary import METRICS

    table = Table(
        title=f"{summary['benchmark']} · {summary['method']}: "
        f"{summary['episodes']} episodes ({new_rows} new)"
    )
    columns = ["group", "exec", "pass", "BLEU", "CodeBLEU", "BLEU task", "CodeBLEU task"]
    columns += ["cost $"] if price else []
    for col in columns:
        table.add_column(col, justify="left" if col == "group" else "right")
    costs: dict[str, float] = {}
    if price:
        for scores in summary["variants"].values():
            cost = variant_cost(scores, price)
            costs[scores["family"]] = costs.get(scores["family"], 0.0) + cost
            costs["overall"] = costs.get("overall", 0.0) + cost
    rows = [
        *summary["groups"].items(),
        ("overall (variants)", summary["overall"]),
        ("overall (groups)", summary["overall_by_group"]),
    ]
    for name, s in rows:  # None: nothing was measured (no episode, or an older run)
        cells = ["n/a" if s.get(m) is None else f"{s[m]:.2f}" for m in METRICS]
        if price:  # groups: their variants' sum; the overall rows: every variant's
            cells.append(f"{costs.get(name if name in costs else 'overall', 0.0):.4f}")
        table.add_row(name, *cells)
    out.print(table)
    if summary.get("repair") and summary["episodes"]:
        o = summary["overall"]
        out.print(
            f"pass {o['pass']:.2f} with repair, {o.get('pass_before_repair', 0):.2f} without; "
            f"self-check agreed for {o.get('self_check', 0):.2f} of variants before repair, "
            f"{o.get('self_check_after', 0):.2f} after",
            highlight=False,
        )
    if "noise_spread" in summary:
        spread = summary["noise_spread"]["overall"]
        out.print(
            f"over noise seeds {summary['noise_seeds']} (mean [min, max] of each seed's "
            "overall): "
            + "; ".join(
                f"{m} {v['mean']:.2f} [{v['min']:.2f}, {v['max']:.2f}]"
                for m, v in spread.items()
                if v["mean"] is not None
            ),
            highlight=False,
            markup=False,
        )
        rows = "noise-seed-N/ (one run per noise seed)"
    else:
        rows = "results.jsonl"
    out.print(f"results in {out_dir}/ (summary.json, results.md, {rows}, plots/)")


def _print_outcomes(out_dir: Path, summary: dict) -> None:
    """Under the table: how the episodes ended, and the most common failure message."""
    from collections import Counter

    from demo2code.evaluation import runlog

    counts: Counter[str] = Counter()
    for scores in summary["variants"].values():
        counts.update(scores.get("outcomes", {}))
    if not counts:
        return
    out.print(
        "outcomes: " + ", ".join(f"{name} {n}" for name, n in counts.most_common()),
        highlight=False,
        markup=False,
    )
    wanted = set(summary["variants"])
    messages = Counter(
        " ".join(str(r.get("message") or "").split())[:160]
        for r in runlog.ResultsLog(out_dir / runlog.RESULTS_FILE, runlog.ROW_KEYS).read()
        if r.get("variant") in wanted and not r.get("passed") and r.get("message")
    )
    if messages:
        message, n = messages.most_common(1)[0]
        out.print(f"most common failure ({n}x): {message}", highlight=False, markup=False)


def run_command(
    program: Path = typer.Argument(..., help="a Python program file"),
    task: str = typer.Option(..., "--task", "-t", help="task variant id"),
    benchmark: str = BenchmarkOpt,
    seed: int = typer.Option(0, "--seed", "-s", help="scenario seed of the task variant"),
    as_json: bool = typer.Option(
        False, "--json", help="print {outcome, passed, message, line, reasons, isolation}"
    ),
    isolation: str = IsolationOpt,
) -> None:
    """Run one program file through the sandbox and the unit test of a task variant. Exits
    0 when the unit test passed, 1 when the program did not finish or failed it."""
    from demo2code.benchmarks import get_benchmark
    from demo2code.errors import InputError
    from demo2code.evaluation.episodes import run_episode

    with user_errors():
        check_isolation(isolation)
        bench = get_benchmark(benchmark)
        variant = bench.task(task)
        try:
            code = program.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(str(program), "file", f"a readable UTF-8 program ({exc})") from None
        if not as_json:
            notice_missing_layers()
        result = run_episode(bench, variant, seed, code, isolation=isolation)
    if as_json:
        print(json.dumps(result.to_json()))
    else:
        _print_run(result)
    if not result.passed:  # like a test runner: 0 only when the unit test passed
        raise typer.Exit(1)


def _print_run(result) -> None:  # noqa: ANN001 - an EpisodeResult
    where = f" (line {result.line})" if result.line else ""
    out.print(f"outcome: {result.outcome}{where}", highlight=False, markup=False)
    if result.message:
        out.print(f"message: {result.message}", highlight=False, markup=False)
    out.print(f"unit test: {'passed' if result.passed else 'failed'}", highlight=False)
    for reason in result.reasons:
        out.print(f"  - {reason}", highlight=False, markup=False)


def report_command(
    runs: list[Path] = typer.Argument(..., help="run directories written by `eval`"),
    out_file: Path | None = typer.Option(
        None, "--out", help="write FILE.md and FILE.csv (every metric) and FILE.png (a plot)"
    ),
    full: bool = typer.Option(False, "--full", help="print the full Markdown table"),
) -> None:
    """Methods side by side per variant, per group and overall. The terminal view is compact
    (it fits 100 columns); --full or --out give every metric."""
    from demo2code.evaluation.report import (
        compare_runs,
        write_comparison,
        write_comparison_plot,
    )

    with user_errors():
        comparison = compare_runs(runs)
        written: tuple[Path, ...] = ()
        if out_file:
            written = write_comparison(comparison, out_file)
            png = Path(out_file).with_suffix(".png")
            written += (write_comparison_plot(runs, comparison.runs, png),)
    print(comparison.to_markdown() if full else comparison.to_text(), end="")
    if written:
        err.print("wrote " + ", ".join(str(p) for p in written), highlight=False)


def register(app: typer.Typer) -> None:
    """Add `eval`, `run` and `report` to the `demo2code` app."""
    app.command("eval")(eval_command)
    app.command("run")(run_command)
    app.command("report")(report_command)
