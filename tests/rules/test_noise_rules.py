"""The rules of the noise transforms (demo2code/noise.py) on tiny hand-built demonstrations."""

from __future__ import annotations

import random

import pytest

from demo2code import noise
from demo2code.demos import Change, Demonstration, Scenario, Step
from demo2code.errors import InputError, UnknownName
from demo2code.noise import (
    NoiseSpec,
    add_distractors,
    apply_noise,
    drop_predicates,
    drop_states,
    format_noise,
    parse_noise,
)


def demo(benchmark: str = "robotouille", steps: int = 3, objects=None, extra=None) -> Demonstration:
    """`steps` steps, step i changing `at robot1 table{i}` and `cut lettuce{i}`."""
    scen = Scenario(
        0,
        [
            Step(f"a{i}", [Change("at", ("robot1", f"table{i}")), Change("cut", (f"lettuce{i}",))])
            for i in range(1, steps + 1)
        ],
        [Change("at", ("lettuce1", "table1"))],
        objects=objects,
        extra=extra or {},
    )
    return Demonstration(benchmark, "t", "Do it.", [scen])


# --- probabilities --------------------------------------------------------------------------


@pytest.mark.parametrize("p", [0.0, 1.0])
def test_probability_bounds_are_inclusive(p):
    drop_predicates(demo(), p, 0)
    drop_states(demo(), p, 0)
    add_distractors(demo(), p, 0, objects=["cheese1"])


@pytest.mark.parametrize("fn", [drop_predicates, drop_states, add_distractors])
@pytest.mark.parametrize("p", [-0.01, 1.01])
def test_probability_outside_zero_one_is_refused(fn, p):
    with pytest.raises(ValueError, match="between 0 and 1"):
        fn(demo(), p, 0)


# --- drop -----------------------------------------------------------------------------------


def test_drop_predicates_p_one_empties_every_step_but_keeps_steps_and_initial_state():
    out = drop_predicates(demo(steps=3), 1.0, seed=1)
    scen = out.scenarios[0]
    assert [s.changes for s in scen.steps] == [[], [], []]
    assert [s.action for s in scen.steps] == ["a1", "a2", "a3"]
    assert scen.initial_state == [Change("at", ("lettuce1", "table1"))]


def test_drop_predicates_p_zero_keeps_everything():
    d = demo(steps=3)
    assert drop_predicates(d, 0.0, seed=1).to_json() == d.to_json()


def test_drop_states_p_one_drops_every_step_p_zero_none():
    d = demo(steps=3)
    assert drop_states(d, 1.0, seed=1).scenarios[0].steps == []
    assert drop_states(d, 0.0, seed=1).to_json() == d.to_json()


def test_transforms_never_mutate_their_input():
    d = demo(steps=4)
    before = d.to_json()
    drop_predicates(d, 1.0, 0)
    drop_states(d, 1.0, 0)
    add_distractors(d, 1.0, 0, objects=["cheese1"])
    assert d.to_json() == before


def test_drop_uses_its_own_named_random_stream():
    # The documented recipe: random.Random("demo2code-noise/<kind>/<seed>"), one draw per
    # change (drop-predicate) or per step (drop-state), kept when the draw is >= p.
    d = demo(steps=6)
    rng = random.Random("demo2code-noise/drop-state/9")
    kept = [f"a{i}" for i in range(1, 7) if rng.random() >= 0.5]
    assert [s.action for s in drop_states(d, 0.5, 9).scenarios[0].steps] == kept
    rng = random.Random("demo2code-noise/drop-predicate/9")
    flat = [c for s in d.scenarios[0].steps for c in s.changes]
    kept_changes = [c for c in flat if rng.random() >= 0.5]
    out = drop_predicates(d, 0.5, 9)
    assert [c for s in out.scenarios[0].steps for c in s.changes] == kept_changes


# --- distractors ----------------------------------------------------------------------------


def _added(before: Demonstration, after: Demonstration) -> list[list[Change]]:
    out = []
    for old, new in zip(before.scenarios[0].steps, after.scenarios[0].steps, strict=True):
        out.append([c for c in new.changes if c not in old.changes])
    return out


