"""Shared fixtures. Model servers: `scripted_server` (fast, in-process) and `llama_server`
(a real llama.cpp server; used only by tests marked slow)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from demo2code.llm.scripted_server import ScriptedServer
from tests.servers import (
    assemble_gemma,
    llama_cpp_missing,
    start_llama_server,
    stop,
    wait_until_up,
)


@pytest.fixture
def scripted_server() -> Iterator[Callable[..., ScriptedServer]]:
    """Factory: `scripted_server(responder=..., fixtures=..., faults=..., delay=...)` returns
    a running server; every server made is stopped when the test ends."""
    made: list[ScriptedServer] = []

    def make(*args: object, **kwargs: object) -> ScriptedServer:
        server = ScriptedServer(*args, **kwargs).start()  # type: ignore[arg-type]
        made.append(server)
        return server

    yield make
    for server in made:
        server.stop()


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (ending in /v1) of a real llama.cpp server running Gemma 3 270M."""
    reason = llama_cpp_missing()
    if reason:
        if os.environ.get("CI"):  # CI installs the test extra: a missing server is a bug
            pytest.fail(f"llama.cpp server unavailable in CI: {reason}")
        pytest.skip(f"llama.cpp server unavailable: {reason}")
    directory = tmp_path_factory.mktemp("llama")
    model = assemble_gemma(directory)
    proc, base_url = start_llama_server(model, directory / "server.log")
    try:
        wait_until_up(base_url, proc, timeout=120)
        yield base_url
    finally:
        stop(proc)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The llama.cpp tests take minutes of one core: they go first and, under xdist's
    `--dist loadgroup` (the Makefile's), all to one worker, so one server answers them and
    the rest of the suite runs beside them instead of after them."""
    llama = [item for item in items if "llama_server" in getattr(item, "fixturenames", ())]
    for item in llama:
        item.add_marker(pytest.mark.xdist_group("llama"))
    chosen = set(map(id, llama))
    items[:] = llama + [item for item in items if id(item) not in chosen]
