put_first_on_second('yellow block', parse_position('left of the green cylinder'))
