put_first_on_second('cyan cylinder', 'table')
put_first_on_second('gray block', 'table')
put_first_on_second('purple block', 'pink cylinder')