def test_repeated_distractor_alternates_true_false():
    # cheese is neither cuttable nor cookable, so with objects=["cheese1"] the only template
    # is `at cheese1 <invented table>`: with p=1 every step gets it, true, false, true, false.
    d = demo(steps=4)
    out = add_distractors(d, 1.0, seed=3, objects=["cheese1"])
    added = _added(d, out)
    assert [len(a) for a in added] == [1, 1, 1, 1]
    values = [a[0].value for a in added]
    assert values == [True, False, True, False]
    # The invented place is a fresh table: table1..table4 exist, so it is table5.
    assert {a[0] for a in added} == {
        Change("at", ("cheese1", "table5"), True),
        Change("at", ("cheese1", "table5"), False),
    }


def test_distractor_p_zero_adds_nothing():
    d = demo(steps=4)
    assert add_distractors(d, 0.0, seed=3, objects=["cheese1"]).to_json() == d.to_json()


def test_distractor_objects_must_not_clash_with_the_task():
    with pytest.raises(InputError, match="lettuce1"):
        add_distractors(demo(), 0.5, 0, objects=["lettuce1"])


def test_invented_robotouille_distractors_use_unused_kinds_and_fresh_names():
    d = demo(steps=8)
    out = add_distractors(d, 1.0, seed=11)
    names = {a for added in _added(d, out) for c in added for a in c.args}
    task = {"robot1", "lettuce1", "lettuce2", "lettuce3", "lettuce4"}
    task |= {f"table{i}" for i in range(1, 9)} | {f"lettuce{i}" for i in range(5, 9)}
    assert names and not names & task
    # No invented item is a lettuce (that kind is in the task); stations are numbered
    # above the existing ones (table9 if a table).
    for n in names:
        assert not n.startswith("lettuce")
        if n.startswith("table"):
            assert n == "table9"


def test_epic_gets_at_least_two_distractors_when_p_is_positive():
    d = demo("epic", steps=5)
    out = add_distractors(d, 1e-9, seed=0)
    # p is so small that no step is drawn; the EPIC rule still adds two.
    assert sum(len(a) for a in _added(d, out)) == 2


def test_epic_gets_no_distractor_when_p_is_zero():
    d = demo("epic", steps=5)
    assert add_distractors(d, 0.0, seed=0).to_json() == d.to_json()


def test_epic_two_distractor_rule_needs_two_steps():
    d = demo("epic", steps=1)
    out = add_distractors(d, 1e-9, seed=0)
    assert sum(len(a) for a in _added(d, out)) == 0


def test_epic_distractor_names_use_underscore_numbers():
    d = demo("epic", steps=3)
    out = add_distractors(d, 1.0, seed=2)
    for added in _added(d, out):
        for c in added:
            for a in c.args:
                assert "_" in a and a.rsplit("_", 1)[1].isdigit()


def test_tabletop_distractor_objects_are_appended_to_the_object_list():
    d = demo("tabletop", steps=3, objects=["red block"])
    out = add_distractors(d, 1.0, seed=4)
    objs = out.scenarios[0].objects
    assert objs[0] == "red block" and len(objs) == 3
    assert all(o.split()[1] in ("block", "cylinder") for o in objs[1:])
    assert "red block" not in objs[1:]


def test_fresh_name_is_one_above_the_largest_index():
    taken = {"lettuce1", "lettuce3", "lettuce_7", "tomato9"}
    # lettuce1 and lettuce3 match; lettuce_7 is not robotouille style; -> lettuce4
    assert noise._fresh("lettuce", taken, "robotouille") == "lettuce4"
    assert "lettuce4" in taken  # reserved for the next call
    assert noise._fresh("lettuce", taken, "robotouille") == "lettuce5"
    assert noise._fresh("lettuce", taken, "epic") == "lettuce_8"
    assert noise._fresh("onion", taken, "robotouille") == "onion1"


def test_tabletop_object_numbers_a_new_one_when_all_names_are_used():
    taken = {f"{c} {t}" for c in noise._TABLETOP_COLOURS for t in ("block", "cylinder")}
    name = noise._tabletop_object(random.Random(0), set(taken) | {"red block 2"})
    base, k = name.rsplit(" ", 1)
    assert base in taken
    # k is 2 unless base is "red block", which already has a 2.
    assert k == ("3" if base == "red block" else "2")


