"""Example from the train video P02_04:
one dish at a time; the tap is closed while soaping and after each rinse; clean dishes go in
the drying rack.
"""


def pick_up_sponge():
    go_to('sink_1')
    pick_up('sponge_1')


def take_dish_at_sink(dish):
    bring_objects_to_loc(dish, 'sink_1')
    go_to('sink_1')
    pick_up(dish)


def close_tap():
    go_to('sink_1')
    turn_off('tap_1')


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
    close_tap()
    soap(dish)
    open_tap()
    rinse(dish)
    close_tap()
    put_dish_at(dish, 'dishrack_1')
close_tap()
