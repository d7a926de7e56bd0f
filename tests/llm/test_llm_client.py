"""The real client against the real scripted HTTP server: retries, cache, concurrency."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from demo2code.llm.client import ChatClient
from demo2code.llm.config import ModelConfig
from demo2code.llm.errors import CacheMiss, ModelError
from demo2code.llm.scripted_server import ScriptedServer
from demo2code.llm.transcript import Transcript, read_transcript

HELLO = [{"role": "user", "content": "say hello"}]


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[Callable[..., ChatClient]]:
    clients: list[ChatClient] = []

    def make(server: ScriptedServer, transcript: Transcript | None = None, **options: object):
        settings: dict[str, object] = {"timeout": 1.0, "max_retries": 4, "cache": "off"}
        settings.update(options)
        config = ModelConfig.from_options(
            model="test-model",
            base_url=server.base_url,
            cache_dir=tmp_path / "cache",
            env={},
            **settings,  # type: ignore[arg-type]
        )
        client = ChatClient(config, transcript, backoff_base=0.001, backoff_cap=0.01)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def test_plain_answer_with_usage(scripted_server, make_client) -> None:
    server = scripted_server(fixtures=[("hello", "hi there")])
    result = make_client(server).complete(HELLO, "summarize")
    assert result.text == "hi there"
    assert result.usage_reported and not result.cached
    assert result.prompt_tokens > 0 and result.completion_tokens > 0
    sent = server.requests[0]
    assert sent["model"] == "test-model" and sent["messages"] == HELLO
    assert sent["temperature"] == 0.0 and sent["seed"] == 0


@pytest.mark.parametrize("fault", ["429", "500", "timeout", "drop", "malformed-json"])
def test_transient_fault_is_retried_then_succeeds(scripted_server, make_client, fault) -> None:
    server = scripted_server(fixtures=[("hello", "ok")], faults=[fault, fault])
    client = make_client(server)
    assert client.complete(HELLO, "s").text == "ok"
    assert len(server.requests) == 3  # two faults, then the answer
    assert client.attempts == 3


def test_mixed_faults_all_retried(scripted_server, make_client) -> None:
    faults = ["429", "500", "drop", "malformed-json"]
    server = scripted_server(fixtures=[("hello", "ok")], faults=faults)
    assert make_client(server).complete(HELLO, "s").text == "ok"
    assert len(server.requests) == len(faults) + 1


def test_gives_up_after_max_retries_with_one_line_error(scripted_server, make_client) -> None:
    server = scripted_server(fixtures=[("hello", "ok")], faults=["500"] * 10)
    client = make_client(server, max_retries=2)
    with pytest.raises(ModelError) as caught:
        client.complete(HELLO, "s")
    message = str(caught.value)
    assert "\n" not in message
    assert server.base_url in message and "test-model" in message and "500" in message
    assert len(server.requests) == 3  # one try plus two retries, no hidden openai retries


def test_client_error_is_not_retried(scripted_server, make_client) -> None:
    server = scripted_server(fixtures=[("something else", "never")])  # no match: HTTP 400
    with pytest.raises(ModelError, match="400") as caught:
        make_client(server).complete(HELLO, "s")
    assert "\n" not in str(caught.value)
    assert len(server.requests) == 1


def test_empty_answer_is_returned_and_not_cached(scripted_server, make_client) -> None:
    server = scripted_server(fixtures=[("hello", "full")], faults=["empty"])
    client = make_client(server, cache="use")
    assert client.complete(HELLO, "s").text == ""
    second = client.complete(HELLO, "s")
    assert second.text == "full" and not second.cached
    assert len(server.requests) == 2


def test_missing_usage_is_counted_locally(scripted_server, make_client) -> None:
    server = scripted_server(fixtures=[("hello", "a few words of answer")], report_usage=False)
    result = make_client(server).complete(HELLO, "s")
    assert not result.usage_reported
    assert result.prompt_tokens > 0 and result.completion_tokens >= 4


def test_cache_use_answers_second_call_without_request(scripted_server, make_client) -> None:
    server = scripted_server(fixtures=[("hello", "cached answer")])
    first = make_client(server, cache="use").complete(HELLO, "s")
    second = make_client(server, cache="use").complete(HELLO, "s")  # a fresh client, same dir
    assert len(server.requests) == 1
    assert second.cached and not first.cached
    assert (second.text, second.prompt_tokens) == (first.text, first.prompt_tokens)
    other = make_client(server, cache="use").complete([{"role": "user", "content": "hello!"}], "s")
    assert not other.cached and len(server.requests) == 2


def test_cache_key_covers_request_settings(scripted_server, make_client) -> None:
    server = scripted_server(fixtures=[("hello", "x")])
    make_client(server, cache="use").complete(HELLO, "s")
    assert not make_client(server, cache="use", temperature=0.7).complete(HELLO, "s").cached
    assert not make_client(server, cache="use", max_tokens=10).complete(HELLO, "s").cached
    assert not make_client(server, cache="use", seed=1).complete(HELLO, "s").cached
    assert len(server.requests) == 4


def test_cache_refresh_calls_again_and_rewrites(scripted_server, make_client) -> None:
    answers = iter(["old", "new"])
    server = scripted_server(responder=lambda messages: next(answers))
    make_client(server, cache="use").complete(HELLO, "s")
    refreshed = make_client(server, cache="refresh").complete(HELLO, "s")
    assert refreshed.text == "new" and not refreshed.cached
    again = make_client(server, cache="use").complete(HELLO, "s")
    assert again.text == "new" and again.cached
    assert len(server.requests) == 2


def test_cache_only_miss_raises_and_hit_answers(scripted_server, make_client) -> None:
    server = scripted_server(fixtures=[("hello", "stored")])
    with pytest.raises(CacheMiss) as caught:
        make_client(server, cache="only").complete(HELLO, "summarize")
    assert "\n" not in str(caught.value) and "summarize" in str(caught.value)
    assert server.requests == []
    make_client(server, cache="use").complete(HELLO, "s")
    assert make_client(server, cache="only").complete(HELLO, "s").text == "stored"
    assert len(server.requests) == 1


def test_cache_off_never_reads_or_writes(scripted_server, make_client, tmp_path) -> None:
    server = scripted_server(fixtures=[("hello", "x")])
    make_client(server, cache="off").complete(HELLO, "s")
    make_client(server, cache="off").complete(HELLO, "s")
    assert len(server.requests) == 2
    assert not (tmp_path / "cache").exists()


def test_concurrent_calls_get_their_own_answers(scripted_server, make_client, tmp_path) -> None:
    server = scripted_server(responder=lambda messages: messages[-1]["content"].upper(), delay=0.05)
    server.add_faults("429", "500", "drop")
    transcript = Transcript(tmp_path / "run" / "transcript.jsonl")
    client = make_client(server, transcript, cache="use")
    prompts = [f"prompt number {i} " + "word " * i for i in range(40)]

    def ask(prompt: str) -> str:
        return client.complete([{"role": "user", "content": prompt}], f"stage-{prompt[:16]}").text

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(ask, prompts))
    assert answers == [p.upper() for p in prompts]
    assert len(server.requests) == len(prompts) + 3
    rows = read_transcript(tmp_path / "run" / "transcript.jsonl")
    assert len(rows) == len(prompts)
    by_prompt = {row["messages"][0]["content"]: row for row in rows}
    assert set(by_prompt) == set(prompts)
    for prompt, row in by_prompt.items():
        assert row["answer"] == prompt.upper() and row["error"] is None
        assert row["prompt_tokens"] > 0 and row["cache_hit"] is False


def test_transcript_records_cache_hits_and_errors(scripted_server, make_client, tmp_path) -> None:
    server = scripted_server(fixtures=[("hello", "ok")])
    path = tmp_path / "t.jsonl"
    client = make_client(server, Transcript(path), cache="use", max_retries=0)
    client.complete(HELLO, "a")
    client.complete(HELLO, "b")
    server.add_faults("500")
    with pytest.raises(ModelError):
        client.complete([{"role": "user", "content": "hello again"}], "c")
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["stage"] for r in rows] == ["a", "b", "c"]
    assert [r["cache_hit"] for r in rows] == [False, True, False]
    assert rows[2]["answer"] is None and "500" in rows[2]["error"]
    assert all(set(r) >= {"timestamp", "latency_s", "completion_tokens"} for r in rows)


def test_offline_config_refuses_a_client() -> None:
    with pytest.raises(ValueError, match="symbolic"):
        ChatClient(ModelConfig())


def test_scripted_server_lists_its_model(scripted_server) -> None:
    import urllib.request

    server = scripted_server(model="scripted-x")
    with urllib.request.urlopen(f"{server.base_url}/models", timeout=5) as response:
        listing = json.load(response)
    assert [m["id"] for m in listing["data"]] == ["scripted-x"]


def test_scripted_server_rejects_unknown_fault() -> None:
    with pytest.raises(ValueError, match="unknown faults"):
        ScriptedServer(faults=["explode"])


def test_backoff_is_capped_and_jittered(scripted_server, make_client) -> None:
    server = scripted_server(fixtures=[("hello", "ok")])
    client = make_client(server)
    client.backoff_base, client.backoff_cap = 1.0, 4.0
    delays = [client._backoff(attempt, None) for attempt in range(8) for _ in range(20)]
    assert max(delays) <= 4.0 and min(delays) >= 0.5
    assert len(set(delays)) > 10
    assert client._backoff(0, 3.0) >= 3.0  # Retry-After is honoured, within the cap


def test_threads_share_one_client_safely(scripted_server, make_client) -> None:
    server = scripted_server(responder=lambda messages: "same")
    client = make_client(server, cache="off")
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                assert client.complete(HELLO, "s").text == "same"
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and client.attempts == 40 == len(server.requests)
