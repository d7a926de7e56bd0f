"""Mutation testing of the code that decides verdicts and figures (`make mutate`).

Runs mutmut (pinned in the test extra) one module at a time, each with only the fast unit
tests that concern it, in a scratch copy under build/mutation/work/<module>/ (mutmut writes
its `mutants/` tree there, never in the checkout). Writes, per module and overall:

  build/mutation/<module>.json   every mutant with its status, file:line and diff
  build/mutation/report.md       score per module and the surviving mutants (file:line)

Score = killed / (mutants - equivalent - unchecked), where equivalent mutants are the ones
listed in tests/MUTATION.md (a line starting with "- `<mutant name>`") and unchecked ones
were not reached within the time box (reported, so a partial run is visible). Timeouts
count as killed (the mutant made the code loop), "no tests" as survived (nothing checks
that line).

Usage:
  python tools/mutate.py                           # every module in MODULES
  python tools/mutate.py demo2code/noise.py        # one module (or several)
  python tools/mutate.py --report                  # rewrite report.md from the .json files
Options: --max-children N (default 2), --time-box SECONDS per module (default 900).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "mutation"
EQUIVALENT_FILE = ROOT / "tests" / "MUTATION.md"
COPIED = ("demo2code", "robotouille", "tests", "data", "prompts")

# module -> the fast tests that judge it (mutmut then runs, per mutant, only those of them
# that call the mutated function).
MODULES: dict[str, list[str]] = {
    "demo2code/sandbox/validate.py": ["tests/sandbox/test_validate.py"],
    "demo2code/sandbox/protocol.py": ["tests/sandbox/test_protocol_text.py"],
    "demo2code/sandbox/text.py": ["tests/sandbox/test_protocol_text.py"],
    "demo2code/sandbox/runner.py": ["tests/sandbox/test_run.py", "tests/sandbox/test_hostile.py"],
    "demo2code/benchmarks/trace_check.py": ["tests/rules/test_trace_check_rules.py"],
    "robotouille/env.py": [
        "tests/rules/test_robotouille_env_rules.py",
        "tests/rules/test_robotouille_domain_rules.py",
        "tests/robotouille/test_rt_simulator.py",
    ],
    # not Python: tools/mutate.py drops or negates one literal of an action at a time
    "robotouille/domain.pddl": [
        "tests/rules/test_robotouille_env_rules.py",
        "tests/rules/test_robotouille_domain_rules.py",
        "tests/robotouille/test_rt_simulator.py",
    ],
    "demo2code/benchmarks/tabletop/predicates.py": [
        "tests/rules/test_tabletop_rules.py",
        "tests/tabletop/test_predicates.py",
    ],
    "demo2code/benchmarks/tabletop/checks.py": [
        "tests/rules/test_tabletop_rules.py",
        "tests/rules/test_tabletop_stack_rules.py",
        "tests/tabletop/test_predicates.py",
        "tests/tabletop/test_checks.py",
    ],
    "demo2code/benchmarks/tabletop/episode.py": [
        "tests/rules/test_tabletop_rules.py",
        "tests/rules/test_tabletop_api_rules.py",
        "tests/tabletop/test_api.py",
    ],
    "demo2code/benchmarks/epic/checks.py": [
        "tests/rules/test_epic_check_rules.py",
        "tests/epic/test_epic_benchmark.py",
    ],
    "demo2code/benchmarks/epic/sim.py": [
        "tests/rules/test_epic_sim_rules.py",
        "tests/epic/test_epic_sim.py",
    ],
    "demo2code/evaluation/runlog.py": [
        "tests/rules/test_runlog_harness_rules.py",
        "tests/evaluation/test_resume_guards.py",
    ],
    "demo2code/evaluation/harness.py": ["tests/rules/test_runlog_harness_rules.py"],
    "demo2code/evaluation/metrics.py": [
        "tests/rules/test_metrics_summary_rules.py",
        "tests/evaluation/test_metrics.py",
    ],
    "demo2code/evaluation/summary.py": [
        "tests/rules/test_metrics_summary_rules.py",
        "tests/rules/test_summary_rules.py",
    ],
    "demo2code/noise.py": ["tests/rules/test_noise_rules.py", "tests/demos/test_demo_noise.py"],
    "demo2code/demo_text.py": [
        "tests/rules/test_demo_text_rules.py",
        "tests/demos/test_demo_text.py",
    ],
    "demo2code/reasoners/symbolic/common.py": [
        "tests/rules/test_reasoner_common_rules.py",
        "tests/reasoners",
        "tests/epic/test_epic_symbolic.py",
    ],
    "demo2code/reasoners/symbolic/skills.py": ["tests/rules/test_reasoner_common_rules.py"],
    **{
        f"demo2code/reasoners/symbolic/robotouille/{stage}.py": [
            "tests/rules/test_reasoner_robotouille_belief_rules.py",
            "tests/reasoners",
            "tests/robotouille/test_rt_async.py",
        ]
        for stage in ("reading", "subtasks", "planning", "spec", "code")
    },
    "demo2code/reasoners/symbolic/tabletop.py": ["tests/tabletop/test_tabletop_symbolic.py"],
    "demo2code/reasoners/symbolic/epic.py": ["tests/epic/test_epic_symbolic.py"],
}
# The offline reasoners' tests run whole pipelines: their runs stop after this many seconds
# (whatever --time-box says, if it is longer); the mutants not reached count as unchecked.
REASONER_TIME_BOX = 480.0
KILLED = {"killed", "timeout", "segfault"}
UNCHECKED = {"not checked", "check was interrupted by user"}


def slug(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".")


def equivalent_mutants() -> set[str]:
    if not EQUIVALENT_FILE.is_file():
        return set()
    return set(re.findall(r"^- `([^`]+)`", EQUIVALENT_FILE.read_text(), flags=re.M))


def _pyproject(module: str, tests: list[str]) -> str:
    """The checkout's pyproject with a [tool.mutmut] section for this one module."""
    text = (ROOT / "pyproject.toml").read_text()
    text = re.sub(r"(?ms)^\[tool\.mutmut\].*?(?=^\[|\Z)", "", text)
    settings = (
        tomllib.loads((ROOT / "pyproject.toml").read_text()).get("tool", {}).get("mutmut", {})
    )
    lines = ["[tool.mutmut]"]
    lines.append(f"source_paths = {json.dumps(['demo2code', 'robotouille'])}")
    lines.append(f"also_copy = {json.dumps(['data', 'prompts'])}")
    lines.append(f"only_mutate = {json.dumps([module])}")
    lines.append(f"pytest_add_cli_args_test_selection = {json.dumps(tests)}")
    args = settings.get("pytest_add_cli_args", ["-p", "no:cacheprovider", "-m", "not slow"])
    lines.append(f"pytest_add_cli_args = {json.dumps(args)}")
    for key in ("timeout_multiplier", "timeout_constant"):
        if key in settings:
            lines.append(f"{key} = {settings[key]}")
    lines.append("use_git_change_detection = false")
    lines.append("track_dependencies = false")
    return text.rstrip() + "\n\n" + "\n".join(lines) + "\n"


