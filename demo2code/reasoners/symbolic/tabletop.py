"""Tabletop rules for every pipeline stage.

Summaries go up in two levels, each written as text a model could have written:
  level 0 -> 1: predicate changes -> one pick-and-place per state ("Put 'a' on top of 'b'.",
                "Put 'a' on the table, at the top left corner.") after a scene header
                ("Objects: ...", "Initially 'a' is on top of 'b'.");
  level 1 -> 2: the same moves plus what they built ("Result: stacks (bottom to top) ...").
A belief of what stands on what bridges noise: an object put on top of several objects goes
on the top of their column; an object that moves while the belief says something covers it
had that something taken off first (a state that was not recorded).

The specification either describes stacking a whole group of objects (all blocks, all
cylinders, all objects; one stack with a bottom order, a height limit, or two stacks) or a
sequence of named moves (to the table, on top of an object, to a corner or edge, next to an
object on a side). It is written in a small line-oriented language that `write_code` reads
back; the code calls helpers that `define` takes from `data/tabletop/skills.py`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from demo2code import demo_text
from demo2code.errors import InputError
from demo2code.reasoners.base import GenerationFailed, StageAnswer, StageContext, UnsupportedMethod
from demo2code.reasoners.symbolic.common import (
    RuleSet,
    lcs_pairs,
    match_line,
    spec_body,
    unreadable,
)

Q = r"'([^']+)'"
RELATIONS = {
    "left_of": "to the left of",
    "right_of": "to the right of",
    "behind": "behind",
    "in_front_of": "in front of",
}
INVERSE = {"left_of": "right_of", "right_of": "left_of", "behind": "in_front_of",
           "in_front_of": "behind"}  # fmt: skip
SIDE_WORDS = {"left_of": "left of", "right_of": "right of", "behind": "behind",
              "in_front_of": "in front of"}  # fmt: skip
UNSEEN = " (not shown)"


def obj_type(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


def quote_list(names: list[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


# --- level 0 -> 1: predicates to pick-and-place moves ----------------------------------------


@dataclass(frozen=True)
class Move:
    """One pick-and-place: `onto` an object, or the table with what it ended next to."""

    obj: str
    onto: str | None = None
    regions: tuple[str, ...] = ()
    relations: tuple[tuple[str, str], ...] = ()  # (relation of obj to other, other)
    unseen: bool = False

    def text(self) -> str:
        tail = UNSEEN if self.unseen else ""
        if self.onto:
            return f"Put '{self.obj}' on top of '{self.onto}'{tail}."
        parts = [f"at the {r}" for r in self.regions]
        parts += [f"{RELATIONS[rel]} '{other}'" for rel, other in self.relations]
        where = "".join(", " + p for p in parts)
        return f"Put '{self.obj}' on the table{where}{tail}."


@dataclass
class Board:
    """Belief of what each object stands on directly ('table' for the table)."""

    below: dict[str, str] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # as listed: a tie-break for unseen moves

    def above(self, obj: str) -> str | None:
        for a, b in self.below.items():
            if b == obj:
                return a
        return None

    def column(self, obj: str) -> list[str]:
        """The whole stack `obj` stands in, bottom to top."""
        base, seen = obj, {obj}
        while self.below.get(base, "table") != "table" and self.below[base] not in seen:
            base = self.below[base]
            seen.add(base)
        out = [base]
        while (nxt := self.above(out[-1])) is not None and nxt not in out:
            out.append(nxt)
        return out

    def stacks(self, objects: list[str]) -> list[list[str]]:
        out, seen = [], set()
        for o in objects:
            if o not in seen:
                col = self.column(o)
                seen |= set(col)
                out.append(col)
        return out


@dataclass
class SceneText:
    """What one scenario's summary says: its objects, initial supports and moves."""

    objects: list[str]
    initial: dict[str, str]
    moves: list[Move]

    @property
    def repaired(self) -> bool:
        return any(m.unseen for m in self.moves)


