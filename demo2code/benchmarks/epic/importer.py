"""Narrations -> a state-predicate demonstration in the EPIC style, by rules per verb and noun.

Each narration becomes one or more simulator actions (`sim.Simulator`), so the physics of the
demonstration and of the benchmark are the same and every imported step replays.

Verb rules (the `verb` column): take/pick-up/grab/get -> `pick_up`; put/place (verb classes
put and insert) -> `place` at the named place, else by the release rule below; turn-on / open
tap, turn-off / close tap -> `turn_on` / `turn_off`; wash/soap/lather/scrub/clean/scour ->
`soap` (is_soapy); rinse -> `rinse` (is_clean once soapy); dry -> `clean_with(x, towel_1)`
(is_dry). Other verbs (open, close, fill, empty, move, wipe, ...) are skipped and listed in
the scenario's `extra["skipped"]` with the reason.

Implied actions: narrations leave out most moves, so an action's missing precondition is made
true first by an implied step: walking to the place, picking the item (and the sponge for
soaping) up, opening the tap for a rinse. When both hands are full, the held dish not needed
next is released: a clean one goes to `rack`, any other one waits in the sink. Dishes still
in hand when the segment ends are released the same way. Every step records its narration
id (or "implied") in `extra["step_sources"]`.

Object ids (kind + number, e.g. `plate_2`): a mention of kind K means
1. the K in hand, if any;
2. else the K handled last, if it has not been put down since;
3. else, by verb: take -> the lowest-numbered K put down unfinished (soapy first, then dirty);
   rinse -> the lowest-numbered soapy K; dry -> the lowest-numbered clean, undried K;
4. else a new K (numbered from 1). "another"/"other" in the narration always means a new K.
A put that finds no K in hand or in use is a repeat of the last put and is skipped. A
narration that repeats the previous one word for word, or starts with continue/still/keep,
continues it and is skipped. Without " and " in the narration only its first noun is the
object ("take jug out cafetiere"). Where the words stay ambiguous, the annotator lists
narration ids in `ImportOptions.another` / `again`.
A plural mention ("wash forks") means every unfinished K if there are two or more, else
`plural` new ones. New dishes start dirty at `origin`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from demo2code.benchmarks.base import ActionFailed
from demo2code.benchmarks.epic import sim
from demo2code.benchmarks.epic.narrations import Narration, read_narrations
from demo2code.demos import Change, Demonstration, Scenario, Step

DEFAULT_INSTRUCTION = "Wash the dishes at the sink."
BASE_PLACES = (sim.SINK, "counter_1", "dishrack_1")

# EPIC nouns that name places (things are put in or on them).
PLACES = {
    "sink": sim.SINK,
    "rack:drying": "dishrack_1",
    "rack": "dishrack_1",
    "drainer": "dishrack_1",
    "rack:dish": "dishrack_1",
    "dishwasher": "dishwasher_1",
    "counter": "counter_1",
    "worktop": "counter_1",
    "top:kitchen": "counter_1",
    "surface": "counter_1",
    "stove": "stove_1",
    "hob": "stove_1",
    "cooker": "stove_1",
    "table": "table_1",
    "drawer": "drawer_1",
    "cupboard": "cupboard_1",
    "bin": "bin_1",
}
# Nouns that are not objects to handle.
NOT_OBJECTS = {
    "hand", "tap", "water", "soap", "liquid", "liquid:washing:up", "liquid:washing", "detergent",
    "cleanser", "degreaser", "sink", "gas", "knob", "food", "rice",
}  # fmt: skip
TOOLS = {
    "sponge": sim.SPONGE, "scourer": sim.SPONGE, "towel": sim.TOWEL, "towel:tea": sim.TOWEL,
    "cloth": sim.TOWEL, "rag": sim.TOWEL,
}  # fmt: skip
SYNONYMS = {
    "dish": "plate", "saucer": "plate", "pitcher": "jug", "carafe": "jug",
    "knife:mincing": "mezzaluna", "tupperware": "container", "container:food": "container",
    "pan:frying": "pan", "board:chopping": "board:cutting", "teaspoon": "spoon",
}  # fmt: skip
_DROP_MODIFIERS = {"soap", "dirty", "other", "new", "second", "small", "wash"}

SOAP_VERBS = {"wash", "soap", "lather", "scrub", "clean", "scour", "sponge"}
TAKE_VERBS = {"take", "pick", "grab", "get", "fetch", "remove"}


def kind_name(noun: str) -> str:
    """EPIC `board:cutting` -> `cutting_board`: modifiers first, then the head noun."""
    noun = SYNONYMS.get(noun, noun)
    head, *mods = [p for p in noun.split(":") if p]
    mods = [m for m in mods if m not in _DROP_MODIFIERS]
    name = "_".join([*mods, head]).replace("-", "_").replace(" ", "_")
    return SYNONYMS.get(name, name)


@dataclass
class ImportOptions:
    origin: str = sim.SINK  # where a dish starts when first mentioned
    rack: str = "dishrack_1"  # where a clean dish goes when released without a named place
    plural: int = 2  # how many dishes a plural mention creates
    tap_on: bool = False  # the tap at the start of the segment
    # Annotator's corrections, by narration id, where the words alone are ambiguous:
    another: tuple[str, ...] = ()  # the mention means a new dish of that kind
    again: tuple[str, ...] = ()  # the mention means the dish of that kind handled last
    instruction: str = DEFAULT_INSTRUCTION


@dataclass
class _Run:
    """One pass over the narrations with a growing kitchen."""

    opts: ImportOptions
    things: dict[str, str]  # dish or tool -> starting place (known from an earlier pass)
    created: dict[str, str] = field(default_factory=dict)
    instances: dict[str, list[str]] = field(default_factory=dict)
    last: dict[str, str] = field(default_factory=dict)
    down: set[str] = field(default_factory=set)
    steps: list[Step] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    washed: list[str] = field(default_factory=list)
    previous: str = ""

    def __post_init__(self) -> None:
        places = list(BASE_PLACES)
        for place in [self.opts.origin, self.opts.rack, *PLACES.values(), *self.things.values()]:
            if place not in places:
                places.append(place)
        start = {sim.SPONGE: sim.SINK, sim.TOWEL: "counter_1", **self.things}
        things = {n: sim.Thing(p, dirty=not sim.is_tool(n)) for n, p in start.items()}
        kitchen = sim.Kitchen(places, things, sim.SINK, self.opts.tap_on)
        self.sim = sim.Simulator(kitchen, step_limit=100_000)
        for name in self.things:
            if not sim.is_tool(name):
                self.instances.setdefault(sim.kind_of(name), []).append(name)
        for names in self.instances.values():
            names.sort(key=lambda n: int(n.rpartition("_")[2]))
        self.seen: set[str] = set()

    # --- object ids ---------------------------------------------------------------------

    def _new(self, kind: str) -> str:
        names = self.instances.setdefault(kind, [])
        fresh = [n for n in names if n not in self.seen]
        if fresh:  # known from the first pass
            name = fresh[0]
        else:
            name = f"{kind}_{len(names) + 1}"
            names.append(name)
            self.created[name] = self.opts.origin
            self.sim.k.things[name] = sim.Thing(self.opts.origin, dirty=True)
        self.seen.add(name)
        return name

    def _state(self, name: str) -> sim.Thing:
        return self.sim.k.things[name]

    def resolve(self, kind: str, role: str, n: Narration) -> list[str]:
        names = [n for n in self.instances.get(kind, []) if n in self.seen]
        words = n.text.lower().split()
        if "another" in words or "other" in words or n.id in self.opts.another:
            return [self._new(kind)]
        if n.id in self.opts.again and kind in self.last:
            return [self.last[kind]]
        if _plural(kind, words):
            unfinished = [n for n in names if not (self._state(n).clean and n in self.down)]
            if len(unfinished) >= 2:
                return unfinished
            return [self._new(kind) for _ in range(self.opts.plural)]
        held = [n for n in names if self._state(n).where == "hand"]
        if held:
            return held[:1]
        last = self.last.get(kind)
        if last is not None and last not in self.down:
            return [last]
        if role == "put":
            return []  # nothing of that kind in hand: the put was already done
        down = [n for n in names if n in self.down]
        pick: list[str] = []
        if role == "take":
            pick = [n for n in down if self._state(n).soapy] or [
                n for n in down if self._state(n).dirty
            ]
        elif role == "rinse":
            pick = [n for n in down if self._state(n).soapy]
        elif role == "dry":
            pick = [n for n in down if self._state(n).clean and not self._state(n).dry]
        return pick[:1] or [self._new(kind)]

    # --- composite actions --------------------------------------------------------------

    def hold(self, name: str, keep: set[str]) -> None:
        t = self._state(name)
        if t.where == "hand":
            return
        held = self.sim.k.held()
        if len(held) >= sim.HANDS:
            spare = [n for n in held if n not in keep and not sim.is_tool(n)] or [
                n for n in held if n not in keep
            ]
            self.release(spare[0])
        if self.sim.k.robot_at != t.where:
            self.sim.go_to(t.where)
        self.sim.pick_up(name)
        self.down.discard(name)

    def release(self, name: str, place: str | None = None) -> None:
        t = self._state(name)
        if place is None:
            place = self.opts.rack if (t.clean and not sim.is_tool(name)) else sim.SINK
        if self.sim.k.robot_at != place:
            self.sim.go_to(place)
        self.sim.place(name, place)
        self.down.add(name)

    def to_sink(self) -> None:
        if self.sim.k.robot_at != sim.SINK:
            self.sim.go_to(sim.SINK)

    def do(self, role: str, name: str, place: str | None) -> None:
        if role == "take":
            self.hold(name, {name})
        elif role == "put":
            if sim.is_tool(name) and self._state(name).where != "hand":
                return
            self.hold(name, {name})
            self.release(name, place)
        elif role == "soap":
            self.hold(name, {name})
            self.hold(sim.SPONGE, {name})
            self.to_sink()
            self.sim.soap(name)
            if name not in self.washed:
                self.washed.append(name)
        elif role == "rinse":
            self.hold(name, {name})
            self.to_sink()
            if not self.sim.k.tap_on:
                self.sim.turn_on(sim.TAP)
            self.sim.rinse(name)
            if name not in self.washed:
                self.washed.append(name)
        elif role == "dry":
            self.hold(name, {name})
            self.hold(sim.TOWEL, {name})
            self.sim.clean_with(name, sim.TOWEL)

    def tap(self, on: bool) -> None:
        if self.sim.k.tap_on == on:
            return
        self.to_sink()
        (self.sim.turn_on if on else self.sim.turn_off)(sim.TAP)

    # --- one narration ------------------------------------------------------------------

    def narration(self, n: Narration) -> None:
        role, why = _role(n)
        words = n.text.lower().split()
        corrected = n.id in self.opts.another or n.id in self.opts.again
        if (
            role is not None
            and not corrected
            and (n.text == self.previous or words[0] in _GOING_ON)
        ):
            role, why = None, "continues the previous narration"
        if role is None:
            self.skipped.append(f"{n.id} {n.text}: {why}")
            return
        self.previous = n.text
        if role in ("tap_on", "tap_off"):
            self.tap(role == "tap_on")
            return
        nouns = list(n.all_nouns) or [n.noun]
        place = None
        if role == "put" and len(nouns) > 1 and nouns[-1] in PLACES:
            place = PLACES[nouns[-1]]
            nouns = nouns[:-1]
        if " and " not in n.text:
            nouns = nouns[:1]  # "take jug out cafetiere": the first noun is the object
        targets: list[str] = []
        for noun in nouns:
            if noun in NOT_OBJECTS or noun in PLACES:
                continue
            if noun in TOOLS:
                if role in ("take", "put"):
                    targets.append(TOOLS[noun])
                continue
            kind = kind_name(noun)
            for name in self.resolve(kind, role, n):
                targets.append(name)
                self.last[kind] = name
        if not targets:
            self.skipped.append(f"{n.id} {n.text}: names no dish")
            return
        for name in targets:
            try:
                self.do(role, name, place)
            except ActionFailed as err:
                self.skipped.append(f"{n.id} {n.text}: {err}")

    def finish(self) -> None:
        for name in self.sim.k.held():
            if not sim.is_tool(name):
                self.release(name)


_GOING_ON = {"continue", "still", "keep"}


def _plural(kind: str, words: list[str]) -> bool:
    head = kind.rpartition("_")[2]
    return any(w in (head + "s", head + "es", head[:-1] + "ves") for w in words)


def _role(n: Narration) -> tuple[str | None, str]:
    verb = n.verb.lower()
    base = verb.split("-")[0]
    nouns = set(n.all_nouns) | {n.noun}
    if nouns & {"tap", "water"} and not ({base} & {"rinse", "wash", "fill", "pour", "drain"}):
        if n.verb_class == 6 or verb.endswith("-on") or base == "open":
            return "tap_on", ""
        if n.verb_class == 8 or verb.endswith("-off") or base == "close":
            return "tap_off", ""
        return None, f"tap verb {verb!r} not modelled"
    if base in TAKE_VERBS or n.verb_class == 0:
        return "take", ""
    if n.verb_class in (1, 5) or base in ("put", "place"):
        return "put", ""
    if base == "rinse":
        return "rinse", ""
    if base in SOAP_VERBS:
        return "soap", ""
    if base == "dry":
        return "dry", ""
    return None, f"verb {verb!r} not modelled"


def _steps_of(run: _Run, start: int, source: str) -> None:
    for event in run.sim.events[start:]:
        changes = [Change(c["predicate"], tuple(c["args"]), c["value"]) for c in event["changes"]]
        changes = [c for c in changes if c.value and (c.predicate != "is_dry" or _dried(event, c))]
        if not event["changes"]:
            continue  # a no-op (e.g. soaping a soapy dish); hidden changes keep an empty state
        args = ", ".join(repr(a) for a in event["args"])
        run.steps.append(Step(f"{event['action']}({args})", changes))
        run.sources.append(source)


def _dried(event: dict[str, Any], change: Change) -> bool:
    return event["action"] == "clean_with" and change.predicate == "is_dry"


def _run(rows: list[Narration], opts: ImportOptions, things: dict[str, str]) -> _Run:
    run = _Run(opts, things)
    for n in rows:
        start = len(run.sim.events)
        run.narration(n)
        _steps_of(run, start, n.id)
    start = len(run.sim.events)
    run.finish()
    _steps_of(run, start, "implied")
    return run


def narrations_to_demonstration(
    rows: list[Narration], video: str, opts: ImportOptions | None = None
) -> Demonstration:
    """Two passes: the first discovers the dishes, the second starts with all of them."""
    opts = opts or ImportOptions()
    first = _run(rows, opts, {})
    run = _run(rows, opts, first.created)
    hidden = {"is_dry"}
    initial = [
        Change(f[0], tuple(f[1:]), True)
        for f in run.sim.initial
        if f[0] not in hidden and not (f[0] == "is_dirty" and f[1] not in run.washed)
    ]
    marks = {"implied": "implied"}
    sources = [marks.get(s, s) for s in run.sources]
    to_clean = [[name, run.things[name]] for name in run.washed]
    extra: dict[str, Any] = {
        "objects_to_clean": to_clean,
        "objects_to_clean_relations": [sim.relation(place) for _, place in to_clean],
        "video": video,
        "narrations": [rows[0].id, rows[-1].id] if rows else [],
        "step_sources": sources,
        "skipped": run.skipped,
    }
    scenario = Scenario(None, run.steps, initial, extra=extra)
    return Demonstration("epic", video, opts.instruction, [scenario])


def import_video(
    csv_path: Path | str,
    video: str,
    segment: tuple[int, int] | None = None,
    opts: ImportOptions | None = None,
) -> Demonstration:
    """The EPIC-style demonstration of `video` (optionally one narration segment)."""
    rows = read_narrations(csv_path, video, segment)
    return narrations_to_demonstration(rows, video, opts)