def test_unused_kinds_prefers_kinds_without_objects_and_falls_back():
    rng = random.Random(0)
    taken = {"cup_1", "spoon_2"}
    got = noise._unused_kinds(("cup", "spoon", "fork"), taken, rng, 1)
    assert got == ["fork"]
    # Two wanted, one unused: fall back to all kinds (two distinct of the three).
    got = noise._unused_kinds(("cup", "spoon", "fork"), taken, random.Random(0), 2)
    assert len(set(got)) == 2


def test_templates_robotouille_cut_only_for_cuttable_cooked_only_for_cookable():
    pool = {"items": ["onion3", "chicken2"], "places": ["stove4"]}
    got = set(noise._templates("robotouille", pool))
    assert got == {
        ("at", ("onion3", "stove4")),
        ("at", ("chicken2", "stove4")),
        ("atop", ("onion3", "chicken2")),
        ("atop", ("chicken2", "onion3")),
        ("cut", ("onion3",)),
        ("cooked", ("chicken2",)),
    }


def test_templates_epic():
    pool = {"items": ["cup_1"], "places": ["shelf_2"]}
    assert noise._templates("epic", pool) == [
        ("in", ("cup_1", "shelf_2")),
        ("on", ("cup_1", "shelf_2")),
        ("is_empty", ("shelf_2",)),
        ("is_not_empty", ("shelf_2",)),
    ]


def test_templates_tabletop_relations_between_distinct_objects_only():
    pool = {"items": ["red block", "blue block"], "places": []}
    got = noise._templates("tabletop", pool)
    # per object: moved, atop table, 8 regions = 10; per ordered pair: 5 relations.
    assert len(got) == 2 * 10 + 2 * 5
    assert ("atop", ("red block", "blue block")) in got
    assert ("left_of", ("red block", "red block")) not in got


def test_names_in_collects_objects_initial_steps_and_objects_to_clean():
    scen = Scenario(
        0,
        [Step(None, [Change("in", ("cup_1", "sink_1"))])],
        [Change("at", ("robot", "shelf_1"))],
        objects=["x"],
        extra={"objects_to_clean": [["plate_1", "sink_1", "extra"]]},
    )
    assert noise._names_in(scen) == {"x", "robot", "shelf_1", "cup_1", "sink_1", "plate_1"}


# --- specs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "p"),
    [
        ("drop-predicate=0.1", "drop-predicate", 0.1),
        ("drop_predicates=0.1", "drop-predicate", 0.1),
        (" Drop-State = 1 ", "drop-state", 1.0),
        ("add-distractors=0", "add-distractor", 0.0),
    ],
)
def test_spec_parser_accepts_underscores_plural_case_and_spaces(text, kind, p):
    assert NoiseSpec.parse(text) == NoiseSpec(kind, p)


@pytest.mark.parametrize("text", ["drop-state", "", "drop-state=x", "drop-state=nan"])
def test_spec_parser_refuses_missing_or_bad_probability(text):
    with pytest.raises(InputError):
        NoiseSpec.parse(text)


@pytest.mark.parametrize("text", ["drop-state=1.01", "drop-state=-0.1", "drop-state=inf"])
def test_spec_parser_refuses_probability_outside_zero_one(text):
    with pytest.raises(InputError, match="between 0 and 1"):
        NoiseSpec.parse(text)


@pytest.mark.parametrize("text", ["drops=0.1", "drop-statess=0.1", "blur=0.1"])
def test_spec_parser_refuses_unknown_kinds(text):
    with pytest.raises(UnknownName):
        NoiseSpec.parse(text)


def test_spec_canonical_form_uses_shortest_number():
    assert str(NoiseSpec("drop-state", 0.10)) == "drop-state=0.1"
    assert str(NoiseSpec("drop-state", 1.0)) == "drop-state=1"


def test_parse_noise_splits_on_commas_and_skips_empty_parts():
    assert parse_noise("drop-state=0.1, ,add-distractor=0.2,") == [
        NoiseSpec("drop-state", 0.1),
        NoiseSpec("add-distractor", 0.2),
    ]
    assert parse_noise("") == []


def test_format_noise_joins_canonical_forms():
    specs = [NoiseSpec("drop-state", 0.5), NoiseSpec("drop-predicate", 0.25)]
    assert format_noise(specs) == "drop-state=0.5,drop-predicate=0.25"
    assert format_noise([]) == ""


