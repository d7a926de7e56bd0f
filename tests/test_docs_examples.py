"""The examples in docs/ are real: each loads with the project's own loader for its format,
has only the fields the code writes, and an excerpt matches the file it was cut from.

The convention is stated at the top of docs/formats.md: a fenced `json`/`jsonl` block right
after a line `<!-- example: KIND -->` or `<!-- example: KIND source=PATH -->`. Fields are
compared with what a real `eval` run writes (made once here, on one variant and seed), so a
doc example cannot keep a field the code dropped or miss one it added.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pytest

from demo2code import demo_text
from demo2code.benchmarks import get_benchmark
from demo2code.benchmarks.robotouille import TASK_FIELDS, load_task
from demo2code.benchmarks.trace_check import check_trace
from demo2code.demos import demonstration_from_json
from demo2code.errors import Demo2CodeError
from demo2code.evaluation import evaluate, runlog
from demo2code.evaluation.generation import Generation
from demo2code.evaluation.report import load_summary, run_markdown
from demo2code.evaluation.summary import summarize_rows
from demo2code.llm.transcript import Transcript, read_transcript
from demo2code.pipeline.records import ScenarioSummary, StageRecord
from demo2code.verify import run_trusted
from robotouille.kinds import kind_of
from robotouille.level import LevelError, level_from_json

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MARKER = re.compile(r"^<!-- example: (?P<kind>[a-z-]+)(?: source=(?P<source>\S+))? -->$")
FENCE = re.compile(r"^```(?P<lang>\S*)\s*$")
DATA_LANGS = {"json": False, "jsonl": True}  # language -> one object per line
# Maps keyed by data (variant ids, group names, outcomes, stages): entries share one shape.
KEYED_BY_DATA = {"groups", "variants", "outcomes", "by_stage"}
OPTIONAL_TASK_FIELDS = ("seeds", "demo_seeds", "opt_in")
RUN_TASK, RUN_SEED = "cheese-burger", 0


@dataclass(frozen=True)
class Example:
    doc: str
    line: int  # of the opening fence, 1-based
    kind: str
    source: str | None
    lang: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.doc}:{self.line} ({self.kind})"

    def values(self) -> list[Any]:
        if DATA_LANGS[self.lang]:
            return [json.loads(line) for line in self.text.splitlines() if line.strip()]
        return [json.loads(self.text)]


def scan(path: Path) -> tuple[list[Example], list[str]]:
    """The marked examples of one Markdown file, and the data blocks that lack a marker."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Example] = []
    unmarked: list[str] = []
    n = 0
    while n < len(lines):
        fence = FENCE.match(lines[n])
        if fence is None:
            n += 1
            continue
        end = next((k for k in range(n + 1, len(lines)) if lines[k].startswith("```")), None)
        assert end is not None, f"{path.name}:{n + 1}: a fence that is never closed"
        lang = fence["lang"]
        marker = MARKER.match(lines[n - 1]) if n > 0 else None
        if lang in DATA_LANGS:
            if marker is None:
                unmarked.append(f"{path.name}:{n + 1}")
            else:
                body = "\n".join(lines[n + 1 : end])
                found.append(
                    Example(path.name, n + 1, marker["kind"], marker["source"], lang, body)
                )
        n = end + 1
    return found, unmarked


def doc_files() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


EXAMPLES = [e for path in doc_files() for e in scan(path)[0]]


# --- what a real run writes --------------------------------------------------------------


@dataclass(frozen=True)
class RealRun:
    row: dict[str, Any]  # with --repair 2
    plain_row: dict[str, Any]  # the reference method: no repair columns
    summary: dict[str, Any]
    plain_summary: dict[str, Any]
    run_config: dict[str, Any]
    record: dict[str, Any]
    transcript_row: dict[str, Any]


def _rows(out: Path) -> list[dict[str, Any]]:
    return runlog.ResultsLog(out / runlog.RESULTS_FILE, runlog.ROW_KEYS).read()


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> RealRun:
    bench = get_benchmark("robotouille")
    task = bench.task(RUN_TASK)
    base = tmp_path_factory.mktemp("docs-run")
    made = evaluate(bench, "demo2code", base / "d2c", tasks=[task], seeds=[RUN_SEED], repair=2)
    plain = evaluate(bench, "reference", base / "ref", tasks=[task], seeds=[RUN_SEED])
    transcript = Transcript(base / "calls.jsonl")
    transcript.record(stage="specify", messages=[{"role": "user", "content": "x"}], answer="y")
    return RealRun(
        row=_rows(base / "d2c")[0],
        plain_row=_rows(base / "ref")[0],
        summary=made.summary,
        plain_summary=plain.summary,
        run_config=json.loads((base / "d2c" / runlog.RUN_FILE).read_text()),
        record=runlog.load_generation(base / "d2c", RUN_TASK) or {},
        transcript_row=read_transcript(base / "calls.jsonl")[0],
    )


# --- comparisons --------------------------------------------------------------------------


