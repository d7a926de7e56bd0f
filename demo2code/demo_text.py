"""The paper's text form of a demonstration: rendering for prompts and parsing it back.

Three styles exist because the three benchmarks of the Demo2Code paper wrote their
demonstrations differently:

* ``robotouille``: ``'patty1' is [not ]cooked``; no initial-state block, states start at 2.
* ``tabletop``: the same quoted phrases plus ``has moved``, spatial relations and regions;
  an ``objects=[...]`` line before the scenario and an ``Initial State (State 1):`` block.
* ``epic``: calls with back-quoted arguments (``in(`bowl_1`, `sink_2`)``), an
  ``Objects to clean`` list and an ``Initial Condition (State 1):`` block.

Output is the paper's plain text without the triple quotes the original release files wrap
it in; input accepts those quotes anywhere on a line of their own (or glued to a line).
Actions are never rendered: prompts must not see the ground truth.

Quoted styles render any predicate outside the agreed vocabulary generically as
``'a' is NAME 'b' ...`` with NAME verbatim (underscores kept). That is reversible: every
vocabulary phrase is looked up together with its number of arguments, and the vocabulary's
multi-word phrases contain spaces, which a generic NAME never does.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from demo2code.demos import Change, Demonstration, Scenario, Step, load_json
from demo2code.errors import InputError

STYLES: tuple[str, ...] = ("robotouille", "tabletop", "epic")
_BENCHMARK_STYLE = {"robotouille": "robotouille", "tabletop": "tabletop", "epic": "epic"}

# (predicate, arity) <-> (verb, phrase): the quoted-style vocabulary shared by Robotouille and
# tabletop. Arity counts the subject too.
_PHRASES: dict[tuple[str, int], tuple[str, str]] = {
    ("at", 2): ("is", "at"),
    ("holding", 2): ("is", "holding"),
    ("atop", 2): ("is", "on top of"),
    ("cut", 1): ("is", "cut"),
    ("cooked", 1): ("is", "cooked"),
    ("moved", 1): ("has", "moved"),
    ("left_of", 2): ("is", "to the left of"),
    ("right_of", 2): ("is", "to the right of"),
    ("behind", 2): ("is", "behind"),
    ("in_front_of", 2): ("is", "in front of"),
}
_PHRASE_TO_PRED = {(verb, phrase, n): pred for (pred, n), (verb, phrase) in _PHRASES.items()}

# Robotouille PDDL names that mean a vocabulary predicate (rendered as it; parsed back as it).
_ALIASES = {"loc": "at", "has": "holding", "iscut": "cut", "iscooked": "cooked"}
# Robotouille predicates the paper leaves out of demonstrations (bookkeeping and static types).
BOOKKEEPING: frozenset[str] = frozenset(
    {"vacant", "empty", "clear", "nothing", "on"}
    | {"istable", "isstove", "isboard", "isfryer", "iscuttable", "iscookable"}
)

_NAME = r"[A-Za-z_][\w\-:.]*"
_NAME_RE = re.compile(rf"^{_NAME}$")
_SCENARIO_RE = re.compile(r"^\[\s*Scenario\s+(\d+)\s*\]$", re.IGNORECASE)
_STATE_RE = re.compile(r"^State\s+(\d+)\s*:$", re.IGNORECASE)
_INITIAL_RE = re.compile(r"^Initial\s+(State|Condition)\s*\(\s*State\s+1\s*\)\s*:$", re.I)
_OBJECTS_RE = re.compile(r"^objects\s*=\s*(.*)$")
_CLEAN_HEADER_RE = re.compile(r"^Objects\s+to\s+clean:?$", re.IGNORECASE)
_CLEAN_ITEM_RE = re.compile(r"^-\s*(\S+)\s+(in|at|on)\s+(.+)$")
_QUOTED_RE = re.compile(r"^'([^']*)'\s+(is|has)\s+(not\s+)?(.*)$")
_QUOTED_ARG_RE = re.compile(r"'([^']*)'")
_CALL_RE = re.compile(rf"^(not\s+)?({_NAME})\s*\((.*)\)$")
_CALL_ARGS_RE = re.compile(r"^\s*(`[^`]*`\s*(,\s*`[^`]*`\s*)*)?$")
_TABLETOP_HINT_RE = re.compile(
    r"\s(has (not )?moved|is (not )?to the (left|right) of|is (not )?behind|is (not )?in front of)"
)

_EXPECT_QUOTED = "expected a predicate like 'a' is at 'b' or a 'State N:' header"
_EXPECT_CALL = "expected a predicate like in(`a`, `b`) or a 'State N:' header"


def style_of(demo: Demonstration, style: str | None = None) -> str:
    """The text style to use: the explicit one, else the benchmark's (Robotouille's if unknown)."""
    if style is not None:
        if style not in STYLES:
            from demo2code.errors import UnknownName

            raise UnknownName("text style", style, STYLES)
        return style
    return _BENCHMARK_STYLE.get(demo.benchmark, "robotouille")


# --- rendering ------------------------------------------------------------------------------


def render_change(change: Change, style: str) -> str:
    """One predicate line in the given style."""
    if style == "epic":
        if not _NAME_RE.match(change.predicate):
            raise ValueError(f"predicate name {change.predicate!r} cannot be written as a call")
        for arg in change.args:
            if "`" in arg:
                raise ValueError(f"object name {arg!r} contains a back-quote")
        call = f"{change.predicate}({', '.join(f'`{a}`' for a in change.args)})"
        return call if change.value else f"not {call}"
    if not change.args:
        raise ValueError(f"predicate {change.predicate!r} has no subject to write in {style} style")
    for arg in change.args:
        if "'" in arg:
            raise ValueError(f"object name {arg!r} contains a quote")
    pred = change.predicate
    if style == "robotouille":
        pred = _ALIASES.get(pred, pred)
    subject, rest = change.args[0], change.args[1:]
    known = _PHRASES.get((pred, len(change.args)))
    if known is not None:
        verb, phrase = known
    else:
        if not _NAME_RE.match(pred) or pred == "not":
            raise ValueError(f"predicate name {pred!r} cannot be written in {style} style")
        verb, phrase = "is", pred
    words = [f"'{subject}'", verb] + ([] if change.value else ["not"]) + [phrase]
    words += [f"'{a}'" for a in rest]
    return " ".join(words)


def _visible(changes: Iterable[Change], style: str) -> list[Change]:
    if style != "robotouille":
        return list(changes)
    return [c for c in changes if c.predicate not in BOOKKEEPING]


def _objects_line(objects: list[str]) -> str:
    return f"objects={objects!r}"


def render_scenario(
    demo: Demonstration,
    index: int,
    style: str | None = None,
    *,
    number: int = 1,
    with_objects: bool = True,
    initial_state: bool = False,
) -> str:
    """One scenario (0-based `index`) as a block headed `[Scenario number]`.

    `with_objects` controls the tabletop `objects=[...]` line, which `render` hoists to the
    top when every scenario shares it. The paper's Robotouille text has no initial state;
    `initial_state` adds it (for people reading, e.g. `demos show`), the other styles
    always have it."""
    style = style_of(demo, style)
    scen = demo.scenarios[index]
    head = [f"[Scenario {number}]"]
    if scen.instruction or demo.instruction:  # a file without one renders without the line
        head.append(scen.instruction or demo.instruction)
    if style == "epic":
        head += _epic_header(scen)
    sections = ["\n".join(head)]

    def lines_of(changes: Iterable[Change], where: str) -> list[str]:
        try:
            return [render_change(c, style) for c in _visible(changes, style)]
        except ValueError as err:
            raise InputError(f"<demonstration {demo.task}>", where, str(err)) from None

    if (style != "robotouille" or initial_state) and scen.initial_state:
        title = "Initial Condition (State 1):" if style == "epic" else "Initial State (State 1):"
        lines = lines_of(scen.initial_state, f"scenarios[{index}].initial_state")
        sections.append("\n".join([title, *lines]))
    for i, step in enumerate(scen.steps):
        lines = lines_of(step.changes, f"scenarios[{index}].steps[{i}]")
        sections.append("\n".join([f"State {i + 2}:", *lines]) if lines else f"State {i + 2}:\n")
    block = "\n\n".join(sections) + "\n"
    if style == "tabletop" and with_objects and scen.objects is not None:
        block = _objects_line(scen.objects) + "\n" + block
    return block


def _epic_header(scen: Scenario) -> list[str]:
    lines: list[str] = []
    if "objects_to_clean" in scen.extra:
        items = scen.extra["objects_to_clean"]
        relations = scen.extra.get("objects_to_clean_relations") or ["in"] * len(items)
        lines.append("Objects to clean")
        for (name, place, *_), rel in zip(items, relations, strict=False):
            lines.append(f"    - {name} {rel} {place}")
    lines += list(scen.extra.get("notes", []))
    return lines


def render(
    demo: Demonstration,
    style: str | None = None,
    *,
    scenarios: list[int] | None = None,
    initial_state: bool = False,
) -> str:
    """The paper's text for `demo` (or the 0-based `scenarios` of it, renumbered from 1);
    `initial_state`: also Robotouille's initial state (see `render_scenario`)."""
    style = style_of(demo, style)
    chosen = list(range(len(demo.scenarios))) if scenarios is None else list(scenarios)
    for i in chosen:
        if not 0 <= i < len(demo.scenarios):
            raise IndexError(f"scenario index {i} out of range (0..{len(demo.scenarios) - 1})")
    top = ""
    per_scenario_objects = True
    if style == "tabletop" and chosen:
        objs = [demo.scenarios[i].objects for i in chosen]
        if objs[0] is not None and all(o == objs[0] for o in objs):
            top = _objects_line(objs[0]) + "\n"
            per_scenario_objects = False
    blocks = [
        render_scenario(
            demo,
            i,
            style,
            number=n,
            with_objects=per_scenario_objects,
            initial_state=initial_state,
        )  # fmt: skip
        for n, i in enumerate(chosen, start=1)
    ]
    return top + "\n".join(blocks)


