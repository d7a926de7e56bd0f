"""Reference for P26_19: Opens the tap once and leaves it running; soaps and rinses one dish at a time."""

dishes = get_all_objects()
go_to("sink_1")
pick_up("sponge_1")
for dish in dishes:
    bring_objects_to_loc(dish, "sink_1")
    pick_up(dish)
    turn_on("tap_1")
    soap(dish)
    turn_on("tap_1")
    rinse(dish)
    go_to("dishrack_1")
    place(dish, "dishrack_1")
    go_to("sink_1")
turn_off("tap_1")
