objects = get_obj_names()
stack_without_height_limit(objects[0::2])
stack_without_height_limit(objects[1::2])
