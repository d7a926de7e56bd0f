"""Alternative readings of noisy Robotouille demonstrations, tried only by the repair loop
(docs/selfcheck.md): the first reading stays what `spec_from_texts` answers, and the self-check
keeps the first alternative that agrees with every demonstration.

Readings that bridge a state noise hid:
- Consistent stacks: a stack that undoes an earlier one the other way round is dropped.
- An attached placement: a plain placement right after a stack, of a kind stacked on the
  kind just stacked elsewhere, is that stack (the top bun "placed on a table").
- A completed repetition: a step dropped from one unit of a repeated task hides the
  repetition, and the plan then makes each unit differently. When every unit does a part
  of what the fullest unit does, in the same order (a plain placement counting as part of a
  stack of the same item), each is read as doing all of it.
- A stated stack: when the self-check names a stack the demonstration implies but the
  program never made (selfcheck/bridge.py), that stack is added to the scenario's reading
  where it must have been.
"""

from __future__ import annotations

import re
from collections import Counter

from demo2code.reasoners.symbolic.robotouille.planning import (
    Op,
    _role_ops,
    _units,
    merge_scenarios,
    parse_ops,
    plan_of,
)
from demo2code.reasoners.symbolic.robotouille.reading import kind
from demo2code.reasoners.symbolic.robotouille.spec import spec_text


def _subsequence(short: tuple[Op, ...], full: tuple[Op, ...]) -> list[int] | None:
    """Positions in `full` of each op of `short`, in order; None if it is not a part."""
    where, j = [], 0
    for op in short:
        while j < len(full) and not _same(op, full[j]):
            j += 1
        if j == len(full):
            return None
        where.append(j)
        j += 1
    return where


def _same(op: Op, full: Op) -> bool:
    """The same op, or a plain placement where the fullest unit stacks the same item: a
    put-down whose item below noise hid."""
    return op == full or (op[0] == "place" and full[0] == "stack" and op[1] == full[1])


def completed_units(ops: list[Op]) -> list[Op] | None:
    """`ops` with each repeated unit completed to the fullest unit's role-level ops, or None
    when there is nothing to complete (one unit, units already alike, or units that are not
    parts of one another)."""
    units = _units(ops)
    if len(units) < 2:
        return None
    sigs = []
    for unit in units:
        roles: dict[str, str] = {}
        sig = _role_ops([ops[i] for i in unit], roles, Counter())
        sigs.append((sig, {r: o for o, r in roles.items()}))
    full = max((s for s, _ in sigs), key=lambda s: (len(s), sum(op[0] == "stack" for op in s)))
    if all(s == full for s, _ in sigs):
        return None
    taken = {o for op in ops for o in (op[1:3] if op[0] == "stack" else op[1:2])}
    out_units: list[list[Op]] = []
    for sig, objs in sigs:
        if _subsequence(sig, full) is None:
            return None
        names = dict(objs)
        for op in full:
            for role in (op[1], op[2]) if op[0] == "stack" else (op[1],):
                if role not in names:  # an object noise hid: a fresh one of the same kind
                    k = kind(next(o for s, os in sigs for r, o in os.items() if r == role))
                    n = 100
                    while f"{k}{n}" in taken:
                        n += 1
                    names[role] = f"{k}{n}"
                    taken.add(names[role])
        out_units.append([_named(op, names) for op in full])
    # units in the order they began, each op where its unit put it
    order = sorted(range(len(units)), key=lambda u: units[u][0])
    return (
        [op for u in order for op in out_units[u]]
        if _sequential(units)
        else _phased(out_units, order)
    )


def _named(op: Op, names: dict[str, str]) -> Op:
    if op[0] == "stack":
        return ("stack", names[op[1]], names[op[2]])
    return (op[0], names[op[1]], *op[2:])


def _sequential(units: list[list[int]]) -> bool:
    """The demonstrator finished each unit before starting the next."""
    spans = sorted((u[0], u[-1]) for u in units)
    return all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))


def _phased(units: list[list[Op]], order: list[int]) -> list[Op]:
    """Interleaved units: the same op of every unit, one op position after the other (the
    plan's phases then find the blocks)."""
    return [units[u][k] for k in range(len(units[0])) for u in order]