# --- parsing --------------------------------------------------------------------------------


def detect_style(text: str) -> str:
    """epic if any line is a back-quoted call; tabletop if it has tabletop-only phrasing."""
    tabletop = False
    for raw in text.splitlines():
        line = _clean(raw)
        if _CALL_RE.match(line) and "`" in line:
            return "epic"
        if _INITIAL_RE.match(line) and "condition" in line.lower():
            return "epic"
        if _CLEAN_HEADER_RE.match(line):
            return "epic"
        if _OBJECTS_RE.match(line) or _TABLETOP_HINT_RE.search(line):
            tabletop = True
        if _INITIAL_RE.match(line):
            tabletop = True
    return "tabletop" if tabletop else "robotouille"


def _clean(raw: str) -> str:
    line = raw.strip()
    while line.startswith('"""'):
        line = line[3:].strip()
    while line.endswith('"""'):
        line = line[:-3].strip()
    return line


def parse_change(line: str, style: str) -> Change | None:
    """The predicate on `line`, or None if the line is not a predicate in that style."""
    if style == "epic":
        m = _CALL_RE.match(line)
        if not m or not _CALL_ARGS_RE.match(m.group(3)):
            return None
        args = tuple(re.findall(r"`([^`]*)`", m.group(3)))
        return Change(m.group(2), args, m.group(1) is None)
    m = _QUOTED_RE.match(line)
    if not m:
        return None
    subject, verb, negated, rest = m.groups()
    first_quote = rest.find("'")
    phrase = (rest if first_quote < 0 else rest[:first_quote]).strip()
    tail = "" if first_quote < 0 else rest[first_quote:]
    args = _QUOTED_ARG_RE.findall(tail)
    if _QUOTED_ARG_RE.sub("", tail).strip():
        return None  # stray words between or after the quoted arguments
    all_args = (subject, *args)
    pred = _PHRASE_TO_PRED.get((verb, phrase, len(all_args)))
    if pred is None:
        if verb != "is" or not _NAME_RE.match(phrase) or phrase == "not":
            return None
        pred = phrase
    return Change(pred, all_args, negated is None)


