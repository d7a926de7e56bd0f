"""Noise transforms: pure, seeded, statistically faithful to p, and specs with clear errors."""

from __future__ import annotations

import pytest

from demo2code.demo_text import parse, render
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


def long_demo(benchmark: str = "robotouille", steps: int = 400) -> Demonstration:
    """Many steps, each with its own distinct changes, so drops are countable."""
    if benchmark == "tabletop":
        make = lambda i: [Change("moved", (f"red block{i}",)), Change("atop", (f"o{i}", "table"))]  # noqa: E731
    elif benchmark == "epic":
        make = lambda i: [Change("in", (f"bowl_{i}", "sink_1")), Change("is_soapy", (f"bowl_{i}",))]  # noqa: E731
    else:
        make = lambda i: [Change("at", ("robot1", f"table{i}")), Change("cut", (f"lettuce{i}",))]  # noqa: E731
    initial = [Change("at", ("lettuce1", "table1"))]
    scen = Scenario(0, [Step(f"a{i}", make(i)) for i in range(steps)], initial,
                    objects=["red block1"] if benchmark == "tabletop" else None)  # fmt: skip
    return Demonstration(benchmark, "t", "Do it.", [scen])


def all_changes(demo: Demonstration) -> list[Change]:
    return [c for s in demo.scenarios for st in s.steps for c in st.changes]


def test_drop_predicates_fraction_seed_and_purity() -> None:
    demo = long_demo()
    before = demo.to_json()
    total = len(all_changes(demo))
    noisy = drop_predicates(demo, 0.3, seed=1)
    assert demo.to_json() == before  # not mutated
    kept = all_changes(noisy)
    assert abs((1 - len(kept) / total) - 0.3) < 0.05
    assert len(noisy.scenarios[0].steps) == 400  # steps stay, maybe empty
    assert noisy.scenarios[0].initial_state == demo.scenarios[0].initial_state
    assert set(kept) <= set(all_changes(demo))
    assert drop_predicates(demo, 0.3, seed=1).to_json() == noisy.to_json()
    assert drop_predicates(demo, 0.3, seed=2).to_json() != noisy.to_json()
    assert drop_predicates(demo, 0.0, seed=5).to_json() == before
    assert all_changes(drop_predicates(demo, 1.0, seed=5)) == []


def test_drop_states_fraction_and_later_steps_keep_changes() -> None:
    demo = long_demo()
    noisy = drop_states(demo, 0.2, seed=3)
    kept = noisy.scenarios[0].steps
    assert abs((1 - len(kept) / 400) - 0.2) < 0.05
    actions = [s.action for s in kept]
    original = {s.action: s.changes for s in demo.scenarios[0].steps}
    assert actions == sorted(actions, key=lambda a: int(a[1:]))  # order preserved
    assert all(s.changes == original[s.action] for s in kept)
    assert drop_states(demo, 0.2, seed=3).to_json() == noisy.to_json()
    assert drop_states(demo, 0.2, seed=4).to_json() != noisy.to_json()
    assert len(demo.scenarios[0].steps) == 400
    text = render(noisy)
    assert f"State {len(kept) + 1}:" in text and f"State {len(kept) + 2}:" not in text


@pytest.mark.parametrize("benchmark", ["robotouille", "tabletop", "epic"])
def test_add_distractors_fraction_fresh_objects_and_style(benchmark: str) -> None:
    demo = long_demo(benchmark)
    before = demo.to_json()
    noisy = add_distractors(demo, 0.25, seed=7)
    assert demo.to_json() == before
    task_objects = {a for c in all_changes(demo) for a in c.args} | {"lettuce1", "table1"}
    added_steps = 0
    for old, new in zip(demo.scenarios[0].steps, noisy.scenarios[0].steps, strict=True):
        extra = [c for c in new.changes if c not in old.changes]
        assert len(new.changes) - len(old.changes) == len(extra) <= 1
        if extra:
            added_steps += 1
            assert extra[0].args[0] not in task_objects  # about an object outside the task
    assert abs(added_steps / 400 - 0.25) < 0.05
    # the distractors render in the benchmark's style and survive a round trip
    text = render(noisy)
    assert render(parse(text)) == text
    assert parse(text).benchmark == benchmark
    if benchmark == "tabletop":
        invented = {c.args[0] for c in all_changes(noisy)} - task_objects
        assert invented <= set(noisy.scenarios[0].objects)
        assert all(o.split()[-1] in ("block", "cylinder") for o in invented)
    assert add_distractors(demo, 0.25, seed=7).to_json() == noisy.to_json()
    assert add_distractors(demo, 0.25, seed=8).to_json() != noisy.to_json()


