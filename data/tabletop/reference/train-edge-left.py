put_first_on_second('green block', parse_position('left edge'))
