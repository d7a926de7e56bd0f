put_first_on_second('brown block', parse_position('top edge'))
