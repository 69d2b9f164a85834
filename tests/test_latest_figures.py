"""``status`` reads a few counts a page (``Store.page_count_ends``), not every series: its figures
must be exactly those of the whole series, however awkward the stored counts are, whatever the
campaign counts (likes, followers, or unsaid)."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest

from campaign_gui.core import limits
from campaign_gui.core.like_loss import build_series
from campaign_gui.core.workspace import Workspace

from .probes import rebuild_count_shapes

HOUR = 3600


def _latest(campaign, counts):
    """Each page's latest figure, with the campaign's reported figures and without them (they
    are often later than any count, and would hide a count's figure)."""
    return [
        {
            key: (line.measure, line.baseline, line.since, line.latest())
            for key, line in build_series(replace(campaign, measure=m), reports, counts).items()
        }
        for reports in (campaign.reports, ())
        for m in ("likes", "followers", None)
    ]


def _awkward_rows(rng: np.random.Generator, key: str, target: str, moments: list[int]) -> list:
    """Counts at a few shared moments (so keys tie), some followers-only, some out of range."""
    rows = []
    for at in rng.choice(moments, size=int(rng.integers(0, 8)), replace=False):
        kind = rng.integers(0, 6)
        likes = None if kind == 0 else int(rng.integers(0, 5000))
        followers = int(rng.integers(0, 5000)) if kind in (0, 1) else None
        if kind == 2:
            likes = limits.MAX_COUNT + 1  # stored by an older version: every reader skips it
        rows.append((key, target, int(at), likes, followers))
    return rows


@pytest.mark.parametrize("shapes_kept", [True, False], ids=["shapes-kept", "rows-by-hand"])
def test_latest_figures_from_the_ends_are_those_of_the_whole_series(store, campaign, shapes_kept):
    """``shapes-kept``: the page's shapes as the store keeps them; ``rows-by-hand``: rows written
    without the store (its shapes know nothing of them), read from the readings instead."""
    since = math.floor(campaign.start_instant().timestamp())
    noon = [
        int(campaign.local_noon(r.start + (r.end - r.start) / 2).timestamp())
        for r in campaign.reports
    ]
    # Before the start, at it, after it, at a reported figure's moment, and far later.
    moments = sorted({since + d * HOUR for d in range(-30, 60, 6)} | {since - 1, *noon[:3]})
    rng = np.random.default_rng(16)
    for case in range(150):
        keys = (f"feed-{case}", f"own-{case}")[: 1 + case % 2]
        rows = [
            row
            for key in keys
            for target in campaign.targets
            for row in _awkward_rows(rng, key, target.id, moments)
        ]
        with store.transaction() as db:
            db.executemany("INSERT OR IGNORE INTO observations VALUES (?, ?, ?, ?, ?)", rows)
        if shapes_kept:
            rebuild_count_shapes(store)
        full, ends = {}, {}
        for target in campaign.targets:
            full[target.id] = store.page_counts(keys, target.id)
            ends[target.id] = store.page_count_ends(keys, target.id, since)
            assert len(ends[target.id].times) <= 8 * len(keys)
        got, want = _latest(campaign, ends), _latest(campaign, full)
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            for key in sorted(set(g) | set(w)):
                assert g.get(key) == w.get(key), (case, i, key, rows)


def test_a_tie_between_keys_takes_the_first_keys_count(store, campaign):
    since = math.floor(campaign.start_instant().timestamp())
    later = since + 48 * HOUR
    with store.transaction() as db:
        db.executemany(
            "INSERT INTO observations VALUES (?, 'inwi', ?, ?, NULL)",
            [("feed", since, 1000), ("own", since, 900), ("feed", later, 800), ("own", later, 1)],
        )
        db.execute("INSERT INTO observations VALUES ('own', 'inwi', ?, NULL, 5)", (later + 1,))
    ends = store.page_count_ends(("feed", "own"), "inwi", since)
    assert ends.times.tolist() == [since, later, later + 1]
    assert ends.likes.tolist() == [1000, 800, -1]
    assert ends.followers.tolist() == [-1, -1, 5]
    ends = store.page_count_ends(("own", "feed"), "inwi", since)
    assert ends.likes.tolist() == [900, 1, -1]


def test_status_series_agree_with_the_window_series(paths, clock, campaign):
    workspace = Workspace.open(paths, clock=clock)
    try:
        start = campaign.start_instant()
        workspace.store.ingest_rows(
            campaign.id,
            [
                (
                    "inwi",
                    int((start + timedelta(hours=h)).timestamp()),
                    10_000 - 7 * h,
                    None,
                    h + 10,
                )
                for h in range(-5, 500)
            ],
        )
        full = {t: s.latest() for t, s in workspace.loss_series().items()}
        assert full["inwi"][1] == pytest.approx(7 * 499)
        assert {t: s.latest() for t, s in workspace.latest_series().items()} == full
    finally:
        workspace.close()


def _steps(store, keys, target, since) -> int:
    """SQLite's virtual machine steps (in thousands) that ``page_count_ends`` takes."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    store._db.set_progress_handler(count, 1000)
    try:
        store.page_count_ends(keys, target, since)
    finally:
        store._db.set_progress_handler(None, 0)
    return steps


def test_a_figure_no_reading_carries_is_not_looked_for_among_a_years_readings(store, campaign):
    """A page as Facebook counts it today gives followers only: the lookups for its likes (and
    for the readings that lack followers) must not walk its whole history. The work of reading
    its latest figures is the same for 1,000 readings as for 100,000 (work counted in SQLite's
    steps, not timed)."""
    since = math.floor(campaign.start_instant().timestamp())
    work = {}
    for n in (1_000, 100_000):
        rows = [("inwi", since - 3600 + 60 * i, None, 2_000_000 - i, i + 1) for i in range(n)]
        key = f"followers-{n}"
        store.ingest_rows(key, rows)
        work[n] = _steps(store, (key,), "inwi", since)
        ends = store.page_count_ends((key,), "inwi", since)
        assert ends.times.tolist() == [since - 3600, since, since - 3600 + 60 * (n - 1)]
        assert set(ends.likes.tolist()) == {-1}
    assert work[100_000] <= work[1_000] + 5, work


def test_the_shapes_the_doors_keep_hold_every_reading(store, campaign):
    """Counts written through the store's doors, in batches of one shape (noted from the
    columns) and of mixed shapes (read back): the ends they bound give the whole series'
    figures, and every reading lies within its shape's bounds."""
    since = math.floor(campaign.start_instant().timestamp())
    rng = np.random.default_rng(17)
    for case in range(40):
        key = f"door-{case}"
        moments = sorted(set(int(m) for m in since + rng.integers(-50, 400, 30) * HOUR))
        uniform = case % 2 == 0
        rows = []
        for n, at in enumerate(moments, 1):
            for target in campaign.targets:
                kind = 1 if uniform else int(rng.integers(0, 3))
                likes = None if kind == 0 else 5000 - n
                followers = None if kind == 1 else 7000 - n
                rows.append((target.id, at, likes, followers, n))
        store.ingest_rows(key, rows)
        full = {t.id: store.page_counts((key,), t.id) for t in campaign.targets}
        ends = {t.id: store.page_count_ends((key,), t.id, since) for t in campaign.targets}
        assert _latest(campaign, ends) == _latest(campaign, full), case
        kept = store._db.execute(
            "SELECT target, shape, first_at, last_at FROM count_shapes WHERE campaign = ?", (key,)
        ).fetchall()
        bounds = {(target, shape): (first, last) for target, shape, first, last in kept}
        for target, at, likes, followers, _n in rows:
            first, last = bounds[(target, (likes is not None) + 2 * (followers is not None))]
            assert first <= at <= last


