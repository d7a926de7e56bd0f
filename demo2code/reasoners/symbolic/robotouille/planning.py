"""Subtasks to a plan: ops with object ids abstracted to roles, repeated units (two burgers)
and whether they are made one after the other or in phases, merged over scenarios."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from demo2code.reasoners.symbolic.common import lcs_pairs
from demo2code.reasoners.symbolic.robotouille.reading import Q, kind, low_level
from demo2code.reasoners.symbolic.robotouille.subtasks import LOW, subtasks

# --- specification ---------------------------------------------------------------------------

HIGH = [
    ("cook", re.compile(rf"^Cook {Q}\.$")),
    ("cut", re.compile(rf"^Cut {Q}\.$")),
    ("fry", re.compile(rf"^Fry {Q}\.$")),
    ("start", re.compile(rf"^Start (?:cooking|frying) {Q}\.$")),
    ("wait", re.compile(rf"^Wait until {Q} is (cooked|fried)\.$")),
    ("stack", re.compile(rf"^Stack {Q} on top of {Q}\.$")),
    ("place", re.compile(rf"^Place {Q} on an? ([a-z ]+)\.$")),
]

# ("cook", obj) | ("cut", obj) | ("fry", obj) | ("stack", top, bottom) | ("place", obj, kind)
# | ("start", obj) | ("wait", obj, state): a time-taking process with work between its start
# and its wait (the start's state is the wait's).
Op = tuple[str, ...]


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
                if name == "start":
                    state = "fried" if line.startswith("Start frying") else "cooked"
                    arg = (arg[0], state)
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
            out.append((op[0], roles[op[1]], *op[2:]))
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
