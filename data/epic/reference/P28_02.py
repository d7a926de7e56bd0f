"""Reference for P28_02: Soaps container and lid with the tap closed, then opens it and rinses both; both to the drainer; tap closed at the end."""

dishes = get_all_objects()
go_to("sink_1")
pick_up("sponge_1")
groups = [dishes]
for group in groups:
    turn_off("tap_1")
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
