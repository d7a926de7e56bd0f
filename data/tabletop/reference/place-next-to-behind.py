put_first_on_second('orange block', parse_position('behind the brown cylinder'))