@dataclass
class _Draft:
    """A scenario while it is being read."""

    number: int
    line: int
    instruction: str | None = None
    objects: list[str] | None = None
    initial: list[Change] | None = None
    steps: list[Step] | None = None
    last_state: int = 1
    clean: list[list[str]] | None = None
    relations: list[str] | None = None
    notes: list[str] | None = None


def parse(
    text: str,
    style: str | None = None,
    source: str = "<text>",
    *,
    benchmark: str | None = None,
    task: str | None = None,
) -> Demonstration:
    """Read the paper's text (any style; auto-detected when `style` is None).

    Steps get `action=None`; gaps in state numbers (the release has a few) become empty
    steps so numbering survives a round trip. Errors name `source` and the line."""
    style = detect_style(text) if style is None else style
    if style not in STYLES:
        from demo2code.errors import UnknownName

        raise UnknownName("text style", style, STYLES)
    expect_pred = _EXPECT_CALL if style == "epic" else _EXPECT_QUOTED
    drafts: list[_Draft] = []
    file_objects: list[str] | None = None
    next_objects: list[str] | None = None
    pre_initial: list[Change] | None = None  # an initial state read before any header
    cur: _Draft | None = None
    mode = "start"  # start | instruction | header | clean | initial | state
    target: list[Change] | None = None
    lines = text.splitlines()

    def err(lineno: int, expected: str) -> InputError:
        return InputError(source, f"line {lineno}", expected)

    for lineno, raw in enumerate(lines, start=1):
        line = _clean(raw)
        if not line:
            continue
        m = _OBJECTS_RE.match(line)
        if m:
            objects = _parse_objects(m.group(1), source, lineno)
            if cur is None:
                file_objects = objects
            else:
                next_objects = objects
            continue
        m = _SCENARIO_RE.match(line)
        if m:
            if mode == "instruction":
                raise err(lineno, f"expected the instruction after '[Scenario {cur.number}]'")
            cur = _Draft(int(m.group(1)), lineno, objects=next_objects, initial=pre_initial)
            next_objects = pre_initial = None
            drafts.append(cur)
            mode, target = "instruction", None
            continue
        if cur is None:
            # Some release files put the first scenario's initial state above its header.
            if pre_initial is None and _INITIAL_RE.match(line):
                pre_initial = []
                continue
            change = parse_change(line, style) if pre_initial is not None else None
            if change is None:
                raise err(lineno, f"expected a '[Scenario N]' header, got {_show(line)}")
            pre_initial.append(change)
            continue
        if mode == "instruction":
            mode = "header"
            if not _starts_body(line, style):
                cur.instruction = line
                continue
            # No instruction line (the release's DemoNoLang2Code inputs): read on as body.
        m = _STATE_RE.match(line)
        if m:
            n = int(m.group(1))
            if n <= cur.last_state:
                raise err(
                    lineno, f"expected 'State {cur.last_state + 1}:' or later, got 'State {n}:'"
                )
            cur.steps = cur.steps or []
            cur.steps.extend(Step(None) for _ in range(n - cur.last_state - 1))
            step = Step(None)
            cur.steps.append(step)
            cur.last_state, mode, target = n, "state", step.changes
            continue
        if _INITIAL_RE.match(line):
            if mode not in ("header", "clean"):
                raise err(lineno, "expected the initial state before 'State 2:'")
            cur.initial, mode = [], "initial"
            target = cur.initial
            continue
        if mode in ("header", "clean") and style == "epic":
            if _CLEAN_HEADER_RE.match(line):
                cur.clean, cur.relations, mode = [], [], "clean"
                continue
            m = _CLEAN_ITEM_RE.match(line)
            if m and mode == "clean":
                assert cur.clean is not None and cur.relations is not None
                cur.clean.append([m.group(1), m.group(3).strip()])
                cur.relations.append(m.group(2))
                continue
            cur.notes = [*(cur.notes or []), line]
            continue
        if mode in ("header", "clean"):
            raise err(lineno, f"expected 'State 2:' or an initial-state block, got {_show(line)}")
        change = parse_change(line, style)
        if change is None:
            raise err(lineno, f"{expect_pred}, got {_show(line)}")
        assert target is not None
        target.append(change)
    if not drafts:
        raise err(max(len(lines), 1), "expected a '[Scenario N]' header, found no scenarios")
    if mode == "instruction":
        raise err(len(lines), f"expected the instruction after '[Scenario {drafts[-1].number}]'")
    return _assemble(drafts, file_objects, style, source, benchmark, task)


