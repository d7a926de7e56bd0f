"""EPIC dish-washing rules for every pipeline stage.

Summaries go up in two levels, each written as text a model could have written:
  level 0 -> 1: predicate changes -> low-level actions ("Pick up 'mug_1'.", "Soap 'mug_1'.")
  level 1 -> 2: low-level actions -> washing subtasks ("Soap 'mug_1' with the tap off.",
                "Turn on the tap.", "Put 'mug_1' in 'dishrack_1'.")
Both levels are idempotent on text that is already at or above their level, because the
summarizer merges chunk summaries by summarizing their concatenation at the same level.

Noise (the paper's dropped predicates or states) only removes evidence, so level 1 marks a
state with nothing to show, and level 2 keeps a belief of the tap, of the dishes in hand and
of where the person is, and restores what the evidence around a loss shows: a dish that
rinses clean was soaped, a soapy dish put away was rinsed, a rinse means a running tap, a
second opening means a lost closing (placed at the marked state, else next to the evidence).

Only objects that take part in the washing count: the listed objects to clean, the
cleaning tools, and anything the person held. Facts about other objects (the paper's
distraction ablation) are ignored. The specification is the person's habits (read by the
reasoner's own rules in epic_habits.py, apart from the unit tests) written as pseudocode in
a small line-oriented language that `write_code` reads back; helper functions come from
the skill library `data/epic/skills.py`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from demo2code.benchmarks.epic.sim import SINK, TAP, is_tool, kind_of, relation
from demo2code.demo_text import parse_change
from demo2code.reasoners.base import GenerationFailed, StageAnswer, StageContext
from demo2code.reasoners.symbolic.common import RuleSet, match_line, spec_body, unreadable
from demo2code.reasoners.symbolic.epic_habits import read_habits, read_washing

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
    ("gap", re.compile(r"^Something happened here that was not recorded\.$")),
]
GAP = "Something happened here that was not recorded."
# Level 2 (washing subtasks).
HIGH = [
    ("object", LOW[0][1]),
    ("start", re.compile(r"^The tap is (on|off) at the start\.$")),
    ("soap", re.compile(rf"^Soap {Q} with the tap (off|running)\.$")),
    ("soap_unknown", re.compile(rf"^Soap {Q} \(the tap's state was not recorded\)\.$")),
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
        # a state with nothing to show marks where noise took a change away: the belief
        # at the next level places missing tap changes there
        lines += _step_actions(changes, real) or [GAP]
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


@dataclass
class _Entry:
    """One washing subtask on its way to text; soaps and gaps wait for the tap's belief."""

    kind: str  # line | soap | gap | start | tap | rinse
    text: str = ""
    obj: str = ""
    tap: bool | None = None  # the tap's state: stated (start, tap, soap) or believed (soap)
    holding: frozenset[str] = frozenset()  # dishes in hand at an unrecorded state


