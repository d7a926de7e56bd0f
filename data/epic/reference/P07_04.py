"""Reference for P07_04: Washes same-kind dishes together: soaps all the forks, opens the tap, rinses them, closes the tap; then the plate. Tap off between kinds; clean dishes to the drying rack."""

dishes = get_all_objects()
go_to("sink_1")
pick_up("sponge_1")
groups = []
kinds = []
for dish in dishes:
    kind = dish.rsplit("_", 1)[0]
    if kind not in kinds:
        kinds.append(kind)
        groups.append([])
    groups[kinds.index(kind)].append(dish)
for group in groups:
    for dish in group:
        bring_objects_to_loc(dish, "sink_1")
        pick_up(dish)
        soap(dish)
        place(dish, "sink_1")
    turn_on("tap_1")
    for dish in group:
        pick_up(dish)
        rinse(dish)
        go_to("dishrack_1")
        place(dish, "dishrack_1")
        go_to("sink_1")
    turn_off("tap_1")
turn_off("tap_1")
