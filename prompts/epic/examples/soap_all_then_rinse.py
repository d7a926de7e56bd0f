"""Example from the train video P28_02:
every dish is soaped first with the tap closed, then all are rinsed under the running tap;
clean dishes go in the drying rack; the tap is closed at the end.
"""


def pick_up_sponge():
    go_to('sink_1')
    pick_up('sponge_1')


def close_tap():
    go_to('sink_1')
    turn_off('tap_1')


def take_dish_at_sink(dish):
    bring_objects_to_loc(dish, 'sink_1')
    go_to('sink_1')
    pick_up(dish)


def put_dish_at(dish, location):
    go_to(location)
    place(dish, location)


def open_tap():
    go_to('sink_1')
    turn_on('tap_1')


dishes = get_all_objects()
pick_up_sponge()
close_tap()
for dish in dishes:
    take_dish_at_sink(dish)
    soap(dish)
    put_dish_at(dish, 'sink_1')
open_tap()
for dish in dishes:
    take_dish_at_sink(dish)
    rinse(dish)
    put_dish_at(dish, 'dishrack_1')
close_tap()
