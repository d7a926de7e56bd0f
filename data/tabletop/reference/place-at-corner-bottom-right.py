put_first_on_second('gray cylinder', parse_position('bottom right corner'))
