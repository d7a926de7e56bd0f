put_first_on_second('blue block', parse_position('top right corner'))
