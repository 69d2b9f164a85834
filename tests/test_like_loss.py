from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from campaign_gui.core.like_loss import ALL_TARGETS, build_series
from campaign_gui.core.page_counts import PageCounts


def test_bundled_reports_make_one_series_per_operator_plus_the_all_pages_figure(campaign):
    series = build_series(campaign, campaign.reports, {})
    assert list(series) == ["maroc-telecom", "meditel", "inwi", ALL_TARGETS]
    mt = series["maroc-telecom"]
    assert list(mt.losses) == [0, 60000, 123380, 137500, 200000]
    assert list(mt.times) == sorted(mt.times)
    assert mt.info[0].kind == "start"
    at, loss, info = mt.latest()
    assert loss == 200000 and info.qualifier == "about"
    assert info.sources[0].name == "BFM Business"
    # early March (1 to 10) sits in the middle of its span, at noon in Casablanca
    assert datetime.fromtimestamp(at, UTC) == datetime(2016, 3, 5, 12, tzinfo=UTC)


def test_a_figure_known_only_as_a_percentage_is_kept_but_not_plotted(campaign):
    series = build_series(campaign, campaign.reports, {})
    meditel = series["meditel"]
    assert list(meditel.losses) == [0, 40000, 94282, 163000]
    assert [p.loss_percent for p in meditel.percent_only] == [4.84]


def test_like_counts_become_losses_from_the_last_count_before_the_start(campaign):
    start = campaign.start_instant().timestamp()
    times = np.array([start - 7200, start - 3600, start + 3600, start + 7200], dtype=np.int64)
    likes = np.array([2_450_100, 2_450_000, 2_440_000, 2_300_000], dtype=np.int64)
    series = build_series(campaign, [], {"inwi": PageCounts(times, likes, -np.ones_like(likes))})
    inwi = series["inwi"]
    assert ALL_TARGETS not in series
    # the start point (0) and the counts, in time order
    assert list(inwi.losses) == [-100, 0, 0, 10_000, 150_000]
    assert inwi.latest()[1] == 150_000 and inwi.latest()[2] is None


def test_counts_that_begin_after_the_start_use_the_first_count(campaign):
    start = campaign.start_instant().timestamp()
    times = np.array([start + 10, start + 20], dtype=np.int64)
    likes = np.array([1000, 900], dtype=np.int64)
    series = build_series(campaign, [], {"meditel": PageCounts(times, likes, -np.ones_like(likes))})
    meditel = series["meditel"]
    # No count before the start: the change since the first count, without the start's zero.
    assert list(meditel.losses) == [0, 100]
    assert meditel.since == start + 10 and meditel.baseline == 1000


def test_a_count_before_the_start_is_no_figure_of_the_campaign(campaign):
    """A page read once, days before the campaign started: its baseline, not "0 likes lost"
    dated before the campaign."""
    start = campaign.start_instant().timestamp()
    times = np.array([start - 5 * 86_400], dtype=np.int64)
    likes = np.array([1000], dtype=np.int64)
    series = build_series(campaign, [], {"inwi": PageCounts(times, likes, -np.ones_like(likes))})
    assert series["inwi"].baseline == 1000
    assert series["inwi"].latest() is None