def _entries(lines: list[str]) -> list[_Entry]:
    """Subtask entries of low-level (or already-subtask) lines, with what the evidence around
    a lost change shows restored: a soapy dish put away from the sink was rinsed; a rinsed
    dish put down after the towel was picked up was dried; a rinsed dish never put down was
    put where the person went with it. A change that explains an unrecorded state uses that
    state up, so the states left over can only hold tap changes."""
    out: list[_Entry] = []
    awaiting: dict[str, bool] = {}  # rinsed dishes not yet put down -> towel picked since
    dried: set[str] = set()
    soapy: set[str] = set()
    held: set[str] = set()
    loc: str | None = None

    def explain() -> None:
        """A lost change shows here: the latest unrecorded state was it."""
        for j in range(len(out) - 1, -1, -1):
            if out[j].kind == "gap":
                del out[j]
                return
            if out[j].kind in ("tap", "start"):
                return

    def rinse(obj: str, at: int | None = None) -> None:
        entry = _Entry("rinse", f"Rinse '{obj}' under the tap.", obj)
        if at is None:
            out.append(entry)
        else:
            out.insert(at, entry)
        soapy.discard(obj)
        awaiting[obj] = False
        dried.discard(obj)

    def unseen_soap(obj: str) -> None:
        """A dish that rinses clean was soapy: soaped at an unrecorded state while it was
        in hand, else (no trace) before it was last put down in the sink to wait, else just
        before the rinse, with the tap's state unknown."""
        soapy.add(obj)
        for j in range(len(out) - 1, -1, -1):
            if out[j].kind == "gap" and obj in out[j].holding:
                out[j] = _Entry("soap", obj=obj, text="soap")
                return
        waits = [j for j, e in enumerate(out) if e.obj == obj and e.text.endswith(f"'{SINK}'.")]
        if waits:
            out.insert(waits[-1], _Entry("soap", obj=obj, text="soap"))
        else:
            out.append(_Entry("soap", obj=obj, text="soap_unknown"))

    def put(obj: str, rel: str, where: str) -> None:
        if obj in soapy and where != SINK:  # it ends clean: the rinse was lost
            explain()
            soaps = [j for j, e in enumerate(out) if e.kind == "soap" and e.obj == obj]
            soap_at = soaps[-1] if soaps else len(out)
            offs = [j for j in range(soap_at, len(out)) if out[j].kind == "tap" and not out[j].tap]
            rinse(obj, offs[-1] if offs else None)
        if awaiting.pop(obj, False) and obj not in dried:
            out.append(_Entry("line", f"Dry '{obj}' with the towel.", obj))
        if loc is not None and loc != where:
            explain()  # the walk there was lost
        out.append(_Entry("line", f"Put '{obj}' {rel} '{where}'.", obj))
        held.discard(obj)

    for line in lines:
        found = match_line(HIGH, line) or match_line(LOW, line)
        if found is None:
            continue
        name, m = found
        high = match_line(HIGH, line) is not None
        if name == "object":
            out.append(_Entry("line", line.strip()))
        elif name == "start":
            out.append(_Entry("start", tap=m.group(1 if high else 2) == "on"))
        elif name == "tap":
            out.append(_Entry("tap", tap=m.group(1) == "on"))
        elif name in ("soap", "soap_unknown"):
            stated = (m.group(2) == "running") if high and name == "soap" else None
            if not high and m.group(1) not in held:
                explain()  # the pick-up was lost
            out.append(_Entry("soap", obj=m.group(1), tap=stated, text=name))
            dried.discard(m.group(1))
            soapy.add(m.group(1))
            held.add(m.group(1))
        elif name == "rinse":
            if not high and m.group(1) not in held:
                explain()
            if not high and m.group(1) not in soapy:
                unseen_soap(m.group(1))
            rinse(m.group(1))
            held.add(m.group(1))
        elif name == "dry":
            out.append(_Entry("line", f"Dry '{m.group(1)}' with the towel.", m.group(1)))
            dried.add(m.group(1))
        elif name == "gap":
            out.append(_Entry("gap", holding=frozenset(held)))
        elif name == "go":
            loc = m.group(1)
        elif name == "pick":
            held.add(m.group(1))
            if is_tool(m.group(1)) and kind_of(m.group(1)) != "sponge":
                awaiting = dict.fromkeys(awaiting, True)
        elif name == "put" or (name == "place" and not is_tool(m.group(1))):
            put(m.group(1), m.group(2), m.group(3))
            loc = None if high else m.group(3)
        elif name == "place":
            held.discard(m.group(1))
    for obj in sorted(soapy & held):  # taken away soapy: rinsed at a lost state in hand
        gaps = [j for j, e in enumerate(out) if e.kind == "gap" and obj in e.holding]
        if gaps and loc not in (None, SINK):
            out[gaps[0]] = _Entry("rinse", f"Rinse '{obj}' under the tap.", obj)
            awaiting[obj] = False
            soapy.discard(obj)
    for obj in list(awaiting):  # its put-down was lost where the person took it
        if obj in held and loc not in (None, SINK):
            explain()
            put(obj, relation(loc), loc)
    return out


