put_first_on_second('red block', 'blue cylinder')