def _initial_support(initial, real: set[str]) -> dict[str, str]:
    """Direct supports from transitive 'on top of' facts: the highest of what it is on."""
    atop: dict[str, set[str]] = {}
    for c in initial:
        if c.predicate == "atop" and c.value and c.args[0] in real:
            atop.setdefault(c.args[0], set())
            if c.args[1] != "table":
                atop[c.args[0]].add(c.args[1])
    below = {}
    for a, under in atop.items():
        below[a] = max(under, key=lambda b: (len(atop.get(b, ())), b)) if under else "table"
    return below


def _parse_demo(text: str):
    # Methods that hide the instruction leave the scenario header without one.
    text = re.sub(r"(\[Scenario \d+\]\n)(?=\s*\n|State |Initial )", r"\1(no instruction)\n", text)
    try:
        return demo_text.parse(text, style="tabletop", source="<scenario>")
    except InputError as err:
        raise GenerationFailed(f"cannot read the demonstration: {err}") from None


def read_states(text: str) -> list[SceneText]:
    """Every scenario of a paper-style text, as moves bridged over missing evidence."""
    scenes = []
    for scenario in _parse_demo(text).scenarios:
        listed = list(scenario.objects or [])
        in_initial = {a for c in scenario.initial_state for a in c.args if a != "table"}
        real = in_initial or set(listed)
        objects = [o for o in listed if o in real] + sorted(real - set(listed))
        board = Board(_initial_support(scenario.initial_state, real), list(objects))
        for o in objects:
            board.below.setdefault(o, "table")
        initial = dict(board.below)
        moves: list[Move] = []
        for step in scenario.steps:
            changes = [c for c in step.changes if all(a in real for a in _objects_of(c))]
            for obj in _moved_objects(changes):
                moves += _apply(board, obj, changes)
        scenes.append(SceneText(objects, initial, moves))
    return scenes


def _objects_of(change) -> tuple[str, ...]:
    """The object arguments of a fact ('table' and region names are not objects)."""
    return change.args[:1] if change.predicate in ("atop", "at", "moved") else change.args


def _moved_objects(changes) -> list[str]:
    """Objects that moved in a state: those with their own moved/on-top/at facts, else the
    subject of the first fact (the moved object's facts come first)."""
    out: list[str] = []
    for c in changes:
        if c.predicate in ("moved", "atop", "at") and c.args[0] not in out:
            if c.predicate == "at" and not c.value:
                continue
            out.append(c.args[0])
    if not out and changes:
        out.append(changes[0].args[0])
    return out


def _apply(board: Board, obj: str, changes) -> list[Move]:
    mine = [c for c in changes if c.args[0] == obj]
    onto = {c.args[1] for c in mine if c.predicate == "atop" and c.value and c.args[1] != "table"}
    out: list[Move] = []
    # Whatever the belief has on `obj` must have been taken off in a state not shown.
    col = board.column(obj)
    for top in reversed(col[col.index(obj) + 1 :]):
        board.below[top] = "table"
        out.append(Move(top, unseen=True))
    board.below[obj] = "table"  # lifted
    if onto:
        return out + _stack_onto(board, obj, onto)
    regions = tuple(c.args[1] for c in mine if c.predicate == "at" and c.value)
    rels: list[tuple[str, str]] = []
    for c in changes:
        if c.predicate not in RELATIONS or not c.value or len(c.args) != 2:
            continue
        if c.args[0] == obj:
            pair = (c.predicate, c.args[1])
        elif c.args[1] == obj:
            pair = (INVERSE[c.predicate], c.args[0])
        else:
            continue
        if pair not in rels:
            rels.append(pair)
    out.append(Move(obj, None, regions, tuple(rels)))
    return out


def _stack_onto(board: Board, obj: str, onto: set[str]) -> list[Move]:
    """Put `obj` on the top of the column holding what it is said to be on; members of
    `onto` standing elsewhere were put on that column in states not shown."""
    columns = [board.column(o) for o in sorted(onto)]
    rank = {o: i for i, o in enumerate(board.order)}
    main = max(columns, key=lambda col: (len(onto & set(col)), len(col), -rank.get(col[0], 0)))
    out: list[Move] = []
    strays = [o for o in sorted(onto) if o not in main]
    for stray in strays:
        col = board.column(stray)
        for top in reversed(col[col.index(stray) + 1 :]):  # a stray must be clear to move
            board.below[top] = "table"
            out.append(Move(top, unseen=True))
        board.below[stray] = main[-1]
        out.append(Move(stray, main[-1], unseen=True))
        main = board.column(main[0])
    board.below[obj] = main[-1]
    out.append(Move(obj, main[-1]))
    return out


