"""How many requests go to one model server at a time.

Requests wait for a slot here, on our side, so the time-out only starts once a request is
sent: a one-slot server (llama.cpp's default) then never holds queued requests whose clock
is already running. Without `--concurrency`, the gate starts at the server's slot count
when it tells it (llama.cpp's `/props` or `/slots`), else at `DEFAULT_CONCURRENCY`, and
drops to half the requests in flight whenever one times out while others are out: the
server was answering them one after the other, and the time-out was ours, not the server's
failure. A request
we gave up on may still be generating on the server (llama-cpp-python does not stop it), so
after each time-out the adaptive gate also sends nothing new for about one answer's time.

One gate per endpoint and setting, shared by every client in the process, because `eval`
makes a client per variant while they all talk to the same server.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass

DEFAULT_CONCURRENCY = 4
PROBE_TIMEOUT_S = 2.0

Notice = Callable[[str], None]


@dataclass
class Ticket:
    """One request holding a slot: when it started and how full the gate was then."""

    started: float
    limit: int
    others: int  # requests already in flight when this one was sent
    sent: int  # the gate's send count at that moment


class Gate:
    """A counting gate whose size may only shrink (adaptive) or stays put (fixed)."""

    def __init__(self, limit: int, *, adaptive: bool, source: str = "default"):
        if limit < 1:
            raise ValueError("a gate needs at least one slot")
        self.limit = limit
        self.initial = limit
        self.adaptive = adaptive
        self.source = source  # "--concurrency", "server", or "default"
        self.in_flight = 0
        self.lowered = 0  # how many times the limit went down
        self.answered_once = False  # once it has, a refused connection is only a blip
        self._lowered_at = 0.0
        self._latency: float | None = None  # typical answer time (moving average)
        self._busy_until = 0.0
        self._sent = 0  # abandoned answers may keep the server busy until then
        self._cond = threading.Condition()

    @contextlib.contextmanager
    def slot(self) -> Iterator[Ticket]:
        """Wait (without limit: our own queue) for a slot, hold it for one request."""
        with self._cond:
            while True:
                wait = self._busy_until - time.monotonic()
                if self.in_flight < self.limit and wait <= 0:
                    break
                self._cond.wait(timeout=wait if wait > 0 else None)
            ticket = Ticket(time.monotonic(), self.limit, self.in_flight, self._sent)
            self.in_flight += 1
            self._sent += 1
        try:
            yield ticket
        finally:
            with self._cond:
                self.in_flight -= 1
                self._cond.notify_all()

    def answered(self, ticket: Ticket) -> None:
        """A request finished: learn how long answers take."""
        seconds = time.monotonic() - ticket.started
        with self._cond:
            self.answered_once = True
            old = self._latency
            self._latency = seconds if old is None else 0.7 * old + 0.3 * seconds

    def timed_out(self, ticket: Ticket, timeout: float = 0.0) -> int | None:
        """Call while still holding the slot of a request that timed out. When others were
        in flight at any time during it, the server may have been busy with them: returns
        the (possibly lowered) limit, and the attempt should not count as lost. None: it was
        alone all along, the server is just slow.
        Lowers at most once per round: requests sent before the last lowering say nothing
        new about the lower limit."""
        with self._cond:
            if self.adaptive:  # let the abandoned answer finish before sending more
                drain = min(timeout, self._latency if self._latency else timeout / 2)
                self._busy_until = max(self._busy_until, time.monotonic()) + drain
            overlapped = ticket.others > 0 or self.in_flight > 1 or self._sent > ticket.sent + 1
            if not self.adaptive or not overlapped:
                return None
            if ticket.started >= self._lowered_at and self.limit > 1:
                # Halve what was really in flight: with two requests out under a limit of
                # four, halving the limit to two would change nothing and cost one more
                # round of time-outs (and abandoned answers the server still generates).
                crowd = max(ticket.others + 1, self.in_flight)
                self.limit = max(1, min(self.limit, crowd) // 2)
                self.lowered += 1
                self._lowered_at = time.monotonic()
            return self.limit


_gates: dict[tuple[str, int | None], Gate] = {}
_gates_lock = threading.Lock()


def gate_for(endpoint: str, concurrency: int | None, *, probe: bool) -> Gate:
    """The shared gate for `endpoint`; made on first use (probing the server's slots when
    `probe` and no `concurrency` was given)."""
    key = (endpoint, concurrency)
    with _gates_lock:
        gate = _gates.get(key)
        if gate is None:
            if concurrency is not None:
                gate = Gate(concurrency, adaptive=False, source="--concurrency")
            else:
                slots = server_slots(endpoint) if probe else None
                if slots is not None:
                    gate = Gate(slots, adaptive=True, source="server")
                else:
                    gate = Gate(DEFAULT_CONCURRENCY, adaptive=True)
            _gates[key] = gate
        return gate


def server_slots(endpoint: str) -> int | None:
    """The number of requests the server answers at once, where it says so: llama.cpp
    serves `/props` (`total_slots`) and `/slots` (one entry per slot) beside `/v1`. vLLM
    and Ollama do not publish theirs; then None."""
    root = endpoint.rstrip("/")
    if root.endswith("/v1"):
        root = root[: -len("/v1")]
    for path, read in (("/props", _props_slots), ("/slots", _slots_list)):
        try:
            request = urllib.request.Request(root + path, headers={"Accept": "application/json"})
            with urllib.request.urlopen(request, timeout=PROBE_TIMEOUT_S) as response:
                slots = read(json.loads(response.read(1 << 20)))
        except (urllib.error.URLError, OSError, ValueError):
            continue
        if slots is not None:
            return slots
    return None


def _props_slots(data: object) -> int | None:
    value = data.get("total_slots") if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _slots_list(data: object) -> int | None:
    return len(data) if isinstance(data, list) and data else None


def existing_gate(endpoint: str, concurrency: int | None) -> Gate | None:
    """The gate already made for `endpoint`, if any call went there (for the totals)."""
    with _gates_lock:
        return _gates.get((endpoint, concurrency))
