"""The pygame front end: play a level, record it, replay and render recordings.

pygame is imported only inside this package (ruff bans it elsewhere), and the CLI imports
this package lazily, so `robotouille --help` and the simulator never load pygame.
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
