"""Guards: whatever a CSV or a campaign file holds, the door either refuses it naming a place, or
everything that reads the store afterwards works (issue 7, "Guards that stay")."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from importlib import resources
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from campaign_gui.core.action_days import split_days
from campaign_gui.core.calendar_export import action_days_calendar
from campaign_gui.core.campaign import (
    Campaign,
    CampaignError,
    load_bundled_campaign,
    parse_campaign_bytes,
)
from campaign_gui.core.exchange import CsvError, read_csv_into, write_csv, write_json
from campaign_gui.core.formatting import describe_latest, format_day_span, format_relative_day
from campaign_gui.core.glance import campaign_glance
from campaign_gui.core.reminders import ReminderTimes, due_reminders, plan_reminders
from campaign_gui.core.store import Store

NOW = datetime(2026, 11, 28, 21, 30, tzinfo=UTC)
BUNDLED = load_bundled_campaign()
DOCUMENT = json.loads(
    (resources.files("campaign_gui") / "resources" / "campaign-2016.json").read_bytes()
)
PROPERTY = settings(
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def every_reader(store: Store, campaign: Campaign) -> None:
    """What status, days, export, the graph and the reminders do with a store."""
    from campaign_gui.core.workspace import Workspace

    workspace = Workspace(campaign, store)
    series = workspace.loss_series()
    for line in series.values():
        describe_latest(line, campaign.zone)
    days = workspace.action_days()
    today = NOW.astimezone(campaign.zone).date()
    upcoming, past = split_days(days, today)
    for day in (*upcoming, *past):
        format_day_span(day.start, day.end)
        format_relative_day(day.start, today)
    action_days_calendar(campaign, days, NOW)
    reminders = plan_reminders(days, ReminderTimes(), campaign.zone, set())
    due_reminders(reminders, set(), NOW, campaign.zone)
    campaign_glance(campaign, days, series, NOW)
    write_csv(store, campaign, io.StringIO())
    write_json(store, campaign, io.StringIO())


# -- CSV ------------------------------------------------------------------------------------------

zones = st.sampled_from([UTC, timezone(timedelta(hours=14)), timezone(-timedelta(hours=12)), UTC])
moments = st.one_of(
    st.datetimes(timezones=zones),
    st.datetimes(datetime(1999, 12, 30), datetime(2027, 1, 1), timezones=zones),
).map(lambda d: d.isoformat())
counts = st.one_of(
    st.integers(-10, 10**31).map(str),
    st.integers(0, 10**13).map(str),
    st.sampled_from(["", "1e3", "٣", "1_0", " 7 ", "0x10"]),
)
near_valid_rows = st.lists(
    st.tuples(
        st.sampled_from([t.id for t in BUNDLED.targets] * 3 + ["", "nobody", "<b>inwi</b>"]),
        st.one_of(moments, moments, st.text(max_size=30)),
        counts,
        st.one_of(st.just(""), counts),
    ),
    max_size=8,
)
raw_rows = st.lists(st.lists(st.text(max_size=20), max_size=6), max_size=6)


def _csv_text(rows) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _import_then_read(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder))
        try:
            store.merge_reports(BUNDLED)
            try:
                read_csv_into(store, BUNDLED, io.StringIO(text), "fuzz.csv", NOW)
                event("imported")
            except CsvError as exc:
                assert exc.line >= 1
                assert exc.message.startswith(f"Line {exc.line}")
                event("refused")
            every_reader(store, BUNDLED)
        finally:
            store.close()


@PROPERTY
@given(near_valid_rows)
def test_any_near_valid_csv_is_refused_with_a_place_or_readable(rows):
    _import_then_read(_csv_text(rows))


@PROPERTY
@given(st.one_of(raw_rows.map(_csv_text), st.text(max_size=300)))
def test_any_text_as_csv_is_refused_with_a_place_or_readable(text):
    _import_then_read(text)


# -- campaign files -------------------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**40), 10**40),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=30),
        st.sampled_from(
            ["9999-12-31", "0001-01-01", "2016-02-29", "https://www.facebook.com:abc/x",
             "https://www.facebook.com/l.php?u=https://evil.example", "<b>x</b>", "#tag"]
        ),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)  # fmt: skip


plausible_values = st.one_of(
    st.sampled_from(["2000-01-01", "2099-12-31", "2016-02-29", "2100-01-01", "1999-12-31"]),
    st.sampled_from([0, 1, 10**12, 10**12 + 1, 99.5, 100, 100.01]),
    st.sampled_from(["<b>inwi</b>", "x" * 500, "x" * 501, "Maroc\u202eTelecom", "exact"]),
    st.dates().map(lambda d: d.isoformat()),
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


ALL_PATHS = [p for p in _paths(DOCUMENT) if p]


@st.composite
def mutated_documents(draw):
    document = copy.deepcopy(DOCUMENT)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(ALL_PATHS))
        node = document
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = draw(st.one_of(plausible_values, json_values))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation replaced a parent
    return document


def _parse_then_read(raw: bytes) -> None:
    try:
        campaign = parse_campaign_bytes(raw, "fuzz.json")
    except CampaignError as exc:
        assert "fuzz.json" in exc.message
        event("refused")
        return
    event("accepted")
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder))
        try:
            store.merge_reports(campaign)
            every_reader(store, campaign)
        finally:
            store.close()


@PROPERTY
@given(mutated_documents())
def test_any_mutation_of_the_bundled_campaign_is_refused_with_a_field_or_usable(document):
    _parse_then_read(json.dumps(document, allow_nan=True).encode())


@PROPERTY
@given(json_values)
def test_any_json_as_a_campaign_is_refused_with_a_field_or_usable(document):
    _parse_then_read(json.dumps(document, allow_nan=True).encode())