def assert_shape(example: Any, real: Any, where: str) -> None:
    """Same fields as `real`, recursively; entries of data-keyed maps and of lists of
    objects are compared with the real run's first entry."""
    if isinstance(real, dict):
        assert isinstance(example, dict), f"{where}: expected an object"
        if where.rsplit(".", 1)[-1] in KEYED_BY_DATA:
            assert real, f"{where}: the real run has no entry to compare with"
            template = next(iter(real.values()))
            for key, value in example.items():
                assert_shape(value, template, f"{where}.{key}")
            return
        extra, missing = sorted(set(example) - set(real)), sorted(set(real) - set(example))
        assert not extra, f"{where}: fields the code does not write: {extra}"
        assert not missing, f"{where}: fields the code writes that the example lacks: {missing}"
        for key in example:
            assert_shape(example[key], real[key], f"{where}.{key}")
    elif isinstance(real, list) and real and isinstance(real[0], dict):
        assert isinstance(example, list), f"{where}: expected a list"
        for i, value in enumerate(example):
            assert_shape(value, real[0], f"{where}[{i}]")


def assert_excerpt(example: Any, source: Any, where: str) -> None:
    """`example` is `source` with keys left out and lists cut short, nothing changed."""
    if isinstance(example, dict):
        assert isinstance(source, dict), f"{where}: the source has no object here"
        for key, value in example.items():
            assert key in source, f"{where}: {key!r} is not in the source"
            assert_excerpt(value, source[key], f"{where}.{key}")
    elif isinstance(example, list):
        assert isinstance(source, list), f"{where}: the source has no list here"
        assert len(example) <= len(source), f"{where}: longer than the source's list"
        for i, value in enumerate(example):
            assert_excerpt(value, source[i], f"{where}[{i}]")
    else:
        assert example == source and type(example) is type(source), (
            f"{where}: {example!r} differs from the source's {source!r}"
        )


def assert_known_fields(data: dict[str, Any], written: dict[str, Any], where: str) -> None:
    """`data` holds only fields the writer emits, with the values it emits for them."""
    extra = sorted(set(data) - set(written))
    assert not extra, f"{where}: fields the code does not read or write: {extra}"
    differ = sorted(k for k in data if data[k] != written[k])
    assert not differ, f"{where}: read back differently: {differ}"


# --- one validator per format ---------------------------------------------------------------


def check_demonstration(data: Any, tmp: Path, real: Callable[[], RealRun]) -> None:
    demo = demonstration_from_json(data, "example")
    assert demo.to_json() == data, "the demonstration does not survive load and save unchanged"
    bench = get_benchmark(demo.benchmark)
    bench.task(demo.task)  # raises UnknownName for a task no catalogue has
    for i in range(len(demo.scenarios)):
        assert demo_text.render_scenario(demo, i, number=i + 1).strip()


def check_robotouille_task(data: Any, tmp: Path, real: Callable[[], RealRun]) -> None:
    path = tmp / "task.json"
    path.write_text(json.dumps(data))
    task = load_task(path)
    extra = sorted(set(data) - set(TASK_FIELDS) - set(OPTIONAL_TASK_FIELDS))
    assert not extra, f"task fields the loader does not read: {extra}"
    test = task.data["test"]
    assert_known_fields(data["test"], test.to_json(), "test")
    bench = get_benchmark("robotouille")
    bench.base_level(task)  # the environment names a level that loads
    known = {t.id: t for t in bench.tasks()}
    if task.id in known:  # the shipped reference program passes the example's test
        episode = bench.episode(task, task.seeds[0])
        assert run_trusted(bench.reference_code(known[task.id]), episode) is None
        verdict = check_trace(test, episode.trace(), kind_of)
        assert verdict.passed, f"the reference fails the example's test: {verdict.reasons}"


def check_level(data: Any, tmp: Path, real: Callable[[], RealRun]) -> None:
    level = level_from_json(data, "example")
    assert_known_fields(data, level.to_json(), "level")


def check_run_config(data: Any, tmp: Path, real: Callable[[], RealRun]) -> None:
    assert_shape(data, real().run_config, "run.json")
    (tmp / runlog.RUN_FILE).write_text(json.dumps(data))
    runlog.check_run_config(tmp, data)  # resuming with the same identity is accepted


def check_results_rows(rows: list[Any], tmp: Path, real: Callable[[], RealRun]) -> None:
    path = tmp / runlog.RESULTS_FILE
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    log = runlog.ResultsLog(path, runlog.ROW_KEYS)
    read = log.read()
    assert len(read) == len(rows) and not log.set_aside, "a row was set aside as corrupt"
    run = real()
    for n, row in enumerate(read):
        template = run.row if "self_check" in row else run.plain_row
        assert_shape(row, template, f"row {n + 1}")
    bench = get_benchmark(read[0]["benchmark"])
    tasks = [bench.task(v) for v in dict.fromkeys(r["variant"] for r in read)]
    seeds = {t.id: sorted({r["seed"] for r in read if r["variant"] == t.id}) for t in tasks}
    summary = summarize_rows(read, tasks, seeds)
    assert summary["episodes"] == len(read)


