"""What a careless or hostile file does to the store: refused at the door with its place named, and
whatever is stored already never makes the store unusable (issue 7, items 1, 8–12)."""

from __future__ import annotations

import copy
import json
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from campaign_gui.core import limits
from campaign_gui.core.calendar_export import action_days_calendar
from campaign_gui.core.campaign import CampaignError, parse_campaign
from campaign_gui.core.clock import FixedClock
from campaign_gui.core.exchange import CsvError, import_csv, write_csv, write_json
from campaign_gui.core.formatting import describe_latest
from campaign_gui.core.i18n import set_language
from campaign_gui.core.paths import AppPaths
from campaign_gui.core.reminders import ReminderTimes, plan_reminders
from campaign_gui.core.store import STORE_FILE, Store
from campaign_gui.core.workspace import Workspace

from .probes import count_observations, load_campaign

NOW = datetime(2026, 11, 28, 21, 30, tzinfo=UTC)


def _import(tmp_path: Path, store: Store, campaign, text: str) -> CsvError:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CsvError) as caught:
        import_csv(store, campaign, path, NOW)
    assert count_observations(store, campaign.id) == 0
    return caught.value


# -- the CSV door ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("inwi,9999-12-31T23:59:59+00:00,5", "observed_at", "outside the times"),
        ("inwi,9999-12-31T23:59:59-05:00,5", "observed_at", "outside the times"),
        ("inwi,0001-01-01T00:00:00+05:00,5", "observed_at", "outside the times"),
        ("inwi,1999-12-31T23:59:59+00:00,5", "observed_at", "outside the times"),
        ("inwi,2026-12-25T00:00:00+00:00,5", "observed_at", "outside the times"),  # the future
        ("inwi,2016-02-27T09:00:00+00:00,1000000000000000000000000000000", "likes", "too large"),
        ("inwi,2016-02-27T09:00:00+00:00,9223372036854775808", "likes", "too large"),
        ("inwi,2016-02-27T09:00:00+00:00,5,9223372036854775808", "followers", "too large"),
        ("inwi,2016-02-27T09:00:00+00:00," + "9" * 4000, "likes", "too large"),
        ("inwi,2016-02-27T09:00:00+00:00,1_000", "likes", "not a whole number"),
        ("inwi,2016-02-27T09:00:00+00:00,-3", "likes", "negative"),
    ],
)
def test_values_out_of_range_are_refused_with_line_and_column(
    tmp_path, store, campaign, row, column, words
):
    error = _import(tmp_path, store, campaign, f"target,observed_at,likes,followers\n{row}\n")
    assert (error.line, error.column) == (2, column)
    assert words in error.message
    assert error.message.startswith("Line 2, column")


def test_a_count_at_the_largest_valid_value_is_stored_and_shown(tmp_path, store, campaign):
    path = tmp_path / "in.csv"
    path.write_text(f"inwi,2016-02-27T09:00:00+00:00,{limits.MAX_COUNT}\n", encoding="utf-8")
    assert import_csv(store, campaign, path, NOW).added == 1


def test_a_malformed_quote_is_reported_on_its_own_line_in_the_users_language(
    tmp_path, store, campaign
):
    error = _import(tmp_path, store, campaign, 'inwi,"2016-02-27T09:00:00+00:00"x,5\n')
    assert error.line == 1
    set_language("fr")
    try:
        error = _import(tmp_path, store, campaign, 'inwi,2016-02-27T09:00:00Z,5\n"inwi,x\n')
    finally:
        set_language("en")
    assert error.line == 2
    assert error.message.startswith("Ligne 2")
    assert "expected" not in error.message and "EOF" not in error.message


def test_a_huge_line_is_refused_without_reading_it_whole(tmp_path, store, campaign):
    error = _import(
        tmp_path, store, campaign, "inwi,2016-02-27T09:00:00Z,5\ninwi," + "x" * 3_000_000 + "\n"
    )
    assert error.line == 2 and "longer than" in error.message


