put_first_on_second('pink block', parse_position('right edge'))
