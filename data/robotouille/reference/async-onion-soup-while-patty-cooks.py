def get_all_obj_names():
    obj_names = []
    for obj_type in ['top_bun', 'bottom_bun', 'bread', 'cheese', 'lettuce', 'tomato', 'onion', 'patty', 'chicken']:
        obj_names += get_all_obj_names_that_match_type(obj_type)
    return obj_names


def move_to(location):
    current_location = get_curr_location()
    if current_location != location:
        move(current_location, location)


def is_covered(obj):
    for other_obj in get_all_obj_names():
        if other_obj != obj and get_obj_that_is_underneath(other_obj) == obj:
            return True
    return False


def get_unused_obj(obj_type, used_objs):
    for obj in get_all_obj_names_that_match_type(obj_type):
        if obj not in used_objs and not is_covered(obj):
            used_objs.append(obj)
            return obj
    raise ValueError('no unused ' + obj_type + ' is left')


def pick_up_obj(obj):
    location = get_obj_location(obj)
    move_to(location)
    if is_in_a_stack(obj):
        unstack(obj, get_obj_that_is_underneath(obj))
    else:
        pick_up(obj, location)


def find_free_location(location_type):
    free_locations = get_all_location_names_that_match_type(location_type)
    if not free_locations:
        raise ValueError('no free ' + location_type + ' is left')
    return free_locations[0]


def place_obj_at_free_location(obj, location_type):
    location = find_free_location(location_type)
    move_to(location)
    place(obj, location)


def stack_obj_on(obj, obj_at_bottom):
    pick_up_obj(obj)
    move_to(get_obj_location(obj_at_bottom))
    stack(obj, obj_at_bottom)


def start_cooking_obj(obj):
    pick_up_obj(obj)
    place_obj_at_free_location(obj, 'stove')
    start_cooking(obj)


def wait_until_cooked(obj):
    while not is_cooked(obj):
        noop()


def fill_obj(obj):
    pick_up_obj(obj)
    place_obj_at_free_location(obj, 'sink')
    fill(obj)


def start_boiling_obj(obj):
    pick_up_obj(obj)
    place_obj_at_free_location(obj, 'stove')
    start_boiling(obj)


def wait_until_boiling(obj):
    while not is_boiling(obj):
        noop()


def boil_obj(obj):
    start_boiling_obj(obj)
    wait_until_boiling(obj)


def start_soup(obj, pot):
    stack_obj_on(obj, pot)


def wait_until_soup(obj):
    while not is_soup(obj):
        noop()


def make_soup(obj, pot):
    start_soup(obj, pot)
    wait_until_soup(obj)


used_objs = []
patty = get_unused_obj('patty', used_objs)
pot = get_unused_obj('pot', used_objs)
onion = get_unused_obj('onion', used_objs)
start_cooking_obj(patty)
fill_obj(pot)
boil_obj(pot)
wait_until_cooked(patty)
make_soup(onion, pot)
