"""Issue 17's scenario: a campaign tracked today counts followers. Facebook gives no like count,
the tracker records followers, and every view says "followers", never "likes"; the 2016
campaign tracked today keeps its press figures."""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from campaign_gui.cli import main
from campaign_gui.core.clock import FixedClock
from campaign_gui.core.glance import campaign_glance
from campaign_gui.core.i18n import set_language
from campaign_gui.core.paths import AppPaths
from campaign_gui.core.share_card import compose
from campaign_gui.core.workspace import Workspace

EXAMPLE = Path(__file__).parent.parent / "docs" / "examples" / "campaign-followers.json"
TOKEN = "EAAexampletoken1234567890"
PAGES = {"maroctelecom": "maroc-telecom", "orangemaroc": "orange-maroc", "inwi.ma": "inwi"}
# Two rounds on 3 Dec 2026 (the campaign started on the 1st): each page lost followers.
ROUNDS = {
    datetime(2026, 12, 3, 9, 0, tzinfo=UTC): {
        "maroctelecom": 2_400_000,
        "orangemaroc": 1_500_000,
        "inwi.ma": 1_200_000,
    },
    datetime(2026, 12, 3, 10, 0, tzinfo=UTC): {
        "maroctelecom": 2_390_000,
        "orangemaroc": 1_497_500,
        "inwi.ma": 1_199_000,
    },
}
LATER = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def _track(tmp_path: Path, httpserver, campaign: Path, answers: dict, capsys) -> str:
    for moment, followers in answers.items():
        httpserver.clear()
        for page, count in followers.items():
            # A Page as Facebook counts it today: followers, and no like count.
            httpserver.expect_request(f"/v23.0/{page}").respond_with_json(
                {"id": page, "followers_count": count}
            )
        args = _where(tmp_path, campaign, "track", "--once", "--api-base", httpserver.url_for("/"))
        code = main(args, FixedClock(moment))
        assert code == 0, capsys.readouterr()
    return capsys.readouterr().err


def _where(tmp_path: Path, campaign: Path, *args: str) -> list[str]:
    return ["--data-dir", str(tmp_path / "data"), "--config-dir", str(tmp_path / "config"),
            "--campaign", str(campaign), *args]  # fmt: skip


@pytest.fixture
def tracked(tmp_path, httpserver, capsys):
    from campaign_gui.core.secrets import GRAPH_TOKEN, Secrets

    Secrets().set(GRAPH_TOKEN, TOKEN)
    said = _track(tmp_path, httpserver, EXAMPLE, ROUNDS, capsys)
    return tmp_path, said


def _plain(text: str) -> str:
    """No-break spaces as spaces, to compare with text written here."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2060", "")


def _status(tmp_path: Path, language: str, capsys) -> list[str]:
    assert main(["--lang", language, *_where(tmp_path, EXAMPLE, "status")], FixedClock(LATER)) == 0
    return capsys.readouterr().out.splitlines()


def test_the_organiser_is_told_what_facebook_gave(tracked):
    _tmp_path, said = tracked
    assert "Maroc Telecom: Facebook gave followers only; the graph counts them." in said


def test_status_gives_each_pages_followers_since_tracking_began(tracked, capsys):
    tmp_path, _said = tracked
    # The second round at 10:00 UTC is 11:00 in Casablanca, the campaign's zone.
    when = "Dec 3, 2026, 11:00 AM; follower count"
    assert [_plain(line) for line in _status(tmp_path, "en", capsys)] == [
        "Example: a campaign counted in followers",
        f"Maroc Telecom: −10,000 followers since Dec 3, 2026 ({when})",
        f"Orange Maroc: −2,500 followers since Dec 3, 2026 ({when})",
        f"inwi: −1,000 followers since Dec 3, 2026 ({when})",
    ]
    french = _status(tmp_path, "fr", capsys)
    assert _plain(french[1]).startswith("Maroc Telecom : −10 000 abonnés depuis le 3 déc. 2026")
    darija = _status(tmp_path, "ary", capsys)
    assert "متابع من نهار" in darija[1] and "−10.000" in darija[1]
    assert not any("like" in line or "j’aime" in line or "لايك" in line for line in
                   french + darija)  # fmt: skip


def test_every_view_counts_followers(tracked):
    """The cards' figure, the tray glance, the picture to share: followers, never likes."""
    tmp_path, _said = tracked
    set_language("en")
    paths = AppPaths(tmp_path / "data", tmp_path / "config")
    workspace = Workspace.open(paths, EXAMPLE, clock=FixedClock(LATER))
    try:
        series = workspace.loss_series()
        line = series["maroc-telecom"]
        assert (line.measure, line.baseline) == ("followers", 2_400_000)
        assert line.losses.tolist() == [0, 10_000]  # no start point: counted since tracking
        glance = campaign_glance(workspace.campaign, [], series, LATER)
        assert _plain(glance.pages[0].latest) == "−10,000 followers since Dec 3, 2026"
        card = compose(workspace.campaign, series)
        assert card.subtitle == "Followers lost since the campaign started"
        assert (_plain(card.figures[0].headline), _plain(card.figures[0].caption)) == (
            "−10,000 followers since Dec 3, 2026",
            "Dec 3, 2026, 11:00 AM",
        )
        assert card.sources == ("the pages' own follower counts",)
    finally:
        workspace.close()