def test_a_quoted_field_cannot_grow_across_many_lines(tmp_path, store, campaign):
    error = _import(tmp_path, store, campaign, 'inwi,"' + "a\n" * 10_000 + '",5\n')
    assert "longer than" in error.message


def test_two_rows_in_the_same_second_are_explained(tmp_path, store, campaign):
    error = _import(
        tmp_path,
        store,
        campaign,
        "inwi,2016-02-27T09:30:00.1+00:00,5\ninwi,2016-02-27T09:30:00.9+00:00,6\n",
    )
    assert error.line == 2
    assert "kept to the second" in error.message


# -- the store survives what is already in it --------------------------------------------------


def _poison(data_dir: Path, campaign_id: str) -> None:
    """Rows that no door accepts any more, written straight into the file (an older version, a
    hand edit, another tool)."""
    with sqlite3.connect(data_dir / STORE_FILE) as db:
        db.executemany(
            "INSERT INTO observations VALUES (?, ?, ?, ?, ?)",
            [
                (campaign_id, "inwi", 253402300799, 5, None),  # 9999-12-31T23:59:59Z
                (campaign_id, "inwi", -62135596800, 5, None),  # 0001-01-01
                (campaign_id, "inwi", 1456563600, 2**62, None),
                (campaign_id, "meditel", 1456563600, 1_500_000, None),  # a good one
            ],
        )
        db.execute(
            "INSERT INTO reports VALUES (?, 'bad-day', 'inwi', '9999-12-31', '9999-12-31', 5,"
            " NULL, 'exact', '[]', '{}', 1)",
            (campaign_id,),
        )
        db.execute(
            "INSERT INTO reports VALUES (?, 'bad-json', 'inwi', '2016-02-27', '2016-02-27', 5,"
            " NULL, 'exact', 'not json', '{}', 1)",
            (campaign_id,),
        )
        db.execute(
            "INSERT INTO reports VALUES (?, 'bad-date-given', 'inwi', '2016-02-27', '2016-02-27',"
            " 5, NULL, 'exact', '[]', '{}', 7)",
            (campaign_id,),
        )
        db.execute(
            "INSERT INTO user_days VALUES (?, 'mine-1', 'protest', '0001-01-01', '0001-01-01',"
            " 'old', '')",
            (campaign_id,),
        )
        db.execute(
            "INSERT INTO user_days VALUES (?, 'mine-2', 'protest', '2027-05-02', '2027-05-02',"
            " 'Sit-in', '')",
            (campaign_id,),
        )


def test_every_reader_skips_a_stored_value_out_of_range(tmp_path, campaign, caplog):
    paths = AppPaths(tmp_path / "data", tmp_path / "config")
    Workspace.open(paths, clock=FixedClock(NOW)).close()
    _poison(paths.data_dir, campaign.id)
    workspace = Workspace.open(paths, clock=FixedClock(NOW))
    try:
        series = workspace.loss_series()
        for line in series.values():
            assert describe_latest(line, campaign.zone) is not None
            assert all(limits.epoch_in_range(t) for t in line.times)
        assert [o.target for o in workspace.store.observations(campaign.id)] == ["meditel"]
        report_ids = {r.id for r in workspace.store.reports(campaign.id)}
        assert "bad-day" not in report_ids and "bad-json" not in report_ids
        assert "arabi21-inwi" in report_ids
        days = workspace.action_days()
        assert [d.id for d in days if d.own] == ["mine-2"]
        action_days_calendar(campaign, days, NOW)
        plan_reminders(days, ReminderTimes(), campaign.zone, set())
        import io

        write_csv(workspace.store, campaign, io.StringIO())
        write_json(workspace.store, campaign, io.StringIO())
    finally:
        workspace.close()
    assert "out of range" in caplog.text and "not valid" in caplog.text


