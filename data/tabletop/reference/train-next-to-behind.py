put_first_on_second('red cylinder', parse_position('behind the yellow block'))
