"""Pipeline bench: calls and tokens per stage for every method on one demonstration, and
wall time against a scripted server that adds a fixed delay to every answer, serial vs
concurrent, compared with the chain of calls that must wait for each other.

Usage: python benchmarks/bench_pipeline.py [DEMO.json] [--delay 0.5]
Without DEMO it uses a synthetic two-scenario demonstration.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path
from typing import Any

from demo2code.demo_text import load_demonstration
from demo2code.demos import Change, Demonstration, Scenario, Step
from demo2code.llm.client import ChatClient
from demo2code.llm.config import ModelConfig
from demo2code.llm.scripted_server import ScriptedServer
from demo2code.pipeline import METHODS, Synthesis, synthesize
from demo2code.reasoners.base import StageContext
from demo2code.reasoners.prompted import PromptedReasoner

API = frozenset({"get_all_obj_names_that_match_type", "move", "pick_up", "place", "noop"})
CTX = StageContext("robotouille", "(API reference)", API)
HELPERS = {  # a two-level helper tree with siblings at each depth
    "prepare": "def prepare(x):\n    fetch(x)\n    work_on(x)",
    "finish": "def finish(x):\n    fetch(x)\n    noop()",
    "fetch": "def fetch(x):\n    pick_up(x, 'table1')",
    "work_on": "def work_on(x):\n    place(x, 'board1')",
}
MAIN = "x = get_all_obj_names_that_match_type('onion')[0]\nprepare(x)\nfinish(x)"


def respond(messages: list[dict[str, Any]]) -> str:
    """Answers each stage by its template's wording (see prompts/robotouille)."""
    prompt = next(m["content"] for m in messages if m["role"] == "user")
    if "at summary level" in prompt:
        level = int(re.search(r"at summary level (\d+)", prompt).group(1))  # type: ignore[union-attr]
        enough = "yes" if level >= 1 else "no"
        return f"* summary at level {level + 1}\nSummarized enough: {enough}"
    if "You are writing a Python program" in prompt:
        name = re.search(r"Define the function `(\w+)`", prompt).group(1)  # type: ignore[union-attr]
        return f"```python\n{HELPERS[name]}\n```"
    if "Write a Python program for a cooking robot" in prompt:
        return f"```python\n{MAIN}\n```"
    if "Write Python code" in prompt:
        return f"```python\n{MAIN}\n```"
    if "Below is one scenario: for each state" in prompt:
        return "* At state 2, the robot moved."
    return "Do the task.\nSpecifically:\nPrepare the onion.\nFinish it."


def synthetic_demo() -> Demonstration:
    scenarios = []
    for s in range(2):
        steps = [
            Step(None, [Change("at", ("robot1", f"table{i + s}"), False),
                        Change("at", ("robot1", f"table{i + s + 1}"), True)])
            for i in range(8)
        ]  # fmt: skip
        scenarios.append(Scenario(seed=100 + s, steps=steps))
    return Demonstration("robotouille", "bench", "Prepare the onion.", scenarios)


def chain_length(result: Synthesis) -> int:
    """Calls that must wait for each other: the deepest summary, each sequential stage, and
    one define per expansion depth."""
    levels = max((len(s.levels) for s in result.summaries), default=0)
    sequential = {"specify", "write_code", "code_from_demos", "spec_from_demos"}
    stages = {r.stage for r in result.records}
    depths = {r.input.split(":", 1)[0] for r in result.records if r.stage == "define"}
    return levels + len(stages & sequential) + len(depths)  # low-level actions: one level


def run(
    method: str, demo: Demonstration, base_url: str, concurrency: int
) -> tuple[Synthesis, float]:
    config = ModelConfig(model="bench", base_url=base_url, api_key="x", cache_mode="off")
    with ChatClient(config) as client:
        reasoner = PromptedReasoner(client)
        spec = "Prepare the onion.\nSpecifically:\nPrepare it." if method == "spec2code" else None
        start = time.monotonic()
        result = synthesize(method, demo, None, spec, CTX, reasoner, concurrency=concurrency)
        return result, time.monotonic() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("demo", nargs="?", type=Path)
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    demo = load_demonstration(args.demo) if args.demo else synthetic_demo()
    print(f"demonstration: {args.demo or 'synthetic'} ({len(demo.scenarios)} scenarios)")

    with ScriptedServer(responder=respond) as fast:
        print("\ncalls and tokens per stage (one task; calls/tokens)")
        for method in METHODS:
            result, _ = run(method, demo, fast.base_url, args.concurrency)
            stages = ", ".join(
                f"{stage} {row['calls']}/{row['tokens']}"
                for stage, row in result.by_stage().items()
            )
            status = "FAILED " + str(result.error) if result.failed else "ok"
            totals = f"calls {result.calls:3d}  tokens {result.tokens:6d}"
            print(f"  {method:16s} {totals}  [{stages}]  {status}")

    columns = f"serial / concurrent {args.concurrency} / chain"
    print(f"\nwall time with {args.delay:g}s per answer ({columns})")
    worst = 0.0
    with ScriptedServer(responder=respond, delay=args.delay) as slow:
        for method in METHODS:
            serial, t_serial = run(method, demo, slow.base_url, 1)
            _, t_conc = run(method, demo, slow.base_url, args.concurrency)
            chain = chain_length(serial) * args.delay
            ratio = t_conc / chain if chain else float("nan")
            worst = max(worst, ratio)
            print(f"  {method:16s} {t_serial:6.2f}s / {t_conc:6.2f}s / {chain:5.2f}s  "
                  f"concurrent/chain = {ratio:4.2f}")  # fmt: skip
    print(f"\nworst concurrent/chain ratio: {worst:.2f} (target <= 1.20)")
    return 0 if worst <= 1.2 else 1


if __name__ == "__main__":
    sys.exit(main())
