"""The specification language read back into a program over the skill library."""

from __future__ import annotations

import re

from demo2code.reasoners.symbolic.common import match_line, spec_body, unreadable
from demo2code.reasoners.symbolic.robotouille.reading import ORDINALS

# --- code ------------------------------------------------------------------------------------

ROLE = r"the (?:(second|third|fourth|fifth|sixth) )?([a-z ]+?)"
SPEC = [
    ("repeat", re.compile(r"^Repeat (\d+) times:$")),
    ("again", re.compile(r"^Then repeat (\d+) times, for the same items in the same order:$")),
    ("choose", re.compile(rf"^Choose an unused ([a-z ]+?)(?: as {ROLE})?\.$")),
    ("cook", re.compile(rf"^Cook {ROLE}\.$")),
    ("cut", re.compile(rf"^Cut {ROLE}\.$")),
    ("fry", re.compile(rf"^Fry {ROLE}\.$")),
    ("fill", re.compile(rf"^Fill {ROLE}\.$")),
    ("boil", re.compile(rf"^Boil {ROLE}\.$")),
    ("soup", re.compile(rf"^Make soup of {ROLE} in {ROLE}\.$")),
    ("while_in", re.compile(rf"^While {ROLE} simmers in {ROLE}:$")),
    ("while", re.compile(rf"^While {ROLE} (cooks|fries|heats):$")),
    ("start_in", re.compile(rf"^Start simmering {ROLE} in {ROLE}\.$")),
    ("start", re.compile(rf"^Start (cooking|frying|heating) {ROLE}\.$")),
    ("wait", re.compile(rf"^Wait until {ROLE} is (cooked|fried|boiling|soup)\.$")),
    ("stack", re.compile(rf"^Stack {ROLE} on top of {ROLE}\.$")),
    ("place", re.compile(rf"^Place {ROLE} on an? ([a-z ]+)\.$")),
]


def _var(ordinal: str | None, noun: str) -> str:
    base = noun.strip().replace(" ", "_")
    return base if not ordinal else f"{base}_{ORDINALS.index(ordinal) + 1}"


# "While the patty cooks:" -> start it, do the indented work, then wait for it.
_WHILE = {
    "cooks": ("start_cooking_obj", "wait_until_cooked"),
    "fries": ("start_frying_obj", "wait_until_fried"),
    "heats": ("start_boiling_obj", "wait_until_boiling"),
}
_START = {
    "cooking": "start_cooking_obj",
    "frying": "start_frying_obj",
    "heating": "start_boiling_obj",
}


def spec_to_code(spec: str) -> str:
    body = spec_body(spec)
    code = ["used_objs = []"]
    loop, phase_vars, earlier = None, [], []  # vars chosen in the phases so far
    blocks: list[tuple[int, str, str]] = []  # open "While" blocks: (depth, pad, wait call)

    def close(depth: int) -> None:
        while blocks and blocks[-1][0] >= depth:
            _, pad, call = blocks.pop()
            code.append(f"{pad}{call}")

    for raw in body:
        if not raw.strip():
            continue
        line = raw.strip()
        found = match_line(SPEC, line)
        if found is None:
            raise unreadable(line)
        name, m = found
        depth = (len(raw) - len(raw.lstrip(" "))) // 4
        close(depth if name not in ("repeat", "again") else 0)
        pad = "    " if loop and depth >= 1 else ""
        if name in ("repeat", "again"):
            if loop and phase_vars:
                earlier += phase_vars
            loop, phase_vars = int(m.group(1)), []
            code.append(f"for i in range({loop}):")
            if name == "again":
                code += [f"    {v} = {v}_list[i]" for v in earlier]
            continue
        if name == "choose":
            var = _var(m.group(2), m.group(3)) if m.group(3) else _var(None, m.group(1))
            code.append(f"{pad}{var} = get_unused_obj('{m.group(1).replace(' ', '_')}', used_objs)")
            if loop:
                phase_vars.append(var)
                code.append(f"{pad}{var}_list.append({var})")
                code.insert(1, f"{var}_list = []")
        elif name in ("cook", "cut", "fry", "fill", "boil"):
            code.append(f"{pad}{name}_obj({_var(*m.groups())})")
        elif name in ("soup", "start_in", "while_in"):
            obj, pot = _var(m.group(1), m.group(2)), _var(m.group(3), m.group(4))
            code.append(f"{pad}{'make_soup' if name == 'soup' else 'start_soup'}({obj}, {pot})")
            if name == "while_in":
                blocks.append((depth, pad, f"wait_until_soup({obj})"))
        elif name == "while":
            var = _var(m.group(1), m.group(2))
            start, wait = _WHILE[m.group(3)]
            code.append(f"{pad}{start}({var})")
            blocks.append((depth, pad, f"{wait}({var})"))
        elif name == "start":
            code.append(f"{pad}{_START[m.group(1)]}({_var(m.group(2), m.group(3))})")
        elif name == "wait":
            code.append(f"{pad}wait_until_{m.group(3)}({_var(m.group(1), m.group(2))})")
        elif name == "stack":
            top, bottom = _var(m.group(1), m.group(2)), _var(m.group(3), m.group(4))
            code.append(f"{pad}stack_obj_on({top}, {bottom})")
        elif name == "place":
            obj = _var(m.group(1), m.group(2))
            code.append(f"{pad}move_obj_to_free_location({obj}, '{m.group(3).replace(' ', '_')}')")
    close(0)
    return _drop_unused_lists("\n".join(code)) + "\n"


def _drop_unused_lists(code: str) -> str:
    """Per-unit lists are only kept when a later phase reads them back."""
    lines = code.splitlines()
    keep = []
    for line in lines:
        m = re.match(r"^\s*(\w+)_list(?: = \[\]|\.append\(\w+\))$", line)
        if m and f"{m.group(1)}_list[i]" not in code:
            continue
        keep.append(line)
    return "\n".join(keep)
