# Training-style task: Stack the blocks.
# Training variant: train-stack-blocks-max-5
# No stack taller than five blocks; the cylinders stay where they are.

def get_objs_of_type(type_name):
    if type_name in ('object', 'objects'):
        return get_obj_names()
    return get_all_obj_names_that_match_type(type_name, get_obj_names())


def stack_objs_with_height_limit(objs, height_limit):
    if objs:
        stack_with_height_limit(objs, height_limit)


blocks = get_objs_of_type('block')
stack_objs_with_height_limit(blocks, 5)
