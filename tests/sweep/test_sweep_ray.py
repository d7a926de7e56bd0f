"""The same sweep on Ray (a local instance, 2 CPUs, shared by the module): the same rows
and tables as the local executor, and a Ray worker killed mid-sweep loses nothing and
counts nothing twice."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
from conftest import CELLS, EPISODES, SMALL, every_row

from demo2code.sweep.cells import expand
from demo2code.sweep.config import load_sweep
from demo2code.sweep.executors import LocalExecutor, make_executor
from demo2code.sweep.run import run_sweep
from demo2code.sweep.tables import write_tables

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ray_instance():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The small sweep once with the local executor: (sweep file, output)."""
    base = tmp_path_factory.mktemp("local")
    path = base / "small.toml"
    path.write_text(SMALL)
    sweep = load_sweep(path)
    run_sweep(expand(sweep), base / "runs", LocalExecutor(2))
    write_tables(sweep, base / "runs")
    return path, base / "runs"


def test_ray_and_local_give_the_same_rows_and_tables(
    ray_instance, local_run: tuple[Path, Path], tmp_path: Path
) -> None:
    path, local_out = local_run
    sweep = load_sweep(path)
    out = tmp_path / "ray"
    result = run_sweep(expand(sweep), out, make_executor("ray", 2, None))
    write_tables(sweep, out)
    assert result.new_rows == EPISODES and len(result.ran) == CELLS
    assert every_row(out) == every_row(local_out)
    assert (out / "tables.md").read_bytes() == (local_out / "tables.md").read_bytes()
    assert (out / "tables.csv").read_bytes() == (local_out / "tables.csv").read_bytes()
    for cell in local_out.glob("*/programs/*.py"):
        assert (out / cell.relative_to(local_out)).read_text() == cell.read_text()


def _busy_ray_workers() -> list[int]:
    """PIDs of Ray worker processes running one of our episodes now (Ray titles a busy
    worker `ray::<task name>`)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmdline = fh.read()
        except OSError:
            continue
        if cmdline.startswith(b"ray::run_seed"):
            pids.append(int(entry))
    return pids


def test_killed_worker_loses_nothing_and_counts_nothing_twice(
    ray_instance, local_run: tuple[Path, Path], tmp_path: Path
) -> None:
    path, local_out = local_run
    out = tmp_path / "ray"
    killed: list[int] = []
    stop = threading.Event()

    def killer() -> None:
        while not stop.is_set() and not killed:
            for pid in _busy_ray_workers():
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                break
            time.sleep(0.005)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    try:
        result = run_sweep(expand(load_sweep(path)), out, make_executor("ray", 2, None))
    finally:
        stop.set()
        thread.join()
    assert killed, "no Ray worker was caught running an episode"
    assert result.new_rows == EPISODES
    rows = every_row(out)
    assert all(len(r) == len(set(r)) for r in rows.values())  # no (variant, seed) twice
    assert rows == every_row(local_out)


def test_one_endpoint_limit_holds_across_ray_workers(
    ray_instance, tmp_path: Path, scripted_server
) -> None:
    """Under Ray each worker has its own process-wide gate, so the driver admits at most
    `concurrency` generations per endpoint, each sending one request at a time."""
    from demo2code.benchmarks import get_benchmark

    bench = get_benchmark("robotouille")
    answers = {t.instruction: bench.reference_code(t) for t in bench.tasks("test")}

    def respond(messages: list) -> str:
        code = next(c for i, c in answers.items() if i in messages[-1]["content"])
        return "```python\n" + code + "\n```"

    server = scripted_server(responder=respond, delay=0.1)
    path = tmp_path / "m.toml"
    path.write_text(
        f"""
seeds = [0]
cache = "off"
[models.a]
model = "a"
base_url = "{server.base_url}"
concurrency = 1
[models.b]
model = "b"
base_url = "{server.base_url}"
[[tables]]
title = "T"
benchmarks = ["robotouille"]
methods = ["lang2code"]
tasks = "*cheese-burger*"
repair = [0]
"""
    )
    result = run_sweep(expand(load_sweep(path)), tmp_path / "runs", make_executor("ray", 2, None))
    assert result.new_rows == 4 and not result.unreachable
    assert len(server.requests) >= 4 and server.max_active == 1
