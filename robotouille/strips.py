"""Cheaper PDDLGym for our STRIPS domain: every episode (and every self-check scenario,
docs/selfcheck.md) used to parse the same domain file again, the same level's problem again,
and to prove each action's preconditions with PDDLGym's general inference, although an action
of an operators-as-actions domain names every parameter of its operator.

- `load_pddl`: the parsed domain is kept per file (and modification time); a problem per
  file text. PDDLGym only reads them after parsing.
- `successor`: the action's operator bound by position, its preconditions looked up in the
  state, its effects applied by PDDLGym's own `_apply_effects`. Anything else (a type that
  does not match exactly, a precondition that fails, a non-STRIPS operator) goes through
  PDDLGym's `get_successor_state` as before, so the result is always PDDLGym's.
"""

from __future__ import annotations

import glob
import os
import threading
from typing import Any

from pddlgym.core import _apply_effects, get_successor_state
from pddlgym.parser import PDDLDomainParser, PDDLProblemParser
from pddlgym.structs import Literal, LiteralConjunction, State, ground_literal

_LOCK = threading.Lock()
_DOMAINS: dict[tuple[str, int, bool], PDDLDomainParser] = {}
_PROBLEMS: dict[tuple[str, str], PDDLProblemParser] = {}
_MAX_PROBLEMS = 256  # levels kept parsed; a long eval sees a few dozen


def load_pddl(
    domain_file: str, problem_dir: str, operators_as_actions: bool = False
) -> tuple[PDDLDomainParser, list[PDDLProblemParser]]:
    """`PDDLEnv.load_pddl`, parsing each domain and problem text once per process."""
    key = (domain_file, os.stat(domain_file).st_mtime_ns, operators_as_actions)
    with _LOCK:
        domain = _DOMAINS.get(key)
    if domain is None:
        domain = PDDLDomainParser(
            domain_file,
            expect_action_preds=not operators_as_actions,
            operators_as_actions=operators_as_actions,
        )
        with _LOCK:
            domain = _DOMAINS.setdefault(key, domain)
    problems = []
    for problem_file in sorted(glob.glob(os.path.join(problem_dir, "*.pddl"))):
        with open(problem_file, encoding="utf-8") as fh:
            pkey = (domain.domain_name, fh.read())
        with _LOCK:
            problem = _PROBLEMS.get(pkey)
        if problem is None:
            problem = PDDLProblemParser(
                problem_file,
                domain.domain_name,
                domain.types,
                domain.predicates,
                domain.actions,
                domain.constants,
            )
            with _LOCK:
                if len(_PROBLEMS) >= _MAX_PROBLEMS:
                    _PROBLEMS.clear()
                problem = _PROBLEMS.setdefault(pkey, problem)
        problems.append(problem)
    return domain, problems


def successor(state: State, action: Literal, domain: Any, **kwargs: Any) -> State:
    """The state after `action`, as `pddlgym.core.get_successor_state` computes it."""
    op = domain.operators.get(action.predicate.name) if domain.operators_as_actions else None
    if (
        op is None
        or kwargs.get("get_all_transitions")
        or not isinstance(op.preconds, LiteralConjunction)
        or len(op.params) != len(action.variables)
        or any(p.var_type != a.var_type for p, a in zip(op.params, action.variables, strict=True))
    ):
        return get_successor_state(state, action, domain, **kwargs)
    assignment = dict(zip(op.params, action.variables, strict=True))
    for cond in op.preconds.literals:
        if not isinstance(cond, Literal) or any(v not in assignment for v in cond.variables):
            return get_successor_state(state, action, domain, **kwargs)
        ground = ground_literal(cond.positive if cond.is_negative else cond, assignment)
        if (ground in state.literals) == cond.is_negative:
            return get_successor_state(state, action, domain, **kwargs)
    effects = op.effects.literals if isinstance(op.effects, LiteralConjunction) else [op.effects]
    return _apply_effects(state, effects, assignment)
