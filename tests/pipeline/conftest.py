"""A scripted model that answers each pipeline stage by reading the prompt, plus the
pieces every pipeline test needs (context, demonstration, a real client)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from demo2code.demos import Change, Demonstration, Scenario, Step
from demo2code.llm.client import ChatClient
from demo2code.llm.config import ModelConfig
from demo2code.llm.scripted_server import ScriptedServer
from demo2code.reasoners.base import StageContext
from demo2code.reasoners.prompted import PromptedReasoner

API_NAMES = frozenset(
    {
        "get_all_obj_names_that_match_type", "get_all_location_names_that_match_type",
        "is_cut", "is_cooked", "is_holding", "is_in_a_stack", "get_obj_that_is_underneath",
        "get_obj_location", "get_curr_location", "move", "pick_up", "place", "cut",
        "start_cooking", "noop", "stack", "unstack",
    }
)  # fmt: skip
CTX = StageContext("robotouille", "move(curr_loc, target_loc)\nnoop()\n...", API_NAMES)

STAGE_OPENINGS = [
    ("repair", "run in the scenarios those demonstrations were recorded in"),
    ("summarize_step", "at summary level"),
    ("specify", "Below are summaries of the scenarios"),
    ("write_code", "Write Python code for a cooking robot that carries out"),
    ("define", "You are writing a Python program"),
    ("code_from_demos", "Write a Python program for a cooking robot that does the task"),
    ("spec_from_demos", "the demonstrations list, for each state"),
    ("low_level_actions", "Below is one scenario: for each state"),
]


def first_user(messages: list[dict[str, Any]]) -> str:
    return next(m["content"] for m in messages if m["role"] == "user")


def stage_of(messages: list[dict[str, Any]]) -> str:
    prompt = first_user(messages)
    for stage, needle in STAGE_OPENINGS:
        if needle in prompt:
            return stage
    raise AssertionError(f"unrecognised prompt: {prompt[:80]!r}")


def summarized_text(prompt: str) -> str:
    """The text a summarize_step prompt asks to summarize."""
    match = re.search(r"Now summarize this text, at level \d+:\n(.*)\n\nAnswer:\s*$", prompt, re.S)
    assert match, "template layout changed"
    return match.group(1)


# Helper graph: do_task -> (helper_one, find_thing); helper_one -> do_task (a cycle through
# defined functions, which is fine) and helper_two; helper_two -> API only.
DEFINITIONS = {
    "find_thing": "def find_thing(kind):\n    return get_all_obj_names_that_match_type(kind)[0]",
    "do_task": "def do_task(obj):\n    helper_one(obj)\n    find_thing('onion')",
    "helper_one": "def helper_one(obj, again=False):\n    if again:\n        do_task(obj)\n"
    "    helper_two(obj)",
    "helper_two": "def helper_two(obj):\n    noop()\n    noop()",
}
HIGH_LEVEL = "x = find_thing('patty')\ndo_task(x)\ndo_task(x)\nnoop()"


class Script:
    """Answers by stage; tests override single stages. Summaries are done at level 2."""

    def __init__(self, done_level: int = 2):
        self.done_level = done_level
        self.overrides: dict[str, Callable[[list[dict[str, Any]]], str | None]] = {}

    def __call__(self, messages: list[dict[str, Any]]) -> str | None:
        stage = stage_of(messages)
        if stage in self.overrides:
            return self.overrides[stage](messages)
        prompt = first_user(messages)
        if stage == "summarize_step":
            level = int(re.search(r"at summary level (\d+)", prompt).group(1))  # type: ignore[union-attr]
            text = summarized_text(prompt)
            states = re.findall(r"State \d+", text)
            span = f"{states[0]}-{states[-1]}" if states else "merged"
            enough = "yes" if level + 1 >= self.done_level else "no"
            summary = f"* level {level + 1} summary of {span} ({len(text)} chars)"
            return f"{summary}\nSummarized enough: {enough}"
        if stage in ("specify", "spec_from_demos"):
            return "Do the task.\nSpecifically:\nFind a thing.\nDo the task twice."
        if stage == "low_level_actions":
            return "* At state 2, the robot moved."
        if stage == "write_code":
            return f"Here is the code:\n```python\n{HIGH_LEVEL}\n```"
        if stage == "code_from_demos":
            return "```python\ndef main():\n    do_task(find_thing('patty'))\nmain()\n```"
        if stage == "repair":  # the same definitions again: the check still disagrees
            name = next(iter(DEFINITIONS))
            return f"```python\n{DEFINITIONS[name]}\n```"
        if stage == "define":
            name = re.search(r"Define the function `(\w+)`", prompt).group(1)  # type: ignore[union-attr]
            return f"```python\n{DEFINITIONS[name]}\n```"
        raise AssertionError(stage)


def make_demo(n_scenarios: int = 2, n_steps: int = 6) -> Demonstration:
    scenarios = []
    for s in range(n_scenarios):
        steps = []
        for i in range(n_steps):
            steps.append(
                Step(
                    f"move(table{i}, table{i + 1})",
                    [
                        Change("at", ("robot1", f"table{i + 1 + s}"), False),
                        Change("at", ("robot1", f"table{i + 2 + s}"), True),
                    ],
                )
            )
        scenarios.append(Scenario(seed=100 + s, steps=steps))
    return Demonstration("robotouille", "toy", "Do the task.", scenarios)


@pytest.fixture
def demo() -> Demonstration:
    return make_demo()


@pytest.fixture
def reasoner_for(
    scripted_server: Callable[..., ScriptedServer],
) -> Iterator[Callable[..., tuple[PromptedReasoner, ScriptedServer]]]:
    """`reasoner_for(script, faults=..., timeout=...)`: a PromptedReasoner whose real
    ChatClient talks to a fresh scripted server."""
    clients: list[ChatClient] = []

    def make(
        script: Callable[..., str | None], *, timeout: float = 5.0, **server_kwargs: Any
    ) -> tuple[PromptedReasoner, ScriptedServer]:
        server = scripted_server(responder=script, **server_kwargs)
        config = ModelConfig(
            model="scripted",
            base_url=server.base_url,
            api_key="test",
            cache_mode="off",
            timeout=timeout,
            max_retries=4,
        )
        client = ChatClient(config, backoff_base=0.01, backoff_cap=0.05)
        clients.append(client)
        return PromptedReasoner(client), server

    yield make
    for client in clients:
        client.close()