def check_summary(data: Any, tmp: Path, real: Callable[[], RealRun]) -> None:
    (tmp / "summary.json").write_text(json.dumps(data))
    summary = load_summary(tmp)
    run = real()
    assert_shape(summary, run.summary if "repair" in summary else run.plain_summary, "summary")
    table = run_markdown(summary)
    for variant in summary["variants"]:
        assert variant in table


def check_generation_record(data: Any, tmp: Path, real: Callable[[], RealRun]) -> None:
    assert_shape(data, real().record, "record")
    assert {f.name for f in fields(StageRecord)} == set(data["records"][0])
    assert set(ScenarioSummary(0, "").to_json()) == set(data["summaries"][0])
    Generation.from_record(data)


def check_transcript_rows(rows: list[Any], tmp: Path, real: Callable[[], RealRun]) -> None:
    path = tmp / "calls.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    for n, row in enumerate(read_transcript(path)):
        assert_shape(row, real().transcript_row, f"transcript row {n + 1}")


SINGLE = {
    "demonstration": check_demonstration,
    "robotouille-task": check_robotouille_task,
    "level": check_level,
    "run-config": check_run_config,
    "summary": check_summary,
    "generation-record": check_generation_record,
}
ROWS = {"results-row": check_results_rows, "transcript-row": check_transcript_rows}
KINDS = set(SINGLE) | set(ROWS)


def validate(example: Example, values: list[Any], tmp: Path, real: Callable[[], RealRun]) -> None:
    assert example.kind in KINDS, f"{example.where}: unknown kind; expected one of {sorted(KINDS)}"
    if example.kind in ROWS:
        assert example.lang == "jsonl", f"{example.where}: rows go in a jsonl block"
        ROWS[example.kind](values, tmp, real)
    else:
        assert example.lang == "json" and len(values) == 1, f"{example.where}: one json object"
        SINGLE[example.kind](values[0], tmp, real)
    if example.source is not None:
        source = ROOT / example.source
        assert source.is_file(), f"{example.where}: no file {example.source}"
        assert_excerpt(values[0], json.loads(source.read_text()), example.source)


# --- the tests ------------------------------------------------------------------------------


def test_every_data_block_in_the_docs_is_a_marked_example() -> None:
    unmarked = [where for path in doc_files() for where in scan(path)[1]]
    assert not unmarked, f"json/jsonl blocks without an example marker: {unmarked}"


def test_every_format_has_an_example() -> None:
    assert {e.kind for e in EXAMPLES} == KINDS


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e.doc}:{e.line}-{e.kind}")
def test_example_loads_and_matches_the_code(
    example: Example, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    validate(example, example.values(), tmp_path, lambda: request.getfixturevalue("real"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e.doc}:{e.line}-{e.kind}")
def test_a_wrong_field_in_the_example_is_caught(
    example: Example, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The checks bite: the same example with one field misspelled is refused."""
    values = example.values()
    first = values[0]
    renamed = next(k for k in reversed(list(first)))  # the last field: often optional
    values[0] = {(k + "_typo" if k == renamed else k): v for k, v in first.items()}
    with pytest.raises((AssertionError, Demo2CodeError, LevelError)):
        validate(example, values, tmp_path, lambda: request.getfixturevalue("real"))


def _slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = re.sub(r"<[^>]+>|&[a-z]+;", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    in_code, out = False, set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            out.add(_slug(line.lstrip("#")))
    return out


def test_links_between_the_docs_resolve() -> None:
    """Every relative link in docs/ and the README names a file that exists and, for a
    Markdown file, a heading it has."""
    broken = []
    for page in [ROOT / "README.md", *doc_files()]:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue  # https:, mailto:
            file_part, _, anchor = target.partition("#")
            linked = (page.parent / file_part).resolve() if file_part else page
            if not linked.exists():
                broken.append(f"{page.name}: {target}")
            elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
                broken.append(f"{page.name}: {target} (no such heading)")
    assert not broken, broken


def test_docs_cited_in_the_code_exist() -> None:
    """A comment citing `docs/<page>.md#<heading>` names a page and a heading that exist."""
    cited = re.compile(r"docs/([\w-]+\.md)(?:#([\w-]+))?")
    sources = [ROOT / "Makefile"] + [
        path
        for folder in ("demo2code", "robotouille", "tests", "tools", "benchmarks")
        for path in (ROOT / folder).rglob("*.py")
    ]
    broken = []
    for path in sources:
        for page, anchor in cited.findall(path.read_text(encoding="utf-8")):
            target = DOCS / page
            if not target.is_file() or (anchor and anchor not in _anchors(target)):
                broken.append(f"{path.relative_to(ROOT)}: docs/{page}#{anchor}")
    assert not broken, broken


def test_the_code_cites_no_design_document_outside_the_repository() -> None:
    """Comments point at docs/ pages; a section number of a document a contributor does not
    have (the project's original design notes) helps nobody."""
    outside = re.compile(r"DESIGN\s*§|DESIGN\.md")
    sources = [ROOT / "Makefile", ROOT / "README.md"] + [
        path
        for folder in ("demo2code", "robotouille", "tools", "benchmarks", "docs", "prompts")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in (".py", ".md", ".txt", ".pddl")
    ]
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if outside.search(line)
    ]
    assert not found, found
