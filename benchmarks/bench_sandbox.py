"""Sandbox bench: what isolation costs per episode and per API call.

Prints, for all isolation layers and for none: the median time of a one-call episode
(validation, fork, set-up, first API call, unit-test side) and the round trip of one API
call (a 2,000-call episode minus a one-call episode, divided by the extra calls).
Usage: python benchmarks/bench_sandbox.py [--episodes 100]
Target: a one-call episode with every layer under 50 ms (median).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from demo2code.sandbox import Limits, active_layers, run_program  # noqa: E402
from tests.sandbox.toy_episode import CounterEpisode  # noqa: E402

TARGET_MS = 50.0
CALLS = 2000


class ManyCalls(CounterEpisode):
    def __init__(self) -> None:
        super().__init__(max_steps=10**6)


def median_ms(code: str, layers: frozenset[str] | None, episodes: int) -> float:
    times = []
    for _ in range(episodes):
        start = time.perf_counter()
        result = run_program(code, ManyCalls, Limits(wall_seconds=30), layers=layers)
        times.append((time.perf_counter() - start) * 1000)
        assert result.outcome == "finished", result.message
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=100)
    args = parser.parse_args()
    everything = active_layers()
    print(f"layers active here: {', '.join(everything)}")
    ok = True
    for label, layers in (("all layers", None), ("no layers", frozenset())):
        one = median_ms("value()\n", layers, args.episodes)
        many = median_ms(f"for i in range({CALLS}):\n    value()\n", layers, 10)
        per_call_us = (many - one) / (CALLS - 1) * 1000
        print(f"{label}: one-call episode {one:.1f} ms (median of {args.episodes}), "
              f"API call round trip {per_call_us:.0f} µs")  # fmt: skip
        if layers is None:
            ok = one < TARGET_MS
    print(f"target: one-call episode with every layer < {TARGET_MS:.0f} ms: "
          f"{'met' if ok else 'MISSED'}")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
