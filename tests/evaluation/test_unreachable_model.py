"""A model outage is not a result: the variant is left to do, and re-running the same
command resumes it once the model answers again."""

from __future__ import annotations

import json

from demo2code.benchmarks import get_benchmark
from demo2code.evaluation import evaluate
from demo2code.llm.config import ModelConfig
from demo2code.llm.scripted_server import ScriptedServer
from tests.pipeline.conftest import Script


def config(base_url: str) -> ModelConfig:
    return ModelConfig(
        model="scripted", base_url=base_url, api_key="x", cache_mode="off", max_retries=1, timeout=5
    )


def test_outage_leaves_the_variant_to_do_and_a_rerun_resumes_it(tmp_path):
    tasks = [get_benchmark("robotouille").task("cook-patty")]
    with ScriptedServer(responder=Script(), faults=["500"] * 50) as server:
        down = evaluate(
            "robotouille",
            "demo2code",
            tmp_path,
            config=config(server.base_url),
            tasks=tasks,
            seeds=[0, 1],
        )
        assert list(down.unreachable) == ["cook-patty"]
        assert down.new_rows == 0
        assert not (tmp_path / "programs" / "cook-patty.json").exists()

        server.clear_faults()  # the outage ends
        up = evaluate(
            "robotouille",
            "demo2code",
            tmp_path,
            config=config(server.base_url),
            tasks=tasks,
            seeds=[0, 1],
        )
    assert up.unreachable == {}
    assert up.new_rows == 2
    rows = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert sorted(r["seed"] for r in rows) == [0, 1]
    assert (tmp_path / "programs" / "cook-patty.json").exists()