def _believe_tap(entries: list[_Entry]) -> dict[int, list[str]]:
    """Give each soap the tap's state and return tap changes to insert (by entry index).
    Evidence of the tap's state: the start, turning it on or off, and rinsing (the tap runs).
    When two pieces of evidence disagree, one change was not recorded between them: it sits
    at the unrecorded state between them if there is one; otherwise the soaps between them
    have an unknown tap state."""
    inserts: dict[int, list[str]] = {}
    state, anchor, pending = False, -1, []
    for i, e in enumerate(entries):
        if e.kind in ("soap", "gap"):
            if e.kind == "soap" and e.text != "soap_unknown" and e.tap is not None:
                need: bool | None = e.tap  # a subtask that states the tap's state
            else:
                if e.kind == "soap" and e.text != "soap_unknown":
                    e.tap = state
                pending.append(i)
                continue
        elif e.kind == "start":
            state, anchor, pending = bool(e.tap), i, []
            continue
        elif e.kind == "tap":
            need = not e.tap
        elif e.kind == "rinse":
            need = True
        else:
            continue
        if need != state:
            _missed_tap(entries, pending, anchor, i, state, inserts)
        state = bool(e.tap) if e.kind in ("tap", "soap") else True
        anchor, pending = i, []
    gaps = [j for j in pending if entries[j].kind == "gap"]
    if state and gaps:  # a running tap with a state lost after its last use: closed there
        _missed_tap(entries, pending, anchor, len(entries), state, inserts)
    return inserts


def _missed_tap(
    entries: list[_Entry],
    pending: list[int],
    anchor: int,
    here: int,
    state: bool,
    inserts: dict[int, list[str]],
) -> None:
    """Place one lost tap change between evidence at `anchor` (tap `state`) and at `here`.
    People close the tap right after rinsing and open it right before, so a closing goes to
    the first unrecorded state in between and an opening to the last (or, with no such
    state, right after or before the evidence). Soaps between several unrecorded states
    may be on either side of the change: their tap state is unknown."""
    need = not state
    gaps = [j for j in pending if entries[j].kind == "gap"]
    if gaps:
        at = gaps[-1] if need else gaps[0]
        lo, hi = (gaps[0], at) if need else (at, gaps[-1])
    else:  # no trace of it: the change sits next to the evidence that shows it
        at = here if need else anchor + 1
        lo, hi = (here, here) if need else (anchor, anchor)
    for j in pending:
        if entries[j].kind == "soap" and entries[j].text != "soap_unknown":
            entries[j].tap = state if j < lo else need if j > hi else None
    inserts.setdefault(at, []).append(f"Turn {'on' if need else 'off'} the tap.")


def subtasks(lines: list[str]) -> list[str]:
    """Keep what the habits are made of: soaping (with the tap's state), rinsing, drying,
    the tap, and where the dishes are put. Walking and picking up are dropped."""
    entries = _entries(lines)
    inserts = _believe_tap(entries)
    out: list[str] = []
    for i, e in enumerate(entries):
        out += inserts.get(i, [])
        if e.kind == "start":
            out.append(f"The tap is {'on' if e.tap else 'off'} at the start.")
        elif e.kind == "tap":
            out.append(f"Turn {'on' if e.tap else 'off'} the tap.")
        elif e.kind == "soap" and e.tap is None:
            out.append(f"Soap '{e.obj}' (the tap's state was not recorded).")
        elif e.kind == "soap":
            out.append(f"Soap '{e.obj}' with the tap {'running' if e.tap else 'off'}.")
        elif e.kind in ("line", "rinse"):
            out.append(e.text)
    out += inserts.get(len(entries), [])
    return _dedupe_header(out)


def to_subtasks(text: str) -> list[str]:
    """Any level (predicates, actions, subtasks, or a mix) lifted to subtasks."""
    return subtasks(low_level(text))


# --- specification ---------------------------------------------------------------------------


def subtask_fields(lines: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Level-2 lines as (kind, fields) pairs for `epic_habits.read_washing`."""
    out = []
    for line in lines:
        found = match_line(HIGH, line)
        if found is not None:
            out.append((found[0], found[1].groups()))
    return out


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
    """The reasoner's own reading of each scenario (epic_habits), combined by `habits_of`."""
    prefs = []
    for text in texts:
        washing = read_washing(subtask_fields(to_subtasks(text)))
        if washing.acts:
            prefs.append(read_habits(washing))
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


class EpicRules(RuleSet):
    benchmark = "epic"
    low_level = staticmethod(low_level)
    spec_to_code = staticmethod(spec_to_code)

    def summarize_step(self, ctx: StageContext, text: str, level: int) -> StageAnswer:
        if level == 0:
            return StageAnswer("\n".join(low_level(text)), done=False)
        return StageAnswer("\n".join(to_subtasks(text)), done=True)

    def spec_from_texts(self, texts: list[str], instruction: str | None) -> str:
        return spec_text(habits_from_texts(texts), instruction)