def _starts_body(line: str, style: str) -> bool:
    """True for the first line of a scenario's body: a state header or an EPIC header."""
    if _STATE_RE.match(line) or _INITIAL_RE.match(line):
        return True
    return style == "epic" and bool(_CLEAN_HEADER_RE.match(line))


def _show(line: str) -> str:
    return repr(line if len(line) <= 60 else line[:57] + "...")


def _parse_objects(text: str, source: str, lineno: int) -> list[str]:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        value = None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(source, f"line {lineno}", "expected objects=['name', ...]")
    return value


def _assemble(
    drafts: list[_Draft],
    file_objects: list[str] | None,
    style: str,
    source: str,
    benchmark: str | None,
    task: str | None,
) -> Demonstration:
    instruction = drafts[0].instruction or ""
    given = any(d.instruction is not None for d in drafts)
    scenarios = []
    for d in drafts:
        extra: dict[str, object] = {}
        if d.clean is not None:
            extra["objects_to_clean"] = d.clean
            if any(r != "in" for r in d.relations or []):
                extra["objects_to_clean_relations"] = d.relations
        if d.notes:
            extra["notes"] = d.notes
        scenarios.append(
            Scenario(
                seed=None,
                steps=d.steps or [],
                initial_state=d.initial or [],
                instruction=None if d.instruction == instruction else d.instruction,
                objects=d.objects if d.objects is not None else file_objects,
                extra=extra,
            )
        )
    return Demonstration(
        benchmark=benchmark or style,
        task=task or _task_from_source(source, style),
        instruction=instruction,
        scenarios=scenarios,
        instruction_given=given,
    )


