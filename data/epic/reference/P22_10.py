"""Reference for P22_10: Long mixed segment: soaps most cutlery and bowls, rinses with the tap opened and moved repeatedly; few puts are narrated."""

dishes = get_all_objects()
go_to("sink_1")
pick_up("sponge_1")
for dish in dishes:
    bring_objects_to_loc(dish, "sink_1")
    pick_up(dish)
    soap(dish)
    turn_on("tap_1")
    rinse(dish)
    go_to("dishrack_1")
    place(dish, "dishrack_1")
    go_to("sink_1")
turn_off("tap_1")
