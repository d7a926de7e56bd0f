blocks = get_all_obj_names_that_match_type('block', get_obj_names())
stack_without_height_limit(blocks)