def scene_header(scene: SceneText) -> list[str]:
    counts = Counter(obj_type(o) for o in scene.objects)
    shown = ", ".join(f"{n} {t}" + ("s" if n != 1 else "") for t, n in sorted(counts.items()))
    lines = [f"Objects: {quote_list(scene.objects)} ({shown})."]
    lines += [
        f"Initially '{a}' is on top of '{b}'." for a, b in scene.initial.items() if b != "table"
    ]
    return lines


def low_level(text: str) -> list[str]:
    """Level 1 of every scenario in `text`: the scene, then one move per line."""
    out: list[str] = []
    scenes = read_states(text)
    for n, scene in enumerate(scenes):
        if len(scenes) > 1:
            out.append(f"[Scenario {n + 1}]")
        out += scene_header(scene) + [m.text() for m in scene.moves]
    return out


# --- reading summaries back ------------------------------------------------------------------

LINES = [
    ("objects", re.compile(r"^Objects: (.*?)(?: \([^()]*\))?\.$")),
    ("initially", re.compile(rf"^Initially {Q} is on top of {Q}\.$")),
    ("onto", re.compile(rf"^Put {Q} on top of {Q}( \(not shown\))?\.$")),
    ("table", re.compile(rf"^Put {Q} on the table(.*?)( \(not shown\))?\.$")),
]
_REL_PHRASE = {v: k for k, v in RELATIONS.items()}
_SIDES = r"to the left of|to the right of|behind|in front of"
_WHERE = re.compile(rf"^(at the ([a-z ]+)|({_SIDES}) {Q})$")


def parse_summary(summary: str) -> list[SceneText]:
    """Scene texts from a summary at any level (raw predicates are read first)."""
    lines = [ln.strip() for ln in summary.splitlines() if ln.strip()]
    if any(ln.startswith("State ") or ln.startswith("Initial State") for ln in lines):
        return read_states(summary)
    scenes: list[SceneText] = []
    cur: SceneText | None = None
    for line in lines:
        name, m = _match(line)
        if name is None:
            continue
        if name == "objects" or cur is None:
            cur = SceneText([], {}, [])
            scenes.append(cur)
        if name == "objects":
            cur.objects = re.findall(Q, m.group(1))
        elif name == "initially":
            cur.initial[m.group(1)] = m.group(2)
        elif name == "onto":
            cur.moves.append(Move(m.group(1), m.group(2), unseen=bool(m.group(3))))
        elif name == "table":
            regions, rels = [], []
            for part in (p.strip() for p in m.group(2).split(",")):
                w = _WHERE.match(part)
                if w and w.group(2):
                    regions.append(w.group(2))
                elif w:
                    rels.append((_REL_PHRASE[w.group(3)], w.group(4)))
            cur.moves.append(Move(m.group(1), None, tuple(regions), tuple(rels), bool(m.group(3))))
    for scene in scenes:
        known = set(scene.objects)
        for mv in scene.moves:
            for o in (mv.obj, mv.onto):
                if o and o not in known:
                    known.add(o)
                    scene.objects.append(o)
        for o in scene.objects:
            scene.initial.setdefault(o, "table")
    return scenes


def _match(line: str) -> tuple[str | None, re.Match | None]:
    for name, rx in LINES:
        m = rx.match(line)
        if m:
            return name, m
    return None, None


def final_board(scene: SceneText) -> Board:
    board = Board(dict(scene.initial))
    for mv in scene.moves:
        board.below[mv.obj] = mv.onto or "table"
    return board


