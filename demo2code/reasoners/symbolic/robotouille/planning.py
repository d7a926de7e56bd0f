"""Subtasks to a plan: ops with object ids abstracted to roles, repeated units (two burgers)
and whether they are made one after the other or in phases, merged over scenarios."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from demo2code.reasoners.symbolic.common import lcs_pairs
from demo2code.reasoners.symbolic.robotouille.reading import Q, kind, low_level
from demo2code.reasoners.symbolic.robotouille.subtasks import LOW, TIMED, subtasks

# --- specification ---------------------------------------------------------------------------

HIGH = [
    ("cook", re.compile(rf"^Cook {Q}\.$")),
    ("cut", re.compile(rf"^Cut {Q}\.$")),
    ("fry", re.compile(rf"^Fry {Q}\.$")),
    ("fill", re.compile(rf"^Fill {Q}\.$")),
    ("boil", re.compile(rf"^Boil {Q}\.$")),
    ("soup", re.compile(rf"^Make soup of {Q} in {Q}\.$")),
    ("start", re.compile(rf"^Start ({'|'.join(TIMED.values())}) {Q}(?: in {Q})?\.$")),
    ("wait", re.compile(rf"^Wait until {Q} is ({'|'.join(TIMED)})\.$")),
    ("stack", re.compile(rf"^Stack {Q} on top of {Q}\.$")),
    ("place", re.compile(rf"^Place {Q} on an? ([a-z ]+)\.$")),
]

# ("cook", obj) | ("cut", obj) | ("fry", obj) | ("fill", pot) | ("boil", pot)
# | ("soup", obj, pot) | ("stack", top, bottom) | ("place", obj, kind)
# | ("start", obj, state[, container]) | ("wait", obj, state): a time-taking process with work
# between its start and its wait (the start's state is the wait's).
Op = tuple[str, ...]


def op_objects(op: Op) -> list[str]:
    """The objects an op acts on, the one it moves first."""
    if op[0] in ("stack", "soup"):
        return [op[1], op[2]]
    if op[0] == "start" and len(op) > 3:
        return [op[1], op[3]]
    return [op[1]]


def renamed(op: Op, name: Callable[[str], str]) -> Op:
    """`op` with its objects renamed by `name`."""
    if op[0] in ("stack", "soup"):
        return (op[0], name(op[1]), name(op[2]))
    if op[0] == "start" and len(op) > 3:
        return (op[0], name(op[1]), op[2], name(op[3]))
    return (op[0], name(op[1]), *op[2:])


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
                    state = next(d for d, r in TIMED.items() if r == arg[0])
                    arg = (arg[1], state) + ((arg[2],) if arg[2] else ())
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
        objs = op_objects(op)
        for o in objs:
            find(o)
        if len(objs) > 1:
            parent[find(objs[0])] = find(objs[1])
    groups: dict[str, list[int]] = {}
    for n, op in enumerate(ops):
        groups.setdefault(find(op[1]), []).append(n)
    return sorted(groups.values(), key=lambda g: g[0])


def _role_ops(ops: list[Op], roles: dict[str, str], counts: Counter) -> tuple[Op, ...]:
    """Ops with objects renamed to roles ('patty', 'bread_2'), naming new objects as met
    (the bottom of a stack before its top)."""
    out = []
    for op in ops:
        for obj in reversed(op_objects(op)):
            if obj not in roles:
                counts[kind(obj)] += 1
                n = counts[kind(obj)]
                roles[obj] = kind(obj) if n == 1 else f"{kind(obj)}_{n}"
        out.append(renamed(op, roles.__getitem__))
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


# A blocking op and a start (with its wait) are the same preparation, shown without and with
# overlap: scenarios align them, and the overlap wins (noise can hide work that happened
# meanwhile, by losing the state that showed it, but the start was seen where it was).
_BLOCKING = {"cook": "cooked", "fry": "fried", "boil": "boiling", "soup": "soup"}


def _key(op: Op) -> tuple[str, ...]:
    if op[0] == "start":
        return ("prepare", kind(op[1]), op[2])
    if op[0] in _BLOCKING:
        return ("prepare", kind(op[1]), _BLOCKING[op[0]])
    return ("put" if op[0] in ("stack", "place") else op[0], kind(op[1]))


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
    """Scenarios are aligned on what they do (waits left out: noise moves a wait later when
    it loses the state that showed the item done); each wait then goes after the op it
    followed, the earlier of the two scenarios' places when both show it."""
    ca, cb = [o for o in a if o[0] != "wait"], [o for o in b if o[0] != "wait"]
    pairs = lcs_pairs([_key(o) for o in ca], [_key(o) for o in cb])
    votes: Counter = Counter()
    for i, j in pairs:
        for weight, (x, y) in zip(
            (2, 1), zip(op_objects(cb[j]), op_objects(ca[i]), strict=False), strict=False
        ):
            votes[(x, y)] += weight
    mapping: dict[str, str] = {}
    taken = {o for op in a for o in op_objects(op)}
    used: set[str] = set()
    for (x, y), _ in votes.most_common():
        if x not in mapping and y not in used and kind(x) == kind(y):
            mapping[x], _ = y, used.add(y)
    fresh = 100
    for op in b:
        for obj in op_objects(op):
            if obj not in mapping:
                while f"{kind(obj)}{fresh}" in taken:
                    fresh += 1
                mapping[obj] = f"{kind(obj)}{fresh}"
                taken.add(mapping[obj])
    b = [renamed(op, mapping.__getitem__) for op in b]
    cb = [renamed(op, mapping.__getitem__) for op in cb]
    out: list[Op] = []
    at_a: dict[int, int] = {}  # content op index in a / b -> index in out
    at_b: dict[int, int] = {}
    i = j = 0
    for pi, pj in pairs + [(len(ca), len(cb))]:
        for k in range(i, pi):
            at_a[k] = len(out)
            out.append(ca[k])
        for k in range(j, pj):
            at_b[k] = len(out)
            out.append(cb[k])
        if pi < len(ca):
            at_a[pi] = at_b[pj] = len(out)
            out.append(ca[pi] if _informative(ca[pi]) >= _informative(cb[pj]) else cb[pj])
        i, j = pi + 1, pj + 1
    after: dict[Op, int] = {}  # wait -> index in out of the op it follows
    for ops, at in ((a, at_a), (b, at_b)):
        content = -1
        for op in ops:
            if op[0] != "wait":
                content += 1
            elif content >= 0:
                after[op] = min(after.get(op, len(out)), at[content])
    merged: list[Op] = []
    for n, op in enumerate(out):
        merged.append(op)
        merged += [w for w, k in after.items() if k == n]
    return merged


def _informative(op: Op) -> int:
    return 2 if op[0] in ("stack", "start") else 1
