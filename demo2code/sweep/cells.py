"""The grid: every table's (benchmark x method x model x noise seed x repair) cells, each
one `eval` run directory, named so the name says what the run is."""

from __future__ import annotations

import re
from dataclasses import dataclass

from demo2code.errors import InputError
from demo2code.llm.config import ModelConfig
from demo2code.sweep.config import NO_NOISE, Sweep, TableSpec


@dataclass(frozen=True)
class Cell:
    """One `eval` run: everything a worker needs to make its programs and episodes."""

    name: str
    benchmark: str
    method: str
    model: str  # the model's label in SWEEP.toml ("none" for the reference program)
    config: ModelConfig
    noise: str  # the noise setting's label
    specs: tuple[str, ...]
    noise_seed: int
    repair: int
    tasks: str | None
    seeds: tuple[int, ...] | None
    isolation: str = "best"


def cell_name(
    benchmark: str,
    method: str,
    model: str,
    noise: str,
    seed: int,
    repair: int,
    tasks: str | None = None,
) -> str:
    """`robotouille.demo2code.symbolic.drop-state.ns1.r2`; a table that picks tasks adds them
    (`...r2.tasks-async-_`: the glob with anything but letters, digits, + and - as _), so two
    tables over different tasks of one benchmark are two run directories."""
    parts = [benchmark, method, model, noise] + ([f"ns{seed}"] if noise != NO_NOISE else [])
    picked = [f"tasks-{re.sub(r'[^A-Za-z0-9+-]+', '_', tasks)}"] if tasks else []
    return ".".join([*parts, f"r{repair}", *picked])


def table_cells(sweep: Sweep, table: TableSpec) -> list[Cell]:
    """The cells of one table, in the order its rows and columns are read."""
    from demo2code.evaluation.harness import REFERENCE

    cells = []
    for benchmark in table.benchmarks:
        for noise_label in table.noise:
            setting = sweep.noise[noise_label]
            for noise_seed in setting.seeds:
                for repair in table.repair:
                    for model in table.models:
                        for method in table.methods:
                            reference = method == REFERENCE
                            label = "none" if reference else model
                            config = ModelConfig() if reference else sweep.models[model].config
                            r = 0 if reference else repair
                            cells.append(
                                Cell(
                                    cell_name(
                                        benchmark,
                                        method,
                                        label,
                                        noise_label,
                                        noise_seed,
                                        r,
                                        table.tasks.get(benchmark),
                                    ),  # fmt: skip
                                    benchmark,
                                    method,
                                    label,
                                    config,
                                    noise_label,
                                    setting.specs,
                                    noise_seed,
                                    r,
                                    table.tasks.get(benchmark),
                                    table.seeds,
                                    sweep.isolation,
                                )  # fmt: skip
                            )
    return list({c.name: c for c in cells}.values())


def expand(sweep: Sweep) -> list[Cell]:
    """Every cell of every table once. A cell two tables share must ask for the same tasks
    and seeds: it is one run directory."""
    cells: dict[str, Cell] = {}
    for index, table in enumerate(sweep.tables):
        for cell in table_cells(sweep, table):
            seen = cells.get(cell.name)
            if seen is not None and seen != cell:
                raise InputError(
                    str(sweep.path), f"tables[{index}]",
                    f"the same tasks and seeds as the earlier table that also has {cell.name}",
                )  # fmt: skip
            cells[cell.name] = cell
    return list(cells.values())
