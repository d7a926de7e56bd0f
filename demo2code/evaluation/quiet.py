"""Keep a library's log lines off the console and hand them to the caller instead.

The codebleu library reports through the root logger (`logging.warning`), which would
configure a console handler on first use and print in the middle of a progress bar."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator

_LOCK = threading.Lock()  # the root logger is shared by every evaluation thread


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split()).removeprefix("WARNING: ")
        if message not in self.messages:
            self.messages.append(message)


@contextlib.contextmanager
def root_log_captured() -> Iterator[list[str]]:
    """While inside, root-logger records are collected (each message once), never printed;
    the other handlers of the root logger are set aside meanwhile."""
    root = logging.getLogger()
    collect = _Collect()
    with _LOCK:
        saved = root.handlers[:]
        root.handlers = [collect]
        try:
            yield collect.messages
        finally:
            root.handlers = saved
