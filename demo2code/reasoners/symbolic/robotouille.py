"""Robotouille rules for every pipeline stage.

Summaries go up in two levels, each written as text a model could have written:
  level 0 -> 1: predicate changes -> low-level actions ("Pick up 'patty1' from 'table2'.")
  level 1 -> 2: low-level actions -> subtasks ("Cook 'patty1'.", "Stack 'a' on top of 'b'.")
Inference keeps a belief of where things are, so a missing predicate or a missing state is
bridged from the evidence around it (an item that left a stove was cooked; an item put down
where another item lies was stacked on it). The specification abstracts object ids to roles,
finds repeated units (two burgers) and whether they are made one after the other or in
phases, and is written in a small line-oriented language that `write_code` reads back.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from demo2code import demo_text
from demo2code.errors import InputError
from demo2code.reasoners.base import GenerationFailed, StageAnswer, StageContext
from demo2code.reasoners.symbolic.common import (
    RuleSet,
    lcs_pairs,
    match_line,
    spec_body,
    unreadable,
)
from robotouille.kinds import ITEM_KINDS

Q = r"'([^']+)'"
ORDINALS = ["", "second", "third", "fourth", "fifth", "sixth"]


def kind(obj: str) -> str:
    return obj.rstrip("0123456789")


def words(k: str) -> str:
    return k.replace("_", " ")


def article(k: str) -> str:
    return "an" if words(k)[0] in "aeiou" else "a"


# --- level 0 -> 1: predicates to low-level actions -------------------------------------------


@dataclass
class Belief:
    robot_at: str | None = None
    held: str | None = None
    item_at: dict[str, str] = field(default_factory=dict)
    below: dict[str, str] = field(default_factory=dict)
    moved_to: list[str] = field(default_factory=list)  # moves since the last pick-up

    def unseen_put_down(self) -> str:
        """The held item's put-down was not recorded: it most likely happened where the
        robot went first after picking it up."""
        assert self.held is not None
        where = self.moved_to[0] if self.moved_to else self.robot_at
        return self.put_down(self.held, where, None)

    def top_at(self, station: str) -> str | None:
        items = [i for i, s in self.item_at.items() if s == station]
        covered = {self.below[i] for i in items if i in self.below}
        tops = [i for i in items if i not in covered]
        return tops[0] if len(tops) == 1 else None

    def put_down(self, item: str, station: str | None, onto: str | None) -> str:
        if onto is None and station is not None and kind(station) == "table":
            onto = self.top_at(station)
        if station is None and onto is not None:
            station = self.item_at.get(onto)
        self.held = None if self.held == item else self.held
        if station:
            self.item_at[item] = station
        if onto:
            self.below[item] = onto
            return f"Stack '{item}' on top of '{onto}'" + (f" at '{station}'." if station else ".")
        return f"Place '{item}' on '{station}'." if station else f"Put down '{item}'."

    def pick(self, item: str, station: str | None, under: str | None) -> str:
        under = under or self.below.get(item)
        station = station or self.item_at.get(item) or self.robot_at
        lines = []
        if self.held and self.held != item:
            lines.append(self.unseen_put_down())
        self.held = item
        self.moved_to = []
        self.item_at.pop(item, None)
        self.below.pop(item, None)
        if station:
            self.robot_at = station
        if under:
            lines.append(f"Unstack '{item}' from '{under}'.")
        else:
            lines.append(f"Pick up '{item}'" + (f" from '{station}'." if station else "."))
        return "\n".join(lines)


def low_level(text: str) -> list[str]:
    """Low-level actions of every scenario in `text` (predicate changes, paper style)."""
    if not text.lstrip().startswith("[Scenario"):  # a chunk of a longer scenario
        text = "[Scenario 1]\n(no instruction)\n\n" + text.lstrip()
    # Methods that hide the instruction leave the scenario header without one.
    text = re.sub(r"(\[Scenario \d+\]\n)(?=\s*\n|State )", r"\1(no instruction)\n", text)
    try:
        demo = demo_text.parse(text, style="robotouille", source="<scenario>")
    except InputError as err:
        raise GenerationFailed(f"cannot read the demonstration: {err}") from None
    out: list[str] = []
    for scenario in demo.scenarios:
        belief = Belief()
        real = _handled_objects(scenario.steps)
        for step in scenario.steps:
            changes = [c for c in step.changes if _robot(c.args[0]) or c.args[0] in real]
            out += _step_actions(belief, changes)
        if belief.held:
            out.append(belief.unseen_put_down())
    return out


def _handled_objects(steps) -> set[str]:
    """Items move only in the robot's hands: an item is part of the task if the robot was
    seen holding it, or if such an item was stacked on it. Facts about anything else are
    distractions and are ignored."""
    real = {c.args[1] for st in steps for c in st.changes if c.predicate == "holding"}
    grew = True
    while grew:
        below = {
            c.args[1]
            for st in steps
            for c in st.changes
            if c.predicate == "atop" and c.args[0] in real
        }
        grew = not below <= real
        real |= below
    return real


def _step_actions(b: Belief, changes) -> list[str]:
    robot_to = [c.args[1] for c in changes if c.predicate == "at" and _robot(c.args[0]) and c.value]
    held_on = [c.args[1] for c in changes if c.predicate == "holding" and c.value]
    held_off = [c.args[1] for c in changes if c.predicate == "holding" and not c.value]
    at_on = {
        c.args[0]: c.args[1]
        for c in changes
        if c.predicate == "at" and not _robot(c.args[0]) and c.value
    }
    at_off = {
        c.args[0]: c.args[1]
        for c in changes
        if c.predicate == "at" and not _robot(c.args[0]) and not c.value
    }
    atop_on = {c.args[0]: c.args[1] for c in changes if c.predicate == "atop" and c.value}
    atop_off = {c.args[0]: c.args[1] for c in changes if c.predicate == "atop" and not c.value}
    lines: list[str] = []
    if robot_to:
        b.robot_at = robot_to[0]
        b.moved_to.append(robot_to[0])
        lines.append(f"Move to '{robot_to[0]}'.")
    picked = set(held_on) | (set(at_off) - set(at_on)) | (set(atop_off) - set(atop_on))
    for item in sorted(picked):
        lines.append(b.pick(item, at_off.get(item), atop_off.get(item)))
    dropped = (set(at_on) | set(atop_on) | set(held_off)) - picked
    for item in sorted(dropped):
        lines.append(b.put_down(item, at_on.get(item) or b.robot_at, atop_on.get(item)))
    for c in changes:
        if c.value and c.predicate in ("cut", "cooked"):
            lines.append(f"'{c.args[0]}' is now {c.predicate}.")
    return lines


def _robot(name: str) -> bool:
    return kind(name) == "robot"


# --- level 1 -> 2: low-level actions to subtasks ---------------------------------------------

LOW = [
    ("move", re.compile(rf"^Move to {Q}\.$")),
    ("pick", re.compile(rf"^Pick up {Q}(?: from {Q})?\.$")),
    ("unstack", re.compile(rf"^Unstack {Q} from {Q}\.$")),
    ("place", re.compile(rf"^Place {Q} on {Q}\.$")),
    ("stack", re.compile(rf"^Stack {Q} on top of {Q}(?: at {Q})?\.$")),
    ("putdown", re.compile(rf"^Put down {Q}\.$")),
    ("done", re.compile(rf"^{Q} is now (cut|cooked)\.$")),
]
PREP = {"stove": "cooked", "fryer": "cooked", "cutting_board": "cut"}
VERB = {"cooked": "Cook", "cut": "Cut"}


def _prepares(item: str, station: str | None) -> str | None:
    """What putting `item` on `station` is for, given what the kinds can do."""
    what = PREP.get(kind(station)) if station else None
    known = ITEM_KINDS.get(kind(item))
    if what is None or known is None:
        return None
    return what if (known.cookable if what == "cooked" else known.cuttable) else None


def subtasks(lines: list[str]) -> list[str]:
    """Group low-level actions into subtasks. A preparation is placed where it starts (the
    item put on a stove or board); if that was not recorded, where it is first evident (the
    item is reported done, or leaves the stove or board)."""
    out: list[str] = []
    emitted: set[tuple[str, str]] = set()

    def prepare(item: str, what: str | None) -> None:
        if what and (item, what) not in emitted:
            emitted.add((item, what))
            out.append(f"{VERB[what]} '{item}'.")

    for line in lines:
        found = match_line(LOW, line)
        if found is None:
            continue
        name, m = found
        if name == "pick":
            prepare(m.group(1), _prepares(m.group(1), m.group(2)))
        elif name == "place":
            item, station = m.groups()
            what = _prepares(item, station)
            if what:
                prepare(item, what)
            elif kind(station) not in PREP:
                out.append(f"Place '{item}' on a {words(kind(station))}.")
        elif name == "stack":
            out.append(f"Stack '{m.group(1)}' on top of '{m.group(2)}'.")
        elif name == "done":
            prepare(m.group(1), m.group(2))
    return out


# --- specification ---------------------------------------------------------------------------

HIGH = [
    ("cook", re.compile(rf"^Cook {Q}\.$")),
    ("cut", re.compile(rf"^Cut {Q}\.$")),
    ("stack", re.compile(rf"^Stack {Q} on top of {Q}\.$")),
    ("place", re.compile(rf"^Place {Q} on an? ([a-z ]+)\.$")),
]

Op = tuple[str, ...]  # ("cook", obj) | ("cut", obj) | ("stack", top, bottom) | ("place", obj, kind)


def parse_ops(summary: str) -> list[Op]:
    """Subtask lines -> ops; lower-level summaries are lifted first (the 2steps ablation)."""
    lines = [ln.strip() for ln in summary.splitlines() if ln.strip()]
    if any(ln.startswith("State ") for ln in lines):
        lines = subtasks(low_level(summary))
    elif any(LOW[0][1].match(ln) or LOW[1][1].match(ln) for ln in lines):
        lines = subtasks(lines)
    ops: list[Op] = []
    for line in lines:
        for name, rx in HIGH:
            m = rx.match(line)
            if m:
                arg = m.groups()
                if name == "place":
                    arg = (arg[0], arg[1].replace(" ", "_"))
                op = (name, *arg)
                if op not in ops or name == "place":
                    ops.append(op)
                break
    return ops


@dataclass(frozen=True)
class Plan:
    """`phases` of role-level ops; each phase runs `repeat` times (one unit after the other)."""

    repeat: int
    phases: tuple[tuple[Op, ...], ...]
    roles: tuple[tuple[str, str], ...]  # role -> kind, in order of first use


def _units(ops: list[Op]) -> list[list[int]]:
    """Op indices grouped by connected objects (what is stacked together is one unit)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            x = parent[x]
        return x

    for op in ops:
        objs = [op[1]] + ([op[2]] if op[0] == "stack" else [])
        for o in objs:
            find(o)
        if op[0] == "stack":
            parent[find(op[1])] = find(op[2])
    groups: dict[str, list[int]] = {}
    for n, op in enumerate(ops):
        groups.setdefault(find(op[1]), []).append(n)
    return sorted(groups.values(), key=lambda g: g[0])


