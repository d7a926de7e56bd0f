"""Append-only JSONL record of every model call, so a run can be audited afterwards."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any


class Transcript:
    """One JSON row per call; each row is written in one piece, straight to the file."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def record(
        self,
        *,
        stage: str,
        messages: list[dict[str, Any]],
        answer: str | None,
        prompt_tokens: int = 0,
        completion_tokens: int = 0,
        latency_s: float = 0.0,
        cache_hit: bool = False,
        error: str | None = None,
        model: str | None = None,
    ) -> None:
        row = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "stage": stage,
            "model": model,
            "messages": messages,
            "answer": answer,
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "latency_s": round(latency_s, 6),
            "cache_hit": cache_hit,
            "error": error,
        }
        data = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # One O_APPEND write per row: rows from other processes never interleave, and
            # no file handle stays open between calls.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                written = os.write(fd, data)
                while written < len(data):
                    written += os.write(fd, data[written:])
            finally:
                os.close(fd)


def read_transcript(path: str | Path) -> list[dict[str, Any]]:
    """All rows of a transcript file, in the order they were written."""
    text = Path(path).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]
