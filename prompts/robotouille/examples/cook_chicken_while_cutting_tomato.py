# Training-style task: "Cook a chicken and cut a tomato while it cooks."
# Training variant: async-train-cook-chicken-while-cutting-tomato
# Cooking takes time and goes on by itself: start it, cut meanwhile, then wait for it.
# Needs: one chicken, one tomato, a stove, a cutting board.


def find_unoccupied_location(location_type):
    # The location query answers with free locations only.
    locations = get_all_location_names_that_match_type(location_type)
    if locations:
        return locations[0]
    return None


def move_to(location):
    current_location = get_curr_location()
    if current_location != location:
        move(current_location, location)


def pick_up_obj(obj):
    location = get_obj_location(obj)
    move_to(location)
    if is_in_a_stack(obj):
        unstack(obj, get_obj_that_is_underneath(obj_at_top=obj))
    else:
        pick_up(obj, location)


def start_cooking_obj(obj):
    # Does not wait: the robot is free while the object cooks.
    pick_up_obj(obj)
    stove = find_unoccupied_location("stove")
    move_to(stove)
    place(obj, stove)
    start_cooking(obj)


def cut_obj(obj):
    pick_up_obj(obj)
    board = find_unoccupied_location("cutting_board")
    move_to(board)
    place(obj, board)
    while not is_cut(obj):
        cut(obj)


def wait_until_cooked(obj):
    while not is_cooked(obj):
        noop()


chicken = get_all_obj_names_that_match_type("chicken")[0]
tomato = get_all_obj_names_that_match_type("tomato")[0]
start_cooking_obj(chicken)
cut_obj(tomato)
wait_until_cooked(chicken)
