"""Writes the `async` Robotouille family: data/robotouille/tasks/async-*.json, reference
programs and the levels robotouille/environments/async_kitchen.json and
async_soup_kitchen.json.

Each variant overlaps work with something that takes time (cooking, frying, boiling water,
soup simmering), and its unit test asks for the overlap: a chain "cooking p" -> "cut l" ->
"cooked p" that a serial plan cannot meet. Run it after a deliberate change, then `demo2code demos generate`.
"""

from __future__ import annotations

import json
from pathlib import Path

from build_robotouille_tasks import program

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "robotouille"
LEVEL = "async_kitchen"

# Items on tables, row by row; the durations make waiting long enough to cut meanwhile.
TABLE_ITEMS = [
    "patty", "patty", "lettuce", "lettuce", "potato", "tomato", "onion", "chicken",
    "bottom_bun", "bottom_bun", "bread",
]  # fmt: skip
DURATIONS = {"cut": 3, "cook": 14, "fry": 12}
APPLIANCES = ["stove", "stove", "fryer", "cutting_board", "cutting_board"]
# The soup kitchen: a sink and a pot; boiling the water and the soup take long enough to cut
# (or start a patty) meanwhile.
SOUP_LEVEL = "async_soup_kitchen"
SOUP_TABLE_ITEMS = ["pot", "onion", "potato", "lettuce", "tomato", "patty"]
SOUP_APPLIANCES = ["sink", "stove", "stove", "cutting_board", "cutting_board"]
SOUP_DURATIONS = {"cut": 3, "cook": 14, "boil": 10, "soup": 12}


def level(
    name: str = LEVEL,
    table_items: list[str] = TABLE_ITEMS,
    appliances: list[str] = APPLIANCES,
    durations: dict[str, int] = DURATIONS,
) -> dict:
    cells = [(x, 0) for x in range(1, 9)] + [(0, y) for y in range(1, 7)]
    cells += [(x, 6) for x in range(1, 9)]
    kinds = table_items + appliances
    kinds += ["table", "table"]  # free tables to put things down
    stations, items = [], []
    for (x, y), k in zip(cells, kinds, strict=False):
        station = "table" if k not in appliances else k
        stations.append({"kind": station, "x": x, "y": y})
        if station == "table" and k != "table":
            items.append({"kind": k, "x": x, "y": y, "level": 0})
    return {
        "name": name,
        "width": 10,
        "height": 8,
        "stations": stations,
        "items": items,
        "robot": {"x": 1, "y": 1, "facing": "up"},
        "durations": durations,
    }


