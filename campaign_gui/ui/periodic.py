"""What the sync and the tracker share: one timer to the next run, one attempt at a time (its
number, whether one is under way, the failures in a row, the back-off's random source), the
network executor its downloads run on, and a status line that says so in the user's language when
it changes."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.errors import UserError
from ..core.retry import MAX_WAIT
from .executors import NetworkExecutor, Task


class Periodic(QObject):
    status_changed = Signal(str)

    def __init__(
        self,
        run: Callable[[], None],
        *,
        rng: random.Random | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(run)
        self.status = ""
        self.failures = 0  # attempts in a row that failed
        self._rng = rng or random.Random()
        self._network = NetworkExecutor(self)
        self._attempt = 0  # the current attempt's number: outcomes of earlier ones are ignored
        self._busy = False  # an attempt is under way
        self._stopped = False  # nothing runs, nor is planned, until started again
        self._task: Task | None = None  # the current attempt's download, if any

    @property
    def next_in(self) -> timedelta | None:
        """How long until the next run, if one is planned."""
        if not self._timer.isActive():
            return None
        return timedelta(milliseconds=self._timer.remainingTime())

    def stop(self) -> None:
        """No more runs; one under way is abandoned (its thread is never waited for) and what
        it would have said is ignored."""
        self._stopped = True
        self._timer.stop()
        self._abandon()

    def close(self) -> None:
        """Stop for good: nothing of a download under way is delivered any more."""
        self.stop()
        self._network.close()

    def _begin(self) -> None:
        """A new attempt: one under way is abandoned, its outcome ignored."""
        self._abandon()
        self._busy = True

    def _abandon(self) -> None:
        self._attempt += 1
        self._busy = False
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _ended(self, worked: bool) -> None:
        """The attempt is over: the failures in a row start again, or count one more."""
        self._busy = False
        self.failures = 0 if worked else self.failures + 1

    def _guarded(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """``callback``, called only while the attempt under way now is still the current one
        (a later attempt, or a stop, makes it do nothing)."""
        attempt = self._attempt

        def call(value: Any) -> None:
            if attempt == self._attempt:
                callback(value)

        return call

    def _download(
        self,
        name: str,
        work: Callable[[threading.Event], Any],
        done: Callable[[Any], None],
        failed: Callable[[UserError], None],
        *,
        thread_name: str,
    ) -> None:
        """``work(cancelled)`` on a network thread for the current attempt; its outcome to
        ``done`` or ``failed`` on the GUI thread while the attempt is current."""
        self._task = self._network.submit(
            name, work, self._guarded(done), self._guarded(failed), thread_name=thread_name
        )

    def _run_in(self, wait: timedelta) -> None:
        """The next run after ``wait`` (at least a second, at most a day), unless stopped."""
        if not self._stopped:
            self._timer.start(max(1000, int(min(wait, MAX_WAIT).total_seconds() * 1000)))

    def _set_status(self, text: str) -> None:
        if text != self.status:
            self.status = text
            self.status_changed.emit(text)
