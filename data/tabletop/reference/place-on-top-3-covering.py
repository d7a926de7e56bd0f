put_first_on_second('yellow block', 'table')
put_first_on_second('green block', 'table')
put_first_on_second('red cylinder', 'table')
put_first_on_second('brown cylinder', 'blue block')