def _task_from_source(source: str, style: str) -> str:
    """`demo2code_<task>_<variant>_<id>_demo.txt` (the release's naming) -> `<task>_<variant>_<id>`;
    Robotouille's id is always `main` and is dropped. Anything else: the file's stem."""
    if source.startswith("<"):
        return "custom"
    stem = Path(source).stem
    stem = stem.removeprefix("demo2code_").removesuffix("_demo")
    if style == "robotouille":
        stem = stem.removesuffix("_main")
    return stem or "custom"


# --- files ----------------------------------------------------------------------------------


def load_demonstration(
    path: Path,
    *,
    style: str | None = None,
    benchmark: str | None = None,
    task: str | None = None,
) -> Demonstration:
    """A demonstration from JSON (by suffix or a leading `{`) or from any text style."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), "file", "not found") from None
    except UnicodeDecodeError:
        raise InputError(str(path), "file", "expected UTF-8 text") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        demo = load_json(path)
        if benchmark is not None:
            demo.benchmark = benchmark
        if task is not None:
            demo.task = task
        return demo
    return parse(text, style, str(path), benchmark=benchmark, task=task)


def save_text(demo: Demonstration, path: Path, style: str | None = None) -> None:
    """Write the paper's text form; the parent directory is created."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(render(demo, style), encoding="utf-8")
    tmp.replace(path)
