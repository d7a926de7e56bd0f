"""Import pybullet without its "pybullet build time" banner landing in our stdout.

The banner is a C printf; on a pipe it would surface at exit, in the middle of JSON output.
"""

from __future__ import annotations

import ctypes
import os
import sys


def _quiet_import():  # type: ignore[no-untyped-def]
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # stdout replaced (e.g. captured by a test)
        import pybullet

        return pybullet
    sys.stdout.flush()
    saved, devnull = os.dup(fd), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    try:
        import pybullet

        ctypes.CDLL(None).fflush(None)  # push the buffered banner into /dev/null
    finally:
        os.dup2(saved, fd)
        os.close(saved)
        os.close(devnull)
    return pybullet


pybullet = _quiet_import()
