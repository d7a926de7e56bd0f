# Training-style task: Move the green block to the edge of the table.
# Training variant: train-edge-left
# The user means the left edge every time; nothing else moves.

def put_obj_at_region(obj, region):
    put_first_on_second(obj, parse_position(region))


put_obj_at_region('green block', 'left edge')