def _role_ops(ops: list[Op], roles: dict[str, str], counts: Counter) -> tuple[Op, ...]:
    """Ops with objects renamed to roles ('patty', 'bread_2'), naming new objects as met
    (the bottom of a stack before its top)."""
    out = []
    for op in ops:
        objs = [op[2], op[1]] if op[0] == "stack" else [op[1]]
        for obj in objs:
            if obj not in roles:
                counts[kind(obj)] += 1
                n = counts[kind(obj)]
                roles[obj] = kind(obj) if n == 1 else f"{kind(obj)}_{n}"
        if op[0] == "stack":
            out.append(("stack", roles[op[1]], roles[op[2]]))
        elif op[0] == "place":
            out.append(("place", roles[op[1]], op[2]))
        else:
            out.append((op[0], roles[op[1]]))
    return tuple(out)


def plan_of(ops: list[Op]) -> Plan:
    units = _units(ops)
    sigs = []
    for unit in units:
        roles: dict[str, str] = {}
        sigs.append((_role_ops([ops[i] for i in unit], roles, Counter()), roles))
    if len(units) > 1 and len({s for s, _ in sigs}) == 1:
        phases = _phases(units, len(sigs[0][0]))
        if phases is not None:
            sig, roles = sigs[0]
            role_kinds = tuple((r, kind(o)) for o, r in roles.items())
            blocks = tuple(sig[a:b] for a, b in phases)
            return Plan(len(units), blocks, role_kinds)
    roles = {}
    sig = _role_ops(ops, roles, Counter())
    return Plan(1, (sig,), tuple((r, kind(o)) for o, r in roles.items()))


