put_first_on_second('orange block', 'table')
put_first_on_second('green cylinder', 'yellow block')
