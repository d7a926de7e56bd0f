"""The whole user story of issue 6: play a level, record two scenarios, synthesize a program
from the recording, and the program passes the task's unit test on unseen seeds."""

from __future__ import annotations

import builtins

from demo2code.benchmarks import get_benchmark
from demo2code.benchmarks.base import api_names
from demo2code.demo_text import load_demonstration, render
from demo2code.pipeline import synthesize
from demo2code.reasoners import StageContext
from demo2code.reasoners.symbolic import SymbolicReasoner
from demo2code.verify import run_trusted
from robotouille.gui.session import Session
from robotouille.recording import Recorder


def test_recorded_play_becomes_a_working_program(tmp_path):
    bench = get_benchmark("robotouille")
    task = bench.task("burger-patty-on-lettuce-after-prep")
    path = tmp_path / "my_burger.json"
    session = Session(
        lambda seed: bench.level(task, seed),
        500,
        task.instruction,
        Recorder(path, task.id, task.instruction),
    )
    # The player's moves: the same calls a click or a key makes (tests/gui checks that).
    for scenario in range(2):
        ns = {"__builtins__": builtins, **session.api.namespace()}
        exec(compile(bench.reference_code(task), "<player>", "exec"), ns)
        if scenario == 0:
            session.next_scenario()
    demo = load_demonstration(path)
    assert [s.seed for s in demo.scenarios] == [500, 501]
    assert render(demo).count("[Scenario") == 2
    ctx = StageContext("robotouille", bench.api_reference(), api_names(bench, task))
    result = synthesize("demo2code", demo, None, None, ctx, SymbolicReasoner())
    assert not result.failed, result.error
    for seed in (0, 4, 9):
        episode = bench.episode(task, seed)
        assert run_trusted(result.program, episode) is None
        assert bench.check(task, episode.trace()).passed