def test_apply_noise_derives_each_spec_seed_from_seed_position_and_kind():
    d = demo(steps=8)
    spec = NoiseSpec("drop-state", 0.5)
    sub = random.Random("demo2code-noise/4/0/drop-state").getrandbits(32)
    assert apply_noise(d, [spec], 4).to_json() == drop_states(d, 0.5, sub).to_json()
    sub1 = random.Random("demo2code-noise/4/1/drop-state").getrandbits(32)
    two = apply_noise(d, [NoiseSpec("drop-predicate", 0.0), spec], 4)
    assert two.to_json() == drop_states(d, 0.5, sub1).to_json()


def test_adding_a_spec_does_not_change_what_earlier_ones_do():
    d = demo(steps=10)
    first = NoiseSpec("drop-state", 0.5)
    one = apply_noise(d, [first], 2)
    two = apply_noise(d, [first, NoiseSpec("drop-predicate", 0.0)], 2)
    assert one.to_json() == two.to_json()


def test_apply_noise_applies_specs_in_order():
    # drop-state=1 then a distractor: nothing left to add to. The other order adds then drops.
    d = demo(steps=3)
    specs = [NoiseSpec("drop-state", 1.0), NoiseSpec("drop-predicate", 1.0)]
    assert apply_noise(d, specs, 0).scenarios[0].steps == []


def test_apply_noise_without_specs_returns_an_equal_copy():
    d = demo()
    out = apply_noise(d, [], 0)
    assert out is not d and out.to_json() == d.to_json()
    out.scenarios[0].steps.clear()
    assert d.scenarios[0].steps  # a deep copy


# --- second round: rules the first mutation run showed unpinned -----------------------------


def test_spec_errors_name_the_option_the_text_and_what_was_expected():
    with pytest.raises(InputError) as err:
        NoiseSpec.parse("drop-state")
    assert str(err.value) == "--noise: drop-state: expected KIND=P, e.g. drop-predicate=0.1"
    with pytest.raises(InputError) as err:
        NoiseSpec.parse("  ")
    assert str(err.value) == "--noise: '': expected KIND=P, e.g. drop-predicate=0.1"
    with pytest.raises(InputError) as err:
        NoiseSpec.parse("drop-state=2")
    assert str(err.value) == "--noise: drop-state=2: expected a probability P between 0 and 1"
    with pytest.raises(UnknownName) as err:
        NoiseSpec.parse(" blur =0.1")
    assert (err.value.kind, err.value.name) == ("noise kind", "blur")


def test_spec_splits_at_the_first_equals_sign():
    # "drop-state" = "0.5=1": the kind is known, the probability is not a number.
    with pytest.raises(InputError, match="probability"):
        NoiseSpec.parse("drop-state=0.5=1")


def test_spec_plural_rule_strips_only_a_trailing_s():
    # "drop-statex" minus its last letter is a kind, but the letter is no plural "s".
    with pytest.raises(UnknownName):
        NoiseSpec.parse("drop-statex=0.1")


def test_distractor_clash_error_names_the_transform_and_the_field():
    with pytest.raises(InputError) as err:
        add_distractors(demo(), 0.5, 0, objects=["lettuce1", "cheese1"])
    assert str(err.value) == (
        "add_distractors: objects: expected unused names; ['lettuce1'] are in the task"
    )


def test_distractor_steps_are_drawn_from_the_add_distractor_stream():
    # With given objects no draw happens before the per-step draws (robotouille style),
    # so step i gets a distractor iff the i-th draw of the named stream is < p.
    d = demo(steps=20)
    rng = random.Random("demo2code-noise/add-distractor/5")
    expected = [i for i in range(20) if rng.random() < 0.5]
    out = add_distractors(d, 0.5, seed=5, objects=["cheese1"])
    got = [i for i, added in enumerate(_added(d, out)) if added]
    assert got == expected


def test_epic_two_distractor_rule_applies_with_exactly_two_steps():
    d = demo("epic", steps=2)
    out = add_distractors(d, 1e-9, seed=0)
    assert [len(a) for a in _added(d, out)] == [1, 1]


@pytest.mark.parametrize("seed", range(12))
def test_epic_distractors_are_at_least_two_and_at_most_one_per_step(seed):
    # With p=0.3 over 3 steps, some seeds draw 0, 1, 2 or 3 steps; the rule tops up to 2.
    d = demo("epic", steps=3)
    added = _added(d, add_distractors(d, 0.3, seed=seed))
    assert all(len(a) <= 1 for a in added)
    assert sum(len(a) for a in added) >= 2


