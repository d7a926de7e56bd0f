"""Model settings, parsed once from options and environment variables into typed values."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

from demo2code.errors import InputError

CacheMode = Literal["use", "refresh", "only", "off"]
CACHE_MODES: tuple[str, ...] = CacheMode.__args__  # type: ignore[attr-defined]
SYMBOLIC = "symbolic"
PROVIDERS = ("openai",)
OPENAI_URL = "https://api.openai.com/v1"
# Local servers (llama.cpp, vLLM, Ollama) ignore the key, but the client insists on one.
LOCAL_API_KEY = "not-needed"


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """`~/.cache/demo2code/llm`, or under `$XDG_CACHE_HOME` when the user set one."""
    env = os.environ if env is None else env
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "demo2code" / "llm"


@dataclass(frozen=True)
class ModelConfig:
    """Which model answers, where it lives, and how calls are made and cached."""

    model: str = SYMBOLIC
    base_url: str | None = None
    api_key: str | None = None
    temperature: float = 0.0
    max_tokens: int = 1024
    seed: int | None = 0
    timeout: float = 120.0  # the whole request, connect to last byte, once it is sent
    max_retries: int = 4
    cache_mode: CacheMode = "use"
    cache_dir: Path | None = None
    concurrency: int | None = None  # requests at once; None: adaptive (demo2code/llm/gate.py)

    @property
    def offline(self) -> bool:
        """The symbolic reasoner answers every stage itself and never calls a model."""
        return self.model == SYMBOLIC

    @property
    def endpoint(self) -> str:
        """The base URL requests go to, for messages and cache keys."""
        return (self.base_url or OPENAI_URL).rstrip("/")

    @property
    def max_answer_bytes(self) -> int:
        """The largest answer body read: ten times `max_tokens` worth of text (about four
        bytes a token) plus room for the JSON around it. A server that ignores `max_tokens`
        is cut off here instead of being read for minutes."""
        return 40 * self.max_tokens + 65536

    @property
    def resolved_cache_dir(self) -> Path:
        return self.cache_dir if self.cache_dir is not None else default_cache_dir()

    @classmethod
    def from_options(
        cls,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        cache: str | None = None,
        *,
        cache_dir: str | Path | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        seed: int | None = 0,
        timeout: float | None = None,
        max_retries: int | None = None,
        concurrency: int | None = None,
        env: Mapping[str, str] | None = None,
    ) -> ModelConfig:
        """Options win over environment variables (`DEMO2CODE_MODEL`, `OPENAI_BASE_URL`,
        `OPENAI_API_KEY`, `DEMO2CODE_CACHE_DIR`), which win over defaults."""
        env = os.environ if env is None else env
        model_src = "--model" if model is not None else "DEMO2CODE_MODEL"
        model = model if model is not None else env.get("DEMO2CODE_MODEL") or SYMBOLIC
        base_url = base_url if base_url is not None else env.get("OPENAI_BASE_URL") or None
        api_key = api_key if api_key is not None else env.get("OPENAI_API_KEY") or None
        if base_url is not None:
            base_url = _parse_url(base_url)
        name = _parse_model(model, model_src, has_base_url=base_url is not None)
        mode = _parse_cache_mode(cache if cache is not None else "use")
        if cache_dir is None and env.get("DEMO2CODE_CACHE_DIR"):
            cache_dir = env["DEMO2CODE_CACHE_DIR"]
        directory = Path(cache_dir).expanduser() if cache_dir is not None else None
        if directory is None:
            directory = default_cache_dir(env)
        if api_key is None and base_url is not None:
            api_key = LOCAL_API_KEY
        if api_key is None and name != SYMBOLIC and mode != "only":
            raise InputError(
                "OPENAI_API_KEY",
                "not set",
                f"an API key for model {name!r}, or --base-url for a local server",
            )
        defaults = cls()
        return cls(
            model=name,
            base_url=base_url,
            api_key=api_key,
            temperature=_number(
                "--temperature", temperature, defaults.temperature, low=0.0, high=2.0
            ),
            max_tokens=int(
                _number("--max-tokens", max_tokens, defaults.max_tokens, low=1, integer=True)
            ),
            seed=seed,
            timeout=_number("--timeout", timeout, defaults.timeout, low=0.0, strict=True),
            max_retries=int(
                _number("--retries", max_retries, defaults.max_retries, low=0, integer=True)
            ),
            concurrency=(
                None
                if concurrency is None
                else int(_number("--concurrency", concurrency, 1, low=1, integer=True))
            ),
            cache_mode=mode,
            cache_dir=directory,
        )


def _parse_model(model: str, source: str, *, has_base_url: bool) -> str:
    """Strip a known provider prefix (`openai:gpt-4o-mini`).

    A name with an unknown prefix is accepted only with a custom endpoint, because local
    servers use colons in their own names (Ollama's `llama3:8b`).
    """
    model = model.strip()
    if not model:
        raise InputError(source, "empty model name", f"{SYMBOLIC!r} or a model name")
    prefix, sep, rest = model.partition(":")
    if not sep:
        return model
    if prefix in PROVIDERS:
        if not rest:
            raise InputError(source, repr(model), "a model name after 'openai:'")
        return rest
    if has_base_url:
        return model
    raise InputError(
        source,
        f"unknown provider prefix {prefix!r} in {model!r}",
        f"{SYMBOLIC!r}, 'openai:NAME', or a name served by --base-url",
    )


def _parse_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise InputError("--base-url", repr(url), "an http:// or https:// URL")
    return url


def _parse_cache_mode(mode: str) -> CacheMode:
    if mode not in CACHE_MODES:
        raise InputError("--cache", repr(mode), f"one of {', '.join(CACHE_MODES)}")
    return cast(CacheMode, mode)


def _number(
    option: str,
    value: float | None,
    default: float,
    *,
    low: float,
    high: float = math.inf,
    strict: bool = False,
    integer: bool = False,
) -> float:
    if value is None:
        return default
    kind = "a whole number" if integer else "a number"
    allowed = int if integer else int | float
    if isinstance(value, bool) or not isinstance(value, allowed) or math.isnan(value):
        raise InputError(option, repr(value), kind)
    too_low = value <= low if strict else value < low
    if too_low or value > high:
        bound = f"greater than {low:g}" if strict else f"at least {low:g}"
        if high != math.inf:
            bound += f" and at most {high:g}"
        raise InputError(option, repr(value), f"{kind} {bound}")
    return value
