"""The window keeps the campaign's live data up to date: a feed published on 127.0.0.1 is
synced by the running app, the graph gets the counts without losing the user's zoom, the header
says when; a host that fails is said in the user's language and tried again later, with back-off;
quitting never waits for a download."""

from __future__ import annotations

import random
import threading
from datetime import timedelta

import pytest

from campaign_gui.core.clock import FixedClock
from campaign_gui.core.settings import Settings
from campaign_gui.ui.sync_service import SyncService
from campaign_gui.ui.workspace_service import WorkspaceService

from .feed_host import DAY1, DAY2, NOW, FeedHost, counts, do_publish


@pytest.fixture
def feed(tmp_path, signers):
    folder = tmp_path / "feed"
    folder.mkdir()
    host = FeedHost(folder)
    do_publish(folder, signers, counts(DAY1) + counts(DAY2), [host.url])
    yield host
    host.close()


@pytest.fixture
def make(qtbot, paths):
    made = []

    def make_sync(campaign_file, settings=None):
        clock = FixedClock(NOW)
        service = WorkspaceService(paths, campaign_file, clock=clock)
        sync = SyncService(service, settings or Settings(), clock=clock, rng=random.Random(1))
        made.append((service, sync))
        return service, sync

    yield make_sync
    for service, sync in made:
        sync.close()
        service.close()


def test_a_published_feed_is_synced_and_shown(qtbot, make, feed):
    service, sync = make(feed.root / "campaign.json")
    with (
        qtbot.waitSignal(service.loaded, timeout=20000) as loaded,
        qtbot.waitSignal(sync.synced, timeout=20000) as synced,
    ):
        sync.start()
    assert synced.args[0].counts == 18
    series = loaded.args[0].series
    assert len(series["maroc-telecom"]) > 3  # the reports and the tracked counts
    assert sync.status.startswith("Live data updated:")
    assert sync.next_in is not None and sync.next_in > timedelta(minutes=14)


def test_a_failing_host_is_said_and_tried_again_later(qtbot, make, feed):
    feed.behaviour.status = 503
    _service, sync = make(feed.root / "campaign.json")
    said = []
    sync.status_changed.connect(said.append)
    sync.start()
    qtbot.waitUntil(lambda: sync.failures == 1, timeout=20000)
    assert said[0] == "Updating the live data…"  # what it is doing, then the outcome
    assert "could not be downloaded" in said[-1] == sync.status
    first = sync.next_in
    assert timedelta(seconds=25) < first <= timedelta(minutes=1)
    sync.sync_now()
    qtbot.waitUntil(lambda: sync.failures == 2, timeout=20000)
    assert sync.next_in > timedelta(seconds=55)  # about two minutes now


def test_a_campaign_without_a_feed_says_nothing(qtbot, make):
    service, sync = make(None)
    with qtbot.waitSignal(service.loaded, timeout=20000):
        service.load()
    sync.start()
    # Once the plan is back (no feed), nothing was said and nothing is planned: a sync tried
    # would have said "Updating the live data…".
    qtbot.waitUntil(lambda: not sync._busy, timeout=20000)
    assert sync.status == "" and sync.next_in is None


def test_quitting_never_waits_for_a_download(qtbot, make, feed):
    feed.behaviour.delay = 5.0
    _service, sync = make(feed.root / "campaign.json")
    sync.start()
    qtbot.waitUntil(
        lambda: any(t.name == "feed-download" for t in threading.enumerate()), timeout=10000
    )
    download = next(t for t in threading.enumerate() if t.name == "feed-download")
    assert download.daemon
    sync.close()  # returns at once: the download is left to finish on its own, then ignored
    assert download.is_alive()


def _companion(qtbot, paths, feed):
    """The app on the feed's campaign file, as it starts (its window shown to qtbot)."""
    from campaign_gui.core.settings import load_settings
    from campaign_gui.ui.app_wiring import build_app

    companion = build_app(
        paths,
        feed.root / "campaign.json",
        language="en",
        clock=FixedClock(NOW),
        settings=load_settings(paths.config_dir),
    )
    qtbot.addWidget(companion.window)
    return companion, companion.window


def test_the_window_says_when_the_data_was_updated(qtbot, paths, clock, feed, tmp_path):
    companion, window = _companion(qtbot, paths, feed)
    qtbot.waitUntil(lambda: companion.sync is not None, timeout=20000)
    with qtbot.waitSignal(companion.sync.synced, timeout=20000):
        pass
    qtbot.waitUntil(lambda: window.live_status.isVisible(), timeout=5000)
    assert window.live_status.text().startswith("Live data updated:")
    zoom = window.plot.plot.getViewBox().viewRange()
    with qtbot.waitSignal(window.service.loaded, timeout=20000):
        companion.sync.sync_now()  # nothing new: the graph is not reloaded, the zoom stays
        window.service.load()
    assert window.plot.plot.getViewBox().viewRange() == zoom
    companion.sync.close()
    window.service.close()


def test_at_start_the_window_says_when_the_stored_data_was_updated(qtbot, make, feed):
    """Before the first sync of the session ends (or when it fails), the header still says
    how fresh what the store holds is."""
    service, sync = make(feed.root / "campaign.json")
    with qtbot.waitSignal(sync.synced, timeout=20000):
        sync.start()
    with qtbot.waitSignal(service.loaded, timeout=20000) as loaded:
        service.load()
    assert loaded.args[0].feed_updated == NOW
    feed.behaviour.status = 503
    _service2, again = make(feed.root / "campaign.json")
    with qtbot.waitSignal(again.status_changed, timeout=5000) as said:
        again.start(loaded.args[0].feed_updated)
    assert said.args[0].startswith("Live data updated:")


