put_first_on_second('orange cylinder', parse_position('bottom left corner'))
