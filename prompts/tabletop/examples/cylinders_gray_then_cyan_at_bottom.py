# Training-style task: Stack all the cylinders into one stack.
# Training variant: train-order-cylinders-bottom-2
# From the bottom up: the gray cylinder, then the cyan cylinder, then the rest in any order.

def get_objs_of_type(type_name):
    if type_name in ('object', 'objects'):
        return get_obj_names()
    return get_all_obj_names_that_match_type(type_name, get_obj_names())


def stack_objs_with_bottom_order(bottom_objs, objs):
    bottom = [obj for obj in bottom_objs if obj in objs]
    others = [obj for obj in objs if obj not in bottom]
    order = determine_final_stacking_order(bottom, others)
    if order:
        stack_without_height_limit(order)


cylinders = get_objs_of_type('cylinder')
bottom_cylinders = ['gray cylinder', 'cyan cylinder']
stack_objs_with_bottom_order(bottom_cylinders, cylinders)
