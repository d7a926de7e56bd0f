from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from demo2code.llm.cache import CachedAnswer, ResponseCache, request_key
from demo2code.llm.config import ModelConfig
from demo2code.llm.errors import CacheMiss, ModelError

CONFIG = ModelConfig(model="m", base_url="http://127.0.0.1:1/v1", api_key="k")
MESSAGES = [{"role": "user", "content": "hi"}]
ANSWER = CachedAnswer("answer", 3, 1, True)


def test_key_is_stable_and_covers_each_field() -> None:
    key = request_key(CONFIG, MESSAGES)
    assert key == request_key(CONFIG, [dict(m) for m in MESSAGES])
    variants = [
        ModelConfig(model="m2", base_url=CONFIG.base_url),
        ModelConfig(model="m", base_url="http://127.0.0.1:2/v1"),
        ModelConfig(model="m", base_url=CONFIG.base_url, temperature=0.5),
        ModelConfig(model="m", base_url=CONFIG.base_url, max_tokens=7),
        ModelConfig(model="m", base_url=CONFIG.base_url, seed=None),
    ]
    keys = {request_key(v, MESSAGES) for v in variants}
    keys.add(request_key(CONFIG, [{"role": "user", "content": "hi!"}]))
    assert key not in keys and len(keys) == len(variants) + 1
    # the api key and the time-out do not change the answer, so they do not change the key
    same = ModelConfig(model="m", base_url=CONFIG.base_url, api_key="other", timeout=1)
    assert request_key(same, MESSAGES) == key


def test_modes(tmp_path: Path) -> None:
    key = request_key(CONFIG, MESSAGES)
    assert ResponseCache(tmp_path, "use").get(key) is None
    with pytest.raises(CacheMiss) as caught:
        ResponseCache(tmp_path, "only").get(key)
    assert isinstance(caught.value, ModelError) and "\n" not in str(caught.value)
    ResponseCache(tmp_path, "off").put(key, ANSWER)
    ResponseCache(tmp_path, "only").put(key, ANSWER)
    assert ResponseCache(tmp_path, "use").get(key) is None
    ResponseCache(tmp_path, "refresh").put(key, ANSWER)
    assert ResponseCache(tmp_path, "refresh").get(key) is None  # refresh never reads
    assert ResponseCache(tmp_path, "off").get(key) is None
    assert ResponseCache(tmp_path, "use").get(key) == ANSWER
    assert ResponseCache(tmp_path, "only").get(key) == ANSWER


def test_damaged_entry_is_a_miss_and_gets_replaced(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path, "use")
    key = request_key(CONFIG, MESSAGES)
    cache.path(key).parent.mkdir(parents=True)
    cache.path(key).write_text('{"format": 1, "text": ')
    assert cache.get(key) is None
    cache.put(key, ANSWER)
    assert cache.get(key) == ANSWER


def test_concurrent_writers_threads_and_processes(tmp_path: Path) -> None:
    key = request_key(CONFIG, MESSAGES)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from demo2code.llm.cache import CachedAnswer, ResponseCache\n"
        "cache = ResponseCache(Path(sys.argv[1]), 'use')\n"
        "for i in range(200):\n"
        "    cache.put(sys.argv[2], CachedAnswer('x' * 5000 + sys.argv[3], i, 1, True))\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path), key, str(n)])
        for n in range(3)
    ]
    cache = ResponseCache(tmp_path, "use")
    seen: list[CachedAnswer | None] = []

    def write_and_read(n: int) -> None:
        for i in range(200):
            cache.put(key, CachedAnswer("x" * 5000 + f"t{n}", i, 1, True))
            seen.append(cache.get(key))

    threads = [threading.Thread(target=write_and_read, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [proc.wait(timeout=60) for proc in procs] == [0, 0, 0]
    # every read saw a whole entry from some writer, never a torn one
    assert all(entry is not None and entry.text.startswith("x" * 5000) for entry in seen)
    assert len(list(tmp_path.rglob("*.json"))) == 1
    assert list(tmp_path.rglob("*.tmp")) == []
