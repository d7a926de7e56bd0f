"""Noisy demonstrations for robustness ablations, as in the Demo2Code paper.

Every transform is pure and seeded: it returns a new Demonstration (the input is never
mutated) and the same seed always gives the same result. Randomness comes from
`random.Random` seeded with a string, which Python hashes with SHA-512, so results do not
depend on PYTHONHASHSEED or the platform.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

from demo2code.demo_text import style_of
from demo2code.demos import Change, Demonstration, Scenario
from demo2code.errors import InputError, UnknownName

# --- the transforms -----------------------------------------------------------------------


def _rng(kind: str, seed: int) -> random.Random:
    return random.Random(f"demo2code-noise/{kind}/{seed}")


def _check_p(p: float) -> None:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"probability must be between 0 and 1, got {p}")


def drop_predicates(demo: Demonstration, p: float, seed: int) -> Demonstration:
    """Each changed predicate of each step is lost with probability p (steps stay, possibly
    empty; the initial state is untouched)."""
    _check_p(p)
    rng = _rng("drop-predicate", seed)
    out = copy.deepcopy(demo)
    for scen in out.scenarios:
        for step in scen.steps:
            step.changes = [c for c in step.changes if rng.random() >= p]
    return out


def drop_states(demo: Demonstration, p: float, seed: int) -> Demonstration:
    """Each whole step is lost with probability p: its changes vanish from the text, later
    steps keep theirs (and are renumbered when rendered)."""
    _check_p(p)
    rng = _rng("drop-state", seed)
    out = copy.deepcopy(demo)
    for scen in out.scenarios:
        scen.steps = [s for s in scen.steps if rng.random() >= p]
    return out


# Vocabulary for distractors, per text style: object kinds and where they can be.
_ROBOTOUILLE_ITEMS = (
    "lettuce", "tomato", "onion", "patty", "chicken", "cheese", "bread", "top_bun", "bottom_bun",
)  # fmt: skip
_ROBOTOUILLE_CUTTABLE = {"lettuce", "tomato", "onion"}
_ROBOTOUILLE_COOKABLE = {"patty", "chicken"}
_ROBOTOUILLE_STATIONS = ("table", "stove", "cutting_board")
_TABLETOP_COLOURS = (
    "blue", "red", "green", "orange", "yellow", "purple", "pink", "cyan", "brown", "gray",
)  # fmt: skip
_TABLETOP_REGIONS = (
    "top left corner", "top right corner", "bottom left corner", "bottom right corner",
    "top edge", "bottom edge", "left edge", "right edge",
)  # fmt: skip
_EPIC_ITEMS = ("cup", "spoon", "fork", "knife", "bowl", "plate", "glass", "pan", "lid", "jar")
_EPIC_PLACES = ("shelf", "cupboard", "drawer", "fridge", "table", "microwave")


def _names_in(scen: Scenario) -> set[str]:
    names: set[str] = set(scen.objects or [])
    for c in scen.initial_state:
        names.update(c.args)
    for step in scen.steps:
        for c in step.changes:
            names.update(c.args)
    for entry in scen.extra.get("objects_to_clean", []):
        names.update(str(x) for x in entry[:2])
    return names


def _fresh(kind: str, taken: set[str], style: str) -> str:
    """`kind` plus the smallest index above any existing one (`lettuce7`, `cup_3`)."""
    sep = "_" if style == "epic" else ""
    pattern = re.compile(rf"^{re.escape(kind)}{sep}(\d+)$")
    used = [int(m.group(1)) for n in taken if (m := pattern.match(n))]
    name = f"{kind}{sep}{max(used, default=0) + 1}"
    taken.add(name)
    return name


def _tabletop_object(rng: random.Random, taken: set[str]) -> str:
    free = [f"{c} {t}" for c in _TABLETOP_COLOURS for t in ("block", "cylinder")]
    free = [n for n in free if n not in taken]
    if free:
        name = rng.choice(free)
    else:  # every colour and shape is in use: number a new one
        base = f"{rng.choice(_TABLETOP_COLOURS)} {rng.choice(('block', 'cylinder'))}"
        k = 2
        while f"{base} {k}" in taken:
            k += 1
        name = f"{base} {k}"
    taken.add(name)
    return name


def _distractor_pool(
    style: str, rng: random.Random, taken: set[str], objects: list[str] | None
) -> dict[str, list[str]]:
    """Invented objects for one scenario, grouped by role (items, places)."""
    if objects:
        places = [_fresh(rng.choice(_EPIC_PLACES), taken, style)] if style == "epic" else []
        if style == "robotouille":
            places = [_fresh("table", taken, style)]
        return {"items": list(objects), "places": places}
    if style == "tabletop":
        return {"items": [_tabletop_object(rng, taken) for _ in range(2)], "places": []}
    if style == "epic":
        items = [_fresh(k, taken, style) for k in _unused_kinds(_EPIC_ITEMS, taken, rng, 2)]
        place = _unused_kinds(_EPIC_PLACES, taken, rng, 1)[0]
        return {"items": items, "places": [_fresh(place, taken, style)]}
    kinds = _unused_kinds(_ROBOTOUILLE_ITEMS, taken, rng, 2)
    items = [_fresh(k, taken, style) for k in kinds]
    return {"items": items, "places": [_fresh(rng.choice(_ROBOTOUILLE_STATIONS), taken, style)]}


def _unused_kinds(kinds: tuple[str, ...], taken: set[str], rng: random.Random, k: int) -> list[str]:
    """k kinds, preferring ones with no object in the task (a third patty in a two-patty
    task would look relevant); falls back to any kind when too few are unused."""
    unused = [kind for kind in kinds if not any(n.startswith(kind) for n in taken)]
    return rng.sample(unused if len(unused) >= k else list(kinds), k)


def _templates(style: str, pool: dict[str, list[str]]) -> list[tuple[str, tuple[str, ...]]]:
    items, places = pool["items"], pool["places"]
    out: list[tuple[str, tuple[str, ...]]] = []
    if style == "tabletop":
        for a in items:
            out += [("moved", (a,)), ("atop", (a, "table"))]
            out += [("at", (a, region)) for region in _TABLETOP_REGIONS]
            for b in items:
                if a != b:
                    out += [(rel, (a, b)) for rel in ("left_of", "right_of", "behind")]
                    out += [("in_front_of", (a, b)), ("atop", (a, b))]
        return out
    if style == "epic":
        for a in items:
            out += [(rel, (a, place)) for place in places for rel in ("in", "on")]
        out += [(state, (place,)) for place in places for state in ("is_empty", "is_not_empty")]
        return out
    for a in items:
        kind = a.rstrip("0123456789")
        out += [("at", (a, place)) for place in places]
        out += [("atop", (a, b)) for b in items if b != a]
        if kind in _ROBOTOUILLE_CUTTABLE:
            out.append(("cut", (a,)))
        if kind in _ROBOTOUILLE_COOKABLE:
            out.append(("cooked", (a,)))
    return out


def add_distractors(
    demo: Demonstration, p: float, seed: int, objects: Iterable[str] | None = None
) -> Demonstration:
    """With probability p per step, add one predicate about an object that plays no part in
    the task. Objects are invented from the benchmark's vocabulary with names that clash with
    none in the scenario (or taken from `objects`, which must not clash either). Each
    distractor fact toggles (true, later not), so the noise stays self-consistent. For EPIC,
    as in the paper, at least two states per scenario get one when p > 0."""
    _check_p(p)
    style = style_of(demo)
    given = list(objects) if objects is not None else None
    rng = _rng("add-distractor", seed)
    out = copy.deepcopy(demo)
    for scen in out.scenarios:
        taken = _names_in(scen)
        if given:
            clash = sorted(set(given) & taken)
            if clash:
                raise InputError(
                    "add_distractors", "objects", f"expected unused names; {clash} are in the task"
                )
            taken |= set(given)
        pool = _distractor_pool(style, rng, taken, given)
        templates = _templates(style, pool)
        chosen = [i for i in range(len(scen.steps)) if rng.random() < p]
        if style == "epic" and p > 0 and len(scen.steps) >= 2 and len(chosen) < 2:
            rest = [i for i in range(len(scen.steps)) if i not in chosen]
            chosen = sorted(chosen + rng.sample(rest, 2 - len(chosen)))
        truth: dict[tuple[str, tuple[str, ...]], bool] = {}
        for i in chosen:
            pred, args = rng.choice(templates)
            value = not truth.get((pred, args), False)
            truth[(pred, args)] = value
            step = scen.steps[i]
            step.changes.insert(rng.randint(0, len(step.changes)), Change(pred, args, value))
        if scen.objects is not None and style == "tabletop":
            scen.objects = scen.objects + [o for o in pool["items"] if o not in scen.objects]
    return out


# --- specs from the command line ----------------------------------------------------------

_KINDS = {
    "drop-predicate": drop_predicates,
    "drop-state": drop_states,
    "add-distractor": add_distractors,
}


@dataclass(frozen=True)
class NoiseSpec:
    """One noise transform and its probability, e.g. `drop-predicate=0.1`."""

    kind: str
    p: float

    @classmethod
    def parse(cls, text: str) -> NoiseSpec:
        """`kind=p`; kinds accept `_` for `-` and a plural `s` (`drop_predicates=0.1`)."""
        raw = text.strip()
        if "=" not in raw:
            raise InputError("--noise", raw or "''", "expected KIND=P, e.g. drop-predicate=0.1")
        name, _, value = raw.partition("=")
        kind = name.strip().lower().replace("_", "-")
        if kind not in _KINDS and kind.endswith("s") and kind[:-1] in _KINDS:
            kind = kind[:-1]
        if kind not in _KINDS:
            raise UnknownName("noise kind", name.strip(), _KINDS)
        try:
            p = float(value)
        except ValueError:
            p = float("nan")
        if not 0.0 <= p <= 1.0:  # also rejects nan
            raise InputError("--noise", raw, "expected a probability P between 0 and 1")
        return cls(kind, p)

    def __str__(self) -> str:
        """The canonical form to record in summaries: `drop-predicate=0.1`."""
        return f"{self.kind}={self.p:g}"

    def apply(self, demo: Demonstration, seed: int) -> Demonstration:
        return _KINDS[self.kind](demo, self.p, seed)


def parse_noise(text: str) -> list[NoiseSpec]:
    """Comma-separated specs (`drop-state=0.1,add-distractor=0.2`); empty text means none."""
    return [NoiseSpec.parse(part) for part in text.split(",") if part.strip()]


def format_noise(specs: Iterable[NoiseSpec]) -> str:
    """The canonical record of a list of specs ('' when there is no noise)."""
    return ",".join(str(s) for s in specs)


def apply_noise(demo: Demonstration, specs: Iterable[NoiseSpec], seed: int) -> Demonstration:
    """Apply specs in order; each gets its own seed derived from `seed` and its position, so
    adding a spec does not change what the earlier ones do."""
    out = demo
    for i, spec in enumerate(specs):
        sub = random.Random(f"demo2code-noise/{seed}/{i}/{spec.kind}").getrandbits(32)
        out = spec.apply(out, sub)
    if out is demo:
        out = copy.deepcopy(demo)
    return out