# id, split, instruction, spec body, test, main program (on the first level; SOUP_VARIANTS
# below are on the soup kitchen)
VARIANTS = [
    (
        "async-cook-patty-while-cutting-lettuce", "test",
        "Cook a patty and cut a lettuce, cutting while the patty cooks.",
        ["Choose an unused patty.", "While the patty cooks:", "    Cut a lettuce."],
        {"objects": {"p": "patty", "l": "lettuce"},
         "chains": [["cooking p", "cut l", "cooked p"]], "final": ["cooked p", "cut l"]},
        "patty = get_unused_obj('patty', used_objs)\nlettuce = get_unused_obj('lettuce', used_objs)\n"
        "start_cooking_obj(patty)\ncut_obj(lettuce)\nwait_until_cooked(patty)",
    ),
    (
        "async-fry-potato-while-cutting-tomato", "test",
        "Fry a potato and cut a tomato, cutting while the potato fries.",
        ["While the potato fries:", "    Cut a tomato."],
        {"objects": {"f": "potato", "t": "tomato"},
         "chains": [["frying f", "cut t", "fried f"]], "final": ["fried f", "cut t"]},
        "potato = get_unused_obj('potato', used_objs)\ntomato = get_unused_obj('tomato', used_objs)\n"
        "start_frying_obj(potato)\ncut_obj(tomato)\nwait_until_fried(potato)",
    ),
    (
        "async-fry-chicken-while-cutting-onion", "test",
        "Fry a chicken and cut an onion while it fries.",
        ["While the chicken fries:", "    Cut an onion."],
        {"objects": {"c": "chicken", "o": "onion"},
         "chains": [["frying c", "cut o", "fried c"]], "final": ["fried c", "cut o"]},
        "chicken = get_unused_obj('chicken', used_objs)\nonion = get_unused_obj('onion', used_objs)\n"
        "start_frying_obj(chicken)\ncut_obj(onion)\nwait_until_fried(chicken)",
    ),
    (
        "async-cook-two-patties-while-cutting-lettuce", "test",
        "Cook two patties at once and cut a lettuce while they cook.",
        ["While the patty cooks:", "    While the second patty cooks:", "        Cut a lettuce."],
        {"objects": {"p": "patty", "q": "patty", "l": "lettuce"},
         "chains": [["cooking p", "cooking q", "cooked p"], ["cooking q", "cut l", "cooked q"]],
         "final": ["cooked p", "cooked q", "cut l"]},
        "patty = get_unused_obj('patty', used_objs)\npatty_2 = get_unused_obj('patty', used_objs)\n"
        "lettuce = get_unused_obj('lettuce', used_objs)\n"
        "start_cooking_obj(patty)\nstart_cooking_obj(patty_2)\ncut_obj(lettuce)\n"
        "wait_until_cooked(patty_2)\nwait_until_cooked(patty)",
    ),
    (
        "async-cook-patty-and-fry-potato-while-cutting-lettuce", "test",
        "Cook a patty and fry a potato at the same time, and cut a lettuce meanwhile.",
        ["While the patty cooks:", "    While the potato fries:", "        Cut a lettuce."],
        {"objects": {"p": "patty", "f": "potato", "l": "lettuce"},
         "chains": [["cooking p", "frying f", "cooked p"], ["frying f", "cut l", "fried f"]],
         "final": ["cooked p", "fried f", "cut l"]},
        "patty = get_unused_obj('patty', used_objs)\npotato = get_unused_obj('potato', used_objs)\n"
        "lettuce = get_unused_obj('lettuce', used_objs)\n"
        "start_cooking_obj(patty)\nstart_frying_obj(potato)\ncut_obj(lettuce)\n"
        "wait_until_fried(potato)\nwait_until_cooked(patty)",
    ),
    (
        "async-burger-cut-while-patty-cooks", "test",
        "Make a burger with lettuce on the patty; cut the lettuce while the patty cooks.",
        ["While the patty cooks:", "    Cut a lettuce.", "Stack the patty on a bottom bun.",
         "Stack the lettuce on the patty."],
        {"objects": {"p": "patty", "l": "lettuce", "b": "bottom_bun"},
         "chains": [["cooking p", "cut l", "cooked p", "atop p b", "atop l p"]],
         "final": ["atop p b", "atop l p"], "max_steps": 30},
        "bottom_bun = get_unused_obj('bottom_bun', used_objs)\n"
        "patty = get_unused_obj('patty', used_objs)\nlettuce = get_unused_obj('lettuce', used_objs)\n"
        "start_cooking_obj(patty)\ncut_obj(lettuce)\nwait_until_cooked(patty)\n"
        "stack_obj_on(patty, bottom_bun)\nstack_obj_on(lettuce, patty)",
    ),
    (
        "async-two-burgers-cut-while-patty-cooks", "test",
        "Make two burgers with lettuce on the patty, one after the other; cut each lettuce "
        "while its patty cooks.",
        ["Repeat 2 times:", "    While the patty cooks:", "        Cut a lettuce.",
         "    Stack the patty on a bottom bun.", "    Stack the lettuce on the patty."],
        {"objects": {"p": "patty", "l": "lettuce", "b": "bottom_bun",
                     "q": "patty", "m": "lettuce", "c": "bottom_bun"},
         "chains": [["cooking p", "cut l", "cooked p", "atop p b", "atop l p",
                     "cooking q", "cut m", "cooked q", "atop q c", "atop m q"]],
         "final": ["atop p b", "atop l p", "atop q c", "atop m q"]},
        "for i in range(2):\n"
        "    bottom_bun = get_unused_obj('bottom_bun', used_objs)\n"
        "    patty = get_unused_obj('patty', used_objs)\n"
        "    lettuce = get_unused_obj('lettuce', used_objs)\n"
        "    start_cooking_obj(patty)\n    cut_obj(lettuce)\n    wait_until_cooked(patty)\n"
        "    stack_obj_on(patty, bottom_bun)\n    stack_obj_on(lettuce, patty)",
    ),
    (
        "async-chicken-sandwich-cut-while-chicken-fries", "test",
        "Make a chicken sandwich: fry the chicken, cut a tomato while it fries, then stack the "
        "chicken on bread and the tomato on the chicken.",
        ["While the chicken fries:", "    Cut a tomato.", "Stack the chicken on a bread.",
         "Stack the tomato on the chicken."],
        {"objects": {"c": "chicken", "t": "tomato", "b": "bread"},
         "chains": [["frying c", "cut t", "fried c", "atop c b", "atop t c"]],
         "final": ["atop c b", "atop t c"], "max_steps": 30},
        "bread = get_unused_obj('bread', used_objs)\n"
        "chicken = get_unused_obj('chicken', used_objs)\ntomato = get_unused_obj('tomato', used_objs)\n"
        "start_frying_obj(chicken)\ncut_obj(tomato)\nwait_until_fried(chicken)\n"
        "stack_obj_on(chicken, bread)\nstack_obj_on(tomato, chicken)",
    ),
    (
        "async-train-cook-chicken-while-cutting-tomato", "train",
        "Cook a chicken and cut a tomato while it cooks.",
        ["While the chicken cooks:", "    Cut a tomato."],
        {"objects": {"c": "chicken", "t": "tomato"},
         "chains": [["cooking c", "cut t", "cooked c"]], "final": ["cooked c", "cut t"]},
        "chicken = get_unused_obj('chicken', used_objs)\ntomato = get_unused_obj('tomato', used_objs)\n"
        "start_cooking_obj(chicken)\ncut_obj(tomato)\nwait_until_cooked(chicken)",
    ),
    (
        "async-train-fry-potato-while-cutting-onion", "train",
        "Fry a potato and cut an onion while it fries.",
        ["While the potato fries:", "    Cut an onion."],
        {"objects": {"f": "potato", "o": "onion"},
         "chains": [["frying f", "cut o", "fried f"]], "final": ["fried f", "cut o"]},
        "potato = get_unused_obj('potato', used_objs)\nonion = get_unused_obj('onion', used_objs)\n"
        "start_frying_obj(potato)\ncut_obj(onion)\nwait_until_fried(potato)",
    ),
    (
        "async-train-patty-on-bun-cut-onion-while-cooking", "train",
        "Cook a patty, cutting an onion while it cooks, then put the patty on a bottom bun.",
        ["While the patty cooks:", "    Cut an onion.", "Stack the patty on a bottom bun."],
        {"objects": {"p": "patty", "o": "onion", "b": "bottom_bun"},
         "chains": [["cooking p", "cut o", "cooked p", "atop p b"]],
         "final": ["atop p b", "cut o"]},
        "bottom_bun = get_unused_obj('bottom_bun', used_objs)\n"
        "patty = get_unused_obj('patty', used_objs)\nonion = get_unused_obj('onion', used_objs)\n"
        "start_cooking_obj(patty)\ncut_obj(onion)\nwait_until_cooked(patty)\n"
        "stack_obj_on(patty, bottom_bun)",
    ),
]


