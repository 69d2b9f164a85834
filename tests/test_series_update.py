"""Counts that arrive (a sync, the tracker) are spliced into the series shown, reading only their
span from the store: the result must be exactly the series built again from every count."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from campaign_gui.core import limits
from campaign_gui.core.campaign import FeedSource
from campaign_gui.core.store import Store
from campaign_gui.core.workspace import Workspace

from .probes import rebuild_count_shapes

HOUR = 3600


def _same(got: dict, want: dict) -> None:
    assert got.keys() == want.keys()
    for target, line in want.items():
        assert got[target].times.tolist() == line.times.tolist(), target
        assert got[target].losses.tolist() == line.losses.tolist(), target
        assert got[target].info == line.info, target
        assert got[target].baseline == line.baseline, target
        assert (got[target].measure, got[target].since) == (line.measure, line.since), target


def _rows(rng, keys, targets, moments, count):
    """Counts under both keys at shared moments: ties, followers-only rows, out-of-range ones,
    and corrections of counts already stored."""
    rows = []
    for _ in range(count):
        likes = int(rng.integers(0, 5000))
        followers = None
        kind = rng.integers(0, 8)
        if kind in (0, 2):  # followers only: a page as Facebook counts it today
            likes, followers = None, int(rng.integers(0, 5000))
        elif kind == 1:
            likes = limits.MAX_COUNT + 1
        elif kind == 3:  # both
            followers = int(rng.integers(0, 5000))
        rows.append(
            (
                str(rng.choice(keys)),
                str(rng.choice(targets)),
                int(rng.choice(moments)),
                likes,
                followers,
            )
        )
    return rows


@pytest.mark.parametrize("measure", ["likes", "followers", None])
@pytest.mark.parametrize("reported", [True, False], ids=["reports", "no-reports"])
def test_spliced_series_are_the_series_built_again(tmp_path, campaign, measure, reported):
    """Whatever the campaign counts (or leaves unsaid), with or without press figures."""
    campaign = replace(campaign, measure=measure, reports=campaign.reports if reported else ())
    store = Store.open(tmp_path / "data")
    workspace = Workspace(campaign, store, FeedSource((), b'{"signed": "a root"}'))
    keys = workspace.shown_keys
    assert len(keys) == 2  # the feed's and the user's own
    since = math.floor(campaign.start_instant().timestamp())
    noon = [  # where reported figures are: a count there ties with one
        int(campaign.local_noon(r.start + (r.end - r.start) / 2).timestamp())
        for r in campaign.reports
    ]
    targets = [t.id for t in campaign.targets]
    rng = np.random.default_rng(16)
    spliced = rebuilt = 0
    try:
        for case in range(60):
            with store.transaction() as db:
                db.execute("DELETE FROM observations")
            # Counts up to a moment, then some after it (and, now and then, before it).
            moments = sorted({since + d * HOUR for d in range(-20, 400, 3)} | set(noon))
            cut = int(rng.integers(5, len(moments) - 5))
            with store.transaction() as db:
                db.executemany(
                    "INSERT OR REPLACE INTO observations VALUES (?, ?, ?, ?, ?)",
                    _rows(rng, keys, targets, moments[:cut], 60),
                )
            rebuild_count_shapes(store)  # rows written past the store's doors
            shown = workspace.loss_series()
            # Mostly after the last counts; every fourth time, at the start or before it.
            later = moments[cut - 3 :] if case % 4 else [m for m in moments if m <= since]
            arrived = _rows(rng, keys, targets, later, int(rng.integers(1, 12)))
            with store.transaction() as db:
                db.executemany(
                    "INSERT OR REPLACE INTO observations VALUES (?, ?, ?, ?, ?)", arrived
                )
            rebuild_count_shapes(store)
            spans: dict[str, tuple[int, int]] = {}
            for _key, target, at, _likes, _followers in arrived:
                low, high = spans.get(target, (at, at))
                spans[target] = (min(low, at), max(high, at))
            updated = workspace.updated_series(shown, spans)
            built = workspace.loss_series()
            if updated is None:
                rebuilt += 1
                assert built.keys() != shown.keys() or any(
                    (built[k].baseline, built[k].since) != (shown[k].baseline, shown[k].since)
                    for k in built
                ), case
            else:
                spliced += 1
                _same(updated, built)
    finally:
        store.close()
    assert spliced > 30 and rebuilt > 5, (spliced, rebuilt)  # both ways were taken


def test_a_sync_says_where_its_counts_are_and_the_series_take_them(
    tmp_path, host, signers, participant
):
    from .feed_host import DAY1, DAY2, NOW, counts, do_publish, fetch

    do_publish(host.root, signers, counts(DAY1), [host.url])
    workspace = participant()
    workspace.apply_feed(fetch(host.root, tmp_path / "cache", [host.url]), NOW)
    shown = workspace.loss_series()
    do_publish(host.root, signers, counts(DAY1) + counts(DAY2), [host.url])
    update = fetch(
        host.root, tmp_path / "cache", [host.url], workspace.store.merged_chunks(workspace.feed_key)
    )
    merge = workspace.apply_feed(update, NOW)
    moments = [int(o.observed_at.timestamp()) for o in counts(DAY2)]
    window = (min(moments), max(moments))  # when the new counts are, for every page alike
    assert merge.spans == {t.id: window for t in workspace.campaign.targets}
    updated = workspace.updated_series(shown, merge.spans)
    assert updated is not None
    _same(updated, workspace.loss_series())


def test_the_trackers_counts_reach_the_window_as_new_points(qtbot, paths, clock, campaign):
    from datetime import timedelta

    from campaign_gui.core.store import Observation
    from campaign_gui.ui.workspace_service import WorkspaceService

    service = WorkspaceService(paths, None, clock=clock)
    start = campaign.start_instant()

    def tick(hours: int) -> list[Observation]:
        at = start + timedelta(hours=hours)
        return [Observation(t.id, at, 1_000_000 - hours, None) for t in campaign.targets]

    try:
        with qtbot.waitSignal(service.loaded, timeout=20000):
            service.load()
        for hours, only_them in ((1, False), (2, True), (3, True)):  # the first: a baseline
            with qtbot.waitSignal(service.loaded, timeout=20000) as loaded:
                service.add_counts(tick(hours), lambda _result: None, pytest.fail)
            assert loaded.args[0].counts_only is only_them
        workspace = Workspace.open(paths, clock=clock)
        try:
            _same(loaded.args[0].series, workspace.loss_series())
        finally:
            workspace.close()
        # No count before the start: each hour's change from the first hour's count, on a line
        # of its own beside the press's figures
        line = loaded.args[0].series["inwi:likes:since"]
        assert line.losses[:3].tolist() == [0, 1, 2] and line.baseline == 1_000_000 - 1
    finally:
        service.close()
