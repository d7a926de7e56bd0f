"""The only module that talks to a model: an OpenAI-compatible chat client with our own
retries, the answer cache and the transcript. `openai` is imported here and nowhere else."""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from typing import Any

import openai

from demo2code.llm.cache import CachedAnswer, ResponseCache, request_key
from demo2code.llm.completion import Completion
from demo2code.llm.config import ModelConfig
from demo2code.llm.errors import CacheMiss, ModelError
from demo2code.llm.tokens import count_message_tokens, count_tokens
from demo2code.llm.transcript import Transcript


class _Retryable(Exception):
    """A transient failure worth another try; `wait` is the server's Retry-After, if any."""

    def __init__(self, message: str, wait: float | None = None):
        super().__init__(message)
        self.wait = wait


class ChatClient:
    """Thread-safe: one instance serves all the pipeline's worker threads.

    Retries 429, 5xx, time-outs, dropped connections and unreadable answers with capped
    exponential backoff plus jitter; other 4xx fail at once. The openai client's own
    retries are off, so every attempt is ours and counted in `attempts`.
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
    ):
        if config.offline:
            raise ValueError(f"model {config.model!r} is answered offline; it needs no client")
        self.config = config
        self.transcript = transcript
        self.cache = cache or ResponseCache(config.resolved_cache_dir, config.cache_mode)
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._sleep = sleep
        self._lock = threading.Lock()
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

    def complete(self, messages: list[dict[str, Any]], stage: str) -> Completion:
        """The model's answer to `messages` ("" when it answered nothing)."""
        start = time.monotonic()
        key = request_key(self.config, messages)
        try:
            hit = self.cache.get(key, what=f"stage {stage!r}")
            if hit is not None:
                result = _completion(hit, time.monotonic() - start, cached=True)
            else:
                answer = self._call_with_retries(messages)
                result = _completion(answer, time.monotonic() - start, cached=False)
                if answer.text:  # an empty answer may be a glitch: never replay it
                    self.cache.put(key, answer, self._request(messages))
        except ModelError as err:
            self._record(stage, messages, None, time.monotonic() - start, error=str(err))
            raise
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

    def _call_with_retries(self, messages: list[dict[str, Any]]) -> CachedAnswer:
        tries = self.config.max_retries + 1
        last = "no attempt made"
        for attempt in range(tries):
            try:
                return self._call_once(messages)
            except _Retryable as err:
                last = str(err)
                if attempt + 1 < tries:
                    self._sleep(self._backoff(attempt, err.wait))
        raise ModelError(
            f"model call failed after {tries} attempt(s) to {self.config.endpoint} "
            f"(model {self.config.model!r}): {last}"
        )

    def _backoff(self, attempt: int, server_wait: float | None) -> float:
        delay = min(self.backoff_cap, self.backoff_base * 2**attempt)
        delay *= 0.5 + random.random() / 2  # jitter spreads out threads that failed together
        if server_wait is not None:
            delay = max(delay, min(server_wait, self.backoff_cap))
        return delay

    def _call_once(self, messages: list[dict[str, Any]]) -> CachedAnswer:
        with self._lock:
            self.attempts += 1
        try:
            response = self._openai.chat.completions.create(**self._request(messages))
        except openai.APITimeoutError as err:
            raise _Retryable(f"timed out after {self.config.timeout:g}s") from err
        except openai.APIConnectionError as err:
            raise _Retryable(f"connection failed: {_one_line(err)}") from err
        except openai.APIStatusError as err:
            message = f"HTTP {err.status_code}: {_one_line(err)}"
            if err.status_code == 429 or err.status_code >= 500:
                raise _Retryable(message, _retry_after(err)) from err
            raise ModelError(
                f"model call rejected by {self.config.endpoint} "
                f"(model {self.config.model!r}): {message}"
            ) from err
        except (openai.APIResponseValidationError, json.JSONDecodeError, ValueError) as err:
            raise _Retryable(f"unreadable answer: {_one_line(err)}") from err
        return self._answer(response, messages)

    def _answer(self, response: Any, messages: list[dict[str, Any]]) -> CachedAnswer:
        choices = getattr(response, "choices", None)
        if not isinstance(choices, list):
            raise _Retryable(f"unreadable answer: no choices in {str(response)[:80]!r}")
        text = (choices[0].message.content or "") if choices else ""
        usage = getattr(response, "usage", None)
        if usage is not None and usage.prompt_tokens is not None:
            return CachedAnswer(
                text, int(usage.prompt_tokens), int(usage.completion_tokens or 0), True
            )
        model = self.config.model
        return CachedAnswer(
            text, count_message_tokens(messages, model), count_tokens(text, model), False
        )

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
