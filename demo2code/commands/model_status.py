"""What the user sees while a model works: a live line per running call on stderr (stage,
scenario or function, attempt, time), one-off notices (e.g. lowered concurrency), and the
totals at the end. Fed by `demo2code/llm/activity.py`; offline runs show nothing."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from rich.console import Group
from rich.live import Live
from rich.progress import Progress
from rich.text import Text

from demo2code.commands.console import err
from demo2code.llm.activity import ACTIVITY
from demo2code.llm.config import ModelConfig

HEARTBEAT_S = 30.0  # when stderr is no terminal, a plain line this often while waiting


class _Lines:
    """A renderable that reads the running calls afresh on every refresh."""

    def __rich__(self) -> Text:
        lines = ACTIVITY.lines()
        return Text("\n".join(f"  model: {line}" for line in lines), style="dim")


@contextlib.contextmanager
def model_activity(config: ModelConfig, progress: Progress | None = None) -> Iterator[None]:
    """Show the model's work while the block runs (with `progress` above the call lines,
    if given). Resets the totals, so `totals()` afterwards covers this block."""
    ACTIVITY.reset()
    live_model = not config.offline

    def notice(message: str) -> None:
        err.print(f"note: {message}", markup=False, highlight=False, soft_wrap=True)

    if live_model:
        ACTIVITY.listeners.append(notice)
    parts: list[Any] = [progress] if progress is not None else []
    if live_model:
        parts.append(_Lines())
    live = None
    if err.is_terminal and parts:
        live = Live(Group(*parts), console=err, transient=True, refresh_per_second=4)
    stop = threading.Event()
    beat = None
    if live_model and not err.is_terminal:
        beat = threading.Thread(target=_heartbeat, args=(stop,), daemon=True, name="heartbeat")
        beat.start()
    try:
        if live is not None:
            with live:
                yield
        else:
            yield
    finally:
        stop.set()
        if beat is not None:
            beat.join(timeout=1)
        if live_model:
            ACTIVITY.listeners.remove(notice)


def _heartbeat(stop: threading.Event) -> None:
    """Logs and pipes get a line every `HEARTBEAT_S` while calls are running."""
    while not stop.wait(HEARTBEAT_S):
        lines = ACTIVITY.lines()
        if lines:
            more = f" (+{len(lines) - 1} more)" if len(lines) > 1 else ""
            err.print(f"waiting for the model: {lines[0]}{more}", markup=False, highlight=False)


def totals(config: ModelConfig, price: tuple[float, float] | None = None) -> dict[str, Any]:
    """The model totals of the last `model_activity` block, for `--json` and the end line."""
    from demo2code.llm.gate import existing_gate

    data = ACTIVITY.snapshot()
    gate = existing_gate(config.endpoint, config.concurrency)
    if gate is not None:
        data["concurrency"] = {"start": gate.initial, "end": gate.limit, "from": gate.source}
    if price is not None:
        data["cost_usd"] = cost(data["prompt_tokens"], data["completion_tokens"], price)
    return data


def cost(prompt_tokens: int, completion_tokens: int, price: tuple[float, float]) -> float:
    return round((prompt_tokens * price[0] + completion_tokens * price[1]) / 1e6, 6)


def print_totals(data: dict[str, Any]) -> None:
    """One line on stderr: calls, cache hits, retries, tokens, wall time (and cost)."""
    if not data.get("calls") and not data.get("failed"):
        return
    parts = [
        f"{data['calls']} calls ({data['cache_hits']} from cache)",
        f"{data['retries']} retries",
        f"{data['prompt_tokens']} prompt + {data['completion_tokens']} completion tokens",
        f"{data['wall_seconds']:.1f}s",
    ]
    if data.get("failed"):
        parts.insert(1, f"{data['failed']} failed")
    lanes = data.get("concurrency")
    if lanes and lanes["end"] != lanes["start"]:
        parts.append(f"concurrency {lanes['end']} (lowered from {lanes['start']})")
    if "cost_usd" in data:
        parts.append(f"${data['cost_usd']:.4f}")
    err.print("model: " + ", ".join(parts), markup=False, highlight=False, soft_wrap=True)
