"""What the sync and the tracker share: one timer to the next run, and a status line that says
so in the user's language when it changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QObject, QTimer, Signal

# A QTimer holds an int of milliseconds (about 24.8 days); a day is plenty to look again.
MAX_WAIT = timedelta(days=1)


class Periodic(QObject):
    status_changed = Signal(str)

    def __init__(self, run: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(run)
        self.status = ""

    @property
    def next_in(self) -> timedelta | None:
        """How long until the next run, if one is planned."""
        if not self._timer.isActive():
            return None
        return timedelta(milliseconds=self._timer.remainingTime())

    def _run_in(self, wait: timedelta) -> None:
        self._timer.start(max(1000, int(min(wait, MAX_WAIT).total_seconds() * 1000)))

    def _set_status(self, text: str) -> None:
        if text != self.status:
            self.status = text
            self.status_changed.emit(text)
