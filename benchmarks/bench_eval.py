"""Evaluation bench: every Robotouille reference episode end to end through the sandbox
(fork, limits, unit test in the parent, BLEU and CodeBLEU, rows with fsync, summary, plots).

Usage: python benchmarks/bench_eval.py [--workers 2] [--out DIR]
Target: under 30 s with 2 workers; exits 1 if a score is not 1.00 or the target is missed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from demo2code.evaluation import evaluate

TARGET_SECONDS = 30.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None, help="run dir (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-eval-") as tmp:
        out = args.out or Path(tmp) / "reference"
        start = time.perf_counter()
        result = evaluate("robotouille", "reference", out, workers=args.workers)
        wall = time.perf_counter() - start
    summary = result.summary
    print(f"episodes: {summary['episodes']} ({result.new_rows} run now), "
          f"workers: {args.workers}")  # fmt: skip
    for key in ("overall", "overall_by_group"):
        print(f"{key}: " + ", ".join(f"{m} {v:.2f}" for m, v in summary[key].items()))
    print(f"wall time: {wall:.1f} s (target < {TARGET_SECONDS:.0f} s)")
    perfect = all(v == 1.0 for key in ("overall", "overall_by_group")
                  for v in summary[key].values())  # fmt: skip
    return 0 if perfect and wall < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