def added(demo: Demonstration, noisy: Demonstration) -> list[Change]:
    out = []
    for old, new in zip(demo.scenarios, noisy.scenarios, strict=True):
        for o, n in zip(old.steps, new.steps, strict=True):
            out += [c for c in n.changes if c not in o.changes]
    return out


def test_robotouille_distractor_names_do_not_clash() -> None:
    kinds = ("lettuce", "tomato", "onion", "patty", "chicken", "cheese", "bread", "top_bun",
             "bottom_bun", "table", "stove", "cutting_board")  # fmt: skip
    steps = [Step("s", [Change("at", (f"{k}{i}", "stove1"))]) for k in kinds for i in (1, 2)]
    demo = Demonstration("robotouille", "t", "Do.", [Scenario(0, steps)])
    existing = {a for c in all_changes(demo) for a in c.args}
    for seed in range(10):
        extra = added(demo, add_distractors(demo, 1.0, seed))
        assert len(extra) == len(steps)
        for change in extra:
            assert not set(change.args) & existing
            assert all(a.rstrip("0123456789") in kinds and a.endswith("3") for a in change.args)


def test_epic_gets_at_least_two_distracted_states() -> None:
    demo = long_demo("epic", steps=3)
    for seed in range(20):
        noisy = add_distractors(demo, 0.01, seed)
        grown = sum(
            len(n.changes) > len(o.changes)
            for o, n in zip(demo.scenarios[0].steps, noisy.scenarios[0].steps, strict=True)
        )
        assert grown >= 2
    assert add_distractors(demo, 0.0, 1).to_json() == demo.to_json()


def test_given_distractor_objects_used_and_clash_rejected() -> None:
    demo = long_demo(steps=20)
    noisy = add_distractors(demo, 1.0, 0, objects=["onion9"])
    extra = added(demo, noisy)
    assert len(extra) == 20 and all(c.args[0] == "onion9" for c in extra)
    with pytest.raises(InputError, match="lettuce3"):
        add_distractors(demo, 0.5, 0, objects=["lettuce3"])


def test_spec_parse_canonical_and_errors() -> None:
    spec = NoiseSpec.parse(" drop_predicates=0.10 ")
    assert spec == NoiseSpec("drop-predicate", 0.1) and str(spec) == "drop-predicate=0.1"
    specs = parse_noise("drop-state=0.2,add-distractor=1")
    assert format_noise(specs) == "drop-state=0.2,add-distractor=1"
    assert [NoiseSpec.parse(str(s)) for s in specs] == specs
    with pytest.raises(UnknownName, match="Did you mean 'drop-state'"):
        NoiseSpec.parse("drop-stat=0.1")
    for bad in ("drop-state=1.5", "drop-state=-0.1", "drop-state=abc", "drop-state=nan"):
        with pytest.raises(InputError, match="between 0 and 1") as info:
            NoiseSpec.parse(bad)
        assert "\n" not in str(info.value)
    with pytest.raises(InputError, match="expected KIND=P"):
        NoiseSpec.parse("drop-state")


def test_apply_noise_is_seeded_and_composes() -> None:
    demo = long_demo(steps=200)
    specs = parse_noise("drop-state=0.3,drop-predicate=0.3,add-distractor=0.5")
    a = apply_noise(demo, specs, seed=11)
    assert apply_noise(demo, specs, seed=11).to_json() == a.to_json()
    assert apply_noise(demo, specs, seed=12).to_json() != a.to_json()
    assert 200 * 0.6 < len(a.scenarios[0].steps) < 200 * 0.8
    plain = apply_noise(demo, [], seed=1)
    assert plain is not demo and plain.to_json() == demo.to_json()
    # adding a later spec does not change what the earlier ones did
    first = apply_noise(demo, specs[:1], seed=11)
    both = apply_noise(demo, specs[:2], seed=11)
    kept = {s.action for s in first.scenarios[0].steps}
    assert {s.action for s in both.scenarios[0].steps} == kept


def test_distractors_prefer_kinds_absent_from_the_task() -> None:
    steps = [
        Step("s", [Change("cooked", ("patty1",)), Change("cut", ("lettuce1",))]) for _ in range(30)
    ]
    demo = Demonstration("robotouille", "t", "Do.", [Scenario(0, steps)])
    for seed in range(5):
        for change in added(demo, add_distractors(demo, 1.0, seed)):
            assert not any(a.startswith(("patty", "lettuce")) for a in change.args)
