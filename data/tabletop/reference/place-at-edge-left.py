put_first_on_second('cyan cylinder', parse_position('left edge'))