def prepare(module: str) -> Path:
    """A fresh scratch project for one module: links to the checkout plus its pyproject."""
    work = OUT / "work" / slug(module)
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for name in COPIED:
        (work / name).symlink_to(ROOT / name, target_is_directory=True)
    (work / "pyproject.toml").write_text(_pyproject(module, MODULES[module]))
    return work


def run_module(module: str, max_children: int, time_box: float) -> dict:
    if module.endswith(".pddl"):
        return run_pddl(module, max_children, time_box)
    work = prepare(module)
    mutmut = Path(sys.executable).parent / "mutmut"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "SDL_VIDEODRIVER": "dummy"}
    started = time.monotonic()
    log = work / "mutmut.log"
    with open(log, "w") as fh:
        # its own process group, so the time box also stops mutmut's forked workers
        proc = subprocess.Popen(
            [str(mutmut), "run", "--max-children", str(max_children)],
            cwd=work,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            code: int | str = proc.wait(timeout=time_box)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            code = "time box"
    seconds = round(time.monotonic() - started, 1)
    result = collect(module, work)
    result.update({"seconds": seconds, "mutmut_exit": code, "log": str(log.relative_to(ROOT))})
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{slug(module)}.json").write_text(json.dumps(result, indent=1) + "\n")
    return result


def _function_lines(source: str) -> dict[tuple[str | None, str], int]:
    """(class or None, function) -> first line (decorators included) in the file."""
    out: dict[tuple[str | None, str], int] = {}

    def visit(node: ast.AST, cls: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([child.lineno] + [d.lineno for d in child.decorator_list])
                out.setdefault((cls, child.name), start)
            elif isinstance(child, ast.ClassDef):
                visit(child, child.name)

    visit(ast.parse(source), None)
    return out


def collect(module: str, work: Path) -> dict:
    """Statuses, lines and diffs of every mutant of `module` (read in the scratch dir)."""
    meta = work / "mutants" / (module + ".meta")
    if not meta.is_file():
        return {"module": module, "mutants": [], "error": "mutmut produced no results"}
    codes = json.loads(meta.read_text())["exit_code_by_key"]
    sys_path = list(sys.path)
    cwd = os.getcwd()
    os.chdir(work)
    try:
        from mutmut.mutation.diff_apply import get_diff_for_mutant
        from mutmut.stats import status_by_exit_code
        from mutmut.utils.format_utils import orig_function_and_class_names_from_key

        lines = _function_lines((ROOT / module).read_text())
        mutants = []
        for name, code in sorted(codes.items(), key=lambda kv: _natural(kv[0])):
            status = status_by_exit_code[code]
            try:
                diff = get_diff_for_mutant(name, path=module)
            except Exception as err:  # noqa: BLE001 - a report must not die on one mutant
                diff = f"(no diff: {err})"
            func, cls = orig_function_and_class_names_from_key(name)
            line = _line_of(diff, lines.get((cls, func)))
            mutants.append({"name": name, "status": status, "line": line, "diff": diff})
    finally:
        os.chdir(cwd)
        sys.path[:] = sys_path
    return {"module": module, "mutants": mutants}


def _natural(name: str) -> tuple[str, int]:
    head, _, n = name.rpartition("__mutmut_")
    return head, int(n) if n.isdigit() else 0


def _line_of(diff: str, func_start: int | None) -> int | None:
    if func_start is None:
        return None
    offset = None
    for text in diff.splitlines():
        m = re.match(r"^@@ -(\d+)", text)
        if m:
            offset = int(m.group(1)) - 1
            continue
        if offset is None or text.startswith(("---", "+++")):
            continue
        if text.startswith("-"):
            return func_start + offset
        if text.startswith("+"):
            return func_start + max(offset - 1, 0)
        offset += 1
    return None


def _groups(text: str, start: int) -> list[tuple[int, int]]:
    """Spans of the top-level parenthesised groups inside the group opening at `start`."""
    out, depth, begin = [], 0, None
    for i in range(start, len(text)):
        ch = text[i]
        if ch == "(":
            depth += 1
            if depth == 2:
                begin = i
        elif ch == ")":
            depth -= 1
            if depth == 1 and begin is not None:
                out.append((begin, i + 1))
                begin = None
            if depth == 0:
                break
    return out


def pddl_mutants(text: str) -> list[tuple[str, int, str, str]]:
    """(name, line, description, mutated text): each literal of each action's precondition
    and effect dropped, and negated (or its negation removed)."""
    out = []
    for action in re.finditer(r"\(:action\s+(\S+)", text):
        name = action.group(1)
        for part in ("precondition", "effect"):
            m = re.compile(rf":{part}\s*\(and").search(text, action.end())
            nxt = text.find("(:action", action.end())
            if not m or (nxt != -1 and m.start() > nxt):
                continue
            for k, (a, b) in enumerate(_groups(text, m.end() - 4)):
                literal = text[a:b]
                line = text.count("\n", 0, a) + 1
                neg = re.fullmatch(r"\(not\s+(\(.*\))\)", literal, flags=re.S)
                flipped = neg.group(1) if neg else f"(not {literal})"
                out.append(
                    (f"domain.{name}.{part}.{k}.drop", line, f"drop {literal}",
                     text[:a] + text[b:])
                )  # fmt: skip
                out.append(
                    (f"domain.{name}.{part}.{k}.negate", line, f"{literal} -> {flipped}",
                     text[:a] + flipped + text[b:])
                )  # fmt: skip
    return out


def run_pddl(module: str, max_children: int, time_box: float) -> dict:
    """Mutation testing of a PDDL file: a scratch copy of its package per worker, the
    module's tests run against each mutated file."""
    from concurrent.futures import ThreadPoolExecutor

    base = OUT / "work" / slug(module)
    if base.exists():
        shutil.rmtree(base)
    package = module.split("/")[0]
    original = (ROOT / module).read_text()
    mutants = pddl_mutants(original)
    workers = []
    for w in range(max(1, max_children)):
        work = base / f"w{w}"
        work.mkdir(parents=True)
        for name in COPIED:
            if name != package:
                (work / name).symlink_to(ROOT / name, target_is_directory=True)
        shutil.copytree(
            ROOT / package, work / package, ignore=shutil.ignore_patterns("__pycache__")
        )
        (work / "pyproject.toml").symlink_to(ROOT / "pyproject.toml")
        workers.append(work)
    free = list(workers)
    lock = threading.Lock()
    started = time.monotonic()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "SDL_VIDEODRIVER": "dummy"}

    def one(mutant: tuple[str, int, str, str]) -> dict:
        name, line, desc, text = mutant
        if time.monotonic() - started > time_box:
            return {"name": name, "status": "not checked", "line": line, "diff": desc}
        with lock:
            work = free.pop()
        try:
            (work / module).write_text(text)
            cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
            cmd += ["-m", "not slow", *MODULES[module]]
            try:
                proc = subprocess.run(cmd, cwd=work, env=env, capture_output=True, timeout=600)
                status = "survived" if proc.returncode == 0 else "killed"
                if proc.returncode in (2, 3, 4, 5):  # pytest could not run: not a kill
                    status = "suspicious"
            except subprocess.TimeoutExpired:
                status = "timeout"
        finally:
            (work / module).write_text(original)
            with lock:
                free.append(work)
        return {"name": name, "status": status, "line": line, "diff": f"- {desc}"}

    with ThreadPoolExecutor(max_workers=len(workers)) as pool:
        results = list(pool.map(one, mutants))
    result = {
        "module": module,
        "mutants": results,
        "seconds": round(time.monotonic() - started, 1),
        "log": str(base.relative_to(ROOT)),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{slug(module)}.json").write_text(json.dumps(result, indent=1) + "\n")
    return result


def score(result: dict, equivalent: set[str]) -> dict:
    """Killed / (mutants - equivalent - unchecked); unchecked: the time box ran out first."""
    mutants = result.get("mutants", [])
    eq = [m for m in mutants if m["name"] in equivalent]
    unchecked = [m for m in mutants if m["name"] not in equivalent and m["status"] in UNCHECKED]
    counted = [m for m in mutants if m["name"] not in equivalent and m["status"] not in UNCHECKED]
    killed = [m for m in counted if m["status"] in KILLED]
    survived = [m for m in counted if m["status"] not in KILLED]
    total = len(counted)
    return {
        "mutants": len(mutants),
        "equivalent": len(eq),
        "unchecked": len(unchecked),
        "killed": len(killed),
        "survived": survived,
        "score": round(100.0 * len(killed) / total, 1) if total else None,
    }


def write_report() -> Path:
    equivalent = equivalent_mutants()
    rows, details = [], []
    for module in MODULES:
        path = OUT / f"{slug(module)}.json"
        if not path.is_file():
            rows.append(f"| {module} | not run | | | | | |")
            continue
        result = json.loads(path.read_text())
        s = score(result, equivalent)
        shown = "n/a" if s["score"] is None else f"{s['score']}%"
        rows.append(
            f"| {module} | {shown} | {s['killed']} | {len(s['survived'])} | {s['equivalent']} "
            f"| {s['unchecked']} | {result.get('seconds', '?')} s |"
        )
        if result.get("error"):
            details.append(f"\n### {module}\n\n{result['error']} (see {result.get('log')})\n")
        if s["survived"]:
            details.append(f"\n### {module}: surviving mutants\n")
            for m in s["survived"]:
                details.append(f"- {module}:{m['line']} `{m['name']}` ({m['status']})")
                body = [t for t in m["diff"].splitlines() if t.startswith(("-", "+"))]
                body = [t for t in body if not t.startswith(("---", "+++"))]
                details.extend(f"      {t}" for t in body[:6])
    text = (
        "# Mutation testing report\n\n"
        "Score = killed / (mutants - equivalent - unchecked); equivalent mutants: "
        "tests/MUTATION.md; unchecked: not reached within the time box.\n\n"
        "| module | score | killed | survived | equivalent | unchecked | time |\n"
        "|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n" + "\n".join(details) + "\n"
    )
    OUT.mkdir(parents=True, exist_ok=True)
    report = OUT / "report.md"
    report.write_text(text)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="module paths (default: all)")
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--time-box", type=float, default=900.0, help="seconds per module")
    parser.add_argument("--report", action="store_true", help="only rewrite report.md")
    args = parser.parse_args(argv)
    if not args.report:
        chosen = args.modules or list(MODULES)
        unknown = [m for m in chosen if m not in MODULES]
        if unknown:
            parser.error(f"not a listed module: {', '.join(unknown)}; listed: {', '.join(MODULES)}")
        equivalent = equivalent_mutants()
        for module in chosen:
            print(f"mutating {module} ...", flush=True)
            box = args.time_box
            if module.startswith("demo2code/reasoners/symbolic/"):
                if not module.endswith(("common.py", "skills.py")):
                    box = min(box, REASONER_TIME_BOX)
            result = run_module(module, args.max_children, box)
            s = score(result, equivalent)
            shown = "n/a" if s["score"] is None else f"{s['score']}%"
            print(
                f"  {shown} ({s['killed']} killed, {len(s['survived'])} survived, "
                f"{s['equivalent']} equivalent, {s['unchecked']} unchecked) "
                f"in {result['seconds']} s"
                + (f"; {result['error']}" if result.get("error") else ""),
                flush=True,
            )
    report = write_report()
    print(f"report: {report.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
