"""A run directory on disk: its settings, the append-only results, the saved programs.

Layout of `runs/NAME/`:
  run.json                    the settings that define the run (checked on resume)
  results.jsonl               one row per (variant, seed), appended the moment it is done
  programs/<variant>.py       the program that was run, after a comment header naming its
                              variant, method, model and spec
  programs/<variant>.json     how it was made: method, spec, summaries, records, cost
  programs/<variant>.transcript.jsonl   raw model calls (prompted reasoners only)
  summary.json, results.md, plots/*.png   derived, rewritten at the end of every run
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from demo2code.errors import InputError

RUN_FILE = "run.json"
RESULTS_FILE = "results.jsonl"
ROW_KEYS = ("variant", "seed")  # what makes a line of results.jsonl a row
PROGRAMS_DIR = "programs"
# Settings that must match to resume a run; the rest (workers, cache, tasks, seeds) may differ.
IDENTITY_KEYS = (
    "benchmark", "method", "model", "noise", "noise_seed", "temperature", "max_tokens",
)  # fmt: skip


def check_run_config(out_dir: Path, config: dict[str, Any]) -> None:
    """Record the run's identity on first use; refuse to mix a different run into it."""
    path = out_dir / RUN_FILE
    if path.is_file():
        try:
            stored = json.loads(path.read_text())
        except json.JSONDecodeError as err:
            raise InputError(str(path), f"line {err.lineno}", "valid JSON") from None
        for key in IDENTITY_KEYS:
            if stored.get(key) != config.get(key):
                raise InputError(
                    str(out_dir),
                    key,
                    f"this directory holds a run with {key}={stored.get(key)!r}, not "
                    f"{config.get(key)!r}; use another --out or the same settings",
                )
        return
    if (out_dir / RESULTS_FILE).exists():
        raise InputError(str(out_dir), RUN_FILE, "missing next to results.jsonl (not a run dir?)")
    out_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps({k: config.get(k) for k in IDENTITY_KEYS}, indent=1) + "\n")


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}.{threading.get_ident()}")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class ResultsLog:
    """Append-only JSONL. Each row is one `write` of a whole line plus fsync, so an
    interrupt or kill can at worst lose the row being written, never damage earlier ones."""

    def __init__(self, path: Path, required: tuple[str, ...] = ()):
        self.path = path
        self.required = required  # keys a line must have to count as a row
        self._lock = threading.Lock()
        self.set_aside: list[int] = []  # line numbers moved to the .corrupt file

    @property
    def corrupt_path(self) -> Path:
        return self.path.with_name(self.path.name + ".corrupt")

    def read(self) -> list[dict[str, Any]]:
        """Every valid row. A line that is not a JSON object (a torn write at the end, or
        damage anywhere) is moved to `results.jsonl.corrupt` with its line number, so the
        rows before and after it survive and the damaged episode is run again."""
        if not self.path.is_file():
            return []
        data = self.path.read_bytes()
        rows, kept, bad = [], [], []
        for number, line in enumerate(data.splitlines(keepends=True), start=1):
            row = _row(line, self.required)
            if row is None:
                bad.append((number, line))
            else:
                rows.append(row)
                kept.append(line)
        if bad:
            with self._lock:
                with open(self.corrupt_path, "ab") as fh:
                    for number, line in bad:
                        fh.write(f"# line {number}\n".encode() + line.rstrip(b"\n") + b"\n")
                write_atomic(self.path, b"".join(kept).decode("utf-8"))
            self.set_aside += [number for number, _ in bad]
        return rows

    def append(self, row: dict[str, Any]) -> None:
        data = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)


def _row(line: bytes, required: tuple[str, ...]) -> dict[str, Any] | None:
    if not line.endswith(b"\n"):
        return None
    try:
        row = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return row if isinstance(row, dict) and all(k in row for k in required) else None


def program_paths(out_dir: Path, variant: str) -> tuple[Path, Path, Path]:
    """(program .py, generation record .json, transcript .jsonl) of one variant."""
    base = out_dir / PROGRAMS_DIR
    return base / f"{variant}.py", base / f"{variant}.json", base / f"{variant}.transcript.jsonl"


def load_generation(out_dir: Path, variant: str) -> dict[str, Any] | None:
    """The saved generation record, or None if this variant was never generated. The
    record is written last, so its presence means the program file is complete."""
    _, record_path, _ = program_paths(out_dir, variant)
    if not record_path.is_file():
        return None
    try:
        return json.loads(record_path.read_text())
    except json.JSONDecodeError:
        return None


def save_generation(
    out_dir: Path, variant: str, program: str | None, record: dict, header: str = ""
) -> None:
    """The program file (`header` first: comment lines for a reader) and its record. The
    record's `program` is what ran and was scored; the file's header is never part of it."""
    code_path, record_path, _ = program_paths(out_dir, variant)
    if program is not None:
        write_atomic(code_path, header + program)
    write_atomic(record_path, json.dumps(record, indent=1, ensure_ascii=False) + "\n")
