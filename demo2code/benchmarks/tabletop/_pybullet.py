"""Import pybullet without its "pybullet build time" banner reaching our output.

The banner is a C printf at import time; it would surface in the middle of the CLI's output
(and in JSON on a pipe), so both standard streams point at /dev/null while it loads.
"""

from __future__ import annotations

import ctypes
import os
import sys


def _quiet_import():  # type: ignore[no-untyped-def]
    streams = []
    for stream in (sys.stdout, sys.stderr):
        try:
            streams.append(stream.fileno())
        except (AttributeError, OSError, ValueError):  # replaced (e.g. captured by a test)
            pass
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    saved = [(fd, os.dup(fd)) for fd in streams]
    for fd in streams:
        os.dup2(devnull, fd)
    try:
        import pybullet

        ctypes.CDLL(None).fflush(None)  # push the buffered banner into /dev/null
    finally:
        for fd, copy in saved:
            os.dup2(copy, fd)
            os.close(copy)
        os.close(devnull)
    return pybullet


pybullet = _quiet_import()