def result_lines(scene: SceneText) -> list[str]:
    board = final_board(scene)
    stacks = [s for s in board.stacks(scene.objects) if len(s) > 1]
    moved = {m.obj for m in scene.moves}
    still = [o for o in scene.objects if o not in moved]
    shown = "; ".join("[" + quote_list(s) + "]" for s in stacks) or "none"
    out = [f"Result: stacks (bottom to top): {shown}."]
    if still:
        out.append(f"Left where they were: {quote_list(still)}.")
    return out


# --- specification ---------------------------------------------------------------------------

GROUPS = ("block", "cylinder", "object")


@dataclass(frozen=True)
class GroupView:
    """How one scenario stacked a whole group of objects."""

    group: str
    stacks: tuple[tuple[str, ...], ...]  # every stack holding a member, bottom to top
    clean: bool
    uncertain: frozenset[str] = frozenset()  # objects of placements that were not shown

    @property
    def one(self) -> bool:
        return len(self.stacks) == 1

    @property
    def by_type(self) -> bool:
        return all(len({obj_type(o) for o in s}) == 1 for s in self.stacks)


def group_view(scene: SceneText) -> GroupView | None:
    """The group this scenario stacked, if it stacked a whole group: every move is of a
    member onto a member, at least two members went on others, and the members not in a
    stack number at most one (the remainder of a height limit)."""
    board = final_board(scene)
    stacks = board.stacks(scene.objects)
    in_stacks = {o for s in stacks if len(s) > 1 for o in s}
    onto_moves = [m for m in scene.moves if m.onto]
    if len(onto_moves) < 2:
        return None
    moved = {m.obj for m in scene.moves}
    for group in GROUPS:
        members = [o for o in scene.objects if group == "object" or obj_type(o) == group]
        if len(members) < 3 or not (moved | in_stacks) <= set(members):
            continue
        loose = [o for o in members if o not in in_stacks]
        if len(loose) > (0 if group == "object" else 1):
            continue
        mine = tuple(tuple(s) for s in stacks if set(s) & set(members))
        unsure = {o for m in scene.moves if m.unseen and m.onto for o in (m.obj, m.onto)}
        return GroupView(group, mine, not scene.repaired, frozenset(unsure))
    return None


def bottom_order(first: GroupView, others: list[GroupView]) -> list[str]:
    """The longest bottom of `first`'s stack that every other scenario shows too. Objects
    whose placement was not shown may stand in each other's place (their order is unsure)."""
    stack = first.stacks[0]
    out: list[str] = []
    for i, obj in enumerate(stack):
        for v in others:
            theirs = v.stacks[0]
            unsure = v.uncertain | first.uncertain
            if i >= len(theirs) or (theirs[i] != obj and not {theirs[i], obj} <= unsure):
                return out
        out.append(obj)
    return out


def group_spec(views: list[GroupView]) -> list[str]:
    # Noise only removes evidence: a scenario that stacked everything outweighs one that
    # seems to have stacked only the blocks or only the cylinders.
    groups = Counter(v.group for v in views)
    group = "object" if "object" in groups else groups.most_common(1)[0][0]
    views = [v for v in views if v.group == group]
    plural = {"block": "blocks", "cylinder": "cylinders", "object": "objects"}[group]
    lines = [f"Take every {group} on the table."]
    ones = [v for v in views if v.one]
    if group == "object" and sum(len(v.stacks) == 2 for v in views) * 2 >= len(views):
        twos = [v for v in views if len(v.stacks) == 2]
        if all(v.by_type for v in twos):
            lines.append(
                "Stack them into two stacks: the blocks in one and the cylinders in the other."
            )
        else:
            lines.append("Stack them into two stacks; blocks and cylinders may be mixed.")
    elif ones and len(ones) * 2 >= len(views):
        clean = [v for v in ones if v.clean] or ones
        order = bottom_order(clean[0], [v for v in ones if v is not clean[0]])
        if order:
            lines.append(
                f"Stack them all into one stack, from the bottom up starting with "
                f"{quote_list(order)}; the other {plural} go on top in any order."
            )
        else:
            lines.append("Stack them all into one stack, in any order.")
    else:
        limit = max(len(s) for v in views for s in v.stacks)
        lines.append(
            f"Stack them into stacks of at most {limit} {plural}; the order does not matter."
        )
    if group != "object":
        lines.append("Leave everything else where it is.")
    return lines


