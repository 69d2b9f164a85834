from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_gui.core.errors import UserError
from campaign_gui.core.exchange import CsvError, import_csv, read_csv_into, write_csv, write_json
from campaign_gui.core.store import Observation, Store

from .probes import count_observations


def _csv(tmp_path: Path, text: str, name: str = "in.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)

GOOD = """target,observed_at,likes,followers
maroc-telecom,2016-02-27T09:00:00+00:00,2400000,2500000
inwi,2016-02-27T10:00:00+01:00,1400000,
meditel,2016-02-27T09:00:00Z,1500000
"""


def test_import_stores_every_row_in_utc(tmp_path, store, campaign):
    result = import_csv(store, campaign, _csv(tmp_path, GOOD), NOW)
    assert (result.added, result.already_present) == (3, 0)
    stored = {o.target: o for o in store.observations(campaign.id)}
    assert stored["inwi"].observed_at == datetime(2016, 2, 27, 9, tzinfo=UTC)
    assert stored["inwi"].followers is None
    assert stored["maroc-telecom"].followers == 2_500_000


def test_importing_the_same_file_twice_adds_nothing_the_second_time(tmp_path, store, campaign):
    path = _csv(tmp_path, GOOD)
    import_csv(store, campaign, path, NOW)
    again = import_csv(store, campaign, path, NOW)
    assert (again.added, again.already_present) == (0, 3)
    assert count_observations(store, campaign.id) == 3


@pytest.mark.parametrize(
    ("text", "line", "column", "problem"),
    [
        (
            "maroc-telecom,2016-02-27T09:00Z,10\nmaroc-telecom,yesterday,10\n",
            2,
            "observed_at",
            "not a date",
        ),
        ("maroc-telecom,2016-02-27T09:00:00,10\n", 1, "observed_at", "no UTC offset"),
        ("orange,2016-02-27T09:00:00Z,10\n", 1, "target", "not one of the campaign's pages"),
        ("inwi,2016-02-27T09:00:00Z,-3\n", 1, "likes", "cannot be negative"),
        ("inwi,2016-02-27T09:00:00Z,12.5\n", 1, "likes", "not a whole number"),
        ("inwi,2016-02-27T09:00:00Z,12,13,14\n", 1, "", "at most 4"),
        ("inwi,2016-02-27T09:00:00Z,\n", 1, "likes", "a like count or a follower count is needed"),
        ("inwi,2016-02-27T09:00:00Z,10,many\n", 1, "followers", "not a whole number"),
        ("target,observed_at,like\n", 1, "like", "unknown column"),
        ("target,likes,followers\n", 1, "observed_at", "missing from the header"),
    ],
)
def test_a_bad_row_names_line_column_and_problem_and_stores_nothing(
    tmp_path, store, campaign, text, line, column, problem
):
    good_first = "" if text.startswith("target") else "inwi,2016-02-26T09:00:00Z,1000\n"
    if good_first:
        line += 1
    with pytest.raises(CsvError) as caught:
        import_csv(store, campaign, _csv(tmp_path, good_first + text), NOW)
    assert caught.value.line == line
    assert caught.value.column == column
    assert problem in str(caught.value)
    assert f"Line {line}" in str(caught.value)
    assert count_observations(store, campaign.id) == 0


def test_a_different_count_at_a_stored_instant_is_refused_whole(tmp_path, store, campaign):
    import_csv(store, campaign, _csv(tmp_path, GOOD), NOW)
    clash = "inwi,2016-03-01T00:00:00Z,5\nmaroc-telecom,2016-02-27T09:00:00Z,1,2500000\n"
    with pytest.raises(CsvError) as caught:
        import_csv(store, campaign, _csv(tmp_path, clash, "clash.csv"), NOW)
    assert caught.value.line == 2
    assert "already stored" in str(caught.value)
    assert count_observations(store, campaign.id) == 3


def test_a_stored_count_in_the_way_is_said_at_the_campaigns_own_time(tmp_path, store, campaign):
    """Moroccans write their times at +01:00 (summer 2016): the stored count in the way is
    named at that time, not at UTC, so that it can be found in their file."""
    stored = "target,observed_at,likes\ninwi,2016-06-01T09:00:00+01:00,1000\n"
    import_csv(store, campaign, _csv(tmp_path, stored), NOW)
    clash = "target,observed_at,likes\ninwi,2016-06-01T08:00:00Z,999\n"
    with pytest.raises(CsvError) as caught:
        import_csv(store, campaign, _csv(tmp_path, clash, "clash.csv"), NOW)
    assert "at 2016-06-01T09:00:00+01:00 is already stored" in str(caught.value)


def test_a_spreadsheet_csv_with_semicolons_and_a_byte_order_mark_imports(tmp_path, store, campaign):
    text = "target;observed_at;likes\r\ninwi;2016-02-27T09:00:00+01:00;1400000\r\n"
    path = _csv(tmp_path, text, encoding="utf-8-sig")
    assert import_csv(store, campaign, path, NOW).added == 1


def test_a_header_in_another_language_is_said_to_be_one(tmp_path, store, campaign):
    text = "cible;date;j’aime\r\ninwi;2016-02-27T09:00:00+01:00;1400000\r\n"
    with pytest.raises(CsvError) as caught:
        import_csv(store, campaign, _csv(tmp_path, text), NOW)
    message = str(caught.value)
    assert "reads as a header" in message and "target, observed_at, likes, followers" in message
    assert message.startswith("Line 1:") and "not one of the campaign's pages" not in message
    assert count_observations(store, campaign.id) == 0


@pytest.mark.parametrize(
    "header",
    ["cible;date (UTC+1);j’aime", "page;heure 24h;likes 2016", "الصفحة;الوقت +1;لايكات"],
)
def test_a_header_in_another_language_with_a_digit_is_said_to_be_one(
    tmp_path, store, campaign, header
):
    text = f"{header}\r\ninwi;2016-02-27T09:00:00+01:00;1400000\r\n"
    with pytest.raises(CsvError) as caught:
        import_csv(store, campaign, _csv(tmp_path, text), NOW)
    message = str(caught.value)
    assert message.startswith("Line 1:") and "reads as a header" in message
    assert count_observations(store, campaign.id) == 0


@pytest.mark.parametrize(
    ("row", "column", "problem"),
    [
        ("nobody,2016-02-27T09:00:00Z,5", "target", "not one of the campaign's pages"),
        ("inwi,yesterday,5", "observed_at", "is not a date and time"),
        ("inwi,2016-02-27T09:00:00Z,lots", "likes", "is not a whole number"),
        ("inwi,2016-02-27T09:00:00Z,-5", "likes", "cannot be negative"),
    ],
)
def test_a_first_row_of_counts_with_a_mistake_is_named_as_a_row(
    tmp_path, store, campaign, row, column, problem
):
    with pytest.raises(CsvError) as caught:
        import_csv(store, campaign, _csv(tmp_path, row + "\n"), NOW)
    assert (caught.value.line, caught.value.column) == (1, column)
    assert problem in str(caught.value) and "header" not in str(caught.value)


def test_times_in_arabic_indic_digits_are_read_like_counts(tmp_path, store, campaign):
    text = (
        "target,observed_at,likes\n"
        "inwi,٢٠١٦-٠٢-٢٧T٠٩:٠٠:٠٠+٠١:٠٠,٣٠٠\n"
        "meditel,۲۰۱۶-۰۲-۲۷T۱۰:۳۰:۰۰Z,۱۲\n"
        "maroc-telecom,2016-02-27T11:00:00+00:00,7\n"
    )
    assert import_csv(store, campaign, _csv(tmp_path, text), NOW).added == 3
    stored = {o.target: (o.observed_at, o.likes) for o in store.observations(campaign.id)}
    assert stored == {
        "inwi": (datetime(2016, 2, 27, 8, tzinfo=UTC), 300),
        "meditel": (datetime(2016, 2, 27, 10, 30, tzinfo=UTC), 12),
        "maroc-telecom": (datetime(2016, 2, 27, 11, tzinfo=UTC), 7),
    }


@pytest.mark.parametrize(
    ("when", "problem"),
    [
        ("٢٠١٦-٠٢-٢٧T٠٩:٠٠:٠٠", "“٢٠١٦-٠٢-٢٧T٠٩:٠٠:٠٠” has no UTC offset"),
        ("٢٠٩٩-٠٢-٢٧T٠٩:٠٠:٠٠Z", "“٢٠٩٩-٠٢-٢٧T٠٩:٠٠:٠٠Z” is outside the times"),
        ("२०१६-०२-२७T०९:००:००Z", "is not a date and time"),
    ],
)
def test_a_wrong_time_in_arabic_indic_digits_is_quoted_as_written(
    tmp_path, store, campaign, when, problem
):
    text = f"target,observed_at,likes\ninwi,{when},3\n"
    with pytest.raises(CsvError) as caught:
        import_csv(store, campaign, _csv(tmp_path, text), NOW)
    assert (caught.value.line, caught.value.column) == (2, "observed_at")
    assert problem in str(caught.value)
    assert count_observations(store, campaign.id) == 0


def test_a_file_that_is_not_utf8_says_how_to_save_it(tmp_path, store, campaign):
    path = tmp_path / "latin.csv"
    path.write_bytes("inwi,2016-02-27T09:00:00Z,1\nméditel\n".encode("latin-1"))
    with pytest.raises(UserError, match="CSV UTF-8"):
        import_csv(store, campaign, path, NOW)
    assert count_observations(store, campaign.id) == 0


def test_a_missing_file_is_a_user_error(tmp_path, store, campaign):
    with pytest.raises(UserError, match="does not exist"):
        import_csv(store, campaign, tmp_path / "nope.csv", NOW)


def test_json_export_holds_reports_and_counts(tmp_path, store, campaign):
    import_csv(store, campaign, _csv(tmp_path, GOOD), NOW)
    out = io.StringIO()
    assert write_json(store, campaign, out) == 3
    document = json.loads(out.getvalue())
    assert document["campaign"] == "ma-voip-2016"
    assert len(document["reports"]) == len(campaign.reports)
    assert {o["target"] for o in document["observations"]} == {"maroc-telecom", "inwi", "meditel"}


START = datetime(2015, 1, 1, tzinfo=UTC)
observations = st.lists(
    st.builds(
        Observation,
        target=st.sampled_from(["maroc-telecom", "meditel", "inwi"]),
        observed_at=st.integers(0, 300_000_000).map(lambda s: START + timedelta(seconds=s)),
        likes=st.integers(0, 10**10),
        followers=st.one_of(st.none(), st.integers(0, 10**10)),
    ),
    max_size=40,
    unique_by=lambda o: (o.target, o.observed_at),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=observations)
def test_csv_round_trip_loses_nothing(tmp_path_factory, campaign, rows):
    base = tmp_path_factory.mktemp("rt")
    first = Store.open(base / "a")
    second = Store.open(base / "b")
    try:
        first.add_observations(campaign.id, rows)
        exported = io.StringIO()
        assert write_csv(first, campaign, exported) == len(rows)
        exported.seek(0)
        result = read_csv_into(second, campaign, exported, "round-trip.csv", NOW)
        assert result.added == len(rows)
        assert list(second.observations(campaign.id)) == list(first.observations(campaign.id))
        assert set(second.observations(campaign.id)) == set(rows)
    finally:
        first.close()
        second.close()


def test_a_page_that_gives_only_followers_round_trips(tmp_path, store, campaign, clock):
    """Pages of Facebook's new kind give followers and no like count: such a row is kept with no
    like count, and exported as it came."""
    source = tmp_path / "in.csv"
    source.write_text(
        "target,observed_at,likes,followers\n"
        "inwi,2016-02-27T09:00:00+00:00,,1900000\n"
        "inwi,2016-02-27T10:00:00+00:00,1800000,1900100\n",
        encoding="utf-8",
    )
    assert import_csv(store, campaign, source, clock.now()).added == 2
    stored = store.page_counts(campaign.id, "inwi")
    assert stored.likes.tolist() == [-1, 1_800_000]  # none given, then one
    assert stored.followers.tolist() == [1_900_000, 1_900_100]
    out = io.StringIO()
    write_csv(store, campaign, out)
    assert "inwi,2016-02-27T09:00:00+00:00,,1900000" in out.getvalue().splitlines()


@pytest.mark.parametrize("batch", [2, 3, 50_000])
def test_a_repeat_with_other_figures_is_named_by_its_line_in_any_batch(
    tmp_path, store, campaign, clock, monkeypatch, batch
):
    """Rows go to the store in batches: a moment given twice, in the same batch or across
    two, is the same count (skipped) or a conflict named by the later line, whatever the size."""
    from campaign_gui.core.store import ingest

    monkeypatch.setattr(ingest, "INGEST_BATCH", batch)
    same = tmp_path / "same.csv"
    same.write_text(
        "target,observed_at,likes\n"
        "inwi,2016-02-27T09:00:00+00:00,100\n"
        "inwi,2016-02-27T10:00:00+00:00,101\n"
        "inwi,2016-02-27T11:00:00+00:00,102\n"
        "inwi,2016-02-27T09:00:00+00:00,100\n",
        encoding="utf-8",
    )
    result = import_csv(store, campaign, same, clock.now())
    assert (result.added, result.already_present) == (3, 1)
    other = tmp_path / "other.csv"
    other.write_text(
        "target,observed_at,likes\n"
        "meditel,2016-02-27T09:00:00+00:00,7\n"
        "meditel,2016-02-27T10:00:00+00:00,8\n"
        "meditel,2016-02-27T11:00:00+00:00,9\n"
        "meditel,2016-02-27T09:00:00+00:00,70\n",
        encoding="utf-8",
    )
    with pytest.raises(CsvError) as caught:
        import_csv(store, campaign, other, clock.now())
    assert caught.value.line == 5
    assert count_observations(store, campaign.id) == 3  # nothing of the second file


@pytest.mark.parametrize("batch", [2, 3, 50_000])
def test_a_file_overlapping_stored_counts_adds_only_the_new_ones(
    tmp_path, store, campaign, clock, monkeypatch, batch
):
    """A batch of only new counts goes straight in; one that meets a stored count midway is
    undone and taken row by row: no count is added twice or lost, whatever the batch size."""
    from campaign_gui.core.store import ingest

    monkeypatch.setattr(ingest, "INGEST_BATCH", batch)
    first = tmp_path / "first.csv"
    first.write_text(
        "target,observed_at,likes\ninwi,2016-02-27T10:00:00Z,101\ninwi,2016-02-27T12:00:00Z,103\n",
        encoding="utf-8",
    )
    import_csv(store, campaign, first, clock.now())
    second = tmp_path / "second.csv"
    second.write_text(
        "target,observed_at,likes\n"
        + "".join(f"inwi,2016-02-27T{hour:02}:00:00Z,{91 + hour}\n" for hour in range(9, 15)),
        encoding="utf-8",
    )
    result = import_csv(store, campaign, second, clock.now())
    assert (result.added, result.already_present) == (4, 2)
    likes = store.page_counts(campaign.id, "inwi").likes
    assert likes.tolist() == [100, 101, 102, 103, 104, 105]
    again = import_csv(store, campaign, second, clock.now())
    assert (again.added, again.already_present) == (0, 6)


@pytest.mark.parametrize(
    ("likes", "stored"),
    [("0000000000000005", 5), ("٣٠٠", 300), ("۱۲", 12), ("1000000000000", 10**12)],
)
def test_counts_may_have_leading_zeros_or_arabic_digits(
    tmp_path, store, campaign, clock, likes, stored
):
    source = tmp_path / "in.csv"
    source.write_text(
        f"target,observed_at,likes\ninwi,2016-02-27T09:00:00Z,{likes}\n", encoding="utf-8"
    )
    import_csv(store, campaign, source, clock.now())
    assert store.page_counts(campaign.id, "inwi").likes.tolist() == [stored]


@pytest.mark.parametrize("likes", ["５", "१२", "1" * 31])
def test_other_digits_and_endless_numbers_are_refused(tmp_path, store, campaign, clock, likes):
    source = tmp_path / "in.csv"
    source.write_text(
        f"target,observed_at,likes\ninwi,2016-02-27T09:00:00Z,{likes}\n", encoding="utf-8"
    )
    with pytest.raises(CsvError):
        import_csv(store, campaign, source, clock.now())


def test_the_first_line_at_fault_is_named_and_a_follower_count_said_as_such(
    tmp_path, store, campaign, clock
):
    first = tmp_path / "first.csv"
    first.write_text(
        "target,observed_at,likes,followers\ninwi,2016-02-27T09:00:00Z,,1900000\n",
        encoding="utf-8",
    )
    import_csv(store, campaign, first, clock.now())
    second = tmp_path / "second.csv"
    second.write_text(
        "target,observed_at,likes,followers\n"
        "inwi,2016-02-27T09:00:00Z,,1900001\n"  # line 2: differs from the stored count
        "meditel,2016-02-27T10:00:00Z,5,\n"
        "meditel,2016-02-27T10:00:00Z,6,\n",  # line 4: differs from line 3
        encoding="utf-8",
    )
    with pytest.raises(CsvError) as caught:
        import_csv(store, campaign, second, clock.now())
    assert caught.value.line == 2
    assert "1,900,000 followers" in str(caught.value) and "None" not in str(caught.value)
    repeat = tmp_path / "repeat.csv"
    repeat.write_text(
        "target,observed_at,likes\n"
        "meditel,2016-02-27T10:00:00Z,5\n"
        "meditel,2016-02-27T10:00:00Z,6\n",
        encoding="utf-8",
    )
    with pytest.raises(CsvError) as caught:
        import_csv(store, campaign, repeat, clock.now())
    assert caught.value.line == 3 and "line 2 gives a different count" in str(caught.value)


def _usual_rows(target: str, count: int, hour: int) -> str:
    """``count`` rows of the usual kind, one a second from ``hour`` o'clock on 2016-02-27."""
    return "".join(
        f"{target},2016-02-27T{hour:02}:{i // 60 % 60:02}:{i % 60:02}Z,{1000 + i}\n"
        for i in range(count)
    )


@pytest.mark.parametrize(
    ("row", "column", "problem"),
    [
        ("inwi,2016-02-27T09:00:00,5", "observed_at", "no UTC offset"),
        ("inwi,2099-02-27T09:00:00Z,5", "observed_at", "outside the times"),
        ("orange,2016-02-27T09:00:00Z,5", "target", "not one of the campaign's pages"),
        ("inwi,2016-02-27T09:00:00Z,12.5", "likes", "not a whole number"),
        ("inwi,2016-02-27T09:00:00Z,1,2,3", "", "at most 4"),
        ('inwi,"2016-02-27T09:00:00Z,5', "", "quotation mark"),
        ("inwi," + "x" * 5000, "", "longer than"),
    ],
)
def test_a_bad_row_after_thousands_of_good_ones_is_named_by_its_line(
    tmp_path, store, campaign, row, column, problem
):
    """Long files are read in blocks checked column by column: a row at fault deep in one is
    named exactly as on the first lines, and nothing of the file is kept."""
    text = (
        "target,observed_at,likes,followers\n"
        + _usual_rows("meditel", 2_345, 9)
        + row
        + "\n"
        + _usual_rows("maroc-telecom", 1_000, 9)
    )
    with pytest.raises(CsvError) as caught:
        import_csv(store, campaign, _csv(tmp_path, text), NOW)
    assert (caught.value.line, caught.value.column) == (2_347, column)
    assert problem in str(caught.value)
    assert count_observations(store, campaign.id) == 0


def test_unusual_rows_among_thousands_are_read_as_on_their_own(tmp_path, store, campaign):
    """A blank line, spaces, Arabic digits, a follower count alone, a fraction of a second and a
    count given twice, deep in a long file, are read as they are in a short one."""
    text = (
        "target,observed_at,likes,followers\n"
        + _usual_rows("meditel", 1_500, 9)
        + "\n"
        + " inwi , 2016-02-27T09:00:00Z , ٣٠٠ ,\n"
        + "inwi,2016-02-27T10:00:30.5+01:00,,1900000\n"
        + _usual_rows("maroc-telecom", 1_200, 9)
        + "meditel,2016-02-27T09:00:07Z,1007,\n"
    )
    result = import_csv(store, campaign, _csv(tmp_path, text), NOW)
    assert (result.added, result.already_present) == (2_702, 1)
    stored = {(o.target, o.observed_at): o for o in store.observations(campaign.id)}
    assert stored["inwi", datetime(2016, 2, 27, 9, tzinfo=UTC)].likes == 300
    follower_only = stored["inwi", datetime(2016, 2, 27, 9, 0, 30, tzinfo=UTC)]
    assert (follower_only.likes, follower_only.followers) == (None, 1_900_000)
    assert stored["maroc-telecom", datetime(2016, 2, 27, 9, 19, 59, tzinfo=UTC)].likes == 2_199
