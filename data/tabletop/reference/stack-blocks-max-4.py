blocks = get_all_obj_names_that_match_type('block', get_obj_names())
stack_with_height_limit(blocks, 4)
