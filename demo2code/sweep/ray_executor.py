"""The Ray executor: each generation and each episode is one Ray task (one CPU). The
episode's program still runs in its own sandbox process, forked on the Ray worker by that
worker's fork server (docs/sandbox.md), and the unit test judges it there; only the
results row comes back. A task whose worker dies is run again by Ray (`max_retries`), and
the driver writes a row only when a task's result arrives, so a lost worker loses nothing
and counts nothing twice.

The only module that imports Ray (an optional extra: `pip install 'demo2code[ray]'`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ray

from demo2code.errors import Demo2CodeError

MAX_RETRIES = 3  # runs of a task whose worker process died


class RayExecutor:
    name = "ray"

    def __init__(self, address: str | None, workers: int):
        self._owned = not ray.is_initialized()
        if self._owned:
            try:
                if address is None:  # a private instance on this machine
                    ray.init(num_cpus=max(1, workers), include_dashboard=False,
                             log_to_driver=False, configure_logging=False)  # fmt: skip
                else:
                    ray.init(address=address, log_to_driver=False, configure_logging=False)
            except (ConnectionError, ValueError, RuntimeError) as exc:
                where = address or "a local instance"
                message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise Demo2CodeError(
                    f"--address: cannot start or reach Ray at {where}: {message}"
                ) from None
        self._remote: dict[Callable[..., Any], Any] = {}
        self.slots = max(1, int(ray.cluster_resources().get("CPU", 1)))

    def submit(self, fn: Callable[..., Any], *args: Any) -> ray.ObjectRef:
        remote = self._remote.get(fn)
        if remote is None:
            remote = ray.remote(num_cpus=1, max_retries=MAX_RETRIES)(fn)
            self._remote[fn] = remote
        return remote.remote(*args)

    def wait(self, handles: list[ray.ObjectRef], timeout: float) -> list[tuple[Any, Any]]:
        ready, rest = ray.wait(handles, num_returns=1, timeout=timeout)
        if ready and rest:  # and whatever else is already there
            more, _ = ray.wait(rest, num_returns=len(rest), timeout=0)
            ready += more
        try:
            values = ray.get(ready)
        except ray.exceptions.RayTaskError as exc:  # the task's own error, not Ray's wrapper
            cause = exc.cause
            raise cause if isinstance(cause, BaseException) else exc from None
        except ray.exceptions.RayError as exc:  # a worker or node lost more than MAX_RETRIES
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise Demo2CodeError(
                f"a Ray task was lost ({first}); finished rows are kept, run the same "
                "command again to resume"
            ) from None
        return list(zip(ready, values, strict=True))

    def cancel(self, handles: list[ray.ObjectRef]) -> None:
        for ref in handles:
            ray.cancel(ref)

    def close(self) -> None:
        """Stops the instance this executor started; one the caller started, or a cluster
        it connected to, is left running."""
        if self._owned:
            ray.shutdown()
