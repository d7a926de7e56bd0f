"""Reference for P09_03: Rinses most items first, soaps and rinses one by one with the tap running, dries the spatula and knife; several narrations name two objects at once, so the order is mixed."""

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
