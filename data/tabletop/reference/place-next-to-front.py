put_first_on_second('purple cylinder', parse_position('in front of the gray block'))
