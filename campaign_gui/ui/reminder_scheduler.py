"""Delivers reminders on time: one QTimer set to the next one due, never a polling loop.

Reminder times (20:00 the evening before, 09:00 the morning of) are the user's own clock: the
system's time zone, which for people in Morocco is Africa/Casablanca with its Ramadan changes.

A QTimer counts monotonic time, which on most systems stops while the computer sleeps; so the
timer is never set further than ten minutes ahead, and after a wake-up (or a start after the
computer was off) what was missed comes as one summary, at most ten minutes late.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, QTimeZone, Signal

from ..core.clock import Clock
from ..core.reminders import (
    ReminderTimes,
    due_reminders,
    next_due,
    plan_reminders,
    reminder_text,
    summary_text,
)

if TYPE_CHECKING:
    from ..core.snapshot import Snapshot  # made on the store's thread, after the first paint

log = logging.getLogger(__name__)


def system_zone() -> tzinfo | None:
    """The computer's time zone as an IANA zone (Qt maps Windows' own names), if known."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # first asked after the first paint

    name = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown system time zone %r; reminders use the campaign's", name)
        return None


LONGEST_WAIT = timedelta(minutes=10)


class ReminderScheduler(QObject):
    remind = Signal(str, str)  # title, message: one notification
    delivered = Signal(list, object)  # keys, when: to be stored so they are never shown again

    def __init__(
        self,
        times: Callable[[], ReminderTimes],
        parent: QObject | None = None,
        *,
        clock: Clock,
    ) -> None:
        """``clock`` gives the time and the user's own zone (the campaign's when it is unknown)."""
        super().__init__(parent)
        self._times = times
        self._clock = clock
        self._snapshot: Snapshot | None = None
        self._delivered: set[str] = set()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.check)

    def update(self, snapshot: Snapshot) -> None:
        """New days, switches or settings: plan again from what the store says was delivered."""
        self._snapshot = snapshot
        self._delivered |= snapshot.delivered_reminders
        self.check()

    def check(self) -> None:
        """Deliver what is due, then set the one timer to the next reminder."""
        snapshot = self._snapshot
        if snapshot is None:
            return
        zone = self._clock.local_zone() or snapshot.campaign.zone
        now = self._clock.now()
        reminders = plan_reminders(
            snapshot.days, self._times(), zone, snapshot.days_without_reminders
        )
        due = due_reminders(reminders, self._delivered, now, zone)
        for reminder in due.now:
            self.remind.emit(*reminder_text(reminder))
        if due.missed:
            self.remind.emit(*summary_text(due.missed))
        handled = [r.key for r in (*due.now, *due.missed, *due.expired)]
        if handled:
            self._delivered.update(handled)
            self.delivered.emit(handled, now)
        upcoming = next_due(reminders, self._delivered, now)
        wait = LONGEST_WAIT if upcoming is None else min(upcoming - now, LONGEST_WAIT)
        self.timer.start(max(1000, int(wait.total_seconds() * 1000) + 500))
        log.debug("next reminder check in %s (next due %s)", wait, upcoming)