def _phases(units: list[list[int]], k: int) -> list[tuple[int, int]] | None:
    """Blocks of op positions such that the demonstration did block 1 for every unit, then
    block 2 for every unit, ...; None if it interleaved otherwise."""
    order = sorted((idx, u, pos) for u, unit in enumerate(units) for pos, idx in enumerate(unit))
    seq = [(u, pos) for _, u, pos in order]
    blocks, i = [], 0
    while i < len(seq):
        u0, a = seq[i]
        b = a
        while i + (b - a) < len(seq) and seq[i + (b - a)] == (u0, b):
            b += 1
        expect = [(u, p) for u in range(len(units)) for p in range(a, b)]
        if u0 != 0 or seq[i : i + len(expect)] != expect:
            return None
        blocks.append((a, b))
        i += len(expect)
    return blocks if blocks and blocks[-1][1] == k else None


def _key(op: Op) -> tuple[str, str]:
    return ("put" if op[0] in ("stack", "place") else op[0], kind(op[1]))


def _objects(op: Op) -> list[str]:
    return [op[1], op[2]] if op[0] == "stack" else [op[1]]


def merge_scenarios(op_lists: list[list[Op]]) -> list[Op]:
    """One consensus list of ops from several scenarios of the same task.

    Scenarios are aligned on what each op does to which kind of object; the aligned pairs
    tell which object of one scenario plays the part of which object of the other. Where
    aligned ops disagree the more informative one wins (a stack over a plain placement), and
    an op seen in only one scenario is kept: noise removes evidence, it does not invent it."""
    merged = list(op_lists[0])
    for other in op_lists[1:]:
        merged = _merge_pair(merged, other)
    return merged


