"""Reference for P30_07: One mug from the counter. Opens the tap, soaps and rinses with it running, puts the mug back on the counter."""

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
    turn_off("tap_1")
    go_to("counter_1")
    place(dish, "counter_1")
    go_to("sink_1")
turn_off("tap_1")