def _key_of(move: Move) -> str:
    return move.obj


def merge_moves(seqs: list[list[Move]]) -> list[list[Move]]:
    """Moves of several scenarios aligned by the object moved (named objects are the same
    in every scenario): each entry lists what each scenario that shows it did. A move seen in
    only one scenario is kept: noise removes evidence, it does not invent it."""
    merged: list[list[Move]] = [[m] for m in seqs[0]]
    for other in seqs[1:]:
        pairs = lcs_pairs([g[0].obj for g in merged], [m.obj for m in other])
        out: list[list[Move]] = []
        i = j = 0
        for pi, pj in pairs + [(len(merged), len(other))]:
            out += merged[i:pi] + [[m] for m in other[j:pj]]
            if pi < len(merged):
                out.append(merged[pi] + [other[pj]])
            i, j = pi + 1, pj + 1
        merged = out
    return merged


def move_spec(shown: list[Move], placed: set[str]) -> str:
    """One spec line for a move, from what each scenario showed of it. Among objects it
    ended next to in every scenario, one placed earlier in the task is the reference: being
    next to what that object was put next to follows from it."""
    obj = shown[0].obj
    onto = Counter(m.onto for m in shown if m.onto)
    if onto:
        return f"Put '{obj}' on top of '{onto.most_common(1)[0][0]}'."
    with_rels = [m for m in shown if m.relations]
    refs = Counter(o for m in with_rels for o in {other for _, other in m.relations})
    common = [o for o, n in refs.items() if n == len(with_rels)]
    regions = [m.regions[0] for m in shown if m.regions]
    if common and (len(with_rels) >= 2 or not regions):
        ref = max(common, key=lambda o: (_side_votes(with_rels, o)[1], o in placed))
        sides, agree = _side_votes(with_rels, ref)
        if agree == len(with_rels):
            return f"Put '{obj}' {RELATIONS[sides]} '{ref}'."
        return f"Put '{obj}' next to '{ref}', on any side."
    if regions:
        if len(set(regions)) == 1:
            return f"Put '{obj}' at the {regions[0]}."
        kinds = Counter(r.rsplit(" ", 1)[-1] for r in regions)
        return f"Put '{obj}' at the {kinds.most_common(1)[0][0]} closest to it."
    if refs:
        ref = refs.most_common(1)[0][0]
        sides, agree = _side_votes(with_rels, ref)
        return f"Put '{obj}' {RELATIONS[sides]} '{ref}'."
    return f"Put '{obj}' on the table, on a free spot."


def _side_votes(moves: list[Move], ref: str) -> tuple[str, int]:
    sides = Counter(rel for m in moves for rel, other in m.relations if other == ref)
    side, n = sides.most_common(1)[0]
    return side, n


def spec_text(scenes: list[SceneText], instruction: str | None) -> str:
    head = instruction.strip() if instruction else "Do the task shown in the demonstrations."
    scenes = [s for s in scenes if s.moves]
    if not scenes:
        raise GenerationFailed("the demonstrations show no object being moved")
    views = [v for v in map(group_view, scenes) if v is not None]
    if views and len(views) * 2 >= len(scenes):
        body = group_spec(views)
    else:
        body, placed = [], set()
        for shown in merge_moves([s.moves for s in scenes]):
            body.append(move_spec(shown, placed))
            placed.add(shown[0].obj)
        body.append("Leave everything else where it is.")
    return "\n".join([head, "Specifically:", *body])


# --- code ------------------------------------------------------------------------------------

