cylinders = get_all_obj_names_that_match_type('cylinder', get_obj_names())
stack_without_height_limit(cylinders)
