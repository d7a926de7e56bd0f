# Training-style task: Put the blue block on top of the orange cylinder.
# Training variant: train-on-top-1-covering
# The blue block starts under the red cylinder: take that off first, then move the block.

def put_obj_on_table(obj):
    put_first_on_second(obj, 'table')


def put_obj_on_obj(obj, target):
    put_first_on_second(obj, target)


put_obj_on_table('red cylinder')
put_obj_on_obj('blue block', 'orange cylinder')