def _merge_pair(a: list[Op], b: list[Op]) -> list[Op]:
    pairs = lcs_pairs([_key(o) for o in a], [_key(o) for o in b])
    votes: Counter = Counter()
    for i, j in pairs:
        for weight, (x, y) in zip(
            (2, 1), zip(_objects(b[j]), _objects(a[i]), strict=False), strict=False
        ):
            votes[(x, y)] += weight
    mapping: dict[str, str] = {}
    taken = {o for op in a for o in _objects(op)}
    used: set[str] = set()
    for (x, y), _ in votes.most_common():
        if x not in mapping and y not in used and kind(x) == kind(y):
            mapping[x], _ = y, used.add(y)
    fresh = 100
    for op in b:
        for obj in _objects(op):
            if obj not in mapping:
                while f"{kind(obj)}{fresh}" in taken:
                    fresh += 1
                mapping[obj] = f"{kind(obj)}{fresh}"
                taken.add(mapping[obj])
    b = [
        (op[0], mapping[op[1]], mapping[op[2]])
        if op[0] == "stack"
        else (op[0], mapping[op[1]], *op[2:])
        for op in b
    ]
    out: list[Op] = []
    i = j = 0
    for pi, pj in pairs + [(len(a), len(b))]:
        out += a[i:pi] + b[j:pj]
        if pi < len(a):
            out.append(a[pi] if _informative(a[pi]) >= _informative(b[pj]) else b[pj])
        i, j = pi + 1, pj + 1
    return out


def _informative(op: Op) -> int:
    return 2 if op[0] == "stack" else 1


def role_phrase(role: str) -> str:
    base, _, n = role.partition("_")
    if role.rsplit("_", 1)[-1].isdigit():
        base, n = role.rsplit("_", 1)
        return f"the {ORDINALS[int(n) - 1]} {words(base)}"
    return f"the {words(role)}"


def spec_text(plan: Plan, instruction: str | None) -> str:
    head = instruction.strip() if instruction else "Do the task shown in the demonstrations."
    lines = [head, "Specifically:"]
    kinds = dict(plan.roles)
    chosen: set[str] = set()
    for n, phase in enumerate(plan.phases):
        indent = ""
        if plan.repeat > 1:
            lines.append(
                f"Repeat {plan.repeat} times:"
                if n == 0
                else f"Then repeat {plan.repeat} times, for the same items in the same order:"
            )
            indent = "    "
        for op in phase:
            for role in [op[2], op[1]] if op[0] == "stack" else [op[1]]:
                if role not in chosen:
                    chosen.add(role)
                    k = kinds[role]
                    extra = f" as {role_phrase(role)}" if role != k else ""
                    lines.append(f"{indent}Choose an unused {words(k)}{extra}.")
            if op[0] == "stack":
                lines.append(f"{indent}Stack {role_phrase(op[1])} on top of {role_phrase(op[2])}.")
            elif op[0] == "place":
                lines.append(
                    f"{indent}Place {role_phrase(op[1])} on {article(op[2])} {words(op[2])}."
                )
            else:
                verb = {"cook": "Cook", "cut": "Cut"}[op[0]]
                lines.append(f"{indent}{verb} {role_phrase(op[1])}.")
    return "\n".join(lines)


