# Skill definitions for the tabletop API, one function per skill.
# The offline reasoner answers `define` from here, so every helper that its high-level code
# calls resolves to the perception/action API of the tabletop benchmark.

def get_objs_of_type(type_name):
    if type_name in ('object', 'objects'):
        return get_obj_names()
    return get_all_obj_names_that_match_type(type_name, get_obj_names())


def put_obj_on_table(obj):
    put_first_on_second(obj, 'table')


def put_obj_on_obj(obj, target):
    put_first_on_second(obj, target)


def put_obj_at_region(obj, region):
    put_first_on_second(obj, parse_position(region))


def put_obj_at_closest_region(obj, region_kind):
    put_first_on_second(obj, parse_position('the ' + region_kind + ' closest to the ' + obj))


def put_obj_next_to(obj, reference, side):
    put_first_on_second(obj, parse_position(side + ' the ' + reference))


def stack_objs_in_one_stack(objs):
    if objs:
        stack_without_height_limit(objs)


def stack_objs_with_bottom_order(bottom_objs, objs):
    bottom = [obj for obj in bottom_objs if obj in objs]
    others = [obj for obj in objs if obj not in bottom]
    order = determine_final_stacking_order(bottom, others)
    if order:
        stack_without_height_limit(order)


def stack_objs_with_height_limit(objs, height_limit):
    if objs:
        stack_with_height_limit(objs, height_limit)


def make_two_stacks_by_type(objs):
    blocks = get_all_obj_names_that_match_type('block', objs)
    cylinders = get_all_obj_names_that_match_type('cylinder', objs)
    stack_objs_in_one_stack(blocks)
    stack_objs_in_one_stack(cylinders)


def make_two_stacks(objs):
    stack_objs_in_one_stack(objs[0::2])
    stack_objs_in_one_stack(objs[1::2])
