"""Ctrl+C in the terminal and SIGTERM (a logout, ``kill``, a service manager) end the app through
its quit path, as File → Quit does: the settings saved, the store's queued work waited for, the
instance lock released. Python's defaults would end it with none of that.

A signal's Python handler runs only when Python code next runs, and Qt's event loop runs none
while the app is idle. So the signal's number is also written to a wakeup descriptor
(``signal.set_wakeup_fd``: a pipe, or on Windows a socket pair, the only kind it takes there) that
a ``QSocketNotifier`` watches from the event loop. A second signal while the app is finishing ends
it at once, as the system's default would.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_NUMBERS = frozenset(map(int, SIGNALS))


class QuitOnSignals(QObject):
    """While it is installed, SIGINT and SIGTERM call ``quit`` from the event loop."""

    def __init__(self, quit: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._quit = quit
        self._quitting = False
        self._closers: list[Callable[[], None]] = []
        if sys.platform == "win32":
            import socket

            reader, writer = socket.socketpair()
            for end in (reader, writer):
                end.setblocking(False)
                self._closers.append(end.close)
            read_fd, write_fd = reader.fileno(), writer.fileno()
            self._drain: Callable[[], bytes] = lambda: reader.recv(64)
        else:
            read_fd, write_fd = os.pipe()
            for fd in (read_fd, write_fd):
                os.set_blocking(fd, False)
                self._closers.append(functools.partial(os.close, fd))
            self._drain = lambda: os.read(read_fd, 64)
        self._notifier = QSocketNotifier(read_fd, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)
        self._previous_fd = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
        self._previous = {number: signal.signal(number, self._noted) for number in SIGNALS}

    def _noted(self, number: int, frame: FrameType | None) -> None:
        """Python's handler: nothing to do here, the quit waits for the event loop (``_woken``)."""

    def _woken(self) -> None:
        try:
            numbers = self._drain()
        except OSError:  # nothing more to read
            return
        if self._quitting or _NUMBERS.isdisjoint(numbers):
            return
        self._quitting = True
        for number in SIGNALS:  # a second signal while finishing ends the app at once
            signal.signal(number, signal.SIG_DFL)
        self._quit()

    def uninstall(self) -> None:
        """The handlers as they were before, the descriptors closed."""
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        for close in self._closers:
            close()
        self._closers.clear()
