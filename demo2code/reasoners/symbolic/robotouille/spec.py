"""A plan written as the specification language code.py reads back."""

from __future__ import annotations

from demo2code.reasoners.symbolic.robotouille.planning import Op, Plan, op_objects
from demo2code.reasoners.symbolic.robotouille.reading import ORDINALS, article, words


def role_phrase(role: str) -> str:
    base, _, n = role.partition("_")
    if role.rsplit("_", 1)[-1].isdigit():
        base, n = role.rsplit("_", 1)
        return f"the {ORDINALS[int(n) - 1]} {words(base)}"
    return f"the {words(role)}"


# Done state -> (what the item does meanwhile, the gerund of starting it).
PROCESS_WORDS = {
    "cooked": ("cooks", "cooking"),
    "fried": ("fries", "frying"),
    "boiling": ("heats", "heating"),
    "soup": ("simmers", "simmering"),
}
VERBS = {"cook": "Cook", "cut": "Cut", "fry": "Fry", "fill": "Fill", "boil": "Boil"}


def _nested(phase: tuple[Op, ...]) -> bool:
    """Every start is waited for in the same phase, innermost first: the waits can be
    written as "While ..." blocks."""
    stack = []
    for op in phase:
        if op[0] == "start":
            stack.append(op[1])
        elif op[0] == "wait" and (not stack or stack.pop() != op[1]):
            return False
    return not stack


def spec_text(plan: Plan, instruction: str | None) -> str:
    head = instruction.strip() if instruction else "Do the task shown in the demonstrations."
    lines = [head, "Specifically:"]
    kinds = dict(plan.roles)
    chosen: set[str] = set()
    for n, phase in enumerate(plan.phases):
        base = ""
        if plan.repeat > 1:
            lines.append(
                f"Repeat {plan.repeat} times:"
                if n == 0
                else f"Then repeat {plan.repeat} times, for the same items in the same order:"
            )
            base = "    "
        blocks = _nested(phase)
        depth = 0
        for op in phase:
            indent = base + "    " * depth
            for role in reversed(op_objects(op)):
                if role not in chosen:
                    chosen.add(role)
                    k = kinds[role]
                    extra = f" as {role_phrase(role)}" if role != k else ""
                    lines.append(f"{indent}Choose an unused {words(k)}{extra}.")
            if op[0] == "stack":
                lines.append(f"{indent}Stack {role_phrase(op[1])} on top of {role_phrase(op[2])}.")
            elif op[0] == "place":
                lines.append(
                    f"{indent}Place {role_phrase(op[1])} on {article(op[2])} {words(op[2])}."
                )
            elif op[0] == "soup":
                lines.append(f"{indent}Make soup of {role_phrase(op[1])} in {role_phrase(op[2])}.")
            elif op[0] == "start":
                does, gerund = PROCESS_WORDS[op[2]]
                into = f" in {role_phrase(op[3])}" if len(op) > 3 else ""
                if blocks:
                    lines.append(f"{indent}While {role_phrase(op[1])} {does}{into}:")
                    depth += 1
                else:
                    lines.append(f"{indent}Start {gerund} {role_phrase(op[1])}{into}.")
            elif op[0] == "wait":
                if blocks:
                    depth -= 1
                else:
                    lines.append(f"{indent}Wait until {role_phrase(op[1])} is {op[2]}.")
            else:
                lines.append(f"{indent}{VERBS[op[0]]} {role_phrase(op[1])}.")
    return "\n".join(lines)
