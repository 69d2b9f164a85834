"""Reminder planning: when to remind of each action day, what is due now, what was missed.

Action days are dates. A reminder is due at a wall-clock time in the user's time zone (by default
20:00 the evening before and 09:00 the morning of), turned into an instant with ``zoneinfo``, so it
stays right across Morocco's clock changes around Ramadan. Each reminder has a
key that names the day, the kind and the date, so it is delivered once even across restarts, and
moving a day re-arms its reminders.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, NamedTuple

from .i18n import _, ngettext, pick

if TYPE_CHECKING:  # the settings read reminder times at start: the campaign module loads later
    from .campaign import ActionDay

EVENING_BEFORE = "evening_before"
MORNING_OF = "morning_of"
# A reminder found due this long after its time is still shown as itself; later ones are "missed"
# and go into one summary.
GRACE = timedelta(minutes=15)


# The records here are named tuples: the settings load this module before every first paint,
# where each frozen dataclass cost about half a millisecond more to define.


class ReminderTimes(NamedTuple):
    """The user's reminder settings; ``None`` switches a kind off."""

    evening_before: time | None = time(20, 0)
    morning_of: time | None = time(9, 0)
    enabled: bool = True


class Reminder(NamedTuple):
    key: str
    day: ActionDay
    kind: str
    due: datetime  # aware, UTC


class DueReminders(NamedTuple):
    now: list[Reminder]  # on time: one notification each
    missed: list[Reminder]  # the computer was off or asleep: one summary
    expired: list[Reminder]  # their day is over: marked delivered, never shown


def wall_clock(day: date, at: time, zone: tzinfo) -> datetime:
    """``day`` at ``at`` on the clocks of ``zone``, as an instant in UTC."""
    return datetime.combine(day, at, zone).astimezone(UTC)


def plan_reminders(
    days: Iterable[ActionDay], times: ReminderTimes, zone: tzinfo, switched_off: set[str]
) -> list[Reminder]:
    """Every reminder of every day whose reminders are on, soonest first."""
    if not times.enabled:
        return []
    planned = []
    for day in days:
        if day.id in switched_off:
            continue
        if times.evening_before is not None:
            due = wall_clock(day.start - timedelta(days=1), times.evening_before, zone)
            planned.append(Reminder(_key(day, EVENING_BEFORE), day, EVENING_BEFORE, due))
        if times.morning_of is not None:
            due = wall_clock(day.start, times.morning_of, zone)
            planned.append(Reminder(_key(day, MORNING_OF), day, MORNING_OF, due))
    return sorted(planned, key=lambda r: (r.due, r.key))


def _key(day: ActionDay, kind: str) -> str:
    return f"{day.id}/{kind}/{day.start.isoformat()}"


def due_reminders(
    reminders: Iterable[Reminder], delivered: set[str], now: datetime, zone: tzinfo
) -> DueReminders:
    """Sort what is due and not yet delivered into on time, missed and expired."""
    today = now.astimezone(zone).date()
    on_time, missed, expired = [], [], []
    for reminder in reminders:
        if reminder.key in delivered or reminder.due > now:
            continue
        if reminder.day.end < today:
            expired.append(reminder)
        elif now - reminder.due <= GRACE:
            on_time.append(reminder)
        else:
            missed.append(reminder)
    return DueReminders(on_time, missed, expired)


def next_due(reminders: Iterable[Reminder], delivered: set[str], now: datetime) -> datetime | None:
    """When the next reminder not yet delivered is due, if any: the one timer is set to it."""
    upcoming = [r.due for r in reminders if r.key not in delivered and r.due > now]
    return min(upcoming, default=None)


def reminder_text(reminder: Reminder) -> tuple[str, str]:
    """A notification's title and message for one reminder."""
    title = pick(reminder.day.title)
    if reminder.kind == EVENING_BEFORE:
        heading = _("Tomorrow: {title}").format(title=title)
    else:
        heading = _("Today: {title}").format(title=title)
    return heading, pick(reminder.day.details) if reminder.day.details else ""


def summary_text(missed: list[Reminder]) -> tuple[str, str]:
    """One notification for every reminder missed while the computer was off or asleep."""
    heading = ngettext(
        "{count} reminder while you were away",
        "{count} reminders while you were away",
        len(missed),
    ).format(count=len(missed))
    titles = list(dict.fromkeys(pick(r.day.title) for r in missed))
    return heading, "\n".join(titles)