def test_live_data_updates_from_the_menus_at_once_and_the_choice_is_kept(
    qtbot, paths, feed, tmp_path
):
    """Settings → Update the live data automatically, off: nothing is fetched at start; File →
    Update the live data now fetches once; turned on, it syncs and plans the next; turned off,
    nothing more is planned. The choice is saved."""
    from campaign_gui.core.settings import load_settings
    from campaign_gui.ui.app_wiring import build_app

    settings = load_settings(paths.config_dir)
    settings.feed_sync = False
    companion = build_app(
        paths, feed.root / "campaign.json", language="en", clock=FixedClock(NOW), settings=settings
    )
    window = companion.window
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.sync_now_action.isEnabled(), timeout=20000)
    assert window.file_menu.actions().count(window.sync_now_action) == 1
    assert not window.live_sync_action.isChecked()
    qtbot.wait(300)
    assert feed.requests == [] and companion.sync.next_in is None

    with qtbot.waitSignal(companion.sync.synced, timeout=20000):
        window.sync_now_action.trigger()
    assert window.live_status.text().startswith("Live data updated:")
    assert companion.sync.next_in is None  # once, as asked

    with qtbot.waitSignal(companion.sync.synced, timeout=20000):
        window.live_sync_action.trigger()
    assert companion.sync.next_in > timedelta(minutes=14)
    assert load_settings(paths.config_dir).feed_sync is True

    window.live_sync_action.trigger()
    assert companion.sync.next_in is None
    assert load_settings(paths.config_dir).feed_sync is False
    companion.sync.close()
    window.service.close()


def test_a_campaign_without_live_data_offers_no_update(qtbot, paths):
    from campaign_gui.core.settings import load_settings
    from campaign_gui.ui.app_wiring import build_app

    companion = build_app(
        paths, None, language="en", clock=FixedClock(NOW), settings=load_settings(paths.config_dir)
    )
    window = companion.window
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: companion.snapshot is not None, timeout=20000)
    assert not window.sync_now_action.isEnabled()
    assert not window.live_sync_action.isEnabled()
    companion.sync.close()
    window.service.close()


def test_f5_abandons_a_host_that_hangs_and_updates_at_once(qtbot, paths, feed):
    """A host that sends one byte at a time keeps a sync busy for up to its deadline; File →
    Update the live data now (F5) leaves it and starts again, and says what it is doing."""
    feed.behaviour.dribble = 1.0
    companion, window = _companion(qtbot, paths, feed)
    qtbot.waitUntil(lambda: bool(feed.requests), timeout=20000)  # the first sync, stalled
    qtbot.waitUntil(lambda: window.live_status.text() == "Updating the live data…", timeout=5000)
    stalled = len(feed.requests)
    feed.behaviour.dribble = 0.0  # the host is well again
    with qtbot.waitSignal(companion.sync.synced, timeout=20000) as synced:
        window.sync_now_action.trigger()
    assert synced.args[0].counts == 18
    assert len(feed.requests) > stalled
    assert window.live_status.text().startswith("Live data updated:")
    companion.sync.close()
    window.service.close()


def test_a_sync_that_adds_counts_gives_the_graph_only_them_and_keeps_the_zoom(
    qtbot, paths, signers, tmp_path
):
    from campaign_gui.core.workspace import Workspace
    from campaign_gui.ui.loss_plot import LossPlot

    folder = tmp_path / "feed"
    folder.mkdir()
    feed = FeedHost(folder)
    do_publish(folder, signers, counts(DAY1), [feed.url])
    companion, window = _companion(qtbot, paths, feed)
    try:
        qtbot.waitUntil(lambda: companion.sync is not None, timeout=20000)
        # The first sync's counts shown (the graph built afresh: they are the page's first). They
        # begin long after the start: the change since the first of them, beside the press's
        # figures on a line of its own.
        line = "inwi:likes:since"
        qtbot.waitUntil(
            lambda: window.snapshot is not None and line in window.snapshot.series,
            timeout=20000,
        )
        before = window.plot.curves[line]
        shown = len(before.xData)  # every point it has, seen or not
        view = window.plot.plot.getViewBox()
        view.setXRange(*(t.timestamp() for t in (DAY1, DAY2 + timedelta(days=1))), padding=0)
        zoom = view.viewRange()
        do_publish(folder, signers, counts(DAY1) + counts(DAY2), [feed.url])
        with qtbot.waitSignal(window.service.loaded, timeout=20000) as loaded:
            companion.sync.sync_now()
        assert loaded.args[0].counts_only
        assert window.plot.curves[line] is before  # the same line, with the new points
        assert len(before.xData) > shown
        assert view.viewRange() == zoom
        # what a graph drawn afresh from the store shows
        workspace = Workspace.open(paths, feed.root / "campaign.json", clock=FixedClock(NOW))
        fresh = LossPlot()
        qtbot.addWidget(fresh)
        fresh.set_series(workspace.campaign, workspace.loss_series())
        workspace.close()
        for target, curve in fresh.curves.items():
            assert window.plot.curves[target].xData.tolist() == curve.xData.tolist()
            assert window.plot.curves[target].yData.tolist() == curve.yData.tolist()
    finally:
        companion.sync.close()
        window.service.close()
        feed.close()
