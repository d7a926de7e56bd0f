cylinders = get_all_obj_names_that_match_type('cylinder', get_obj_names())
enforced = ['gray cylinder', 'cyan cylinder']
others = [o for o in cylinders if o not in enforced]
order = determine_final_stacking_order(enforced, others)
stack_without_height_limit(order)
