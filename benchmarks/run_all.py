"""`make bench`: every bench script in turn; each prints its own figures and targets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = [
    ["bench_sim.py"],
    ["bench_sandbox.py"],
    ["bench_eval.py", "--workers", "2"],
    ["bench_symbolic.py", "robotouille"],
    ["bench_async.py"],
    ["bench_pipeline.py"],
    ["bench_repair.py"],
    ["bench_gui.py"],
    ["bench_sweep.py", "--tables", "2"],  # sweeps/offline.toml's Table 2: local vs Ray
]


def main() -> int:
    failed = []
    for args in BENCHES:
        print(f"\n=== {' '.join(args)}", flush=True)
        code = subprocess.call([sys.executable, str(HERE / args[0]), *args[1:]])
        if code:
            failed.append(args[0])
    print(
        f"\n{len(BENCHES) - len(failed)}/{len(BENCHES)} benches met their targets"
        + (f"; missed: {', '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