def attached_placements(ops: list[Op]) -> list[Op]:
    """A plain placement right after a stack, of an item of a kind that elsewhere is stacked
    on the kind just stacked, read as that stack (the item below was not seen): the top
    bun "placed on a table" where the lettuce had just been stacked."""
    pairs = {(kind(op[1]), kind(op[2])) for op in ops if op[0] == "stack"}
    out = list(ops)
    for i in range(1, len(out)):
        op, prev = out[i], out[i - 1]
        if (
            op[0] == "place"
            and prev[0] == "stack"
            and prev[1] != op[1]
            and (kind(op[1]), kind(prev[1])) in pairs
        ):
            out[i] = ("stack", op[1], prev[1])
    return out


def bridged(ops: list[Op]) -> list[Op] | None:
    """Contradicting stacks dropped, placements attached, then repeated units completed;
    None if that changes nothing."""
    attached = attached_placements(consistent(ops))
    done = completed_units(attached) or attached
    return None if done == ops else done


_NEVER_STACKED = re.compile(r"^scenario (\d+): '([^']+)' was never stacked on '([^']+)'", re.M)


def with_stack(ops: list[Op], top: str, bottom: str) -> list[Op]:
    """`ops` with `top` stacked on `bottom` where the demonstration must have done it: in
    place of a plain placement of `top`, else after the last thing done to `top` before
    something was stacked on it."""
    stack = ("stack", top, bottom)
    put = [i for i, op in enumerate(ops) if op[0] in ("place", "stack") and op[1] == top]
    if put:
        return [
            *ops[: put[0]],
            stack,
            *(op for i, op in enumerate(ops) if i > put[0] and i not in put),
        ]
    covered = next((i for i, op in enumerate(ops) if op[0] == "stack" and op[2] == top), len(ops))
    own = [i for i, op in enumerate(ops[:covered]) if op[1] == top]
    at = own[-1] + 1 if own else covered
    return [*ops[:at], stack, *ops[at:]]


def stated_stacks(failure: str) -> list[tuple[int, str, str]]:
    """(scenario index, top, bottom) of each stack the self-check says the demonstration
    made and a program did not (docs/selfcheck.md: the disagreement sentences)."""
    return [(int(m[0]) - 1, m[1], m[2]) for m in _NEVER_STACKED.findall(failure or "")]


def consistent(ops: list[Op]) -> list[Op]:
    """Without a stack that undoes an earlier one the other way round ('lettuce2' on
    'patty2' after 'patty2' on 'lettuce2'): noise that drops a step's facts can make the
    reading see both."""
    out: list[Op] = []
    for op in ops:
        if op[0] == "stack" and ("stack", op[2], op[1]) in out:
            continue
        out.append(op)
    return out


def alternative_specs(
    texts: list[str], instruction: str | None, failure: str | None = None
) -> list[str]:
    """Specifications of the alternative readings, first the merge of every scenario, then
    each scenario alone; when the self-check named a stack the program never made (one the
    demonstration implies, selfcheck/bridge.py), first with that stack bridged in."""
    op_lists = [parse_ops(t) for t in texts]
    readings: list[list[Op]] = []  # already other readings: kept even if nothing to bridge
    stated = [s for s in stated_stacks(failure or "") if s[0] < len(op_lists)]
    if stated:
        fixed = list(op_lists)
        for n, top, bottom in stated:
            fixed[n] = with_stack(consistent(fixed[n]), top, bottom)
        named = [fixed[n] for n in dict.fromkeys(n for n, _, _ in stated)]
        readings += [merge_scenarios([ops for ops in fixed if ops]), *named]
    op_lists = [ops for ops in op_lists if ops]
    plain = (
        [merge_scenarios(op_lists)] + (op_lists if len(op_lists) > 1 else []) if op_lists else []
    )
    out: list[str] = []
    for ops in [*(bridged(o) or o for o in readings), *filter(None, map(bridged, plain))]:
        spec = spec_text(plan_of(ops), instruction)
        if spec not in out:
            out.append(spec)
    return out
