"""Reference for P30_08: One jug from the counter. Closes the tap before soaping, opens it to rinse, puts the jug in the drying rack and closes the tap."""

dishes = get_all_objects()
go_to("sink_1")
pick_up("sponge_1")
for dish in dishes:
    bring_objects_to_loc(dish, "sink_1")
    pick_up(dish)
    turn_off("tap_1")
    soap(dish)
    turn_on("tap_1")
    rinse(dish)
    turn_off("tap_1")
    go_to("dishrack_1")
    place(dish, "dishrack_1")
    go_to("sink_1")
turn_off("tap_1")
