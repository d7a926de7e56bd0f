"""The real client against servers that misbehave in the ways users meet: a trickle, an
answer that ignores max_tokens, a wrong key, an unknown model, nothing listening, and a
one-slot server slower than the time-out divided by the concurrency."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from demo2code.cli import app
from demo2code.llm.activity import ACTIVITY
from demo2code.llm.client import ChatClient
from demo2code.llm.config import ModelConfig
from demo2code.llm.errors import ModelError
from demo2code.llm.gate import Gate, existing_gate
from tests.pipeline.conftest import Script
from tests.servers import free_port

HELLO = [{"role": "user", "content": "say hello"}]
ROOT = Path(__file__).resolve().parents[2]
COOK_PATTY = str(ROOT / "data" / "robotouille" / "demos" / "cook-patty.json")


def client(base_url: str, tmp_path: Path, **options: object) -> ChatClient:
    settings: dict[str, object] = {"timeout": 2.0, "max_retries": 0, "cache": "off"}
    settings.update(options)
    config = ModelConfig.from_options(
        model="test-model", base_url=base_url, cache_dir=tmp_path, env={}, **settings
    )  # type: ignore[arg-type]
    return ChatClient(config, backoff_base=0.001, backoff_cap=0.01)


def test_a_trickling_answer_is_bounded_by_the_whole_request_timeout(scripted_server, tmp_path):
    server = scripted_server(fixtures=[("hello", "ok")], faults=["trickle"], trickle_s=0.3)
    start = time.monotonic()
    with client(server.base_url, tmp_path, timeout=1.5) as c, pytest.raises(ModelError) as caught:
        c.complete(HELLO, "s")
    elapsed = time.monotonic() - start
    # the whole answer would take ~80 s at this pace; one read at a time never times out
    assert elapsed < 20, elapsed
    assert caught.value.kind == "slow" and "--timeout" in str(caught.value)


def test_an_oversized_answer_is_cut_off_and_counted_as_a_failed_attempt(scripted_server, tmp_path):
    server = scripted_server(fixtures=[("hello", "ok")], faults=["oversize"])
    with client(server.base_url, tmp_path, max_tokens=100, max_retries=1) as c:
        assert c.complete(HELLO, "s").text == "ok"  # the retry gets a proper answer
        assert c.attempts == 2
    assert c.config.max_answer_bytes < 100_000


def test_oversized_answers_every_time_fail_in_one_line(scripted_server, tmp_path):
    server = scripted_server(fixtures=[("hello", "ok")], faults=["oversize"] * 3)
    with client(server.base_url, tmp_path, max_tokens=100, max_retries=1) as c:
        with pytest.raises(ModelError) as caught:
            c.complete(HELLO, "s")
    message = str(caught.value)
    assert "cut off" in message and "max_tokens 100" in message and "\n" not in message
    assert caught.value.resumable


def test_wrong_key_says_to_set_the_key(scripted_server, tmp_path):
    server = scripted_server(fixtures=[("hello", "ok")], api_key="right")
    with client(server.base_url, tmp_path, max_retries=3) as c, pytest.raises(ModelError) as e:
        c.complete(HELLO, "s")
    assert e.value.kind == "auth" and "OPENAI_API_KEY" in str(e.value)
    assert len(server.requests) == 1  # not retried
    assert not e.value.resumable


def test_unknown_model_lists_what_the_server_serves(scripted_server, tmp_path):
    server = scripted_server(fixtures=[("hello", "ok")], known_models=["gemma", "qwen"])
    with client(server.base_url, tmp_path) as c, pytest.raises(ModelError) as e:
        c.complete(HELLO, "s")
    message = str(e.value)
    assert e.value.kind == "unknown_model"
    assert "'test-model'" in message and "gemma, qwen" in message and "--model" in message


def test_nothing_listening_fails_at_once_saying_so(tmp_path):
    with client(f"http://127.0.0.1:{free_port()}/v1", tmp_path, max_retries=4) as c:
        with pytest.raises(ModelError) as caught:
            c.complete(HELLO, "s")
        assert c.attempts == 1  # a server that never answered is not retried for minutes
    assert caught.value.kind == "unreachable" and "--base-url" in str(caught.value)


def _synthesize(base_url: str, tmp_path: Path, *extra: str, timeout: float = 1.0):
    # --repair 0: these tests count the calls of one synthesis; Script answers no repair
    return CliRunner().invoke(
        app,
        ["synthesize", COOK_PATTY, "--model", "scripted", "--base-url", base_url,
         "--cache", "off", "--timeout", str(timeout), "--json", "--repair", "0", *extra],
        env={"DEMO2CODE_CACHE_DIR": str(tmp_path)},
    )  # fmt: skip


def test_one_slot_server_that_tells_its_slots_loses_no_attempt(scripted_server, tmp_path):
    # 0.4 s an answer > timeout 1 s / 4 requests at once: sent four at a time, the last
    # queued request would time out on the server.
    server = scripted_server(responder=Script(), slots=1, report_slots=True, delay=0.4)
    result = _synthesize(server.base_url, tmp_path)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert not data["failed"] and data["program"]
    usage = data["model_totals"]
    assert usage["retries"] == 0 and usage["attempts"] == usage["calls"] == len(server.requests)
    assert usage["concurrency"] == {"start": 1, "end": 1, "from": "server"}
    assert server.max_active == 1


def test_one_slot_server_that_does_not_tell_is_adapted_to(scripted_server, tmp_path):
    # one answer takes 1.5 s: alone it fits the 2.5 s time-out (with a second to spare on a
    # loaded machine); two at once, the queued one needs 3 s and times out
    server = scripted_server(responder=Script(), slots=1, delay=1.5)
    # --retries 0: a time-out counted as a lost attempt would fail the run
    result = _synthesize(server.base_url, tmp_path, "--retries", "0", timeout=2.5)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert not data["failed"] and data["program"]
    lanes = data["model_totals"]["concurrency"]
    assert lanes["start"] == 4 and lanes["end"] < 4 and lanes["from"] == "default"
    assert "sending fewer at a time" in result.stderr  # said once
    assert result.stderr.count("sending fewer at a time") == 1
    gate = existing_gate(server.base_url, None)
    assert gate is not None and gate.lowered >= 1


def test_fixed_concurrency_never_changes_and_alone_timeout_counts() -> None:
    fixed = Gate(2, adaptive=False)
    with fixed.slot() as a, fixed.slot():
        assert fixed.timed_out(a) is None and fixed.limit == 2
    adaptive = Gate(4, adaptive=True)
    with adaptive.slot() as alone:
        assert adaptive.timed_out(alone) is None  # nothing else in flight: just slow
    with adaptive.slot() as first, adaptive.slot() as second, adaptive.slot(), adaptive.slot():
        assert adaptive.timed_out(first) == 2  # four out: half of them
        assert adaptive.timed_out(second) == 2  # same round: lowered once
    assert adaptive.lowered == 1


def test_adaptive_gate_halves_what_was_in_flight_not_an_unused_limit() -> None:
    # Two requests out under a limit of four (two scenarios summarized at once): halving
    # the limit to two would leave both going to a one-slot server, and time out again.
    gate = Gate(4, adaptive=True)
    with gate.slot() as first, gate.slot():
        assert gate.timed_out(first) == 1
    assert gate.lowered == 1


def test_a_retry_waiting_for_its_slot_is_shown_queued_not_waiting(scripted_server, tmp_path):
    # After a time-out the adaptive gate holds the retry back while the abandoned answer
    # may still be generating: the live line must say so, not count up "waiting" past
    # the time-out as if the request were out.
    server = scripted_server(fixtures=[("hello", "ok")], faults=["timeout"])
    seen: list[str] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.extend(ACTIVITY.lines())
            time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with client(server.base_url, tmp_path, timeout=0.6, max_retries=1) as c:
            assert c.complete(HELLO, "s").text == "ok"
    finally:
        done.set()
        watcher.join()
    first_wait = next(i for i, line in enumerate(seen) if "waiting" in line)
    assert any("queued" in line for line in seen[first_wait:]), seen
