"""Action days as an iCalendar (.ics) file, for people's phone and desktop calendars."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from .. import __version__
from .campaign import ActionDay, Campaign
from .formatting import action_kind_label, sources_line
from .i18n import pick, without_invisible_marks


def action_days_calendar(campaign: Campaign, days: Iterable[ActionDay], now: datetime) -> bytes:
    """One all-day event per action day, with a reminder the evening before.

    Action days are whole days in the campaign's time zone, so they are written as dates (which
    calendars show on that date wherever the phone is); the zone is named for calendars that ask.
    ``now`` (the app's clock) is each event's DTSTAMP. Texts carry no invisible direction
    marks: calendar apps lay text out themselves, and some show the marks as boxes.
    """
    stamp = now.astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", f"-//Campaign Companion {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", without_invisible_marks(pick(campaign.name)))
    calendar.add("x-wr-timezone", campaign.time_zone)
    for day in days:
        event = Event()
        event.add("uid", f"{campaign.id}/{day.id}@campaign-companion")
        event.add("dtstamp", stamp)
        event.add("dtstart", day.start)
        event.add("dtend", day.end + timedelta(days=1))  # exclusive, as iCalendar wants
        title = without_invisible_marks(pick(day.title))
        kind = without_invisible_marks(action_kind_label(day.kind))
        event.add("summary", title)
        description = [kind]
        if day.details:
            description.append(pick(day.details))
        if day.sources:
            description.append(sources_line(day.sources))
        event.add("description", without_invisible_marks("\n\n".join(description)))
        event.add("categories", [kind])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", title)
        alarm.add("trigger", timedelta(hours=-4))  # 20:00 the evening before an all-day event
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()