# -- the campaign file door ---------------------------------------------------------------------


@pytest.fixture
def document() -> dict:
    from importlib import resources

    raw = (resources.files("campaign_gui") / "resources" / "campaign-2016.json").read_bytes()
    return json.loads(raw)


def _set(document: dict, path: list, value) -> dict:
    broken = copy.deepcopy(document)
    node = broken
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return broken


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (["targets", 0, "page_url"], "https://www.facebook.com:abc/x", "targets[0].page_url"),
        (["reports", 0, "target"], {"id": "inwi"}, "reports[0].target"),
        (["reports", 0, "target"], ["inwi"], "reports[0].target"),
        (["reports", 0, "loss"], 10**30, "reports[0].loss"),
        (["reports", 1, "loss_percent"], float("nan"), "reports[1].loss_percent"),
        (["reports", 1, "loss_percent"], 1e308, "reports[1].loss_percent"),
        (["action_days", 0, "start"], "9999-12-31", "action_days[0].start"),
        (["action_days", 0, "start"], "0001-01-01", "action_days[0].start"),
        (["start", "date"], "0001-01-01", "start.date"),
        (["targets", 0, "name", "en"], "x" * 100_000, "targets[0].name.en"),
        (["targets", 0, "name", "en"], "Maroc\x00Telecom", "targets[0].name.en"),
        (["action_days", 0, "details", "en"], "x" * 1_000_000, "action_days[0].details.en"),
        (["hashtags"], ["#x"] * 20_000, "hashtags"),
        (["time_zone"], "x" * 5000, "time_zone"),
        (["time_zone"], "../../../etc/passwd", "time_zone"),
    ],
)
def test_campaign_values_that_used_to_crash_later_are_refused(document, path, value, field):
    with pytest.raises(CampaignError) as caught:
        parse_campaign(_set(document, path, value), "c.json")
    assert caught.value.where == field


def test_a_huge_campaign_file_is_refused_before_it_is_read_whole(tmp_path, document):
    document["padding"] = "x" * (limits.MAX_CAMPAIGN_BYTES + 10)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CampaignError, match="larger than 5 MB"):
        load_campaign(path)


def test_a_deeply_nested_or_huge_number_campaign_file_is_a_clear_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with pytest.raises(CampaignError, match="nested too deeply"):
        load_campaign(path)
    path.write_text('{"version": ' + "9" * 5000 + "}", encoding="utf-8")
    with pytest.raises(CampaignError, match="number too long"):
        load_campaign(path)


def test_invalid_json_is_explained_in_the_users_language(tmp_path):
    path = tmp_path / "c.json"
    path.write_text("{\n  oops\n}", encoding="utf-8")
    set_language("fr")
    try:
        with pytest.raises(CampaignError) as caught:
            load_campaign(path)
    finally:
        set_language("en")
    assert "ligne 2" in caught.value.message
    assert "Expecting" not in caught.value.message and "Expecting" in caught.value.detail


def test_the_edges_of_the_valid_range_are_usable(tmp_path, document):
    edge = _set(document, ["action_days", 0, "start"], limits.EARLIEST_DAY.isoformat())
    edge = _set(edge, ["action_days", 0, "end"], limits.EARLIEST_DAY.isoformat())
    edge = _set(edge, ["action_days", 1, "start"], limits.LATEST_DAY.isoformat())
    edge = _set(edge, ["action_days", 1, "end"], limits.LATEST_DAY.isoformat())
    campaign = parse_campaign(edge, "edge.json")
    assert action_days_calendar(campaign, campaign.action_days, NOW)
    for zone_name in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        from zoneinfo import ZoneInfo

        plan_reminders(campaign.action_days, ReminderTimes(), ZoneInfo(zone_name), set())
    assert campaign.action_days[1].end == date(2099, 12, 31)


# -- what one campaign file leaves behind for the next -------------------------------------------


