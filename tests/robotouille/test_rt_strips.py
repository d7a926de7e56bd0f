"""robotouille/strips.py: the direct successor and the parse caches answer exactly what
PDDLGym's own inference and parser answer."""

from __future__ import annotations

import itertools
import random

import pytest
from pddlgym.core import get_successor_state

from robotouille import strips
from robotouille.env import ActionNotAllowed, KitchenEnv
from robotouille.generator import generate
from robotouille.level import ENVIRONMENTS, builtin_level

LEVELS = sorted(p.stem for p in ENVIRONMENTS.glob("*.json"))


def _ground_actions(env: KitchenEnv) -> tuple[list, list]:
    """Every operator applied to every tuple of objects of its parameters' types, split by
    whether the environment's own precondition check allows it in the current state."""
    pddl = env._pddl
    by_type: dict = {}
    for _, entity in sorted(env._entities.items()):
        by_type.setdefault(entity.var_type, []).append(entity)
    valid, invalid = [], []
    for name, op in sorted(pddl.domain.operators.items()):
        for args in itertools.product(*(by_type.get(p.var_type, []) for p in op.params)):
            action = pddl.domain.predicates[name](*args)
            try:
                env._check(name, tuple(a.name for a in args))
            except ActionNotAllowed:
                invalid.append(action)
            else:
                valid.append(action)
    return valid, invalid


@pytest.mark.parametrize("name", LEVELS)
def test_successor_is_pddlgyms_on_random_walks(name: str) -> None:
    env = KitchenEnv(generate(builtin_level(name), 3, "noisy"))
    pddl = env._pddl
    rng = random.Random(name)
    seen = set()
    for _ in range(10):
        state = pddl.get_state()
        seen.add(state.literals)
        valid, invalid = _ground_actions(env)
        assert valid
        for action in rng.sample(valid, min(8, len(valid))) + rng.sample(invalid, 8):
            fast = strips.successor(state, action, pddl.domain, inference_mode="csp")
            slow = get_successor_state(state, action, pddl.domain, inference_mode="csp")
            assert fast.literals == slow.literals, action
        pddl.set_state(get_successor_state(state, rng.choice(valid), pddl.domain))
    assert len(seen) > 4  # the walk went somewhere


def test_parsed_domain_and_problem_are_reused_and_equal(tmp_path) -> None:
    level = builtin_level("burger")
    a, b = KitchenEnv(level), KitchenEnv(level)
    assert a._pddl.domain is b._pddl.domain
    assert a._pddl.get_state() == b._pddl.get_state()
    other = KitchenEnv(generate(level, 1, "noisy"))
    assert other._pddl.get_state() != a._pddl.get_state()  # another level, another problem
