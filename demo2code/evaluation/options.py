"""Parsing of the evaluation options that are not plain types (seed ranges, worker counts)."""

from __future__ import annotations

import re

from demo2code.errors import InputError

_RANGE = re.compile(r"^(\d+)\s*-\s*(\d+)$")
SEEDS_EXPECTED = "a range like 0-9, a list like 0,3,5, or both (0-4,7)"
MAX_SEEDS = 100_000


def parse_seeds(text: str, option: str = "--seeds") -> list[int]:
    """`0-9`, `0,3,5` or `0-4,7` -> sorted unique seeds; anything else is bad input (the
    error names `option`: --seeds, or --noise-seeds, which takes the same forms)."""
    seeds: set[int] = set()
    parts = [p.strip() for p in text.split(",")]
    if not text.strip() or any(not p for p in parts):
        raise InputError(option, repr(text), SEEDS_EXPECTED)
    for part in parts:
        match = _RANGE.match(part)
        if match:
            low, high = int(match.group(1)), int(match.group(2))
            if low > high:
                raise InputError(option, repr(text), f"{SEEDS_EXPECTED}; {part} is empty")
            if high - low >= MAX_SEEDS:
                raise InputError(option, repr(text), f"at most {MAX_SEEDS} seeds")
            seeds.update(range(low, high + 1))
        elif part.isdigit():
            seeds.add(int(part))
        else:
            raise InputError(option, repr(text), SEEDS_EXPECTED)
    return sorted(seeds)


def check_workers(workers: int) -> int:
    if workers < 1:
        raise InputError("--workers", repr(workers), "a whole number of at least 1")
    return workers


def noise_seed_list(noise_seed: int | None, noise_seeds: str | None) -> list[int]:
    """`--noise-seed N` (one seed, 0 by default) or `--noise-seeds 0-4`, not both."""
    if noise_seeds is None:
        return [0 if noise_seed is None else noise_seed]
    if noise_seed is not None:
        raise InputError("--noise-seed", str(noise_seed), "left out when --noise-seeds is given")
    return parse_seeds(noise_seeds, "--noise-seeds")
