"""Example from the train video P32_09:
one dish at a time; the tap is opened once and left running; clean dishes go in the drying
rack.
"""


def pick_up_sponge():
    go_to('sink_1')
    pick_up('sponge_1')


def take_dish_at_sink(dish):
    bring_objects_to_loc(dish, 'sink_1')
    go_to('sink_1')
    pick_up(dish)


def open_tap():
    go_to('sink_1')
    turn_on('tap_1')


def put_dish_at(dish, location):
    go_to(location)
    place(dish, location)


dishes = get_all_objects()
pick_up_sponge()
for dish in dishes:
    take_dish_at_sink(dish)
    soap(dish)
    open_tap()
    rinse(dish)
    put_dish_at(dish, 'dishrack_1')
