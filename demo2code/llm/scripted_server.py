"""A real OpenAI-compatible HTTP server with scripted answers and injectable faults.

Tests point the real client at it to exercise retries, caching and concurrency over real
sockets; `make bench` uses it (with a per-answer delay) to measure the pipeline's
parallelism without a model.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from demo2code.llm.tokens import count_message_tokens, count_tokens

Responder = Callable[[list[dict[str, Any]]], str]
# Usage is counted with one fixed tokenizer whatever model is asked for: the numbers only
# need to be plausible, and loading a second table would stall the first request.
USAGE_MODEL = "gpt-4"
FAULTS = (
    "429", "500", "timeout", "drop", "malformed-json", "empty", "trickle", "oversize",
)  # fmt: skip
OVERSIZE_BYTES = 50 * 1024 * 1024  # what an "oversize" fault sends unless the client hangs up


def last_user_message(messages: list[dict[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            content = message.get("content")
            return content if isinstance(content, str) else json.dumps(content)
    return ""


class ScriptedServer:
    """Serves `/v1/chat/completions` and `/v1/models` on 127.0.0.1 in a background thread.

    Answers come from `responder(messages)`, or else from the first `(substring, answer)`
    fixture whose substring occurs in the last user message (no match: HTTP 400). Each
    request first takes the next fault from the queue, if any.

    `slots` makes it answer like a one-slot (or n-slot) llama.cpp server: requests wait
    for a free slot before their `delay` starts; `report_slots` also serves llama.cpp's
    `/props` with that count. `api_key` answers 401 to any other key; `known_models`
    answers 404 to a model not in the list.
    """

    def __init__(
        self,
        responder: Responder | None = None,
        fixtures: Sequence[tuple[str, str]] = (),
        *,
        faults: Iterable[str] = (),
        delay: float = 0.0,
        model: str = "scripted",
        hang_s: float = 30.0,
        report_usage: bool = True,
        slots: int | None = None,
        report_slots: bool = False,
        api_key: str | None = None,
        known_models: Sequence[str] | None = None,
        trickle_s: float = 1.0,
    ):
        self.responder = responder
        self.fixtures = list(fixtures)
        self.delay = delay
        self.model = model
        self.hang_s = hang_s  # how long a "timeout" fault stalls (longer than any test timeout)
        self.report_usage = report_usage
        self.slots = slots
        self.report_slots = report_slots
        self.api_key = api_key
        self.known_models = list(known_models) if known_models is not None else None
        self.trickle_s = trickle_s  # pause between the bytes of a "trickle" fault
        self._slot_gate = threading.BoundedSemaphore(slots) if slots else None
        self.active = 0  # requests being answered now (holding a slot)
        self.max_active = 0  # the most that were ever answered at once
        self._faults: deque[str] = deque()
        self._requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.add_faults(*faults)

    # -- control -------------------------------------------------------------------------
    def clear_faults(self) -> None:
        """Drop the faults still queued: the simulated outage is over."""
        with self._lock:
            self._faults.clear()

    def add_faults(self, *faults: str) -> None:
        unknown = [f for f in faults if f not in FAULTS]
        if unknown:
            raise ValueError(f"unknown faults {unknown}; expected some of {', '.join(FAULTS)}")
        with self._lock:
            self._faults.extend(faults)

    @property
    def requests(self) -> list[dict[str, Any]]:
        """Every request body received so far (a copy), including those that got a fault."""
        with self._lock:
            return list(self._requests)

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the scripted server is not running")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> ScriptedServer:
        self._stopping.clear()
        count_tokens("warm up", USAGE_MODEL)  # load the tokenizer now, not in a request
        handler = type("Handler", (_Handler,), {"script": self})
        self._httpd = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},  # so stop() returns at once
            name="scripted-llm",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers stalled by a "timeout" fault or a delay
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- used by the handler -------------------------------------------------------------
    def _take(self, body: dict[str, Any]) -> str | None:
        with self._lock:
            self._requests.append(body)
            return self._faults.popleft() if self._faults else None

    def _answer(self, messages: list[dict[str, Any]]) -> str | None:
        if self.responder is not None:
            return self.responder(messages)
        prompt = last_user_message(messages)
        for needle, answer in self.fixtures:
            if needle in prompt:
                return answer
        return None

    def _enter(self) -> None:
        if self._slot_gate is not None:
            while not self._slot_gate.acquire(timeout=0.05):
                if self._stopping.is_set():
                    break
        with self._lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)

    def _leave(self) -> None:
        with self._lock:
            self.active -= 1
        if self._slot_gate is not None:
            try:
                self._slot_gate.release()
            except ValueError:  # acquired nothing because the server was stopping
                pass

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many pipeline threads may connect at the same moment

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that timed out and hung up is expected here, not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    script: ScriptedServer
    server_version = "ScriptedLLM/1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep tests quiet
        pass

    def do_GET(self) -> None:
        path = self.path.rstrip("/")
        if path == "/props" and self.script.report_slots and self.script.slots:
            return self._json(200, {"total_slots": self.script.slots})
        if path != "/v1/models":
            return self._json(404, _error(f"no route {self.path}", "not_found"))
        names = self.script.known_models or [self.script.model]
        models = [
            {"id": name, "object": "model", "created": 0, "owned_by": "demo2code"} for name in names
        ]
        self._json(200, {"object": "list", "data": models})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path.rstrip("/") != "/v1/chat/completions":
            return self._json(404, _error(f"no route {self.path}", "not_found"))
        try:
            body = json.loads(raw or b"{}")
            messages = list(body["messages"])
        except (ValueError, KeyError, TypeError):
            return self._json(400, _error("request body must be JSON with 'messages'"))
        fault = self.script._take(body)
        if self.script.api_key is not None:
            if self.headers.get("Authorization") != f"Bearer {self.script.api_key}":
                return self._json(401, _error("Incorrect API key provided", "invalid_api_key"))
        known = self.script.known_models
        if known is not None and body.get("model") not in known:
            message = f"The model `{body.get('model')}` does not exist"
            return self._json(404, _error(message, "model_not_found"))
        self.script._enter()
        try:
            self._answer_with(fault, body, messages)
        finally:
            self.script._leave()

    def _answer_with(self, fault: str | None, body: dict[str, Any], messages: list) -> None:
        if fault == "429":
            return self._json(429, _error("rate limited", "rate_limit_exceeded"))
        if fault == "500":
            return self._json(500, _error("scripted server failure", "server_error"))
        if fault == "timeout":
            self.script._sleep(self.script.hang_s)
            self.close_connection = True
            return
        if fault == "drop":
            self.close_connection = True  # answer nothing; the socket closes on return
            return
        if fault == "malformed-json":
            return self._send(200, b'{"id": "chatcmpl-broken", "choices": [')
        if fault == "trickle":
            return self._trickle(json.dumps(self._completion(body, messages, "ok")).encode())
        if fault == "oversize":
            return self._oversize()
        text = "" if fault == "empty" else self.script._answer(messages)
        if text is None:
            prompt = last_user_message(messages)[:80]
            return self._json(400, _error(f"no scripted answer for {prompt!r}"))
        self.script._sleep(self.script.delay)
        self._json(200, self._completion(body, messages, text))

    def _completion(self, body: dict[str, Any], messages: list[dict], text: str) -> dict:
        model = str(body.get("model") or self.script.model)
        result: dict[str, Any] = {
            "id": f"chatcmpl-{uuid.uuid4().hex[:16]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
        }
        if self.script.report_usage:
            prompt_tokens = count_message_tokens(messages, USAGE_MODEL)
            completion_tokens = count_tokens(text, USAGE_MODEL)
            result["usage"] = {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            }
        return result

    def _trickle(self, data: bytes) -> None:
        """A valid answer, one byte every `trickle_s` seconds."""
        self._head(200, len(data))
        for i in range(len(data)):
            if self.script._stopping.is_set():
                return
            self.wfile.write(data[i : i + 1])
            self.wfile.flush()
            self.script._sleep(self.script.trickle_s)

    def _oversize(self) -> None:
        """A server that ignores max_tokens: a 50 MB answer, sent as fast as it is read."""
        head = b'{"id": "chatcmpl-big", "object": "chat.completion", "choices": [{"index": 0, '
        head += b'"message": {"role": "assistant", "content": "'
        tail = b'"}, "finish_reason": "length"}]}'
        filler = b"x" * 65536
        count = OVERSIZE_BYTES // len(filler)
        self._head(200, len(head) + count * len(filler) + len(tail))
        self.wfile.write(head)
        for _ in range(count):
            if self.script._stopping.is_set():
                return
            self.wfile.write(filler)
        self.wfile.write(tail)

    def _head(self, status: int, length: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        self._send(status, json.dumps(payload).encode("utf-8"))

    def _send(self, status: int, data: bytes) -> None:
        self._head(status, len(data))
        self.wfile.write(data)


def _error(message: str, code: str = "invalid_request_error") -> dict[str, Any]:
    return {"error": {"message": message, "type": code, "code": code}}
