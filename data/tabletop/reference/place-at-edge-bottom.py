put_first_on_second('purple block', parse_position('bottom edge'))
