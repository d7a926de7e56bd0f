"""The model options every command that may call a model takes, parsed in one place."""

from __future__ import annotations

import typer

from demo2code.errors import InputError
from demo2code.llm.config import ModelConfig
from demo2code.pipeline import Limits

ModelOpt = typer.Option(None, "--model", help="'symbolic' (offline, default) or a model name")
BaseUrlOpt = typer.Option(None, "--base-url", help="OpenAI-compatible endpoint (OPENAI_BASE_URL)")
CacheOpt = typer.Option(None, "--cache", help="use (default), refresh, only or off")
TemperatureOpt = typer.Option(None, "--temperature", help="sampling temperature (default 0)")
MaxTokensOpt = typer.Option(None, "--max-tokens", help="longest answer per call (default 1024)")
TimeoutOpt = typer.Option(
    None, "--timeout", help="seconds for a whole request, connect to last byte (default 120)"
)
RetriesOpt = typer.Option(None, "--retries", help="tries after a failed one (default 4)")
ConcurrencyOpt = typer.Option(
    None, "--concurrency",
    help="requests at once (default: the server's slot count where it tells, else 4, "
    "lowered when requests time out)",
)  # fmt: skip
PriceInOpt = typer.Option(None, "--price-in", help="$ per million prompt tokens: adds a cost")
PriceOutOpt = typer.Option(None, "--price-out", help="$ per million completion tokens: adds a cost")
TokenBudgetOpt = typer.Option(
    None, "--token-budget",
    help="most tokens of demonstration text per call (default 3000); lower it for models "
    "with a small context window, longer text is summarized in chunks",
)  # fmt: skip


def model_config(
    model: str | None,
    base_url: str | None,
    cache: str | None,
    temperature: float | None,
    max_tokens: int | None,
    timeout: float | None,
    *,
    retries: int | None = None,
    concurrency: int | None = None,
) -> ModelConfig:
    return ModelConfig.from_options(
        model, base_url, None, cache,
        temperature=temperature, max_tokens=max_tokens, timeout=timeout,
        max_retries=retries, concurrency=concurrency,
    )  # fmt: skip


def prices(price_in: float | None, price_out: float | None) -> tuple[float, float] | None:
    """($ per million prompt tokens, $ per million completion tokens), or None."""
    if price_in is None and price_out is None:
        return None
    for option, value in (("--price-in", price_in), ("--price-out", price_out)):
        if value is not None and not value >= 0:
            raise InputError(option, repr(value), "dollars per million tokens, at least 0")
    return (price_in or 0.0, price_out or 0.0)


def pipeline_limits(token_budget: int | None) -> Limits | None:
    if token_budget is None:
        return None
    if token_budget < 50:
        raise InputError("--token-budget", str(token_budget), "expected at least 50 tokens")
    return Limits(token_budget=token_budget)
