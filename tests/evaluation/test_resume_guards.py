"""Resuming must never mix results made from different inputs or sampling settings."""

from __future__ import annotations

import json
import shutil

import pytest

from demo2code.benchmarks.robotouille import RobotouilleBenchmark
from demo2code.errors import InputError
from demo2code.evaluation import evaluate
from demo2code.llm.config import ModelConfig
from demo2code.llm.scripted_server import ScriptedServer
from demo2code.paths import packaged_data_dir
from tests.pipeline.conftest import Script


def one_task_catalogue(root):
    shipped = packaged_data_dir() / "robotouille"
    for sub in ("tasks", "reference", "demos"):
        (root / sub).mkdir(parents=True)
    for sub, ext in (("tasks", "json"), ("reference", "py"), ("demos", "json")):
        shutil.copy(shipped / sub / f"cut-lettuce.{ext}", root / sub / f"cut-lettuce.{ext}")
    return RobotouilleBenchmark(root)


def test_changed_inputs_are_refused_on_resume(tmp_path):
    bench = one_task_catalogue(tmp_path / "cat")
    out = tmp_path / "run"
    first = evaluate(bench, "demo2code", out, seeds=[0])
    assert first.new_rows == 1
    task_file = tmp_path / "cat" / "tasks" / "cut-lettuce.json"
    data = json.loads(task_file.read_text())
    data["instruction"] = "Cut a lettuce, please."
    task_file.write_text(json.dumps(data))
    with pytest.raises(InputError, match="inputs changed"):
        evaluate(RobotouilleBenchmark(tmp_path / "cat"), "demo2code", out, seeds=[0, 1])


def test_a_different_temperature_is_another_run(tmp_path):
    bench = one_task_catalogue(tmp_path / "cat")
    with ScriptedServer(responder=Script()) as server:

        def config(temperature: float) -> ModelConfig:
            return ModelConfig(
                model="scripted",
                base_url=server.base_url,
                api_key="x",
                cache_mode="off",
                temperature=temperature,
                timeout=5,
            )

        evaluate(bench, "demo2code", tmp_path / "run", config=config(0.0), seeds=[0])
        with pytest.raises(InputError, match="temperature"):
            evaluate(bench, "demo2code", tmp_path / "run", config=config(0.7), seeds=[0])