def test_another_file_with_the_same_campaign_id_leaves_no_figure_behind(tmp_path, document):
    paths = AppPaths(tmp_path / "data", tmp_path / "config")
    evil = copy.deepcopy(document)
    evil["reports"].append(
        {
            "id": "fake",
            "target": "inwi",
            "start": "2016-03-20",
            "loss": 9_999_999,
            "sources": [{"name": "Le Monde"}],
        }
    )
    evil["targets"].append(
        {"id": "ghost", "name": {"en": "Ghost"}, "page_url": "https://www.facebook.com/ghost"}
    )
    evil["reports"].append(
        {"id": "ghost-fig", "target": "ghost", "start": "2016-03-01", "loss": 777_777,
         "sources": [{"name": "Fake"}]}
    )  # fmt: skip
    evil_file = tmp_path / "evil.json"
    evil_file.write_text(json.dumps(evil), encoding="utf-8")
    csv = tmp_path / "ghost.csv"
    csv.write_text("ghost,2016-03-01T09:00:00Z,5\ninwi,2016-03-01T09:00:00Z,6\n", encoding="utf-8")
    workspace = Workspace.open(paths, evil_file, clock=FixedClock(NOW))
    import_csv(workspace.store, workspace.campaign, csv, NOW)
    workspace.close()

    workspace = Workspace.open(paths, clock=FixedClock(NOW))  # back to the bundled campaign
    try:
        series = workspace.loss_series()
        assert {r.id for r in workspace.store.reports(workspace.campaign.id)} == {
            r.id for r in workspace.campaign.reports
        }
        assert 9_999_999 not in series["inwi"].losses
        assert {line.target for line in series.values()} == {"", "inwi", "maroc-telecom", "meditel"}
        assert 777_777 not in series[""].losses
        import io

        out = io.StringIO()
        write_csv(workspace.store, workspace.campaign, out)
        assert "ghost" not in out.getvalue()  # an export always reads back
        backup = tmp_path / "backup.csv"
        backup.write_text(out.getvalue(), encoding="utf-8")
    finally:
        workspace.close()
    # and a window still open on the bundled campaign while another copy opens the evil file
    window = Workspace.open(paths, clock=FixedClock(NOW))
    Workspace.open(paths, evil_file, clock=FixedClock(NOW)).close()
    try:
        assert 9_999_999 not in window.loss_series()["inwi"].losses
    finally:
        window.close()
    fresh = Workspace.open(AppPaths(tmp_path / "fresh", tmp_path / "c2"), clock=FixedClock(NOW))
    try:
        assert import_csv(fresh.store, fresh.campaign, backup, NOW).added == 1
    finally:
        fresh.close()


# -- the user's own days -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "details", "words"),
    [
        (date(2205, 5, 2), "", "must be between"),
        (date(1999, 12, 31), "", "must be between"),
        (date(2027, 5, 2), "x" * (limits.MAX_LONG_TEXT + 1), "too long"),
        (date(2027, 5, 2), "a\x00b", "control character"),
        (date(2027, 5, 2), "Sit\x1b]0;PWNED\x07-in", "control character"),
        (date(2027, 5, 2), "a\ud800b", "control character"),
    ],
)
def test_a_day_the_app_could_not_show_is_never_stored(tmp_path, campaign, start, details, words):
    from campaign_gui.core.campaign import ActionDay
    from campaign_gui.core.store import StoreError

    store = Store.open(tmp_path / "data")
    try:
        day = ActionDay("mine-1", "protest", start, start, {"en": "Sit-in"}, {"en": details})
        with pytest.raises(StoreError, match=words):
            store.save_user_day(campaign.id, day)
        assert store.user_day_ids(campaign.id) == set()
    finally:
        store.close()