SPEC = [
    ("take", re.compile(r"^Take every (block|cylinder|object) on the table\.$")),
    ("one", re.compile(r"^Stack them all into one stack, in any order\.$")),
    ("order", re.compile(r"^Stack them all into one stack, from the bottom up starting with "
                         r"(.*); the other \w+ go on top in any order\.$")),
    ("limit", re.compile(r"^Stack them into stacks of at most (\d+) \w+; "
                         r"the order does not matter\.$")),
    ("two_type", re.compile(r"^Stack them into two stacks: the blocks in one and the cylinders "
                            r"in the other\.$")),
    ("two_any", re.compile(r"^Stack them into two stacks; blocks and cylinders may be mixed\.$")),
    ("stay", re.compile(r"^Leave everything else where it is\.$")),
    ("onto", re.compile(rf"^Put {Q} on top of {Q}\.$")),
    ("table", re.compile(rf"^Put {Q} on the table, on a free spot\.$")),
    ("closest", re.compile(rf"^Put {Q} at the (corner|edge) closest to it\.$")),
    ("region", re.compile(rf"^Put {Q} at the ((?:top|bottom|left|right)(?: left| right)? "
                          r"(?:corner|edge))\.$")),
    ("next", re.compile(rf"^Put {Q} next to {Q}, on any side\.$")),
    ("side", re.compile(rf"^Put {Q} ({_SIDES}) {Q}\.$")),
]  # fmt: skip
PLURAL = {"block": "blocks", "cylinder": "cylinders", "object": "objects"}


def spec_to_code(spec: str) -> str:
    body = spec_body(spec)
    code: list[str] = []
    group = None
    for raw in body:
        line = raw.strip()
        if not line:
            continue
        name, m = match_line(SPEC, line) or (None, None)
        if m is None:
            raise unreadable(line)
        if name == "take":
            group = PLURAL[m.group(1)]
            code.append(f"{group} = get_objs_of_type('{m.group(1)}')")
        elif name in ("one", "order", "limit", "two_type", "two_any"):
            if group is None:
                raise UnsupportedMethod(f"the spec line {line!r} names no objects to stack")
            if name == "one":
                code.append(f"stack_objs_in_one_stack({group})")
            elif name == "order":
                bottom = re.findall(Q, m.group(1))
                code.append(f"bottom_{group} = {bottom!r}")
                code.append(f"stack_objs_with_bottom_order(bottom_{group}, {group})")
            elif name == "limit":
                code.append(f"stack_objs_with_height_limit({group}, {int(m.group(1))})")
            elif name == "two_type":
                code.append(f"make_two_stacks_by_type({group})")
            else:
                code.append(f"make_two_stacks({group})")
        elif name == "onto":
            code.append(f"put_obj_on_obj({m.group(1)!r}, {m.group(2)!r})")
        elif name == "table":
            code.append(f"put_obj_on_table({m.group(1)!r})")
        elif name == "closest":
            code.append(f"put_obj_at_closest_region({m.group(1)!r}, {m.group(2)!r})")
        elif name == "region":
            code.append(f"put_obj_at_region({m.group(1)!r}, {m.group(2)!r})")
        elif name == "next":
            code.append(f"put_obj_next_to({m.group(1)!r}, {m.group(2)!r}, 'next to')")
        elif name == "side":
            side = SIDE_WORDS[_REL_PHRASE[m.group(2)]]
            code.append(f"put_obj_next_to({m.group(1)!r}, {m.group(3)!r}, {side!r})")
    if not code:
        raise GenerationFailed("the specification asks for nothing to be done")
    return "\n".join(code) + "\n"


# --- the rules object ------------------------------------------------------------------------


class TabletopRules(RuleSet):
    benchmark = "tabletop"
    low_level = staticmethod(low_level)
    spec_to_code = staticmethod(spec_to_code)

    def summarize_step(self, ctx: StageContext, text: str, level: int) -> StageAnswer:
        if level == 0 or any(ln.strip().startswith("State ") for ln in text.splitlines()):
            return StageAnswer("\n".join(low_level(text)), done=False)
        if any(ln.startswith("Result:") for ln in text.splitlines()):
            return StageAnswer(text, done=True)  # already at the top level
        scenes = parse_summary(text)
        out: list[str] = []
        for n, scene in enumerate(scenes):
            if len(scenes) > 1:
                out.append(f"[Scenario {n + 1}]")
            out += scene_header(scene) + [m.text() for m in scene.moves] + result_lines(scene)
        return StageAnswer("\n".join(out), done=True)

    def spec_from_texts(self, texts: list[str], instruction: str | None) -> str:
        return spec_text([scene for t in texts for scene in parse_summary(t)], instruction)
