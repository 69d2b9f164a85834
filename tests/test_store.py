from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from campaign_gui.core.store import (
    MIGRATIONS,
    STORE_FILE,
    ConflictingObservationError,
    Observation,
    Store,
    StoreError,
    to_epoch,
)

from .probes import count_observations

T0 = datetime(2016, 2, 27, 9, 0, tzinfo=UTC)


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_schema WHERE type='table'")}


def test_a_new_store_is_created_at_the_latest_schema_in_wal_mode(tmp_path: Path):
    store = Store.open(tmp_path)
    try:
        assert store.schema_version == len(MIGRATIONS)
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        store.close()
    assert {"observations", "reports", "page_marks"} <= _tables(tmp_path / STORE_FILE)


def test_migrations_run_forward_from_an_older_version_and_only_once(tmp_path: Path):
    first = (MIGRATIONS[0],)
    Store.open(tmp_path, migrations=first).close()
    later = (*first, "CREATE TABLE extra (x INTEGER);")
    store = Store.open(tmp_path, migrations=later)
    assert store.schema_version == 2
    store.close()
    store = Store.open(tmp_path, migrations=later)  # nothing left to run: no "table exists" error
    assert store.schema_version == 2
    store.close()
    assert "extra" in _tables(tmp_path / STORE_FILE)


def test_a_failing_migration_changes_nothing(tmp_path: Path):
    Store.open(tmp_path).close()
    broken = (*MIGRATIONS, "CREATE TABLE half (x INTEGER);\nTHIS IS NOT SQL;")
    with pytest.raises(StoreError, match="left as it was"):
        Store.open(tmp_path, migrations=broken)
    assert "half" not in _tables(tmp_path / STORE_FILE)
    store = Store.open(tmp_path)
    assert store.schema_version == len(MIGRATIONS)
    store.close()


def test_a_store_from_a_newer_app_is_refused_and_left_alone(tmp_path: Path):
    Store.open(tmp_path).close()
    with sqlite3.connect(tmp_path / STORE_FILE) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer version"):
        Store.open(tmp_path)
    with sqlite3.connect(tmp_path / STORE_FILE) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 99


def test_a_file_that_is_not_a_database_is_kept_aside_and_a_fresh_store_started(tmp_path: Path):
    garbage = b"this is not a database, but it is the user's file" * 100
    (tmp_path / STORE_FILE).write_bytes(garbage)
    moment = datetime(2026, 11, 28, 10, 30, 0, tzinfo=UTC)
    store = Store.open(tmp_path, now=lambda: moment)
    try:
        assert store.moved_aside == tmp_path / f"{STORE_FILE}.broken-20261128T103000Z"
        assert store.moved_aside.read_bytes() == garbage
        store.add_observations("c", [Observation("a", T0, 10)])
        assert count_observations(store, "c") == 1
    finally:
        store.close()


def test_a_write_batch_is_all_or_nothing(tmp_path: Path):
    store = Store.open(tmp_path)

    def batch():
        yield Observation("a", T0, 100)
        yield Observation("a", T0.replace(hour=10), 90)
        raise RuntimeError("the disk is on fire")

    with pytest.raises(RuntimeError):
        store.add_observations("c", batch())
    assert count_observations(store, "c") == 0
    store.close()


def test_the_same_observation_twice_is_stored_once_and_a_different_one_is_a_conflict(tmp_path):
    store = Store.open(tmp_path)
    first = store.add_observations("c", [Observation("a", T0, 100, 150)])
    again = store.add_observations("c", [Observation("a", T0, 100, 150)])
    assert (first.added, first.already_present) == (1, 0)
    assert (again.added, again.already_present) == (0, 1)
    with pytest.raises(ConflictingObservationError) as caught:
        store.add_observations("c", [Observation("b", T0, 1), Observation("a", T0, 99, 150)])
    assert caught.value.stored.likes == 100
    assert count_observations(store, "c") == 1
    store.close()


@pytest.mark.parametrize("n", [1, 2, 511, 512, 513, 1300])
@pytest.mark.parametrize("shape", ["likes", "followers", "both", "mixed"])
@pytest.mark.parametrize("turns", [False, True])
def test_counts_are_stored_as_given_whatever_the_batch_size_figures_and_order(
    tmp_path: Path, n: int, shape: str, turns: bool
):
    def figures(i: int) -> tuple[int | None, int | None]:
        likes, followers = 1000 + i, 50 + i
        if shape == "likes" or (shape == "mixed" and i % 3 == 0):
            return likes, None
        if shape == "followers" or (shape == "mixed" and i % 3 == 1):
            return None, followers
        return likes, followers

    rows = [(target, to_epoch(T0) + 60 * i, *figures(i)) for target in ("b", "a") for i in range(n)]
    if turns:  # each page's counts in turn, not each page's in a row
        rows.sort(key=lambda r: r[1])
    rows = [(*r, line) for line, r in enumerate(rows, 1)]
    store = Store.open(tmp_path)
    assert store.ingest_rows("c", rows).added == 2 * n
    with sqlite3.connect(store.path) as db:
        stored = db.execute(
            "SELECT target, observed_at, likes, followers FROM observations WHERE campaign = 'c'"
        ).fetchall()
    assert stored == sorted(r[:4] for r in rows)
    store.close()


