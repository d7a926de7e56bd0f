# Training-style task: "Make a sandwich with bread, cheese and tomato."
# Training variant: train-tomato-cheese-sandwich
# The sandwich, bottom to top: bread, cut tomato, cheese, bread.
# Needs: two breads, one tomato, one cheese, a cutting board.


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


def place_obj_at_location(obj, location):
    move_to(location)
    place(obj, location)


def cut_until_done(obj):
    while not is_cut(obj):
        cut(obj)


def stack_obj_on(obj, obj_at_bottom):
    move_to(get_obj_location(obj_at_bottom))
    stack(obj, obj_at_bottom)


def cut_obj(obj):
    cutting_board = find_unoccupied_location("cutting_board")
    pick_up_obj(obj)
    place_obj_at_location(obj, cutting_board)
    cut_until_done(obj)


breads = get_all_obj_names_that_match_type("bread")
bottom_bread = breads[0]
top_bread = breads[1]
tomato = get_all_obj_names_that_match_type("tomato")[0]
cheese = get_all_obj_names_that_match_type("cheese")[0]
cut_obj(tomato)
pick_up_obj(tomato)
stack_obj_on(tomato, bottom_bread)
pick_up_obj(cheese)
stack_obj_on(cheese, tomato)
pick_up_obj(top_bread)
stack_obj_on(top_bread, cheese)
