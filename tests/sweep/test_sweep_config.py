"""SWEEP.toml: the shipped files load, the grid expands as the file says, and every
mistake is one line naming the file and the field, with a non-zero exit."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from demo2code.cli import app
from demo2code.errors import InputError
from demo2code.sweep.cells import expand
from demo2code.sweep.config import load_sweep

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()

GOOD_TAIL = """
[models.symbolic]
model = "symbolic"

[[tables]]
title = "T"
benchmarks = ["robotouille"]
methods = ["demo2code"]
"""


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("seeds = [0\n" + GOOD_TAIL, "syntax"),
        ("colour = 1\n" + GOOD_TAIL, "colour"),
        ('seeds = "9-0"\n' + GOOD_TAIL, "seeds"),
        ("repair = -1\n" + GOOD_TAIL, "repair"),
        ('isolation = "loose"\n' + GOOD_TAIL, "isolation"),
        (GOOD_TAIL.replace('"demo2code"]', '"demo2kode"]'), "tables[0].methods"),
        (GOOD_TAIL.replace('"demo2code"]', '"lang2code"]'), "tables[0].methods"),
        (GOOD_TAIL.replace('"demo2code"]', '"demo2code", "nocot"]'), "tables[0].methods"),
        (GOOD_TAIL.replace('["robotouille"]', '["kitchen"]'), "tables[0].benchmarks"),
        (GOOD_TAIL.replace('title = "T"', 'title = "T"\nrows = "cols"'), "tables[0].rows"),
        (GOOD_TAIL.replace('title = "T"', 'title = "T"\ntasks = "nope-*"'),
         "tables[0].tasks.robotouille"),
        (GOOD_TAIL.replace('title = "T"', 'title = "T"\nnoise = ["loud"]'), "tables[0].noise"),
        (GOOD_TAIL.replace('model = "symbolic"', 'model = "symbolic"\ntemp = 1'),
         "models.symbolic.temp"),
        (GOOD_TAIL.replace('model = "symbolic"', 'model = "x"\nbase_url = "ftp://h"'),
         "models.symbolic"),
        (GOOD_TAIL + '[noise.n]\nspecs = ["drop-everything=0.1"]\n', "noise.n.specs"),
        (GOOD_TAIL + '[noise.n]\nspecs = ["drop-state=0.1"]\nseeds = ["a"]\n', "noise.n.seeds"),
        (GOOD_TAIL.split("[[tables]]")[0], "tables"),
    ],
)  # fmt: skip
def test_bad_sweep_file_is_one_line_naming_file_and_field(
    tmp_path: Path, text: str, field: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_sweep(path)
    assert caught.value.source == str(path) and caught.value.where == field
    result = runner.invoke(app, ["sweep", str(path), "--out", str(tmp_path / "o"), "--dry-run"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert f"{path}: {field}:" in lines[0]
    assert not (tmp_path / "o").exists()  # nothing made before the file was checked


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sweep", str(tmp_path / "no.toml"), "--out", str(tmp_path)])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1


def test_shipped_sweeps_expand_into_the_paper_grid() -> None:
    offline = expand(load_sweep(ROOT / "sweeps" / "offline.toml"))
    names = {c.name for c in offline}
    assert all(c.config.offline for c in offline)
    # the README's Robotouille numbers (`make demo`) are one of the offline cells
    assert "robotouille.demo2code.symbolic.none.r2" in names
    assert "robotouille.demo2code.symbolic.none.r2.tasks-async-_" in names  # README's async
    assert {c.method for c in offline} == {"demo2code", "reference"}
    assert {c.benchmark for c in offline} == {"robotouille", "tabletop", "epic"}
    paper = expand(load_sweep(ROOT / "sweeps" / "paper.toml"))
    assert {c.benchmark for c in paper} == {"robotouille", "tabletop", "epic"}
    assert {"lang2code", "spec2code"} <= {c.method for c in paper}
    noisy = [c for c in paper if c.noise != "none"]
    assert noisy and all(c.specs and c.method == "demo2code" for c in noisy)
    assert len({c.name for c in paper}) == len(paper)


def test_tables_over_different_tasks_of_one_benchmark_are_different_cells(
    tmp_path: Path,
) -> None:
    path = tmp_path / "two.toml"
    path.write_text(
        '[models.symbolic]\nmodel = "symbolic"\n'
        '[[tables]]\ntitle = "all"\nbenchmarks = ["robotouille"]\nmethods = ["demo2code"]\n'
        '[[tables]]\ntitle = "async"\nbenchmarks = ["robotouille"]\nmethods = ["demo2code"]\n'
        'tasks = "async-*"\n'
    )
    cells = expand(load_sweep(path))
    # one run directory each: the default variants, and the async ones (glob's * as _)
    assert sorted(c.name for c in cells) == [
        "robotouille.demo2code.symbolic.none.r2",
        "robotouille.demo2code.symbolic.none.r2.tasks-async-_",
    ]
    assert sorted(str(c.tasks) for c in cells) == ["None", "async-*"]


def test_models_on_one_endpoint_share_the_smallest_limit(tmp_path: Path) -> None:
    path = tmp_path / "two.toml"
    path.write_text(
        """
[models.a]
model = "a"
base_url = "http://127.0.0.1:9/v1"
concurrency = 3
[models.b]
model = "b"
base_url = "http://127.0.0.1:9/v1/"
concurrency = 1
[models.c]
model = "c"
base_url = "http://127.0.0.1:10/v1"
concurrency = 5
[[tables]]
title = "T"
benchmarks = ["robotouille"]
methods = ["lang2code"]
"""
    )
    models = load_sweep(path).models
    assert models["a"].config.concurrency == models["b"].config.concurrency == 1
    assert models["c"].config.concurrency == 5


def test_grid_is_the_product_of_the_table(tmp_path: Path, small_sweep: Path) -> None:
    cells = expand(load_sweep(small_sweep))
    assert len(cells) == 8  # 2 benchmarks x 2 methods x 2 noise seeds, shared cells once
    assert {(c.benchmark, c.method, c.noise_seed) for c in cells} == {
        (b, m, s)
        for b in ("robotouille", "epic")
        for m in ("demo2code", "reference")
        for s in (0, 1)
    }
    assert all(c.specs == ("drop-state=0.2",) and c.seeds == (0, 1) for c in cells)


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        (["--executor", "slurm"], "--executor"),
        (["--address", "10.0.0.1:6379"], "--address"),
        (["--workers", "0"], "--workers"),
    ],
)
def test_bad_executor_options_are_one_line(
    tmp_path: Path, small_sweep: Path, options: list[str], needle: str
) -> None:
    out = tmp_path / "o"
    result = runner.invoke(app, ["sweep", str(small_sweep), "--out", str(out), *options])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in result.output
    assert not out.exists()


def test_a_cell_dir_of_another_run_is_refused_first(tmp_path: Path, small_sweep: Path) -> None:
    out = tmp_path / "o"
    last = expand(load_sweep(small_sweep))[-1].name
    (out / last).mkdir(parents=True)
    (out / last / "run.json").write_text('{"benchmark": "tabletop"}\n')
    result = runner.invoke(app, ["sweep", str(small_sweep), "--out", str(out)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and f"{out / last}: benchmark:" in lines[0]
    assert [p.name for p in out.iterdir()] == [last]  # no other cell was started
