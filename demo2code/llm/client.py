"""The only module that talks to a model: an OpenAI-compatible chat client with our own
retries, time-outs, size cap, the answer cache and the transcript. `openai` (and its HTTP
library) is imported here and nowhere else."""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx2
import openai

from demo2code.llm.activity import ACTIVITY, Activity
from demo2code.llm.cache import CachedAnswer, ResponseCache, request_key
from demo2code.llm.completion import Completion
from demo2code.llm.config import ModelConfig
from demo2code.llm.errors import CacheMiss, ModelError
from demo2code.llm.gate import Gate, Ticket, gate_for
from demo2code.llm.tokens import count_message_tokens, count_tokens
from demo2code.llm.transcript import Transcript


class _Retryable(Exception):
    """A failed attempt worth another try. `kind`: timeout, unreachable (connection refused,
    name not resolved), or failed (429, 5xx, dropped, unreadable, oversized); `wait` is the
    server's Retry-After; `free` means it timed out only because we had sent more requests
    than the server answers at once, so it does not count against `--retries`."""

    def __init__(self, message: str, kind: str = "failed", wait: float | None = None):
        super().__init__(message)
        self.kind = kind
        self.wait = wait
        self.free = False


class _Deadline(Exception):
    """The whole request ran past `--timeout` while its answer was still arriving."""


# Free retries per call after adaptive lowering; the gate halves each time, so a handful
# covers any slot count, and the bound keeps the loop finite whatever the server does.
_MAX_FREE_RETRIES = 8