def test_a_conflict_deep_inside_a_large_batch_stores_nothing_of_it(tmp_path: Path):
    store = Store.open(tmp_path)
    store.add_observations("c", [Observation("a", T0.replace(hour=20), 100)])
    rows = [("a", to_epoch(T0) + 60 * i, 200 + i, None, i + 1) for i in range(1500)]
    with pytest.raises(ConflictingObservationError) as caught:
        store.ingest_rows("c", rows)
    assert caught.value.line == 661
    assert count_observations(store, "c") == 1
    store.close()


def test_unliked_marks_persist_across_reopening(tmp_path: Path):
    store = Store.open(tmp_path)
    store.set_unliked("c", "inwi", True, T0)
    store.set_unliked("c", "meditel", True, T0)
    store.set_unliked("c", "meditel", False, T0)
    store.close()
    store = Store.open(tmp_path)
    assert store.unliked_targets("c") == {"inwi"}
    store.close()


def test_merging_the_campaign_again_changes_nothing(tmp_path: Path, campaign):
    store = Store.open(tmp_path)
    assert store.merge_reports(campaign) == len(campaign.reports)
    assert store.merge_reports(campaign) == 0
    assert store.reports(campaign.id) == sorted(campaign.reports, key=lambda r: (r.start, r.id))
    store.close()


def test_like_counts_come_back_as_arrays_in_time_order(tmp_path: Path):
    store = Store.open(tmp_path)
    rows = [Observation("a", T0.replace(hour=h), 1000 - h) for h in (15, 9, 12)]
    store.add_observations("c", rows)
    counts = store.page_counts("c", "a")
    assert list(counts.likes) == [991, 988, 985]
    assert list(counts.followers) == [-1, -1, -1]  # none given
    assert list(counts.times) == sorted(counts.times)
    assert len(store.page_counts("c", "nobody").times) == 0
    store.close()


def test_feed_state_from_before_feed_keys_goes_and_everything_else_stays(tmp_path):
    """Version 4 binds a feed's state to its root keys: what a version 3 store kept of a feed
    could not say which root signed it, so it goes (the next sync brings it again, verified);
    the counts, marks and days stay."""
    from campaign_gui.core.store import MIGRATIONS, UNBOUND

    old = Store.open(tmp_path, migrations=MIGRATIONS[:3])
    from_feed = datetime(2016, 2, 28, 23, 59, tzinfo=UTC)  # on the day a feed's chunk gave
    old.set_unliked("c", "a", True, T0)
    with old.transaction() as db:  # as that version wrote them
        for when, likes in ((T0, 10), (from_feed, 999)):
            db.execute(
                "INSERT INTO observations VALUES ('c', 'a', ?, ?, NULL)", (to_epoch(when), likes)
            )
        db.execute("INSERT INTO campaigns VALUES ('c', x'7b7d', 'feed', 0)")
        db.execute("INSERT INTO feed_chunks VALUES ('c', 'counts/2016-02-28.json', 'ab', 0)")
        db.execute("INSERT INTO feed_status VALUES ('c', 0, 0, 'https://example.org/')")
    old.close()
    store = Store.open(tmp_path)
    try:
        assert store.schema_version == len(MIGRATIONS)
        assert store.stored_campaign("c") is None
        assert store.merged_chunks("c") == {}
        assert store.trusted_feed("c").metadata == {}
        # The feed's day could be a stranger's: set aside, never shown; the rest stays.
        assert [o.likes for o in store.observations("c")] == [10]
        assert [o.likes for o in store.observations("c" + UNBOUND)] == [999]
        assert store.unliked_targets("c") == {"a"}
    finally:
        store.close()


def test_a_version_6_store_written_by_the_app_gains_date_given_and_keeps_its_data(tmp_path: Path):
    """``tests/data/store-v6.sqlite3`` was made by the app at schema 6 (the bundled campaign's
    reports, two imported like counts). Version 7 adds ``reports.date_given``: every report kept
    is dated until the campaign's reports are merged again, which marks Sefroupress's undated."""
    import shutil

    from campaign_gui.core.campaign import load_bundled_campaign

    shutil.copy(Path(__file__).parent / "data" / "store-v6.sqlite3", tmp_path / STORE_FILE)
    with sqlite3.connect(tmp_path / STORE_FILE) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 6
    store = Store.open(tmp_path)
    try:
        assert store.schema_version == len(MIGRATIONS) == 7
        assert count_observations(store, "ma-voip-2016") == 2
        kept = store.reports("ma-voip-2016")
        assert len(kept) == 13 and all(r.date_given for r in kept)
        campaign = load_bundled_campaign()
        assert store.merge_reports(campaign) == 3  # the three undated figures, nothing else
        assert store.merge_reports(campaign) == 0
    finally:
        store.close()
    store = Store.open(tmp_path)
    try:
        undated = {r.id for r in store.reports("ma-voip-2016") if not r.date_given}
        assert undated == {"sefroupress-maroc-telecom", "sefroupress-meditel", "sefroupress-inwi"}
    finally:
        store.close()


def test_a_report_sources_name_per_language_is_stored_and_read_back(tmp_path: Path):
    import dataclasses

    from campaign_gui.core.campaign import Source, load_bundled_campaign

    campaign = load_bundled_campaign()
    named = Source(name="Febrayer.com", names={"ary": "فبراير.كوم", "en": "Febrayer.com"})
    report = dataclasses.replace(campaign.reports[0], sources=(named,))
    store = Store.open(tmp_path)
    try:
        store.merge_reports(dataclasses.replace(campaign, reports=(report,)))
        (read,) = store.reports(campaign.id)
        assert read.sources == (named,)
        assert read.sources[0].display_name("ary") == "فبراير.كوم"
    finally:
        store.close()
