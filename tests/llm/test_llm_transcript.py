from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from demo2code.llm.transcript import Transcript, read_transcript


def test_rows_are_on_disk_as_soon_as_written(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "t.jsonl"
    transcript = Transcript(path)
    transcript.record(stage="spec", messages=[{"role": "user", "content": "é"}], answer="ok")
    rows = read_transcript(path)  # no close or flush needed
    assert len(rows) == 1
    row = rows[0]
    assert row["stage"] == "spec" and row["answer"] == "ok" and row["error"] is None
    assert row["messages"][0]["content"] == "é"
    assert {"timestamp", "prompt_tokens", "completion_tokens", "latency_s", "cache_hit"} <= set(row)


def test_appends_across_instances_and_processes(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    Transcript(path).record(stage="a", messages=[], answer="1")
    script = (
        "import sys\n"
        "from demo2code.llm.transcript import Transcript\n"
        "t = Transcript(sys.argv[1])\n"
        "for i in range(100):\n"
        "    t.record(stage='p' + sys.argv[2], messages=[], answer='y' * 20000)\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(path), str(n)]) for n in range(2)]
    transcript = Transcript(path)
    with ThreadPoolExecutor(8) as pool:
        list(
            pool.map(
                lambda i: transcript.record(stage="t", messages=[], answer="z" * (i * 300)),
                range(100),
            )
        )
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]  # every line is a whole JSON row
    assert rows[0]["stage"] == "a"
    stages = [r["stage"] for r in rows]
    assert (stages.count("t"), stages.count("p0"), stages.count("p1")) == (100, 100, 100)