def test_a_count_before_the_start_makes_it_a_loss_since_the_start(tmp_path, httpserver, capsys):
    from campaign_gui.core.secrets import GRAPH_TOKEN, Secrets

    Secrets().set(GRAPH_TOKEN, TOKEN)
    before = {datetime(2026, 11, 30, 12, 0, tzinfo=UTC): {"maroctelecom": 2_400_000}}
    after = {datetime(2026, 12, 3, 10, 0, tzinfo=UTC): {"maroctelecom": 2_390_000}}
    _track(tmp_path, httpserver, EXAMPLE, before | after, capsys)
    lines = _status(tmp_path, "en", capsys)
    assert _plain(lines[1]) == (
        "Maroc Telecom: 10,000 followers lost (Dec 3, 2026, 11:00 AM; follower count)"
    )


def test_the_2016_campaign_tracked_today_keeps_its_press_figures(tmp_path, httpserver, capsys):
    """Tracked in 2026, the bundled campaign's pages give followers only: the press's likes stay
    the pages' figures, and the followers are a line of their own, since tracking began."""
    from campaign_gui.core.secrets import GRAPH_TOKEN, Secrets

    Secrets().set(GRAPH_TOKEN, TOKEN)
    bundled = tmp_path / "campaign-2016.json"
    from importlib import resources

    bundled.write_bytes(
        (resources.files("campaign_gui") / "resources" / "campaign-2016.json").read_bytes()
    )
    answers = {
        moment: {"maroctelecom": n, "orangemaroc": n - 900_000, "inwi.ma": n - 1_200_000}
        for moment, n in zip(ROUNDS, (2_400_000, 2_390_000), strict=True)
    }
    said = _track(tmp_path, httpserver, bundled, answers, capsys)
    assert "this campaign counts likes, so the graph shows the followers on a line" in said
    args = ["--lang", "en", *_where(tmp_path, bundled, "status")]
    assert main(args, FixedClock(LATER)) == 0
    lines = [_plain(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[1] == "Maroc Telecom: about 200,000 likes lost (Mar 1 – 10, 2016; BFM Business)"
    assert lines[2] == (
        "Maroc Telecom: −10,000 followers since Dec 3, 2026 (Dec 3, 2026, 11:00 AM; follower count)"
    )


def test_a_page_that_switches_from_likes_to_followers_has_two_lines_never_joined(qtbot):
    """Facebook moved a page to followers in the middle of a campaign: its likes and its
    followers are two lines, each from its own baseline, and the graph draws both apart."""
    import numpy as np

    from campaign_gui.core.campaign import parse_campaign_bytes
    from campaign_gui.core.like_loss import build_series
    from campaign_gui.core.page_counts import PageCounts
    from campaign_gui.ui.language import apply_language
    from campaign_gui.ui.loss_plot import LossPlot

    apply_language("en")
    campaign = parse_campaign_bytes(EXAMPLE.read_bytes(), "example")
    start = campaign.start_instant().timestamp()
    times = np.array([start - 3600, start + 3600, start + 7200, start + 10_800], np.int64)
    likes = np.array([1_000_000, 990_000, -1, -1], np.int64)
    followers = np.array([1_100_000, 1_090_000, 1_080_000, 1_070_000], np.int64)
    likes_campaign = replace(campaign, measure="likes")
    series = build_series(likes_campaign, [], {"inwi": PageCounts(times, likes, followers)})
    liked, followed = series["inwi"], series["inwi:followers"]
    assert (liked.measure, liked.losses.tolist()) == ("likes", [-0.0, 0.0, 10_000.0])
    # The followers line takes the readings that lack likes, from the followers' own baseline.
    assert (followed.measure, followed.baseline) == ("followers", 1_100_000)
    assert followed.times.tolist() == [start, start + 7200, start + 10_800]
    assert followed.losses.tolist() == [0.0, 20_000.0, 30_000.0]
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.set_series(likes_campaign, series)
    assert {"inwi", "inwi:followers"} <= set(plot.curves)
    assert plot.curves["inwi"] is not plot.curves["inwi:followers"]
    names = [item.text for _sample, item in plot.legend.items]
    assert "inwi (followers)" in names
    assert plot.title.text() == "Likes and followers lost since the campaign started"
    # The longer title wraps: it never makes the window wider than a campaign of likes only.
    likes_only = LossPlot()
    qtbot.addWidget(likes_only)
    likes_only.set_series(likes_campaign, build_series(likes_campaign, [], {}))
    assert plot.minimumSizeHint().width() <= likes_only.minimumSizeHint().width()


def test_a_feed_carrying_followers_syncs_and_draws_them(tmp_path, host, feed_dir, signers,
                                                        participant):  # fmt: skip
    """An organiser publishes a followers campaign's counts; a participant's sync takes them,
    and their graph counts followers."""
    import json

    from campaign_gui.core.store import Observation

    from .feed_host import do_publish, sync

    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    start = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)  # noon in Casablanca: the start
    observations = [
        Observation(target, start + (hours - 1) * HOUR, None, count - 1000 * hours)
        for target, count in (("maroc-telecom", 2_400_000), ("inwi", 1_200_000))
        for hours in range(4)
    ]
    now = start + 5 * HOUR
    do_publish(feed_dir, signers, observations, [host.url], now=now, document=document)
    workspace = participant(now=now)
    workspace.close()
    merge = sync(participant.paths, feed_dir / "campaign.json", now)
    assert merge.counts == 8
    workspace = participant(now=now)
    series = workspace.loss_series()
    line = series["maroc-telecom"]
    # The last count at or before the start (here, at it) is the baseline: a loss since then.
    assert (line.measure, line.baseline, line.since) == ("followers", 2_399_000, None)
    assert line.latest()[1] == 2000
    set_language("en")
    assert compose(workspace.campaign, series).subtitle == (
        "Followers lost since the campaign started"
    )


def test_the_graph_opens_on_the_press_figures_when_followers_are_tracked_years_later(qtbot):
    """The 2016 campaign tracked in 2026: the graph opens on 2016's figures (ten years of empty
    axis would squash them to a line), and the followers' lines are in the legend."""
    import numpy as np

    from campaign_gui.core.campaign import load_bundled_campaign
    from campaign_gui.core.like_loss import build_series
    from campaign_gui.core.page_counts import PageCounts
    from campaign_gui.ui.language import apply_language
    from campaign_gui.ui.loss_plot import LossPlot

    apply_language("en")
    campaign = load_bundled_campaign()
    at = datetime(2026, 12, 3, 9, 0, tzinfo=UTC).timestamp()
    times = np.array([at, at + 3600], np.int64)
    counts = PageCounts(times, np.array([-1, -1]), np.array([2_400_000, 2_390_000]))
    series = build_series(campaign, campaign.reports, {"maroc-telecom": counts})
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.resize(900, 560)
    plot.set_series(campaign, series)
    (_left, right), _ys = plot.plot.getViewBox().viewRange()
    assert datetime.fromtimestamp(right, UTC).year == 2016
    names = [item.text for _sample, item in plot.legend.items]
    assert "Maroc Telecom (followers)" in names
    # The picture shows each page's press figure: it says likes, not "likes and followers".
    assert compose(campaign, series).subtitle == "Likes lost since the campaign started"
    # A name too long for the legend is shortened, never the word for what the line counts.
    counts = {t.id: counts for t in campaign.targets}
    apply_language("fr")
    plot.set_series(campaign, build_series(campaign, campaign.reports, counts))
    names = [_plain(html.unescape(item.text)) for _sample, item in plot.legend.items]
    assert any(n.startswith("Méditel (aujourd") and n.endswith("… — abonnés") for n in names)


def test_the_exports_keep_followers_and_say_what_the_campaign_counts(tracked, capsys):
    """CSV and JSON exports of a followers campaign: the followers as read, no invented likes,
    and the JSON says the campaign's measure; the CSV reads back as it was."""
    import csv
    import io
    import json

    tmp_path, _said = tracked
    out = tmp_path / "counts.json"
    assert main([*_where(tmp_path, EXAMPLE, "export", "--format", "json", "-o", str(out))]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["measure"] == "followers"
    first = next(o for o in document["observations"] if o["target"] == "maroc-telecom")
    assert (first["likes"], first["followers"]) == (None, 2_400_000)
    out = tmp_path / "counts.csv"
    assert main([*_where(tmp_path, EXAMPLE, "export", "-o", str(out))]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    first = next(row for row in rows if row["target"] == "maroc-telecom")
    assert (first["likes"], first["followers"]) == ("", "2400000")
    again = tmp_path / "again"
    args = ["--data-dir", str(again / "data"), "--config-dir", str(again / "config")]
    assert main([*args, "--campaign", str(EXAMPLE), "import", str(out)]) == 0
    back = again / "back.csv"
    assert main([*args, "--campaign", str(EXAMPLE), "export", "-o", str(back)]) == 0
    assert back.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
