"""`demo2code summarize` and `synthesize` on every shipped Robotouille demonstration, through
the real openai client and a real HTTP server: the scripted one always, llama.cpp (slow) on
one demonstration."""

from __future__ import annotations

import ast
import json

import pytest
from typer.testing import CliRunner

from demo2code.cli import app
from demo2code.llm.scripted_server import ScriptedServer
from demo2code.paths import data_dir
from tests.pipeline.conftest import Script

DEMOS = sorted((data_dir() / "robotouille" / "demos").glob("*.json"))
runner = CliRunner()


@pytest.fixture(scope="module")
def server():
    with ScriptedServer(responder=Script()) as srv:
        yield srv


def model_args(base_url: str) -> list[str]:
    return ["--model", "scripted", "--base-url", base_url, "--cache", "off"]


@pytest.mark.parametrize("demo", DEMOS, ids=lambda p: p.stem)
def test_synthesize_and_summarize_every_demo_through_the_scripted_server(server, demo, tmp_path):
    log = tmp_path / "calls.jsonl"
    out = tmp_path / "program.py"
    result = runner.invoke(
        app,
        [
            "synthesize",
            str(demo),
            *model_args(server.base_url),
            "--out",
            str(out),
            "--transcript",
            str(log),
        ],
    )
    assert result.exit_code == 0, result.output
    ast.parse(out.read_text())
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert {r["stage"] for r in rows} >= {"summarize_step", "specify", "write_code", "define"}
    summary = runner.invoke(app, ["summarize", str(demo), *model_args(server.base_url), "--json"])
    assert summary.exit_code == 0, summary.output
    record = json.loads(summary.stdout)
    assert record["spec"] and len(record["summaries"]) == 2


@pytest.mark.slow
def test_synthesize_a_real_demo_on_llama_cpp(llama_server, tmp_path):
    """Structure only: a 270M model writes poor code, but the run must end cleanly, either
    with a program that parses or with a one-line failure, and log every call."""
    log = tmp_path / "calls.jsonl"
    demo = data_dir() / "robotouille" / "demos" / "cook-patty.json"
    result = runner.invoke(
        app,
        [
            "synthesize",
            str(demo),
            *model_args(llama_server),
            "--transcript",
            str(log),
            "--json",
            "--max-tokens",
            "96",
            "--timeout",
            "120",
        ],
    )
    assert result.exit_code in (0, 1), result.output
    record = json.loads(result.stdout)
    assert record["records"] and all(r["stage"] for r in record["records"])
    if record["failed"]:
        assert record["error"] and "\n" not in record["error"]
    else:
        ast.parse(record["program"])
    assert log.read_text().strip()
