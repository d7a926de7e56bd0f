# Training-style task: Move the pink cylinder to the corner of the table.
# Training variant: train-corner-top-left
# The user means the top left corner every time; nothing else moves.

def put_obj_at_region(obj, region):
    put_first_on_second(obj, parse_position(region))


put_obj_at_region('pink cylinder', 'top left corner')
