put_first_on_second('yellow cylinder', parse_position('the edge closest to the yellow cylinder'))
