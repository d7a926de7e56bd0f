put_first_on_second('red cylinder', 'table')
put_first_on_second('blue block', 'orange cylinder')