# --- code ------------------------------------------------------------------------------------

ROLE = r"the (?:(second|third|fourth|fifth|sixth) )?([a-z ]+?)"
SPEC = [
    ("repeat", re.compile(r"^Repeat (\d+) times:$")),
    ("again", re.compile(r"^Then repeat (\d+) times, for the same items in the same order:$")),
    ("choose", re.compile(rf"^Choose an unused ([a-z ]+?)(?: as {ROLE})?\.$")),
    ("cook", re.compile(rf"^Cook {ROLE}\.$")),
    ("cut", re.compile(rf"^Cut {ROLE}\.$")),
    ("stack", re.compile(rf"^Stack {ROLE} on top of {ROLE}\.$")),
    ("place", re.compile(rf"^Place {ROLE} on an? ([a-z ]+)\.$")),
]


def _var(ordinal: str | None, noun: str) -> str:
    base = noun.strip().replace(" ", "_")
    return base if not ordinal else f"{base}_{ORDINALS.index(ordinal) + 1}"


def spec_to_code(spec: str) -> str:
    body = spec_body(spec)
    code = ["used_objs = []"]
    loop, phase_vars, earlier = None, [], []  # vars chosen in the phases so far
    for raw in body:
        if not raw.strip():
            continue
        line = raw.strip()
        found = match_line(SPEC, line)
        if found is None:
            raise unreadable(line)
        name, m = found
        pad = "    " if loop and raw.startswith("    ") else ""
        if name in ("repeat", "again"):
            if loop and phase_vars:
                earlier += phase_vars
            loop, phase_vars = int(m.group(1)), []
            code.append(f"for i in range({loop}):")
            if name == "again":
                code += [f"    {v} = {v}_list[i]" for v in earlier]
            continue
        if name == "choose":
            var = _var(m.group(2), m.group(3)) if m.group(3) else _var(None, m.group(1))
            code.append(f"{pad}{var} = get_unused_obj('{m.group(1).replace(' ', '_')}', used_objs)")
            if loop:
                phase_vars.append(var)
                code.append(f"{pad}{var}_list.append({var})")
                code.insert(1, f"{var}_list = []")
        elif name in ("cook", "cut"):
            code.append(f"{pad}{name}_obj({_var(*m.groups())})")
        elif name == "stack":
            top, bottom = _var(m.group(1), m.group(2)), _var(m.group(3), m.group(4))
            code.append(f"{pad}stack_obj_on({top}, {bottom})")
        elif name == "place":
            obj = _var(m.group(1), m.group(2))
            code.append(f"{pad}move_obj_to_free_location({obj}, '{m.group(3).replace(' ', '_')}')")
    return _drop_unused_lists("\n".join(code)) + "\n"


def _drop_unused_lists(code: str) -> str:
    """Per-unit lists are only kept when a later phase reads them back."""
    lines = code.splitlines()
    keep = []
    for line in lines:
        m = re.match(r"^\s*(\w+)_list(?: = \[\]|\.append\(\w+\))$", line)
        if m and f"{m.group(1)}_list[i]" not in code:
            continue
        keep.append(line)
    return "\n".join(keep)


# --- the rules object ------------------------------------------------------------------------


class RobotouilleRules(RuleSet):
    benchmark = "robotouille"
    low_level = staticmethod(low_level)
    spec_to_code = staticmethod(spec_to_code)

    def summarize_step(self, ctx: StageContext, text: str, level: int) -> StageAnswer:
        if level == 0:
            if not re.search(r"^State \d+:", text, re.M):  # merged chunk summaries
                return StageAnswer(text, done=False)
            return StageAnswer("\n".join(low_level(text)), done=False)
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if any(rx.match(ln.strip()) for ln in lines for _, rx in HIGH) and not any(
            LOW[0][1].match(ln.strip()) for ln in lines
        ):
            return StageAnswer(text, done=True)  # already at the subtask level
        return StageAnswer("\n".join(subtasks(lines)), done=True)

    def spec_from_texts(self, texts: list[str], instruction: str | None) -> str:
        op_lists = [ops for ops in map(parse_ops, texts) if ops]
        if not op_lists:
            raise GenerationFailed("the demonstrations show no cooking, cutting or stacking")
        return spec_text(plan_of(merge_scenarios(op_lists)), instruction)
