"""EPIC dish-washing rules for every pipeline stage.

Summaries go up in two levels, each written as text a model could have written:
  level 0 -> 1: predicate changes -> low-level actions ("Pick up 'mug_1'.", "Soap 'mug_1'.")
  level 1 -> 2: low-level actions -> washing subtasks ("Soap 'mug_1' with the tap off.",
                "Turn on the tap.", "Put 'mug_1' in 'dishrack_1'.")
Both levels are idempotent on text that is already at or above their level, because the
summarizer merges chunk summaries by summarizing their concatenation at the same level.

Only objects that take part in the washing count: the listed objects to clean, the
cleaning tools, and anything the person held. Facts about other objects (the paper's
distraction ablation) are ignored. The specification is the person's habits (read with
`checks.infer_preferences`, the same reading the unit tests use) written as pseudocode in
a small line-oriented language that `write_code` reads back; helper functions come from
the skill library `data/epic/skills.py`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from demo2code.benchmarks.epic import checks
from demo2code.benchmarks.epic.sim import SINK, TAP, is_tool, relation
from demo2code.demo_text import parse_change
from demo2code.paths import data_dir
from demo2code.reasoners.base import GenerationFailed, StageAnswer, StageContext
from demo2code.reasoners.symbolic.common import match_line, spec_body, unreadable
from demo2code.reasoners.symbolic.skills import define_from_library

Q = r"'([^']+)'"
_CLEAN_HEADER = re.compile(r"^Objects\s+to\s+clean:?$", re.IGNORECASE)
_CLEAN_ITEM = re.compile(r"^-\s*(\S+)\s+(in|on|at)\s+(\S+)$")
_INITIAL = re.compile(r"^Initial\s+(State|Condition)\s*\(\s*State\s+1\s*\)\s*:$", re.IGNORECASE)
_STATE = re.compile(r"^State\s+\d+\s*:$", re.IGNORECASE)

# Level 1 (low-level actions).
LOW = [
    ("object", re.compile(rf"^Object to clean: {Q} (in|on) {Q}\.$")),
    ("start", re.compile(rf"^The tap {Q} is (on|off) at the start\.$")),
    ("go", re.compile(rf"^Go to {Q}\.$")),
    ("pick", re.compile(rf"^Pick up {Q}\.$")),
    ("place", re.compile(rf"^Place {Q} (in|on) {Q}\.$")),
    ("tap", re.compile(rf"^Turn (on|off) {Q}\.$")),
    ("soap", re.compile(rf"^Soap {Q}\.$")),
    ("rinse", re.compile(rf"^Rinse {Q}\.$")),
    ("dry", re.compile(rf"^Dry {Q}\.$")),
]
# Level 2 (washing subtasks).
HIGH = [
    ("object", LOW[0][1]),
    ("start", re.compile(r"^The tap is (on|off) at the start\.$")),
    ("soap", re.compile(rf"^Soap {Q} with the tap (off|running)\.$")),
    ("tap", re.compile(r"^Turn (on|off) the tap\.$")),
    ("rinse", re.compile(rf"^Rinse {Q} under the tap\.$")),
    ("dry", re.compile(rf"^Dry {Q} with the towel\.$")),
    ("put", re.compile(rf"^Put {Q} (in|on) {Q}\.$")),
]


# --- level 0 -> 1: predicates to low-level actions -------------------------------------------


@dataclass
class _Reading:
    """What one piece of EPIC text says, line by line, before interpretation."""

    objects: list[tuple[str, str, str]]  # (name, relation, place) of the objects to clean
    initial: list[Any]  # Changes of the initial condition
    steps: list[list[Any]]  # Changes per state
    passthrough: list[tuple[int, str]]  # (position in steps, already-summarized line)


def _read(text: str) -> _Reading:
    """Tolerant reading: headers, predicates and already-summarized lines; anything else (the
    instruction, notes, a missing header) is skipped, so chunks of a scenario read too."""
    out = _Reading([], [], [], [])
    mode = "header"
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("[Scenario"):
            continue
        if _CLEAN_HEADER.match(line):
            mode = "clean"
            continue
        m = _CLEAN_ITEM.match(line)
        if m and mode == "clean":
            out.objects.append((m.group(1), "in" if m.group(2) == "at" else m.group(2), m.group(3)))
            continue
        if _INITIAL.match(line):
            mode = "initial"
            continue
        if _STATE.match(line):
            mode = "state"
            out.steps.append([])
            continue
        obj = LOW[0][1].match(line)
        if obj:
            out.objects.append((obj.group(1), obj.group(2), obj.group(3)))
            continue
        if match_line(LOW, line) or match_line(HIGH, line):
            out.passthrough.append((len(out.steps), line))
            continue
        change = parse_change(line, "epic")
        if change is None:
            continue
        if mode == "initial":
            out.initial.append(change)
        elif mode == "state":
            out.steps[-1].append(change)
        else:  # predicates before any header: a chunk that starts mid-state
            out.steps.append([change])
            mode = "state"
    return out


def _relevant(reading: _Reading) -> set[str]:
    """Objects that take part: listed to clean, tools, or handled in this text."""
    names = {o for o, _, _ in reading.objects}
    for changes in [reading.initial, *reading.steps]:
        for c in changes:
            if not c.args:
                continue
            if c.predicate == "is_in_hand" or (c.args[0] != TAP and is_tool(c.args[0])):
                names.add(c.args[0])
            if c.predicate in ("is_soapy", "is_clean", "is_dry") and c.value:
                names.add(c.args[0])
    return names


def low_level(text: str) -> list[str]:
    """Low-level actions of one scenario (or chunk) of EPIC text."""
    reading = _read(text)
    real = _relevant(reading)
    lines = [f"Object to clean: '{o}' {r} '{p}'." for o, r, p in reading.objects]
    for c in reading.initial:
        if c.args == (TAP,) and c.value and c.predicate in ("is_on", "is_off"):
            lines.append(f"The tap '{TAP}' is {c.predicate[3:]} at the start.")
    passthrough: dict[int, list[str]] = {}
    for pos, line in reading.passthrough:
        passthrough.setdefault(pos, []).append(line)
    lines += passthrough.get(0, [])
    for n, changes in enumerate(reading.steps, start=1):
        lines += _step_actions(changes, real)
        lines += passthrough.get(n, [])
    return _dedupe_header(lines)


def _dedupe_header(lines: list[str]) -> list[str]:
    """Object and start lines once each (merged chunks repeat them)."""
    seen: set[str] = set()
    out = []
    for ln in lines:
        header = match_line(LOW[:2], ln) or match_line(HIGH[:2], ln)
        if header:
            if ln in seen:
                continue
            seen.add(ln)
        out.append(ln)
    return out


def _step_actions(changes: list[Any], real: set[str]) -> list[str]:
    out = []
    for c in changes:
        if not c.value:
            continue
        a = c.args
        if c.predicate == "at" and len(a) == 1:
            out.append(f"Go to '{a[0]}'.")
        elif c.predicate == "is_in_hand" and a and a[0] in real:
            out.append(f"Pick up '{a[0]}'.")
        elif c.predicate in ("in", "on") and len(a) == 2 and a[0] in real:
            out.append(f"Place '{a[0]}' {c.predicate} '{a[1]}'.")
        elif c.predicate in ("is_on", "is_off") and a == (TAP,):
            out.append(f"Turn {c.predicate[3:]} '{TAP}'.")
        elif c.predicate == "is_soapy" and a and a[0] in real:
            out.append(f"Soap '{a[0]}'.")
        elif c.predicate == "is_clean" and a and a[0] in real:
            out.append(f"Rinse '{a[0]}'.")
        elif c.predicate == "is_dry" and a and a[0] in real:
            out.append(f"Dry '{a[0]}'.")
    return out


# --- level 1 -> 2: low-level actions to washing subtasks -------------------------------------


def subtasks(lines: list[str]) -> list[str]:
    """Keep what the habits are made of: soaping (with the tap's state), rinsing, drying,
    the tap, and where the dishes are put. Walking and picking up are dropped."""
    out: list[str] = []
    tap_on = False
    for line in lines:
        high = match_line(HIGH, line)
        if high:  # already a subtask (merged chunks)
            name, m = high
            if name == "start":
                tap_on = m.group(1) == "on"
            elif name == "tap":
                tap_on = m.group(1) == "on"
            out.append(line.strip())
            continue
        low = match_line(LOW, line)
        if low is None:
            continue
        name, m = low
        if name == "object":
            out.append(line.strip())
        elif name == "start":
            tap_on = m.group(2) == "on"
            out.append(f"The tap is {m.group(2)} at the start.")
        elif name == "tap":
            tap_on = m.group(1) == "on"
            out.append(f"Turn {m.group(1)} the tap.")
        elif name == "soap":
            out.append(f"Soap '{m.group(1)}' with the tap {'running' if tap_on else 'off'}.")
        elif name == "rinse":
            out.append(f"Rinse '{m.group(1)}' under the tap.")
        elif name == "dry":
            out.append(f"Dry '{m.group(1)}' with the towel.")
        elif name == "place" and not is_tool(m.group(1)):
            out.append(f"Put '{m.group(1)}' {m.group(2)} '{m.group(3)}'.")
    return _dedupe_header(out)


def to_subtasks(text: str) -> list[str]:
    """Any level (predicates, actions, subtasks, or a mix) lifted to subtasks."""
    return subtasks(low_level(text))


# --- specification ---------------------------------------------------------------------------


def record_of(lines: list[str]) -> checks.Record:
    """Subtask lines as the record the preference checks read."""
    items: list[str] = []
    place: dict[str, str] = {}
    events: list[checks.Event] = []
    tap_on = False
    for line in lines:
        found = match_line(HIGH, line)
        if found is None:
            continue
        name, m = found
        if name == "object":
            items.append(m.group(1))
            place[m.group(1)] = m.group(3)
        elif name == "start":
            tap_on = m.group(1) == "on"
        elif name == "tap":
            tap_on = m.group(1) == "on"
            events.append(checks.Event("tap_on" if tap_on else "tap_off", None, tap_on))
        elif name == "soap":
            events.append(checks.Event("soap", m.group(1), m.group(2) == "running"))
        elif name == "rinse":
            events.append(checks.Event("rinse", m.group(1), tap_on))
        elif name == "dry":
            events.append(checks.Event("dry", m.group(1), tap_on))
        elif name == "put":
            place[m.group(1)] = m.group(3)
    if not items:  # no list given: what was washed
        items = list(dict.fromkeys(e.obj for e in events if e.obj))
    return checks.Record(items, events, place, {}, tap_on)


@dataclass(frozen=True)
class Habits:
    """How this person washes up: what the specification says and the code does."""

    order: str  # each | kind | all
    soap_tap: str | None  # on | off | None (leave it as it is)
    between_off: bool  # close the tap after each group is rinsed
    end_off: bool  # close the tap at the end
    dry: bool
    destination: str  # where clean dishes go ("sink_1" when the demonstrations disagree)


def habits_of(prefs_list: list[dict[str, Any]]) -> Habits:
    """One set of habits from the preferences each scenario shows (the majority of the
    scenarios that show a habit; a habit no scenario shows gets the plain default)."""

    def vote(key: str) -> Any:
        seen = [p[key] for p in prefs_list if p.get(key) is not None]
        return Counter(seen).most_common(1)[0][0] if seen else None

    order, soap_tap, between = vote("order"), vote("tap_when_soaping"), vote("tap_between")
    if order is None:  # one dish, or a mixed order: soap-and-rinse each unless that clashes
        order = "all" if soap_tap == "off" and between == "running" else "each"
    dest = vote("destination") or SINK
    return Habits(
        order=order,
        soap_tap=soap_tap,
        between_off=between == "off",
        end_off=any(p.get("tap_at_end") == "off" for p in prefs_list),
        dry=any(p.get("dry") for p in prefs_list),
        destination=dest,
    )


def habits_from_texts(texts: list[str]) -> Habits:
    prefs = []
    for text in texts:
        rec = record_of(to_subtasks(text))
        if rec.events:
            prefs.append(checks.infer_preferences(rec))
    if not prefs:
        raise GenerationFailed("the demonstrations show no soaping, rinsing or tap use")
    return habits_of(prefs)


def _put_line(place: str) -> str:
    return f"Put the dish {relation(place)} '{place}'."


def spec_text(h: Habits, instruction: str | None) -> str:
    head = instruction.strip() if instruction else "Do the task shown in the demonstrations."
    lines = [head, "Specifically:", "Get the list of dishes to clean.", "Pick up the sponge."]
    soap_tap = {"on": ["Turn the tap on."], "off": ["Turn the tap off."], None: []}[h.soap_tap]
    finish = (["Dry the dish with the towel."] if h.dry else []) + [_put_line(h.destination)]
    if h.order == "each":
        body = ["Bring the dish to the sink and pick it up.", *soap_tap, "Soap the dish."]
        body += ["Turn the tap on.", "Rinse the dish."]
        body += ["Turn the tap off."] if h.between_off else []
        lines += ["For each dish:", *_indent(body + finish, 1)]
    else:
        soaping = [
            "For each dish{}:",
            "    Bring the dish to the sink and pick it up.",
            "    Soap the dish.",
            "    Put the dish down in the sink.",
            "Turn the tap on.",
            "For each dish{}:",
            "    Bring the dish to the sink and pick it up.",
            "    Rinse the dish.",
            *_indent(finish, 1),
        ]
        if h.order == "all":
            lines += soap_tap + [ln.format("") for ln in soaping]
        else:
            group = [*soap_tap, *(ln.format(" of that kind") for ln in soaping)]
            group += ["Turn the tap off."] if h.between_off else []
            lines += ["For each kind of dish:", *_indent(group, 1)]
    lines.append("Turn the tap off at the end." if h.end_off else "Leave the tap running.")
    return "\n".join(lines)


def _indent(lines: list[str], n: int) -> list[str]:
    return ["    " * n + ln for ln in lines]


# --- code ------------------------------------------------------------------------------------

SPEC: list[tuple[str, re.Pattern[str]]] = [
    ("list", re.compile(r"^Get the list of dishes to clean\.$")),
    ("sponge", re.compile(r"^Pick up the sponge\.$")),
    ("each", re.compile(r"^For each dish:$")),
    ("kinds", re.compile(r"^For each kind of dish:$")),
    ("in_kind", re.compile(r"^For each dish of that kind:$")),
    ("take", re.compile(r"^Bring the dish to the sink and pick it up\.$")),
    ("on", re.compile(r"^Turn the tap on\.$")),
    ("off", re.compile(r"^Turn the tap off(?: at the end)?\.$")),
    ("running", re.compile(r"^Leave the tap running\.$")),
    ("soap", re.compile(r"^Soap the dish\.$")),
    ("rinse", re.compile(r"^Rinse the dish\.$")),
    ("dry", re.compile(r"^Dry the dish with the towel\.$")),
    ("down", re.compile(r"^Put the dish down in the sink\.$")),
    ("put", re.compile(rf"^Put the dish (?:in|on) {Q}\.$")),
]
_STATEMENT = {
    "list": "dishes = get_all_objects()",
    "sponge": "pick_up_sponge()",
    "each": "for dish in dishes:",
    "kinds": "for group in group_by_kind(dishes):",
    "in_kind": "for dish in group:",
    "take": "take_dish_at_sink(dish)",
    "on": "open_tap()",
    "off": "close_tap()",
    "running": "# leave the tap running",
    "soap": "soap(dish)",
    "rinse": "rinse(dish)",
    "dry": "dry_with_towel(dish)",
    "down": f"put_dish_at(dish, '{SINK}')",
}


def spec_to_code(spec: str) -> str:
    body = spec_body(spec)
    code = []
    for raw in body:
        if not raw.strip():
            continue
        found = match_line(SPEC, raw)
        if found is None:
            raise unreadable(raw)
        name, m = found
        depth = (len(raw) - len(raw.lstrip(" "))) // 4
        stmt = f"put_dish_at(dish, '{m.group(1)}')" if name == "put" else _STATEMENT[name]
        code.append("    " * depth + stmt)
    return "\n".join(code) + "\n"


# --- the rules object ------------------------------------------------------------------------


class EpicRules:
    def __init__(self) -> None:
        self.skills = data_dir() / "epic" / "skills.py"

    def summarize_step(self, ctx: StageContext, text: str, level: int) -> StageAnswer:
        if level == 0:
            return StageAnswer("\n".join(low_level(text)), done=False)
        return StageAnswer("\n".join(to_subtasks(text)), done=True)

    def specify(self, ctx: StageContext, summaries: list[str], instruction: str | None):
        return StageAnswer(spec_text(habits_from_texts(summaries), instruction))

    def write_code(self, ctx: StageContext, spec: str) -> StageAnswer:
        code = spec_to_code(spec)
        return StageAnswer(code, code=code)

    def define(self, ctx: StageContext, signature: str, program_so_far: str) -> StageAnswer:
        return define_from_library(self.skills, signature)

    def code_from_demos(self, ctx: StageContext, demos: list[str], instruction: str | None):
        code = spec_to_code(spec_text(habits_from_texts(demos), instruction))
        return StageAnswer(code, code=code)

    def spec_from_demos(self, ctx: StageContext, demos: list[str], instruction: str | None):
        return self.specify(ctx, demos, instruction)

    def low_level_actions(self, ctx: StageContext, text: str) -> StageAnswer:
        return StageAnswer("\n".join(low_level(text)))
