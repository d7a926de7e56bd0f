"""Recursive expansion: high-level code in, one program whose every call resolves out.

Depth 1 defines the undefined calls of the high-level code, depth 2 those of the new
bodies, and so on. Each name is defined once: a define answer may bring extra helpers (the
first definition of a name wins, later ones are ignored), and a function may call itself
directly or through others once it is defined. Names still undefined when the depth limit
is reached (a define that never converges) fail the generation with their names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from demo2code import codegen
from demo2code.pipeline.records import Limits
from demo2code.pipeline.runner import Runner
from demo2code.reasoners.base import GenerationFailed, Reasoner, StageContext

PHASE_DEFINE = 10  # record keys: (PHASE_DEFINE + depth, index)


@dataclass
class Expansion:
    program: str
    functions: list[str] = field(default_factory=list)  # helper names in definition order
    depth: int = 0  # deepest level that needed a define call


def _parse(code: str, where: str) -> None:
    try:
        codegen.assemble(code, {})
    except SyntaxError as err:
        raise GenerationFailed(
            f"{where}: the code does not parse ({err.msg}, line {err.lineno})"
        ) from None


def expand(
    main_code: str,
    reasoner: Reasoner,
    ctx: StageContext,
    runner: Runner,
    limits: Limits,
    phase: int = PHASE_DEFINE,
) -> Expansion:
    """`phase` is the first record key; a repair round expands under its own."""
    if not main_code.strip():
        raise GenerationFailed("the answer holds no code")
    _parse(main_code, "high-level code")
    api = set(ctx.api_names)
    main_defs, _ = codegen.split_definitions(main_code)
    definitions: dict[str, str] = {}  # helper name -> source, in definition order
    frontier = codegen.undefined_calls(main_code, api)
    depth = 0
    while frontier:
        if depth >= limits.expand_depth:
            names = ", ".join(site.name for site in frontier)
            raise GenerationFailed(
                f"functions still undefined at expansion depth {limits.expand_depth}: {names}"
            )
        if len(definitions) + len(frontier) > limits.max_functions:
            raise GenerationFailed(
                f"expansion needs more than {limits.max_functions} functions; "
                "the definitions do not converge"
            )
        depth += 1
        program_so_far = codegen.assemble(main_code, definitions)

        def define(
            pair: tuple[int, codegen.CallSite], depth: int = depth, so_far: str = program_so_far
        ) -> dict[str, str]:
            index, site = pair
            answer = runner.call(
                (phase + depth, index), "define", f"depth {depth}: {site.text}",
                lambda: reasoner.define(ctx, site.text, so_far),
            )  # fmt: skip
            code = answer.code or ""
            try:
                defs, _ = codegen.split_definitions(code)
            except SyntaxError as err:
                raise GenerationFailed(
                    f"definition of {site.name} does not parse ({err.msg}, line {err.lineno})"
                ) from None
            if site.name not in defs:
                raise GenerationFailed(f"the answer to define {site.name} defines no {site.name}")
            return defs

        answers = runner.map(define, list(enumerate(frontier)))
        added: list[str] = []
        for defs in answers:
            for name, source in defs.items():
                if name in api or name in main_defs or name in definitions:
                    continue  # defined already: the first definition wins
                definitions[name] = source
                added.append(name)
        known = api | set(main_defs) | set(definitions)
        frontier = []
        seen: set[str] = set()
        for name in added:
            for site in codegen.undefined_calls(definitions[name], known):
                if site.name not in seen:
                    seen.add(site.name)
                    frontier.append(site)
    program = codegen.assemble(main_code, definitions)
    left = codegen.undefined_calls(program, api)
    if left:  # cannot happen if the loop above is right; keep the promise checked
        raise GenerationFailed(f"undefined after expansion: {', '.join(s.name for s in left)}")
    return Expansion(program=program, functions=list(main_defs) + list(definitions), depth=depth)
