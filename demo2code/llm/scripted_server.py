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
FAULTS = ("429", "500", "timeout", "drop", "malformed-json", "empty")


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
    ):
        self.responder = responder
        self.fixtures = list(fixtures)
        self.delay = delay
        self.model = model
        self.hang_s = hang_s  # how long a "timeout" fault stalls (longer than any test timeout)
        self.report_usage = report_usage
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
        if self.path.rstrip("/") != "/v1/models":
            return self._json(404, _error(f"no route {self.path}", "not_found"))
        model = {"id": self.script.model, "object": "model", "created": 0, "owned_by": "demo2code"}
        self._json(200, {"object": "list", "data": [model]})

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

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        self._send(status, json.dumps(payload).encode("utf-8"))

    def _send(self, status: int, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _error(message: str, code: str = "invalid_request_error") -> dict[str, Any]:
    return {"error": {"message": message, "type": code, "code": code}}
