put_first_on_second('red cylinder', parse_position('the corner closest to the red cylinder'))
