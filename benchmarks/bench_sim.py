"""Simulator bench: level build time, step times on the largest level, and all 230 reference
episodes. Targets on a 2-core machine: median step under 1 ms, 230 episodes under 20 s."""

from __future__ import annotations

import statistics
import time

from demo2code.benchmarks import get_benchmark
from demo2code.verify import verify
from robotouille.api import KitchenAPI
from robotouille.env import KitchenEnv

LARGEST = "two-lettuce-tomato-burgers"


def main() -> int:
    bench = get_benchmark("robotouille")
    task = bench.task(LARGEST)
    builds = []
    for seed in range(20):
        start = time.perf_counter()
        env = KitchenEnv(bench.level(task, seed))
        builds.append(time.perf_counter() - start)
    print(
        f"level build ({LARGEST}, noisy): median {statistics.median(builds) * 1e3:.1f} ms, "
        f"worst {max(builds) * 1e3:.1f} ms; {len(env.facts)} facts, "
        f"{len(env.stations)} stations, {len(env.items)} items"
    )

    steps: list[float] = []
    for seed in range(5):
        api = KitchenAPI(KitchenEnv(bench.level(task, seed)))
        original = api.env.step

        def timed(*args, _step=original):
            start = time.perf_counter()
            try:
                return _step(*args)
            finally:
                steps.append(time.perf_counter() - start)

        api.env.step = timed  # type: ignore[method-assign]
        ns = api.namespace()
        exec(compile(bench.reference_code(task), "<reference>", "exec"), {**ns})
    print(
        f"step time ({len(steps)} steps): median {statistics.median(steps) * 1e3:.3f} ms, "
        f"p99 {sorted(steps)[int(len(steps) * 0.99)] * 1e3:.3f} ms, "
        f"worst {max(steps) * 1e3:.3f} ms (target: median < 1 ms)"
    )

    tasks = bench.tasks("test")
    start = time.perf_counter()
    report = verify(bench, tasks)
    wall = time.perf_counter() - start
    print(
        f"all reference episodes in-process: {report.passed}/{report.episodes} pass "
        f"in {wall:.1f} s (target < 20 s)"
    )
    return 0 if report.passed == report.episodes and wall < 20 else 1


if __name__ == "__main__":
    raise SystemExit(main())
