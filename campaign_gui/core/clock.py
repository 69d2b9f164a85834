"""The app's one clock, made at its root and passed to everything that needs the time.

Tests give the app a ``FixedClock`` so that nothing depends on the hour or the zone they run in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        ...

    def local_zone(self) -> tzinfo | None:
        """The user's own time zone (IANA), or None when the system's is unknown."""
        ...


class SystemClock:
    """The computer's clock.

    ``zone`` is the system's time zone, or a function that finds it (the UI layer asks Qt each
    time, so someone who travels gets reminders on the clock they live by, without a restart).
    """

    def __init__(self, zone: tzinfo | Callable[[], tzinfo | None] | None = None) -> None:
        self._zone = zone

    def now(self) -> datetime:
        return datetime.now(UTC)

    def local_zone(self) -> tzinfo | None:
        return self._zone() if callable(self._zone) else self._zone


class FixedClock:
    """A clock that shows what it is set to, and moves only when told (tests, benchmarks)."""

    def __init__(self, moment: datetime, zone: tzinfo | None = None) -> None:
        self.set(moment)
        self._zone = zone

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("a FixedClock needs an aware datetime")
        self._now = moment.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def now(self) -> datetime:
        return self._now

    def local_zone(self) -> tzinfo | None:
        return self._zone


def today_in(zone: tzinfo, now: datetime) -> date:
    """The date ``now`` falls on in ``zone``. A campaign's days are dated in its own zone, so
    "today" for them is the campaign's date, not the computer's (which may be a day apart)."""
    return now.astimezone(zone).date()
