put_first_on_second('pink block', parse_position('next to the cyan cylinder'))