def test_counts_an_older_copy_wrote_without_shapes_are_found(store, campaign):
    """A copy of the previous version, still running while this one moved the store on, writes
    counts (moving the change number) without their shapes: they are read from the readings
    until this version's next write builds the shapes again."""
    since = math.floor(campaign.start_instant().timestamp())
    store.ingest_rows("c", [("inwi", since - 2 * HOUR, 5100, None, 1)])
    store.ingest_rows("c", [("inwi", since + HOUR, 5000, None, 1)])
    with store.transaction() as db:  # what the older version's write does (inside the bounds)
        db.execute("UPDATE store_identity SET seq = seq + 1")
        db.execute("INSERT INTO observations VALUES ('c', 'inwi', ?, NULL, 700)", (since - HOUR,))
    ends = store.page_count_ends(("c",), "inwi", since)
    assert since - HOUR in ends.times.tolist()  # its followers are found
    store.ingest_rows("c", [("inwi", since + 2 * HOUR, 4900, None, 1)])  # this version writes
    kept = store._db.execute("SELECT shape FROM count_shapes WHERE campaign = 'c'").fetchall()
    assert sorted(kept) == [(1,), (2,)]
    seq, trusted = store._db.execute("SELECT seq, shapes_seq FROM store_identity").fetchone()
    assert seq == trusted


def test_a_row_no_reader_reads_is_no_shape_and_breaks_nothing(store, campaign):
    """A stored row with a moment that is not a number (a hand edit, another tool): every
    reader skips it, and so do the shapes and the ends."""
    since = math.floor(campaign.start_instant().timestamp())
    store.ingest_rows("c", [("inwi", since + HOUR, None, 900, 1)])
    with store.transaction() as db:
        db.execute("INSERT INTO observations VALUES ('c', 'inwi', '2016-03-01 10:00', NULL, 800)")
    rebuild_count_shapes(store)
    ends = store.page_count_ends(("c",), "inwi", since)
    assert ends.times.tolist() == [since + HOUR]


def test_two_keys_holding_the_same_moments_cost_a_few_lookups(store, campaign):
    """An organiser's own counts and their feed's hold the same moments: the earlier key's hide
    the later's, and finding the ends still takes a few lookups, not a walk (SQLite's steps)."""
    since = math.floor(campaign.start_instant().timestamp())
    work = {}
    for n in (1_000, 50_000):
        keys = (f"feed-{n}", f"own-{n}")
        rows = [("inwi", since - 3600 + 60 * i, 5_000_000 - i, None, i + 1) for i in range(n)]
        for key in keys:
            store.ingest_rows(key, rows)
        work[n] = _steps(store, keys, "inwi", since)
        ends = store.page_count_ends(keys, "inwi", since)
        assert ends.times.tolist() == [since - 3600, since, since - 3600 + 60 * (n - 1)]
    assert work[50_000] <= work[1_000] + 5, work
