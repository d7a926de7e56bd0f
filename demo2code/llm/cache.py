"""Persistent answer cache: identical requests are answered from disk, so reruns are free
and reproducible. One JSON file per entry, written atomically, so concurrent threads and
processes may share a directory without locks."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from demo2code.llm.config import CacheMode, ModelConfig
from demo2code.llm.errors import CacheMiss

FORMAT = 1  # bump when the key or entry layout changes, so old entries are simply missed


def request_key(config: ModelConfig, messages: list[dict[str, Any]]) -> str:
    """sha256 of everything that decides the answer (not the key, timeout or retries)."""
    request = {
        "format": FORMAT,
        "model": config.model,
        "base_url": config.endpoint,
        "messages": messages,
        "temperature": config.temperature,
        "max_tokens": config.max_tokens,
        "seed": config.seed,
    }
    blob = json.dumps(request, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CachedAnswer:
    text: str
    prompt_tokens: int
    completion_tokens: int
    usage_reported: bool


class ResponseCache:
    """Reads and writes entries according to the mode: use, refresh, only, off."""

    def __init__(self, directory: Path, mode: CacheMode = "use"):
        self.directory = Path(directory)
        self.mode = mode

    def path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str, *, what: str = "request") -> CachedAnswer | None:
        """The cached answer, or None when the mode skips reading or nothing is stored.

        In `only` mode a miss raises `CacheMiss` instead of returning None.
        """
        if self.mode in ("off", "refresh"):
            return None
        entry = self._read(self.path(key))
        if entry is None and self.mode == "only":
            raise CacheMiss(
                f"no cached answer for {what} (key {key[:12]}) in {self.directory} "
                "and --cache only forbids calling the model"
            )
        return entry

    def put(self, key: str, answer: CachedAnswer, request: dict[str, Any] | None = None) -> None:
        """Store an answer (no-op in `off` and `only` modes)."""
        if self.mode in ("off", "only"):
            return
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        entry = {
            "format": FORMAT,
            "key": key,
            "text": answer.text,
            "prompt_tokens": answer.prompt_tokens,
            "completion_tokens": answer.completion_tokens,
            "usage_reported": answer.usage_reported,
            "request": request,
        }
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{key[:12]}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entry, handle, ensure_ascii=False)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)  # atomic: readers see the old file or the whole new one
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @staticmethod
    def _read(path: Path) -> CachedAnswer | None:
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if entry.get("format") != FORMAT:
                return None
            return CachedAnswer(
                text=str(entry["text"]),
                prompt_tokens=int(entry["prompt_tokens"]),
                completion_tokens=int(entry["completion_tokens"]),
                usage_reported=bool(entry["usage_reported"]),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # a damaged entry is a miss; the next write replaces it
