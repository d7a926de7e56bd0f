# Training-style task: "Cook a chicken and stack it on the bread."
# Training variant: train-chicken-on-bread
# Needs: one chicken, one bread, a stove.

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


def cook_until_done(obj):
    start_cooking(obj)
    while not is_cooked(obj):
        noop()


def stack_obj_on(obj, obj_at_bottom):
    move_to(get_obj_location(obj_at_bottom))
    stack(obj, obj_at_bottom)


chicken = get_all_obj_names_that_match_type("chicken")[0]
bread = get_all_obj_names_that_match_type("bread")[0]
stove = find_unoccupied_location("stove")
pick_up_obj(chicken)
place_obj_at_location(chicken, stove)
cook_until_done(chicken)
pick_up_obj(chicken)
stack_obj_on(chicken, bread)
