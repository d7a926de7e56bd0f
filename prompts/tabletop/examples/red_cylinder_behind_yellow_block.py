# Training-style task: Put the red cylinder next to the yellow block.
# Training variant: train-next-to-behind
# The user always wants it behind the yellow block; nothing else moves.

def put_obj_next_to(obj, reference, side):
    put_first_on_second(obj, parse_position(side + ' the ' + reference))


put_obj_next_to('red cylinder', 'yellow block', 'behind')
