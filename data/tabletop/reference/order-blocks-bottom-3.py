blocks = get_all_obj_names_that_match_type('block', get_obj_names())
enforced = ['gray block', 'pink block', 'cyan block']
others = [o for o in blocks if o not in enforced]
order = determine_final_stacking_order(enforced, others)
stack_without_height_limit(order)
