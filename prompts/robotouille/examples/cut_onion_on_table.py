# Training-style task: "Cut an onion and put it on a table."
# Training variant: train-cut-onion-put-on-table
# Needs: one onion, a cutting board, a table that is free at the end.

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


onion = get_all_obj_names_that_match_type("onion")[0]
cutting_board = find_unoccupied_location("cutting_board")
pick_up_obj(onion)
place_obj_at_location(onion, cutting_board)
cut_until_done(onion)
pick_up_obj(onion)
table = find_unoccupied_location("table")
place_obj_at_location(onion, table)