class ChatClient:
    """Thread-safe: one instance serves all the pipeline's worker threads.

    Each request waits for a slot in the endpoint's shared gate (`demo2code/llm/gate.py`),
    then `config.timeout` bounds it whole, connect to last byte, and the answer may be at
    most `config.max_answer_bytes`. Retries 429, 5xx, time-outs, dropped connections and
    unreadable or oversized answers with capped exponential backoff plus jitter; 401, 403,
    404 and other 4xx fail at once, and so does a refused connection to a server that has
    never answered. The openai client's own retries are off, so every attempt is ours and
    counted in `attempts`. Running calls and totals go to `ACTIVITY` for the console.
    """

    def __init__(
        self,
        config: ModelConfig,
        transcript: Transcript | None = None,
        *,
        cache: ResponseCache | None = None,
        backoff_base: float = 1.0,
        backoff_cap: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        activity: Activity = ACTIVITY,
    ):
        if config.offline:
            raise ValueError(f"model {config.model!r} is answered offline; it needs no client")
        self.config = config
        self.transcript = transcript
        self.cache = cache or ResponseCache(config.resolved_cache_dir, config.cache_mode)
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.activity = activity
        self._sleep = sleep
        self._lock = threading.Lock()
        self._gate: Gate | None = None
        self.attempts = 0  # HTTP requests made, over all calls
        self._openai = openai.OpenAI(
            api_key=config.api_key,
            base_url=config.base_url,
            timeout=config.timeout,
            max_retries=0,
        )

    def close(self) -> None:
        self._openai.close()

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def gate(self) -> Gate:
        """The endpoint's shared gate, made (and the server's slots probed) on first use."""
        if self._gate is None:
            config = self.config
            probe = config.base_url is not None  # api.openai.com publishes no slot count
            self._gate = gate_for(config.endpoint, config.concurrency, probe=probe)
        return self._gate

    def complete(self, messages: list[dict[str, Any]], stage: str) -> Completion:
        """The model's answer to `messages` ("" when it answered nothing)."""
        start = time.monotonic()
        call = self.activity.begin(stage)
        result: Completion | None = None
        key = request_key(self.config, messages)
        try:
            hit = self.cache.get(key, what=f"stage {stage!r}")
            if hit is not None:
                result = _completion(hit, time.monotonic() - start, cached=True)
            else:
                answer = self._call_with_retries(messages, call)
                result = _completion(answer, time.monotonic() - start, cached=False)
                if answer.text:  # an empty answer may be a glitch: never replay it
                    self.cache.put(key, answer, self._request(messages))
        except ModelError as err:
            self._record(stage, messages, None, time.monotonic() - start, error=str(err))
            raise
        finally:
            self.activity.end(
                call,
                ok=result is not None,
                cached=bool(result and result.cached),
                prompt=result.prompt_tokens if result else 0,
                completion=result.completion_tokens if result else 0,
            )
        self._record(stage, messages, result, result.latency_s)
        return result

    # -- internals -----------------------------------------------------------------------
    def _request(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": self.config.model,
            "messages": messages,
            "temperature": self.config.temperature,
            "max_tokens": self.config.max_tokens,
        }
        if self.config.seed is not None:
            request["seed"] = self.config.seed
        return request

    def _call_with_retries(self, messages: list[dict[str, Any]], call: int) -> CachedAnswer:
        tries = self.config.max_retries + 1
        counted = free = 0
        while True:
            try:
                return self._call_once(messages, call, counted + free + 1)
            except _Retryable as err:
                if err.free and free < _MAX_FREE_RETRIES:
                    free += 1
                    continue  # the gate is smaller now: queue again on our side
                counted += 1
                if err.kind == "unreachable" and not self.gate.answered_once:
                    raise self._unreachable(err) from None
                if counted >= tries:
                    raise self._gave_up(err, counted + free) from None
                self._sleep(self._backoff(counted - 1, err.wait))

    def _backoff(self, attempt: int, server_wait: float | None) -> float:
        delay = min(self.backoff_cap, self.backoff_base * 2**attempt)
        delay *= 0.5 + random.random() / 2  # jitter spreads out threads that failed together
        if server_wait is not None:
            delay = max(delay, min(server_wait, self.backoff_cap))
        return delay

    def _call_once(self, messages: list[dict[str, Any]], call: int, attempt: int) -> CachedAnswer:
        gate = self.gate
        if attempt > 1:  # back in our queue: the live line must not keep counting "waiting"
            self.activity.update(call, state="queued", sent_at=None, received=0)
        with gate.slot() as ticket:
            with self._lock:
                self.attempts += 1
            self.activity.attempt_sent(call, attempt)
            try:
                body = self._send(messages, call, ticket.started + self.config.timeout)
            except _Retryable as err:
                if err.kind == "timeout":
                    err.free = self._timed_out(gate, ticket)
                raise
            gate.answered(ticket)
        return self._answer(body, messages)

    def _send(self, messages: list[dict[str, Any]], call: int, deadline: float) -> bytes:
        """The raw body of one request, read against `deadline` and the size cap."""
        timeout = self.config.timeout
        try:
            with self._openai.chat.completions.with_streaming_response.create(
                **self._request(messages), timeout=timeout
            ) as response:
                return self._read(response, call, deadline)
        except (openai.APITimeoutError, httpx2.TimeoutException, _Deadline) as err:
            raise _Retryable(f"no complete answer within {timeout:g}s", "timeout") from err
        except openai.APIConnectionError as err:
            cause = err.__cause__
            if isinstance(cause, httpx2.ConnectError):
                raise _Retryable(_one_line(cause), "unreachable") from err
            raise _Retryable(f"connection failed: {_one_line(cause or err)}") from err
        except httpx2.TransportError as err:  # raised while reading the body
            raise _Retryable(f"connection failed: {_one_line(err)}") from err
        except openai.APIStatusError as err:
            message = f"HTTP {err.status_code}: {_one_line(err)}"
            if err.status_code == 429 or err.status_code >= 500:
                raise _Retryable(message, wait=_retry_after(err)) from err
            raise self._refused(err, message) from None

    def _read(self, response: Any, call: int, deadline: float) -> bytes:
        cap = self.config.max_answer_bytes
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            self.activity.update(call, state="reading", received=size)
            if size > cap:
                raise _Retryable(
                    f"answer cut off past {cap} bytes (the server ignored max_tokens "
                    f"{self.config.max_tokens})"
                )
            if time.monotonic() > deadline:
                raise _Deadline()
        return b"".join(chunks)

    def _timed_out(self, gate: Gate, ticket: Ticket) -> bool:
        """Tell the gate; True when the time-out was our crowding, not the server's speed."""
        before = gate.limit
        limit = gate.timed_out(ticket, self.config.timeout)
        if limit is None:
            return False
        if limit < before:
            self.activity.notice(
                f"requests to {self.config.endpoint} time out while others wait on the "
                "server: sending fewer at a time (--concurrency N fixes the number)"
            )
        return True

    def _answer(self, body: bytes, messages: list[dict[str, Any]]) -> CachedAnswer:
        try:
            data = json.loads(body)
        except ValueError as err:
            raise _Retryable(f"unreadable answer: {_one_line(err)}") from err
        choices = data.get("choices") if isinstance(data, dict) else None
        if not isinstance(choices, list):
            raise _Retryable(f"unreadable answer: no choices in {body[:80]!r}")
        try:
            content = choices[0]["message"].get("content") if choices else ""
        except (KeyError, TypeError, AttributeError, IndexError) as err:
            raise _Retryable(f"unreadable answer: {_one_line(err)}") from err
        text = content if isinstance(content, str) else ""
        usage = data.get("usage")
        if isinstance(usage, dict) and isinstance(usage.get("prompt_tokens"), int):
            completion = usage.get("completion_tokens")
            return CachedAnswer(
                text, usage["prompt_tokens"], completion if isinstance(completion, int) else 0, True
            )
        model = self.config.model
        return CachedAnswer(
            text, count_message_tokens(messages, model), count_tokens(text, model), False
        )

    # -- one-line errors that say what to do ---------------------------------------------
    def _where(self) -> str:
        return f"{self.config.endpoint} (model {self.config.model!r})"

    def _unreachable(self, err: _Retryable) -> ModelError:
        fix = (
            "is the server running, and is --base-url (OPENAI_BASE_URL) right?"
            if self.config.base_url is not None
            else "check the network connection"
        )
        return ModelError(
            f"cannot reach the model server at {self.config.endpoint} ({err}); {fix}",
            "unreachable",
        )

    def _gave_up(self, err: _Retryable, attempts: int) -> ModelError:
        if err.kind == "timeout":
            return ModelError(
                f"{self._where()} is reachable but gave no complete answer within "
                f"{self.config.timeout:g}s ({attempts} attempts); allow more time with "
                "--timeout, ask for less with --max-tokens, or send one request at a time "
                "with --concurrency 1",
                "slow",
            )
        if err.kind == "unreachable":
            return self._unreachable(err)
        return ModelError(
            f"model call failed after {attempts} attempt(s) to {self.config.endpoint} "
            f"(model {self.config.model!r}): {err}"
        )

    def _refused(self, err: openai.APIStatusError, message: str) -> ModelError:
        if err.status_code in (401, 403):
            return ModelError(
                f"{self.config.endpoint} refused the API key ({message}); set OPENAI_API_KEY "
                "to a key it accepts",
                "auth",
            )
        if err.status_code == 404:
            served = self._served_models()
            if served:
                names = ", ".join(served[:20]) + (", ..." if len(served) > 20 else "")
                return ModelError(
                    f"model {self.config.model!r} is not served by {self.config.endpoint} "
                    f"({message}); it serves: {names}; pick one with --model",
                    "unknown_model",
                )
            return ModelError(
                f"{self.config.endpoint} has no model {self.config.model!r} or no chat "
                f"endpoint ({message}); check --model, and that --base-url ends in /v1",
                "unknown_model",
            )
        return ModelError(f"model call rejected by {self._where()}: {message}", "rejected")

    def _served_models(self) -> list[str]:
        """The server's model list, if it offers one (a short, single try)."""
        try:
            page = self._openai.models.list(timeout=min(5.0, self.config.timeout))
            return [str(m.id) for m in page.data][:100]
        except (openai.OpenAIError, httpx2.HTTPError, ValueError, AttributeError, TypeError):
            return []

    def _record(
        self,
        stage: str,
        messages: list[dict[str, Any]],
        result: Completion | None,
        latency: float,
        error: str | None = None,
    ) -> None:
        if self.transcript is None:
            return
        self.transcript.record(
            stage=stage,
            messages=messages,
            answer=result.text if result else None,
            prompt_tokens=result.prompt_tokens if result else 0,
            completion_tokens=result.completion_tokens if result else 0,
            latency_s=latency,
            cache_hit=bool(result and result.cached),
            error=error,
            model=self.config.model,
        )


def _completion(answer: CachedAnswer, latency: float, *, cached: bool) -> Completion:
    return Completion(
        text=answer.text,
        prompt_tokens=answer.prompt_tokens,
        completion_tokens=answer.completion_tokens,
        latency_s=latency,
        cached=cached,
        usage_reported=answer.usage_reported,
    )


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def _retry_after(err: openai.APIStatusError) -> float | None:
    value = err.response.headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


__all__ = ["CacheMiss", "ChatClient", "Completion", "ModelError"]
