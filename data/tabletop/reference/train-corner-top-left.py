put_first_on_second('pink cylinder', parse_position('top left corner'))
