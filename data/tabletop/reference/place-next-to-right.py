put_first_on_second('blue cylinder', parse_position('right of the red block'))