def test_invented_epic_distractors_use_the_epic_vocabulary():
    d = demo("epic", steps=6)
    out = add_distractors(d, 1.0, seed=1)
    vocab = set(noise._EPIC_ITEMS) | set(noise._EPIC_PLACES)
    for added in _added(d, out):
        for c in added:
            assert c.predicate in ("in", "on", "is_empty", "is_not_empty")
            for a in c.args:
                assert a.rsplit("_", 1)[0] in vocab


def test_epic_distractors_with_given_objects_get_an_invented_epic_place():
    d = demo("epic", steps=6)
    out = add_distractors(d, 1.0, seed=1, objects=["mug_9"])
    places = set()
    for added in _added(d, out):
        for c in added:
            places.add(c.args[-1])
            if c.predicate in ("in", "on"):
                assert c.args[0] == "mug_9"
    assert len(places) == 1
    (place,) = places
    kind, _, n = place.rpartition("_")
    assert kind in noise._EPIC_PLACES and n == "1"


def test_distractor_pool_sizes():
    # Invented: two items and one place (robotouille, epic); tabletop: two objects, no place.
    for style in ("robotouille", "epic"):
        pool = noise._distractor_pool(style, random.Random(0), set(), None)
        assert (len(pool["items"]), len(pool["places"])) == (2, 1)
        assert len(set(pool["items"])) == 2
    pool = noise._distractor_pool("tabletop", random.Random(0), set(), None)
    assert (len(pool["items"]), pool["places"]) == (2, [])
    given = noise._distractor_pool("tabletop", random.Random(0), set(), ["a", "b", "c"])
    assert given == {"items": ["a", "b", "c"], "places": []}
    given = noise._distractor_pool("robotouille", random.Random(0), {"table2"}, ["a"])
    assert given == {"items": ["a"], "places": ["table3"]}


def test_tabletop_distractors_use_tabletop_templates():
    d = demo("tabletop", steps=30, objects=["red block"])
    out = add_distractors(d, 1.0, seed=2)
    preds = {c.predicate for added in _added(d, out) for c in added}
    allowed = {"moved", "atop", "at", "left_of", "right_of", "behind", "in_front_of"}
    assert preds <= allowed and len(preds) >= 3


def test_templates_tabletop_exactly():
    pool = {"items": ["a", "b"], "places": []}
    regions = noise._TABLETOP_REGIONS
    expected = []
    for x, y in (("a", "b"), ("b", "a")):
        expected += [("moved", (x,)), ("atop", (x, "table"))]
        expected += [("at", (x, r)) for r in regions]
        expected += [("left_of", (x, y)), ("right_of", (x, y)), ("behind", (x, y))]
        expected += [("in_front_of", (x, y)), ("atop", (x, y))]
    assert noise._templates("tabletop", pool) == expected


def test_templates_epic_cover_every_item():
    pool = {"items": ["cup_1", "bowl_2"], "places": ["shelf_3"]}
    got = noise._templates("epic", pool)
    assert ("in", ("cup_1", "shelf_3")) in got and ("on", ("bowl_2", "shelf_3")) in got
    assert len(got) == 2 * 2 + 2


def test_distractor_objects_are_added_to_the_object_list_only_for_tabletop():
    d = demo("robotouille", steps=3, objects=["x"])
    out = add_distractors(d, 1.0, seed=0)
    assert out.scenarios[0].objects == ["x"]


def test_tabletop_object_numbering_counts_up_from_two():
    # Every plain name and every "... 2" is taken: the next free one is "... 3".
    plain = {f"{c} {t}" for c in noise._TABLETOP_COLOURS for t in ("block", "cylinder")}
    for s in range(5):
        taken = plain | {f"{n} 2" for n in plain}
        name = noise._tabletop_object(random.Random(s), taken)
        base, k = name.rsplit(" ", 1)
        assert base in plain and k == "3"
        assert name in taken  # reserved


def test_apply_noise_sub_seed_is_32_bits_of_the_named_stream():
    d = demo(steps=10)
    for seed in range(8):
        sub = random.Random(f"demo2code-noise/{seed}/0/drop-state").getrandbits(32)
        got = apply_noise(d, [NoiseSpec("drop-state", 0.5)], seed)
        assert got.to_json() == drop_states(d, 0.5, sub).to_json()