SOUP_VARIANTS = [
    (
        "async-onion-soup-while-cutting-lettuce", "test",
        "Make onion soup in a pot of boiling water, and cut a lettuce while the soup simmers.",
        ["Fill the pot.", "Boil the pot.", "While the onion simmers in the pot:",
         "    Cut a lettuce."],
        {"objects": {"w": "pot", "o": "onion", "l": "lettuce"},
         "chains": [["boiling w", "simmering o", "cut l", "soup o"]],
         "final": ["soup o", "cut l"]},
        "pot = get_unused_obj('pot', used_objs)\nonion = get_unused_obj('onion', used_objs)\n"
        "lettuce = get_unused_obj('lettuce', used_objs)\n"
        "fill_obj(pot)\nboil_obj(pot)\nstart_soup(onion, pot)\ncut_obj(lettuce)\n"
        "wait_until_soup(onion)",
    ),
    (
        "async-potato-soup-cut-while-water-heats-and-soup-simmers", "test",
        "Make potato soup: cut a tomato while the water heats, then add the potato and cut a "
        "lettuce while it simmers.",
        ["Fill the pot.", "While the pot heats:", "    Cut a tomato.",
         "While the potato simmers in the pot:", "    Cut a lettuce."],
        {"objects": {"w": "pot", "f": "potato", "t": "tomato", "l": "lettuce"},
         "chains": [["heating w", "cut t", "boiling w", "simmering f", "cut l", "soup f"]],
         "final": ["soup f", "cut t", "cut l"], "max_steps": 45},
        "pot = get_unused_obj('pot', used_objs)\npotato = get_unused_obj('potato', used_objs)\n"
        "tomato = get_unused_obj('tomato', used_objs)\n"
        "lettuce = get_unused_obj('lettuce', used_objs)\n"
        "fill_obj(pot)\nstart_boiling_obj(pot)\ncut_obj(tomato)\nwait_until_boiling(pot)\n"
        "start_soup(potato, pot)\ncut_obj(lettuce)\nwait_until_soup(potato)",
    ),
    (
        "async-onion-soup-while-patty-cooks", "test",
        "Cook a patty and make onion soup meanwhile: start the patty, then fill and boil the "
        "pot while it cooks, and add the onion.",
        ["While the patty cooks:", "    Fill the pot.", "    Boil the pot.",
         "Make soup of the onion in the pot."],
        {"objects": {"p": "patty", "w": "pot", "o": "onion"},
         "chains": [["cooking p", "filled w", "cooked p"], ["boiling w", "soup o"]],
         "final": ["cooked p", "soup o"]},
        "patty = get_unused_obj('patty', used_objs)\npot = get_unused_obj('pot', used_objs)\n"
        "onion = get_unused_obj('onion', used_objs)\n"
        "start_cooking_obj(patty)\nfill_obj(pot)\nboil_obj(pot)\nwait_until_cooked(patty)\n"
        "make_soup(onion, pot)",
    ),
    (
        "async-train-potato-soup-while-cutting-onion", "train",
        "Make potato soup, cutting an onion while the soup simmers.",
        ["Fill the pot.", "Boil the pot.", "While the potato simmers in the pot:",
         "    Cut an onion."],
        {"objects": {"w": "pot", "f": "potato", "o": "onion"},
         "chains": [["boiling w", "simmering f", "cut o", "soup f"]],
         "final": ["soup f", "cut o"]},
        "pot = get_unused_obj('pot', used_objs)\npotato = get_unused_obj('potato', used_objs)\n"
        "onion = get_unused_obj('onion', used_objs)\n"
        "fill_obj(pot)\nboil_obj(pot)\nstart_soup(potato, pot)\ncut_obj(onion)\n"
        "wait_until_soup(potato)",
    ),
]  # fmt: skip


def main() -> None:
    envs = ROOT / "robotouille" / "environments"
    (envs / f"{LEVEL}.json").write_text(json.dumps(level(), indent=1) + "\n")
    soup = level(SOUP_LEVEL, SOUP_TABLE_ITEMS, SOUP_APPLIANCES, SOUP_DURATIONS)
    (envs / f"{SOUP_LEVEL}.json").write_text(json.dumps(soup, indent=1) + "\n")
    variants = [(v, LEVEL) for v in VARIANTS] + [(v, SOUP_LEVEL) for v in SOUP_VARIANTS]
    for (task_id, split, instruction, body, test, main_code), env_name in variants:
        task = {
            "id": task_id,
            "family": "async",
            "split": split,
            "opt_in": True,
            "environment": env_name,
            "instruction": instruction,
            "spec": instruction + "\nSpecifically:\n" + "\n".join(body),
            "test": {"never": [], **test},
        }
        (DATA / "tasks" / f"{task_id}.json").write_text(json.dumps(task, indent=1) + "\n")
        (DATA / "reference" / f"{task_id}.py").write_text(
            program("used_objs = []\n" + main_code)
        )


if __name__ == "__main__":
    main()
