# Skill definitions for the EPIC dish-washing API, one function per skill.
# The offline reasoner answers `define` from here, so every helper the high-level code of a
# specification calls has exactly one meaning. Fixed names of the kitchen: the sink
# "sink_1" holds the tap "tap_1" and the sponge "sponge_1"; the towel "towel_1" lies on
# "counter_1".

def pick_up_sponge():
    go_to("sink_1")
    pick_up("sponge_1")


def take_dish_at_sink(dish):
    bring_objects_to_loc(dish, "sink_1")
    go_to("sink_1")
    pick_up(dish)


def open_tap():
    go_to("sink_1")
    turn_on("tap_1")


def close_tap():
    go_to("sink_1")
    turn_off("tap_1")


def put_dish_at(dish, location):
    go_to(location)
    place(dish, location)


def dry_with_towel(dish):
    go_to("sink_1")
    place("sponge_1", "sink_1")
    go_to("counter_1")
    pick_up("towel_1")
    clean_with(dish, "towel_1")
    place("towel_1", "counter_1")
    go_to("sink_1")
    pick_up("sponge_1")


def kind_of_dish(dish):
    parts = dish.split("_")
    if len(parts) > 1 and parts[-1].isdigit():
        return "_".join(parts[:-1])
    return dish


def group_by_kind(dishes):
    groups = []
    kinds = []
    for dish in dishes:
        kind = kind_of_dish(dish)
        if kind not in kinds:
            kinds.append(kind)
            groups.append([])
        groups[kinds.index(kind)].append(dish)
    return groups
