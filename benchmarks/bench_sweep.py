"""Sweep bench: an offline sweep with the local executor and with Ray on this machine, and
Ray's scheduling overhead per episode.

Usage: python benchmarks/bench_sweep.py [--sweep sweeps/offline.toml] [--tables 2,4]
       [--cpus 2] [--tasks N] [--out DIR]
The overhead is measured with tasks that take an episode's arguments and return a row-sized
result but run nothing: the driver's cost of handing out one episode and writing it back.
Target: under 5 ms per episode at 2 CPUs; exits 1 if it is missed, or if the two executors
disagree on any row (timings aside) or on tables.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

from demo2code.sweep.cells import Cell, expand
from demo2code.sweep.config import load_sweep
from demo2code.sweep.executors import LocalExecutor, make_executor
from demo2code.sweep.run import run_sweep
from demo2code.sweep.tables import write_tables

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 5.0
TIMINGS = ("latency_s", "generation_seconds", "run_seconds")


def _rows(out: Path) -> dict[str, list[str]]:
    found = {}
    for path in sorted(out.glob("*/results.jsonl")):
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        found[path.parent.name] = sorted(
            json.dumps({k: v for k, v in r.items() if k not in TIMINGS}, sort_keys=True)
            for r in rows
        )
    return found


def _no_episode(cell: Cell, identity: dict, made: object, seed: int) -> tuple[str, dict]:
    """An episode task's arguments and a row's size, without the episode."""
    return cell.name, {"variant": "x" * 24, "seed": seed, "reasons": ["r" * 80], **identity}


def overhead_ms(executor: object, cell: Cell, count: int) -> float:
    """Wall milliseconds per no-op episode task, `count` of them in flight at once."""
    from demo2code.evaluation.generation import Generation
    from demo2code.sweep.work import Made

    made = Made(cell.name, "v", Generation("pass\n" * 40, None, "0" * 64), {"bleu": 0.5})
    identity = {"benchmark": cell.benchmark, "method": cell.method, "model": None}
    warm = [executor.submit(_no_episode, cell, identity, made, s) for s in range(8)]
    while warm:
        for handle, _ in executor.wait(warm, 1.0):
            warm.remove(handle)
    start = time.perf_counter()
    pending = [executor.submit(_no_episode, cell, identity, made, s) for s in range(count)]
    rows = 0
    while pending:
        for handle, (_, row) in executor.wait(pending, 1.0):
            pending.remove(handle)
            rows += bool(row)
    assert rows == count
    return (time.perf_counter() - start) * 1000 / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", type=Path, default=ROOT / "sweeps" / "offline.toml")
    parser.add_argument("--tables", default=None, help="table numbers to run, e.g. 2,4")
    parser.add_argument("--cpus", type=int, default=2)
    parser.add_argument("--tasks", type=int, default=2000, help="no-op tasks for the overhead")
    parser.add_argument("--out", type=Path, default=None, help="keep local/ and ray/ here")
    args = parser.parse_args()
    sweep = load_sweep(args.sweep)
    if args.tables:
        keep = [int(n) - 1 for n in args.tables.split(",")]
        sweep = dataclasses.replace(sweep, tables=tuple(sweep.tables[i] for i in keep))
    cells = expand(sweep)
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as scratch:
        tmp = args.out or Path(scratch)
        if any((tmp / kind).exists() for kind in ("local", "ray")):
            print(f"error: {tmp}/local or {tmp}/ray exists; the bench needs fresh runs")
            return 2
        walls = {}
        for kind in ("local", "ray"):
            out = Path(tmp) / kind
            executor = (
                LocalExecutor(args.cpus)
                if kind == "local"
                else make_executor("ray", args.cpus, None)
            )
            if kind == "ray":  # start the workers first: a cluster has them running already
                overhead_ms(executor, cells[0], 16)
            start = time.perf_counter()
            result = run_sweep(cells, out, executor if kind == "local" else _keep_open(executor))
            walls[kind] = time.perf_counter() - start
            write_tables(sweep, out)
            print(f"{kind:5}: {len(cells)} cells, {result.new_rows} episodes, "
                  f"{walls[kind]:.1f} s ({1000 * walls[kind] / max(1, result.new_rows):.1f} ms "
                  f"per episode at {args.cpus} CPUs)", flush=True)  # fmt: skip
        same_rows = _rows(Path(tmp) / "local") == _rows(Path(tmp) / "ray")
        same_tables = (Path(tmp) / "local" / "tables.md").read_bytes() == (
            Path(tmp) / "ray" / "tables.md"
        ).read_bytes()
        per = overhead_ms(executor, cells[0], args.tasks)
        executor.close()
    print(f"rows identical (timings aside): {'yes' if same_rows else 'NO'}; "
          f"tables.md identical: {'yes' if same_tables else 'NO'}")  # fmt: skip
    print(f"Ray/local wall: {walls['ray'] / walls['local']:.2f}x")
    print(f"Ray scheduling overhead: {per:.2f} ms per episode "
          f"(target < {TARGET_MS:.0f} ms at {args.cpus} CPUs)")  # fmt: skip
    return 0 if same_rows and same_tables and per < TARGET_MS else 1


class _keep_open:  # noqa: N801 - a thin wrapper
    """The sweep closes its executor at the end; the bench still needs Ray afterwards."""

    def __init__(self, executor: object):
        self.executor = executor
        self.name, self.slots = executor.name, executor.slots

    def submit(self, *args: object) -> object:
        return self.executor.submit(*args)

    def wait(self, handles: list, timeout: float) -> list:
        return self.executor.wait(handles, timeout)

    def cancel(self, handles: list) -> None:
        self.executor.cancel(handles)

    def close(self) -> None:
        pass


if __name__ == "__main__":
    sys.exit(main())
