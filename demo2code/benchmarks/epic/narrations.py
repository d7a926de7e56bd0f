"""Reading EPIC-KITCHENS-100 narration rows (the official 15-column CSV layout)."""

from __future__ import annotations

import ast
import csv
from dataclasses import dataclass
from pathlib import Path

from demo2code.errors import InputError, UnknownName

COLUMNS = ("narration_id", "video_id", "narration", "verb", "verb_class", "noun", "all_nouns")


@dataclass(frozen=True)
class Narration:
    id: str  # e.g. P22_07_363
    number: int  # 363
    text: str  # "rinse cutting board"
    verb: str  # "rinse"
    verb_class: int
    noun: str  # "board:cutting"
    all_nouns: tuple[str, ...]


def parse_segment(segment: str | None, source: str = "--segment") -> tuple[int, int] | None:
    """`"363-394"` -> (363, 394): narration numbers within the video, both ends included."""
    if segment is None:
        return None
    start, sep, end = segment.partition("-")
    if not sep or not start.strip().isdigit() or not end.strip().isdigit():
        raise InputError(source, segment, "expected START-END narration numbers, e.g. 363-394")
    a, b = int(start), int(end)
    if a > b:
        raise InputError(source, segment, "expected START <= END")
    return a, b


def read_narrations(
    csv_path: Path | str, video: str, segment: tuple[int, int] | None = None
) -> list[Narration]:
    """The rows of `video` (optionally only narration numbers in `segment`), in file order."""
    path = Path(csv_path)
    try:
        handle = path.open(newline="")
    except FileNotFoundError:
        raise InputError(str(path), "file", "not found") from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(str(path), "header", f"expected columns {', '.join(missing)}")
        videos: set[str] = set()
        out = []
        for line, row in enumerate(reader, start=2):
            videos.add(row["video_id"])
            if row["video_id"] != video:
                continue
            out.append(_row(row, str(path), line))
    if not out:
        raise UnknownName("video", video, videos)
    if segment is not None:
        out = [n for n in out if segment[0] <= n.number <= segment[1]]
        if not out:
            raise InputError(str(path), f"{video} {segment[0]}-{segment[1]}", "no rows in segment")
    return out


def _row(row: dict[str, str], src: str, line: int) -> Narration:
    nid = row["narration_id"]
    number = nid.rpartition("_")[2]
    if not number.isdigit():
        raise InputError(src, f"line {line} narration_id", "expected <video>_<n>")
    try:
        verb_class = int(row["verb_class"])
    except ValueError:
        raise InputError(src, f"line {line} verb_class", "expected an integer") from None
    try:
        nouns = ast.literal_eval(row["all_nouns"] or "[]")
    except (ValueError, SyntaxError):
        raise InputError(src, f"line {line} all_nouns", "expected a list like ['plate']") from None
    if not isinstance(nouns, list) or not all(isinstance(n, str) for n in nouns):
        raise InputError(src, f"line {line} all_nouns", "expected a list of strings")
    return Narration(
        nid, int(number), row["narration"], row["verb"], verb_class, row["noun"], tuple(nouns)
    )
