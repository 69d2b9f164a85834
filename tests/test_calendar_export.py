"""The .ics export, parsed back with icalendar."""

from __future__ import annotations

from datetime import date, timedelta

from icalendar import Calendar

from campaign_gui.core.calendar_export import action_days_calendar
from campaign_gui.core.campaign import ActionDay


def test_action_days_round_trip_through_icalendar(campaign, clock):
    mine = ActionDay(
        id="mine",
        kind="protest",
        start=date(2027, 5, 2),
        end=date(2027, 5, 3),
        title={"en": "Sit-in"},
        details={},
        own=True,
    )
    ics = action_days_calendar(campaign, [*campaign.action_days, mine], clock.now())
    parsed = Calendar.from_ical(ics)
    assert parsed["X-WR-TIMEZONE"] == "Africa/Casablanca"
    events = {str(e["SUMMARY"]): e for e in parsed.walk("VEVENT")}
    phones = events["Phones switched off for two days"]
    assert phones.decoded("DTSTART") == date(2016, 1, 16)
    assert phones.decoded("DTEND") == date(2016, 1, 18)  # exclusive: the 16th and 17th
    assert "Sources: Arabi21" in str(phones["DESCRIPTION"])
    assert events["Sit-in"].decoded("DTSTART") == date(2027, 5, 2)
    alarm = next(iter(events["Sit-in"].walk("VALARM")))
    assert alarm.decoded("TRIGGER") == timedelta(hours=-4)
    assert len({str(e["UID"]) for e in events.values()}) == 4
    assert {e.decoded("DTSTAMP") for e in events.values()} == {clock.now()}  # the app's clock
