"""Reminder planning with an injected clock, across Morocco's Ramadan clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from campaign_gui.core.campaign import ActionDay
from campaign_gui.core.reminders import (
    EVENING_BEFORE,
    MORNING_OF,
    ReminderTimes,
    due_reminders,
    next_due,
    plan_reminders,
    reminder_text,
    summary_text,
)
from campaign_gui.core.store import Store

from .probes import count_observations

CASABLANCA = ZoneInfo("Africa/Casablanca")


def day(day_id: str, start: date, end: date | None = None, own: bool = False) -> ActionDay:
    return ActionDay(
        id=day_id,
        kind="protest",
        start=start,
        end=end or start,
        title={"en": f"Day {day_id}"},
        details={"en": "Meet in front of the agency."},
        own=own,
    )


def local(year, month, d, hour, minute=0) -> datetime:
    return datetime(year, month, d, hour, minute, tzinfo=CASABLANCA)


def test_default_reminders_are_the_evening_before_at_20_and_the_morning_of_at_9():
    reminders = plan_reminders([day("a", date(2027, 1, 10))], ReminderTimes(), CASABLANCA, set())
    assert [(r.kind, r.due.astimezone(CASABLANCA)) for r in reminders] == [
        (EVENING_BEFORE, local(2027, 1, 9, 20)),
        (MORNING_OF, local(2027, 1, 10, 9)),
    ]


@pytest.mark.parametrize(
    ("start", "utc_hour_evening", "utc_hour_morning"),
    [
        (date(2027, 1, 20), 19, 8),  # UTC+1, the usual Moroccan time
        (date(2027, 2, 20), 20, 9),  # Ramadan 2027: clocks back to UTC+0
        (date(2027, 3, 25), 19, 8),  # after Ramadan: UTC+1 again
    ],
)
def test_reminders_keep_the_local_time_across_the_ramadan_clock_change(
    start, utc_hour_evening, utc_hour_morning
):
    evening, morning = plan_reminders([day("r", start)], ReminderTimes(), CASABLANCA, set())
    assert evening.due.astimezone(CASABLANCA).time() == time(20, 0)
    assert morning.due.astimezone(CASABLANCA).time() == time(9, 0)
    assert (evening.due.hour, morning.due.hour) == (utc_hour_evening, utc_hour_morning)
    assert evening.due.tzinfo == UTC


def test_before_at_and_after_a_reminder():
    reminders = plan_reminders([day("a", date(2027, 5, 2))], ReminderTimes(), CASABLANCA, set())
    evening = reminders[0]
    before = due_reminders(reminders, set(), evening.due - timedelta(seconds=1), CASABLANCA)
    assert before.now == before.missed == []
    assert next_due(reminders, set(), evening.due - timedelta(seconds=1)) == evening.due
    at = due_reminders(reminders, set(), evening.due, CASABLANCA)
    assert at.now == [evening]
    after = due_reminders(reminders, {evening.key}, evening.due + timedelta(minutes=1), CASABLANCA)
    assert after.now == []
    assert next_due(reminders, {evening.key}, evening.due) == reminders[1].due


def test_switches_global_per_kind_and_per_day():
    days = [day("a", date(2027, 5, 2)), day("b", date(2027, 6, 2), own=True)]
    assert plan_reminders(days, ReminderTimes(enabled=False), CASABLANCA, set()) == []
    evening_only = plan_reminders(days, ReminderTimes(morning_of=None), CASABLANCA, set())
    assert {r.kind for r in evening_only} == {EVENING_BEFORE}
    without_a = plan_reminders(days, ReminderTimes(), CASABLANCA, {"a"})
    assert {r.day.id for r in without_a} == {"b"}
    custom = plan_reminders(days[:1], ReminderTimes(time(18, 30), time(7, 15)), CASABLANCA, set())
    assert [r.due.astimezone(CASABLANCA).time() for r in custom] == [time(18, 30), time(7, 15)]


def test_moving_a_user_day_re_arms_its_reminders():
    first = plan_reminders([day("mine", date(2027, 5, 2))], ReminderTimes(), CASABLANCA, set())
    moved = plan_reminders([day("mine", date(2027, 5, 9))], ReminderTimes(), CASABLANCA, set())
    assert {r.key for r in first}.isdisjoint({r.key for r in moved})


def test_after_a_gap_missed_reminders_come_as_one_summary_and_past_days_are_dropped():
    days = [
        day("old", date(2027, 4, 1)),
        day("soon", date(2027, 5, 3)),
        day("today", date(2027, 5, 2), date(2027, 5, 3)),
    ]
    reminders = plan_reminders(days, ReminderTimes(), CASABLANCA, set())
    back = local(2027, 5, 2, 20, 10)  # the laptop was off from April until this evening
    due = due_reminders(reminders, set(), back, CASABLANCA)
    assert {r.day.id for r in due.expired} == {"old"}
    assert due.now == [r for r in reminders if r.day.id == "soon" and r.kind == EVENING_BEFORE]
    assert {(r.day.id, r.kind) for r in due.missed} == {
        ("today", EVENING_BEFORE),
        ("today", MORNING_OF),
    }
    heading, body = summary_text(due.missed)
    assert heading == "2 reminders while you were away"
    assert body == "Day today"
    assert reminder_text(due.now[0]) == ("Tomorrow: Day soon", "Meet in front of the agency.")


def test_delivered_once_even_across_a_restart_of_the_store(tmp_path):
    reminders = plan_reminders([day("a", date(2027, 5, 2))], ReminderTimes(), CASABLANCA, set())
    now = reminders[0].due
    store = Store.open(tmp_path)
    store.mark_delivered("c", [reminders[0].key], now)
    store.close()
    store = Store.open(tmp_path)
    delivered = store.delivered_reminders("c")
    store.close()
    assert due_reminders(reminders, delivered, now + timedelta(minutes=1), CASABLANCA).now == []
    assert next_due(reminders, delivered, now) == reminders[1].due


def test_user_days_and_day_switches_are_stored(tmp_path):
    store = Store.open(tmp_path)
    mine = day("mine-1", date(2027, 5, 2), date(2027, 5, 3), own=True)
    store.save_user_day("c", mine)
    store.set_day_reminders("c", "mine-1", False)
    store.close()
    store = Store.open(tmp_path)
    (stored,) = store.user_days("c")
    assert (stored.id, stored.start, stored.end, stored.own) == (
        "mine-1",
        mine.start,
        mine.end,
        True,
    )
    assert stored.title["fr"] == "Day mine-1"
    assert store.days_without_reminders("c") == {"mine-1"}
    store.delete_user_day("c", "mine-1")
    assert store.user_days("c") == []
    assert store.days_without_reminders("c") == set()
    store.close()


def test_an_older_store_gains_the_new_tables_and_keeps_its_data(tmp_path):
    from campaign_gui.core.store import MIGRATIONS

    old = Store.open(tmp_path, migrations=MIGRATIONS[:1])
    with old.transaction() as db:  # as that version wrote it
        db.execute("INSERT INTO observations VALUES ('c', 'inwi', 1456531200, 5, NULL)")
    old.close()
    store = Store.open(tmp_path)
    assert store.schema_version == len(MIGRATIONS) == 7
    assert count_observations(store, "c") == 1
    assert store.user_days("c") == []
    store.close()