def test_a_new_day_never_takes_the_id_of_a_stored_day_that_is_not_shown(tmp_path, campaign):
    from campaign_gui.core.action_days import new_day_id

    paths = AppPaths(tmp_path / "data", tmp_path / "config")
    Workspace.open(paths, clock=FixedClock(NOW)).close()
    _poison(paths.data_dir, campaign.id)  # mine-1 on 0001-01-01: stored, not shown
    workspace = Workspace.open(paths, clock=FixedClock(NOW))
    try:
        shown = {d.id for d in workspace.action_days()}
        assert "mine-1" not in shown
        taken = shown | workspace.store.user_day_ids(campaign.id)
        assert new_day_id(taken) == "mine-3"
    finally:
        workspace.close()


# -- more of the CSV door (second hostile review) -------------------------------------------------


def test_a_huge_first_line_is_refused_on_line_one(tmp_path, store, campaign):
    error = _import(tmp_path, store, campaign, "x" * 3_000_000 + "\n")
    assert error.line == 1 and "longer than" in error.message


def test_an_unclosed_quote_is_reported_where_its_row_starts(tmp_path, store, campaign):
    text = 'inwi,"2016-02-27T09:00:00Z,5\ninwi,2016-02-27T10:00:00Z,6\ninwi,x,7\n'
    error = _import(tmp_path, store, campaign, text)
    assert error.line == 1


def test_a_header_in_any_order_after_blank_lines_and_trailing_empty_columns(
    tmp_path, store, campaign
):
    path = tmp_path / "in.csv"
    path.write_text(
        "\n,,\nlikes,target,observed_at,,\n5,inwi,2016-02-27T09:00:00Z,,\n", encoding="utf-8"
    )
    assert import_csv(store, campaign, path, NOW).added == 1


def test_control_characters_from_a_csv_are_never_echoed_raw(tmp_path, store, campaign):
    error = _import(tmp_path, store, campaign, "\x1b[2J\x07,2016-02-27T09:00:00Z,5\n")
    assert "\x1b" not in error.message and "\x07" not in error.message
    assert "\\x1b[2J" in error.message


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (["id"], "ma-voip-2016\n", "id"),
        (["version"], -5, "version"),
        (["reports", 0, "target"], False, "reports[0].target"),
        (["reports", 0, "target"], 0, "reports[0].target"),
        (["targets", 0, "name", "en"], "Maroc\x1b[2JTelecom", "targets[0].name.en"),
        (["targets", 0, "name", "en"], "Maroc\nTelecom", "targets[0].name.en"),
        (
            ["targets", 0, "page_url"],
            "https://www.facebook.com/v2.0/dialog/oauth?redirect_uri=https://evil.example",
            "targets[0].page_url",
        ),
        (["targets", 0, "page_url"], "https://www.facebook.com/settings", "targets[0].page_url"),
    ],
)
def test_more_campaign_values_are_refused(document, path, value, field):
    with pytest.raises(CampaignError) as caught:
        parse_campaign(_set(document, path, value), "c.json")
    assert caught.value.where == field


def test_line_breaks_stay_allowed_in_long_texts(document):
    text = "Line one.\nLine two."
    campaign = parse_campaign(_set(document, ["action_days", 0, "details", "en"], text))
    assert campaign.action_days[0].details["en"] == text


def test_a_quote_left_open_on_line_one_is_reported_on_line_one(tmp_path, store, campaign):
    rows = "".join(f"inwi,2016-02-27T09:{i % 60:02d}:00Z,{i}\n" for i in range(2_000))
    error = _import(tmp_path, store, campaign, 'inwi,"2016-02-27T09:00:00Z,5\n' + rows)
    assert error.line == 1 and "quotation mark" in error.message


@pytest.mark.parametrize("name", ["Maroc\u202eTelecom", "Maroc\u2028Telecom"])
def test_text_that_reorders_or_breaks_a_name_is_refused(document, name):
    with pytest.raises(CampaignError) as caught:
        parse_campaign(_set(document, ["targets", 0, "name", "en"], name), "c.json")
    assert caught.value.where == "targets[0].name.en"
