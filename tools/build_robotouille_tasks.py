"""Writes data/robotouille/tasks/*.json and reference/*.py from compact recipes.

Kept in the repository so the catalogue can be regenerated after a deliberate change; the
JSON and Python files it writes are the source of truth the tool reads.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "data" / "robotouille"
SKILLS = (ROOT / "skills.py").read_text()
PREP = {
    "cook": ("cooked", "cook_obj", "Cook the {n} at a stove"),
    "cut": ("cut", "cut_obj", "Cut the {n} at a cutting board"),
}
WORDS = {"bottom_bun": "bottom bun", "top_bun": "top bun"}


def word(kind: str) -> str:
    return WORDS.get(kind, kind)


def skills_for(code: str) -> str:
    """The skill definitions `code` needs, transitively, in library order."""
    tree = ast.parse(SKILLS)
    defs = {
        n.name: ast.get_source_segment(SKILLS, n)
        for n in tree.body
        if isinstance(n, ast.FunctionDef)
    }
    consts = [ast.get_source_segment(SKILLS, n) for n in tree.body if isinstance(n, ast.Assign)]
    need, todo = set(), [code]
    while todo:
        text = todo.pop()
        for name in defs:
            if name not in need and re.search(rf"\b{name}\(", text):
                need.add(name)
                todo.append(defs[name])
    parts = consts + [defs[n] for n in defs if n in need]
    return "\n\n\n".join(parts)


def program(main: str) -> str:
    return skills_for(main) + "\n\n\n" + main.strip() + "\n"


# --- recipes -------------------------------------------------------------------------------


def burger(layers, mode):
    """layers: [(var, kind, prep[, code name])] bottom to top.
    Returns (chain, final, spec lines, code lines)."""
    names = {v: (rest[0] if rest else k) for v, k, p, *rest in layers}
    layers = [(v, k, p) for v, k, p, *_ in layers]
    chain, final, spec, code = [], [], [], []
    kinds = [k for _, k, _ in layers]
    spec.append(
        "Decide "
        + ", ".join(f"a {word(k)}" for k in kinds[:-1])
        + f" and a {word(kinds[-1])} to use."
    )
    code += [f"{names[v]} = get_unused_obj('{k}', used_objs)" for v, k, _ in layers]
    preps = [(v, k, p) for v, k, p in layers if p]
    if mode == "after":
        chain.append(" & ".join(f"{PREP[p][0]} {v}" for v, k, p in preps))
        for v, k, p in preps:
            spec.append(PREP[p][2].format(n=word(k)) + ".")
            code.append(f"{PREP[p][1]}({names[v]})")
    stack_words = []
    for (pv, pk, _), (v, k, p) in zip(layers, layers[1:]):
        if mode == "immediate" and p:
            chain.append(f"{PREP[p][0]} {v}")
            spec.append(
                PREP[p][2].format(n=word(k))
                + f", then immediately stack it on top of the {word(pk)}."
            )
            code.append(f"{PREP[p][1]}({names[v]})")
        elif mode == "immediate":
            spec.append(f"Stack the {word(k)} on top of the {word(pk)}.")
        else:
            stack_words.append(f"the {word(k)} on top of the {word(pk)}")
        chain.append(f"atop {v} {pv}")
        code.append(f"stack_obj_on({names[v]}, {names[pv]})")
        final.append(f"atop {v} {pv}")
    if stack_words:
        spec.append(
            "After all ingredients are prepared, stack " + ", then ".join(stack_words) + "."
        )
    final.append(f"clear {layers[-1][0]}")
    final += [f"{PREP[p][0]} {v}" for v, k, p in preps]
    return chain, final, spec, code


def prepare(kinds_preps, order_matters=True):
    chain, final, spec, code = [], [], [], []
    for v, k, p in kinds_preps:
        code.append(f"{k} = get_unused_obj('{k}', used_objs)")
    for v, k, p in kinds_preps:
        chain.append(f"{PREP[p][0]} {v}")
        final.append(f"{PREP[p][0]} {v}")
        spec.append(PREP[p][2].format(n=word(k)) + ".")
        code.append(f"{PREP[p][1]}({k})")
    return chain, final, spec, code


def task(
    tid, family, split, env, instruction, recipe, copies=1, never=(), note=None, cross_chain=False
):
    chain, final, spec, code = recipe
    objects, chains, finals = {}, [], []
    var_kind = {}
    for goal in chain + final:
        for tok in goal.replace("&", " ").split()[1:]:
            var_kind[tok] = None
    for k in range(1, copies + 1):
        sfx = str(k) if copies > 1 else ""
        ren = (
            lambda g: " ".join(
                [g.split()[0]] + [t + sfx if t not in "&" else t for t in g.split()[1:]]
            )
            if "&" not in g
            else " & ".join(ren(x.strip()) for x in g.split("&"))
        )
        chains.append([ren(g) for g in chain])
        finals += [ren(g) for g in final]
    kinds = recipe_kinds[tid]
    for k in range(1, copies + 1):
        sfx = str(k) if copies > 1 else ""
        for v, kind in kinds.items():
            objects[v + sfx] = kind
    if cross_chain:  # one burger after the other: a single chain
        chains = [sum(chains, [])]
    body = ["used_objs = []"]
    if copies > 1:
        body.append(f"for i in range({copies}):")
        body += ["    " + line for line in code]
        spec_text = (
            instruction
            + "\nSpecifically:\n"
            + (
                "Repeat the following twice:\n"
                if copies == 2
                else f"Repeat the following {copies} times:\n"
            )
            + "\n".join("    " + s for s in spec)
        )
    else:
        body += code
        spec_text = instruction + "\nSpecifically:\n" + "\n".join(spec)
    data = {
        "id": tid,
        "family": family,
        "split": split,
        "environment": env,
        "instruction": instruction,
        "spec": spec_text,
        "test": {"objects": objects, "chains": chains, "final": finals, "never": list(never)},
    }
    if note:
        data["note"] = note
    (ROOT / "tasks" / f"{tid}.json").write_text(json.dumps(data, indent=1) + "\n")
    (ROOT / "reference" / f"{tid}.py").write_text(program("\n".join(body)))


recipe_kinds: dict[str, dict[str, str]] = {}


def add(tid, family, split, env, instruction, layers=None, mode=None, preps=None, **kw):
    if layers:
        recipe = burger(layers, mode)
        recipe_kinds[tid] = {v: k for v, k, *_ in layers}
    else:
        recipe = prepare(preps)
        recipe_kinds[tid] = {v: k for v, k, _ in preps}
    task(tid, family, split, env, instruction, recipe, **kw)


P, L, B, T = (
    ("p", "patty", "cook"),
    ("l", "lettuce", "cut"),
    ("b", "bottom_bun", None),
    ("t", "top_bun", None),
)
C, CH, TM = ("c", "cheese", None), ("ch", "chicken", "cook"), ("tm", "tomato", "cut")

for f in (ROOT / "tasks").glob("*.json"):
    f.unlink()
for f in (ROOT / "reference").glob("*.py"):
    f.unlink()

# cook and cut
add(
    "cook-patty",
    "cook-and-cut",
    "test",
    "cook_and_cut",
    "Cook a patty.",
    preps=[P],
    never=["cut lettuce"],
)
add(
    "cut-lettuce",
    "cook-and-cut",
    "test",
    "cook_and_cut",
    "Cut a lettuce.",
    preps=[L],
    never=["cooked patty"],
)
add(
    "cook-then-cut",
    "cook-and-cut",
    "test",
    "cook_and_cut",
    "Cook a patty and cut a lettuce.",
    preps=[P, L],
)
add(
    "cut-then-cook",
    "cook-and-cut",
    "test",
    "cook_and_cut",
    "Cook a patty and cut a lettuce.",
    preps=[L, P],
)
# assemble two burgers from prepared patties
CP = ("p", "patty", None)
add(
    "assemble-one-by-one",
    "assemble-burgers",
    "test",
    "assemble_burgers",
    "Make two burgers with the cooked patties that are already stacked up.",
    layers=[B, CP, T],
    mode="immediate",
    copies=2,
    cross_chain=True,
)
# (parallel is written below by hand: its order crosses the two burgers)
# make a burger: one kitchen (every ingredient of the family) for all its variants.
# The chicken and lettuce-tomato burgers are "cook, put it on the bun at once, then cut and
# stack", as in the paper's variants (data/README.md).
add(
    "lettuce-only-burger",
    "make-burger",
    "test",
    "burger",
    "Cut a lettuce and put it on a bottom bun, then put a top bun on the lettuce.",
    layers=[B, L, T],
    mode="immediate",
    never=["cooked patty"],
)
add(
    "burger-lettuce-on-patty-immediately",
    "make-burger",
    "test",
    "burger",
    "Make a burger.",
    layers=[B, P, L, T],
    mode="immediate",
)
add(
    "burger-lettuce-on-patty-after-prep",
    "make-burger",
    "test",
    "burger",
    "Make a burger.",
    layers=[B, P, L, T],
    mode="after",
)
add(
    "burger-patty-on-lettuce-immediately",
    "make-burger",
    "test",
    "burger",
    "Make a burger.",
    layers=[B, L, P, T],
    mode="immediate",
)
add(
    "burger-patty-on-lettuce-after-prep",
    "make-burger",
    "test",
    "burger",
    "Make a burger.",
    layers=[B, L, P, T],
    mode="after",
)
add(
    "cheese-burger",
    "make-burger",
    "test",
    "burger",
    "Make a burger.",
    layers=[B, P, C, T],
    mode="immediate",
)
add(
    "chicken-burger",
    "make-burger",
    "test",
    "burger",
    "Make a burger.",
    layers=[B, CH, L, T],
    mode="immediate",
)
add(
    "lettuce-tomato-burger",
    "make-burger",
    "test",
    "burger",
    "Make a burger.",
    layers=[B, P, TM, L, T],
    mode="immediate",
)
# make two burgers: one burger after the other, as the paper's unit tests order them
add(
    "cook-two-patties",
    "make-two-burgers",
    "test",
    "two_burgers",
    "Cook two patties.",
    preps=[P],
    copies=2,
    never=["cut lettuce"],
)
add(
    "cut-two-lettuces",
    "make-two-burgers",
    "test",
    "two_burgers",
    "Cut two lettuces.",
    preps=[L],
    copies=2,
    never=["cooked patty"],
)
add(
    "two-burgers-lettuce-on-patty-immediately",
    "make-two-burgers",
    "test",
    "two_burgers",
    "Make two burgers.",
    layers=[B, P, L, T],
    mode="immediate",
    copies=2,
    cross_chain=True,
)
add(
    "two-burgers-lettuce-on-patty-after-prep",
    "make-two-burgers",
    "test",
    "two_burgers",
    "Make two burgers.",
    layers=[B, P, L, T],
    mode="after",
    copies=2,
    cross_chain=True,
)
add(
    "two-burgers-patty-on-lettuce-immediately",
    "make-two-burgers",
    "test",
    "two_burgers",
    "Make two burgers.",
    layers=[B, L, P, T],
    mode="immediate",
    copies=2,
    cross_chain=True,
)
add(
    "two-burgers-patty-on-lettuce-after-prep",
    "make-two-burgers",
    "test",
    "two_burgers",
    "Make two burgers.",
    layers=[B, L, P, T],
    mode="after",
    copies=2,
    cross_chain=True,
)
add(
    "two-cheese-burgers",
    "make-two-burgers",
    "test",
    "two_burgers",
    "Make two burgers.",
    layers=[B, P, C, T],
    mode="immediate",
    copies=2,
    cross_chain=True,
)
add(
    "two-chicken-burgers",
    "make-two-burgers",
    "test",
    "two_burgers",
    "Make two burgers.",
    layers=[B, CH, L, T],
    mode="immediate",
    copies=2,
    cross_chain=True,
)
add(
    "two-lettuce-tomato-burgers",
    "make-two-burgers",
    "test",
    "two_burgers",
    "Make two burgers.",
    layers=[B, P, TM, L, T],
    mode="immediate",
    copies=2,
    cross_chain=True,
)
# training variants: the only ones prompts may use as examples
O, BR1, BR2, CK = (
    ("o", "onion", "cut"),
    ("br1", "bread", None, "bottom_bread"),
    ("br2", "bread", None, "top_bread"),
    ("ck", "chicken", "cook"),
)
add(
    "train-cut-onion",
    "training",
    "train",
    "training_kitchen",
    "Cut an onion.",
    preps=[O],
    never=["cooked patty"],
)
add("train-cook-chicken", "training", "train", "training_kitchen", "Cook a chicken.", preps=[CK])
add(
    "train-cut-tomato-then-cook-patty",
    "training",
    "train",
    "training_kitchen",
    "Cut a tomato and cook a patty.",
    preps=[TM, P],
)
add(
    "train-onion-burger",
    "training",
    "train",
    "training_kitchen",
    "Make an onion burger.",
    layers=[B, P, O, T],
    mode="immediate",
)
add(
    "train-cheese-tomato-sandwich",
    "training",
    "train",
    "training_kitchen",
    "Make a sandwich.",
    layers=[BR1, C, TM, BR2],
    mode="after",
)
add(
    "train-chicken-sandwich",
    "training",
    "train",
    "training_kitchen",
    "Make a chicken sandwich.",
    layers=[BR1, CK, BR2],
    mode="immediate",
)

# training variants the prompt examples (prompts/robotouille/examples) illustrate
add(
    "train-tomato-cheese-sandwich",
    "training",
    "train",
    "training_kitchen",
    "Make a sandwich with bread, cheese and tomato.",
    layers=[("br1", "bread", None, "bottom_bread"), TM, C, ("br2", "bread", None, "top_bread")],
    mode="immediate",
)


def handmade(tid, instruction, spec, test, main):
    data = {
        "id": tid,
        "family": "training",
        "split": "train",
        "environment": "training_kitchen",
        "instruction": instruction,
        "spec": instruction + "\nSpecifically:\n" + spec,
        "test": test,
    }
    (ROOT / "tasks" / f"{tid}.json").write_text(json.dumps(data, indent=1) + "\n")
    (ROOT / "reference" / f"{tid}.py").write_text(program(main))


handmade(
    "train-cut-onion-put-on-table",
    "Cut an onion and put it on a table.",
    "Cut an onion at a cutting board.\nThen put it on a free table.",
    {
        "objects": {"o": "onion", "tb": "table"},
        "chains": [["cut o", "on o tb"]],
        "final": ["on o tb", "cut o"],
        "never": ["cooked patty"],
    },
    "used_objs = []\nonion = get_unused_obj('onion', used_objs)\ncut_obj(onion)\n"
    "move_obj_to_free_location(onion, 'table')\n",
)
handmade(
    "train-chicken-on-bread",
    "Cook a chicken and stack it on the bread.",
    "Cook a chicken at a stove.\nThen stack it on top of a bread.",
    {
        "objects": {"ck": "chicken", "br": "bread"},
        "chains": [["cooked ck", "atop ck br"]],
        "final": ["atop ck br", "cooked ck", "clear ck"],
        "never": [],
    },
    "used_objs = []\nchicken = get_unused_obj('chicken', used_objs)\ncook_obj(chicken)\n"
    "bread = get_unused_obj('bread', used_objs)\nstack_obj_on(chicken, bread)\n",
)

# assemble in parallel: bottom layers of both burgers first, then both top buns.
parallel_main = """used_objs = []
bottom_buns = []
patties = []
for i in range(2):
    bottom_bun = get_unused_obj('bottom_bun', used_objs)
    patty = get_unused_obj('patty', used_objs)
    stack_obj_on(patty, bottom_bun)
    bottom_buns.append(bottom_bun)
    patties.append(patty)
for i in range(2):
    top_bun = get_unused_obj('top_bun', used_objs)
    stack_obj_on(top_bun, patties[i])
"""
data = json.loads((ROOT / "tasks" / "assemble-one-by-one.json").read_text())
data.update(
    id="assemble-parallel",
    spec="Make two burgers with the cooked patties that are already stacked up.\nSpecifically:\nDecide two bottom buns, two patties and two top buns to use.\nStack each patty on top of its own bottom bun, one burger after the other.\nOnly after both patties are stacked, stack a top bun on top of each patty.",
)
data["test"]["chains"] = [["atop p1 b1 & atop p2 b2", "atop t1 p1 & atop t2 p2"]]
(ROOT / "tasks" / "assemble-parallel.json").write_text(json.dumps(data, indent=1) + "\n")
(ROOT / "reference" / "assemble-parallel.py").write_text(program(parallel_main))
print(len(list((ROOT / "tasks").glob("*.json"))), "tasks")
