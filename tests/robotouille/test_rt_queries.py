"""The Robotouille functions the sandbox may answer from its copy (`QUERIES`, docs/sandbox.md)
must only read the kitchen: asking any of them, with any object, changes neither the state
nor the recorded steps, or a cached answer would hide a change the program caused."""

from __future__ import annotations

import inspect
import itertools

from demo2code.benchmarks.robotouille import QUERIES, RobotouilleBenchmark

BENCH = RobotouilleBenchmark()


def test_every_declared_query_is_an_api_function_that_changes_nothing() -> None:
    for task_id in ("cheese-burger", "async-onion-soup-while-cutting-lettuce"):
        task = BENCH.task(task_id)
        episode = BENCH.episode(task, task.seeds[0])
        api = episode.api
        names = sorted({f[1] for f in api.env.facts if len(f) > 1} | set(api.env.stations))
        before = (set(api.env.facts), len(api.steps))
        for query in sorted(QUERIES):
            function = getattr(api, query)
            arity = len(inspect.signature(function).parameters)
            candidates = itertools.product([*names, "item", "station"], repeat=arity)
            for args in candidates:
                try:
                    function(*args)
                except Exception:  # a wrong kind of object is refused: still nothing changes
                    pass
                assert (set(api.env.facts), len(api.steps)) == before, (task_id, query, args)
