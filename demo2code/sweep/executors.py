"""Where sweep tasks run. An executor only runs functions of `demo2code/sweep/work.py`
and hands their results back; it never touches a run directory.

`local` runs them on threads of this process, each episode in its own sandbox process (one
fork server per thread, as `eval --workers` does); `ray` (`demo2code/sweep/ray_executor.py`)
runs them as Ray tasks. Both yield results as they come, in whatever order they finish.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Protocol

from demo2code.errors import Demo2CodeError

EXECUTORS = ("local", "ray")
Handle = Any


class Executor(Protocol):
    name: str
    slots: int  # tasks that run at once

    def submit(self, fn: Callable[..., Any], *args: Any) -> Handle: ...

    def wait(self, handles: list[Handle], timeout: float) -> list[tuple[Handle, Any]]:
        """(handle, result) for every handle that finished; a task's exception is raised."""
        ...

    def cancel(self, handles: list[Handle]) -> None:
        """Drop tasks not started yet (an interrupt); running ones may finish."""
        ...

    def close(self) -> None: ...


class LocalExecutor:
    """A thread pool: episodes fork their own sandbox processes, so `workers` programs run
    at once on this machine."""

    name = "local"

    def __init__(self, workers: int):
        self.slots = max(1, workers)
        self.pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="sweep")

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        return self.pool.submit(fn, *args)

    def wait(self, handles: list[Future[Any]], timeout: float) -> list[tuple[Future[Any], Any]]:
        done, _ = wait(handles, timeout=timeout, return_when=FIRST_COMPLETED)
        return [(f, f.result()) for f in done]

    def cancel(self, handles: list[Future[Any]]) -> None:
        for future in handles:
            future.cancel()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def make_executor(kind: str, workers: int, address: str | None) -> Executor:
    """`local` or `ray`; Ray is imported only here, and only when asked for."""
    if kind == "local":
        if address is not None:
            raise Demo2CodeError("--address: only with --executor ray")
        return LocalExecutor(workers)
    if kind == "ray":
        try:
            from demo2code.sweep.ray_executor import RayExecutor
        except ImportError:
            raise Demo2CodeError(
                "--executor ray: Ray is not installed; pip install 'demo2code[ray]'"
            ) from None
        return RayExecutor(address, workers)
    from demo2code.errors import UnknownName

    raise UnknownName("--executor", kind, EXECUTORS)
