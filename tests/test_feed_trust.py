"""A feed under attack, through the path the app takes (a new workspace and new jobs for every
sync, as the command line and the window make them), on 127.0.0.1:

- a host serving another campaign's folder signed by the same keys moves nothing, not even
  TUF's trusted versions, and the real feed is taken again afterwards;
- a feed published into a new folder is taken by participants who synced the old one;
- a stranger's feed for the bundled campaign's id never shows for the bundled campaign;
- a host that sends one byte at a time is dropped for the next mirror, within its deadline;
- a sync after a restart costs one conditional request, answered 304.

Who controls what: the host or mirror (any bytes, any speed), the organisers' keys (sign any
campaign), a stranger (their own keys, any campaign id), the participant (which file they open).
"""

from __future__ import annotations

import gzip
import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from campaign_gui.core.clock import FixedClock
from campaign_gui.core.feed import layout
from campaign_gui.core.feed.fetcher import Deadlines
from campaign_gui.core.feed.sync import FeedError
from campaign_gui.core.paths import AppPaths
from campaign_gui.core.store import Observation
from campaign_gui.core.workspace import Workspace

from .conftest import run_app
from .feed_host import (
    DAY1,
    DAY2,
    NOW,
    FeedHost,
    bundled_document,
    counts,
    do_publish,
    fetch,
    sync,
    table_rows,
)

LATER = NOW + timedelta(hours=1)


def state(paths: AppPaths, campaign_file) -> tuple:
    """Everything a sync may change: the store's rows, TUF's trusted metadata, the validator."""
    workspace = Workspace.open(paths, campaign_file, clock=FixedClock(NOW))
    try:
        trusted = workspace.store.trusted_feed(workspace.feed_key)
        return table_rows(workspace.store), dict(trusted.metadata), trusted.validator
    finally:
        workspace.close()


@pytest.fixture
def me(tmp_path) -> AppPaths:
    return AppPaths(tmp_path / "me" / "data", tmp_path / "me" / "config")


def test_another_campaigns_folder_moves_nothing_and_the_real_feed_is_taken_after(
    tmp_path, host, signers, me
):
    """The organisers' two campaigns share their keys; the address serves the other one's
    folder (a later version) for a while. Refused, with nothing kept: once the address serves
    this campaign again, at a lower version than the other's, it is taken."""
    feed_a = host.root
    do_publish(feed_a, signers, counts(DAY1), [host.url])
    mine = tmp_path / "campaign-a.json"
    mine.write_bytes((feed_a / layout.PARTICIPANT_FILE).read_bytes())
    assert sync(me, mine).counts == 9

    feed_b = tmp_path / "feed-b"
    other = bundled_document()
    other["id"] = "another-campaign"
    do_publish(
        feed_b, signers, counts(DAY2), [host.url], now=LATER + timedelta(hours=5), document=other
    )
    before = state(me, mine)
    host.root = feed_b
    with pytest.raises(FeedError) as refused:
        sync(me, mine, now=LATER)
    assert refused.value.kind == "other-campaign"
    assert "another campaign's data" in refused.value.message
    assert state(me, mine) == before  # TUF's versions too: nothing vouched for B is kept

    host.root = feed_a
    do_publish(feed_a, signers, counts(DAY1) + counts(DAY2), [host.url], now=LATER)
    assert sync(me, mine, now=LATER).counts == 9


def test_a_feed_published_into_a_new_folder_is_taken(tmp_path, host, signers, me):
    """The organisers lost their folder and publish into a new one: participants who synced
    the old one take the new one (its versions come after the old ones)."""
    do_publish(host.root, signers, counts(DAY1), [host.url])
    do_publish(host.root, signers, counts(DAY1), [host.url], now=NOW + timedelta(minutes=15))
    mine = tmp_path / "campaign.json"
    mine.write_bytes((host.root / layout.PARTICIPANT_FILE).read_bytes())
    sync(me, mine, now=NOW + timedelta(minutes=15))

    fresh = tmp_path / "new-folder"
    do_publish(fresh, signers, counts(DAY1) + counts(DAY2), [host.url], now=LATER)
    host.root = fresh
    assert sync(me, mine, now=LATER).counts == 9


def test_a_strangers_feed_never_replaces_the_bundled_campaign(tmp_path, host, me):
    """A stranger, with keys of their own, publishes a feed whose campaign has the bundled
    campaign's id, their name and their page. A participant opens it once and syncs: the
    bundled campaign (no file given) shows none of it, on the command line or in the store."""
    from securesystemslib.signer import CryptoSigner

    from campaign_gui.core.feed.keys import FeedSigners

    stranger = FeedSigners(CryptoSigner.generate_ed25519(), CryptoSigner.generate_ed25519())
    hacked = bundled_document()
    hacked["name"] = {"en": "HACKED", "fr": "HACKED", "ary": "HACKED"}
    hacked["targets"][0]["page_url"] = "https://www.facebook.com/stranger.page"
    do_publish(host.root, stranger, counts(DAY1), [host.url], document=hacked)
    assert sync(me, host.root / layout.PARTICIPANT_FILE).counts == 9

    bundled = Workspace.open(me, None, clock=FixedClock(NOW))
    try:
        assert bundled.campaign.name["en"] != "HACKED"
        assert "stranger.page" not in bundled.campaign.targets[0].page_url
        series = bundled.loss_series()
        assert all(len(line) < 9 for line in series.values())  # only the press's figures
    finally:
        bundled.close()
    base = me.data_dir.parent
    result = run_app(base, "status")
    assert result.returncode == 0, result.stderr
    assert "HACKED" not in result.stdout
    assert "2,000,000" not in result.stdout and "2 000 000" not in result.stdout


def test_a_strangers_feed_is_not_taken_by_the_real_campaign_file(tmp_path, host, signers, me):
    """The real campaign file trusts the organisers' root: a feed signed by other keys, served
    at its address, is refused and changes nothing."""
    from securesystemslib.signer import CryptoSigner

    from campaign_gui.core.feed.keys import FeedSigners

    do_publish(host.root, signers, counts(DAY1), [host.url])
    mine = tmp_path / "campaign.json"
    mine.write_bytes((host.root / layout.PARTICIPANT_FILE).read_bytes())
    sync(me, mine)
    before = state(me, mine)
    stranger = FeedSigners(CryptoSigner.generate_ed25519(), CryptoSigner.generate_ed25519())
    host.root = tmp_path / "stranger"
    do_publish(host.root, stranger, counts(DAY2), [host.url], now=LATER)
    with pytest.raises(FeedError) as refused:
        sync(me, mine, now=LATER)
    assert refused.value.kind == "unsigned"
    assert state(me, mine) == before


def test_a_sync_after_a_restart_costs_one_304(tmp_path, host, signers, me):
    do_publish(host.root, signers, counts(DAY1), [host.url])
    mine = host.root / layout.PARTICIPANT_FILE
    sync(me, mine)
    host.requests.clear()
    assert sync(me, mine, now=NOW + timedelta(minutes=15)).counts == 0  # a new start
    # One conditional request: nothing was published, so no new root can have been either.
    assert host.requests == [("/metadata/timestamp.json", 304)]
    # Once something is published, the full walk: the new timestamp (asked once), then TUF
    # looks for a new root before it reads that timestamp.
    do_publish(host.root, signers, counts(DAY2), [host.url], now=NOW + timedelta(minutes=20))
    host.requests.clear()
    assert sync(me, mine, now=NOW + timedelta(minutes=30)).counts == 9
    assert host.requests[:2] == [
        ("/metadata/timestamp.json", 200),
        ("/metadata/2.root.json", 404),
    ]
    assert [p for p, _s in host.requests].count("/metadata/timestamp.json") == 1


def test_a_sync_after_the_feed_expired_is_not_taken_from_a_304(tmp_path, host, signers, me):
    """A 304 says nothing was published; it does not make a timestamp that expired fresh."""
    do_publish(host.root, signers, counts(DAY1), [host.url])
    mine = host.root / layout.PARTICIPANT_FILE
    sync(me, mine)
    with pytest.raises(FeedError) as refused:
        sync(me, mine, now=NOW + timedelta(days=2))
    assert refused.value.kind == "out-of-date"


def _hosts(tmp_path, signers, n):
    hosts = [FeedHost(tmp_path / "feed") for _ in range(n)]
    (tmp_path / "feed").mkdir(exist_ok=True)
    do_publish(tmp_path / "feed", signers, counts(DAY1), [h.url for h in hosts])
    return hosts


def test_a_host_sending_a_byte_at_a_time_is_dropped_for_the_next_mirror(tmp_path, signers):
    slow, good = _hosts(tmp_path, signers, 2)
    try:
        slow.behaviour.dribble = 0.1  # every read answers: no read ever times out
        deadlines = Deadlines(request=1.0, mirror=2.0, sync=30.0, silence=5.0)
        started = time.monotonic()
        update = fetch(
            tmp_path / "feed", tmp_path / "me", [slow.url, good.url], deadlines=deadlines
        )
        assert update.mirror == good.url and update.chunks
        assert time.monotonic() - started < 6
    finally:
        slow.close()
        good.close()


def test_every_mirror_too_slow_is_said_and_ends_within_the_budget(tmp_path, signers):
    slow, slower = _hosts(tmp_path, signers, 2)
    try:
        slow.behaviour.dribble = slower.behaviour.dribble = 0.1
        deadlines = Deadlines(request=1.0, mirror=1.5, sync=2.5, silence=5.0)
        started = time.monotonic()
        with pytest.raises(FeedError) as caught:
            fetch(tmp_path / "feed", tmp_path / "me", [slow.url, slower.url], deadlines=deadlines)
        assert time.monotonic() - started < 5
        assert caught.value.kind == "too-slow"
        assert "did not arrive in time" in caught.value.message
    finally:
        slow.close()
        slower.close()


def test_a_cancel_stops_a_stalled_download_at_once(tmp_path, signers):
    (slow,) = _hosts(tmp_path, signers, 1)
    try:
        slow.behaviour.dribble = 0.5
        started = time.monotonic()
        with pytest.raises(FeedError) as caught:
            fetch(
                tmp_path / "feed",
                tmp_path / "me",
                [slow.url],
                cancelled=lambda: time.monotonic() - started > 0.5,
            )
        assert caught.value.kind == "cancelled"
        assert time.monotonic() - started < 2
    finally:
        slow.close()


def test_the_first_sync_of_an_unchanged_campaign_says_nothing_changed(tmp_path, host, signers, me):
    # The command runs on the computer's clock: the feed is published at that time.
    now = datetime.now(UTC).replace(microsecond=0)
    do_publish(host.root, signers, counts(now - timedelta(days=1)), [host.url], now=now)
    base = me.data_dir.parent
    base.mkdir()
    result = run_app(base, "--campaign", str(host.root / layout.PARTICIPANT_FILE), "sync")
    assert result.returncode == 0, result.stderr
    assert "9 page counts added or corrected." in result.stdout
    assert "campaign itself was updated" not in result.stdout


def test_publish_leaves_out_a_page_no_longer_listed_and_says_so(tmp_path, host, signers, me):
    """Counts stored for a page the campaign dropped: participants would refuse the whole feed
    with them, so publish leaves them out, says so, and the feed it reports is taken."""
    document = bundled_document()
    document["targets"] = [t for t in document["targets"] if t["id"] != "inwi"]
    document["reports"] = [r for r in document["reports"] if r.get("target") != "inwi"]
    result = do_publish(host.root, signers, counts(DAY1), [host.url], document=document)
    assert result.left_out == {"inwi": 3}
    assert sync(me, host.root / layout.PARTICIPANT_FILE).counts == 6


def test_publish_counts_every_file_it_writes(tmp_path, signers):
    feed = tmp_path / "empty"
    result = do_publish(feed, signers, counts(DAY1), ["https://example.org/feed/"])
    written = [p for p in feed.rglob("*") if p.is_file()]
    # not just the 2 new targets: the metadata, gzip copies, campaign.json and the state too
    assert result.files_written == len(written) == 25
    assert json.loads((feed / "campaign.json").read_text())["feed"]["root"]


def test_a_new_folder_after_two_rotations_is_taken_with_the_file_it_gives(tmp_path, host, me):
    """The organisers rotated their online key twice, then lost their folder and published into
    a new one (its chain of roots starts again): a participant who followed the old chain takes
    the new feed with the campaign file the new folder gives, which their trust now starts from."""
    from securesystemslib.signer import CryptoSigner

    from campaign_gui.core.feed.keys import FeedSigners

    root = CryptoSigner.generate_ed25519()
    first, second, third = (FeedSigners(root, CryptoSigner.generate_ed25519()) for _ in "abc")
    do_publish(host.root, first, counts(DAY1), [host.url])
    old_file = tmp_path / "old.json"
    old_file.write_bytes((host.root / layout.PARTICIPANT_FILE).read_bytes())
    sync(me, old_file)
    assert do_publish(host.root, second, counts(DAY1), [host.url], now=LATER).rotated
    sync(me, old_file, now=LATER)

    fresh = tmp_path / "new-folder"
    later = LATER + timedelta(hours=1)
    do_publish(fresh, third, counts(DAY1) + counts(DAY2), [host.url], now=later)
    host.root = fresh
    with pytest.raises(FeedError) as refused:  # the old file knows nothing of the third key
        sync(me, old_file, now=later)
    assert refused.value.kind == "unsigned"
    assert "open the campaign file they give now" in refused.value.message
    assert sync(me, fresh / layout.PARTICIPANT_FILE, now=later).counts == 9


def test_publish_leaves_out_counts_dated_after_now(tmp_path, host, signers, me):
    """A count dated later than the publish (a CSV may say so): a participant whose clock is
    behind the organiser's would refuse the whole feed with it."""
    ahead = Observation("inwi", NOW + timedelta(hours=23), 1_700_000)
    result = do_publish(host.root, signers, [*counts(DAY1), ahead], [host.url])
    assert result.future == 1
    behind = NOW - timedelta(minutes=30)
    assert sync(me, host.root / layout.PARTICIPANT_FILE, now=behind).counts == 9


def test_publish_refuses_a_day_of_counts_participants_could_not_download(
    tmp_path, signers, monkeypatch
):
    from campaign_gui.core.feed.publish import PublishError

    monkeypatch.setattr(layout, "MAX_CHUNK_BYTES", 500)  # a day of counts larger than this
    feed = tmp_path / "feed-big"
    with pytest.raises(PublishError) as refused:
        do_publish(feed, signers, counts(DAY1, n=20), ["https://example.org/feed/"])
    assert "The counts of 2026-03-08 cannot be published" in refused.value.message
    assert not feed.exists() or not any(feed.rglob("*"))


def test_a_host_that_serves_gzip_copies_is_read_through_them(tmp_path, host, signers, me):
    """publish writes a gzip copy beside each file of 1 KB or more; a host that serves them to
    clients that accept gzip (nginx gzip_static) sends fewer bytes, and the feed is the same."""
    do_publish(host.root, signers, counts(DAY1), [host.url])
    host.behaviour.gzip_static = True
    assert sync(me, host.root / layout.PARTICIPANT_FILE).counts == 9
    assert set(host.encodings) == {"gzip"}
    packed = list(host.root.rglob("*.gz"))
    assert packed and all(
        gzip.decompress(p.read_bytes()) == p.with_suffix("").read_bytes() for p in packed
    )


def test_x_gzip_is_gzip(tmp_path, host, signers, me):
    """RFC 9110: a client should take "x-gzip" as "gzip"."""
    do_publish(host.root, signers, counts(DAY1), [host.url])
    host.behaviour.gzip_static = True
    host.behaviour.encoding = "x-gzip"
    assert sync(me, host.root / layout.PARTICIPANT_FILE).counts == 9


def test_a_gzip_answer_that_unpacks_beyond_the_limit_is_cut_off(tmp_path, host, signers, me):
    """A few KB of gzip can unpack to gigabytes: unpacking stops at the file's limit (16 KB for
    a timestamp), with the same refusal as a file too large."""
    do_publish(host.root, signers, counts(DAY1), [host.url])
    bomb = gzip.compress(b" " * 200_000_000, compresslevel=9)
    assert len(bomb) < 300_000
    host.behaviour.replace["/metadata/timestamp.json"] = bomb
    host.behaviour.encoding = "gzip"
    with pytest.raises(FeedError) as refused:
        sync(me, host.root / layout.PARTICIPANT_FILE)
    assert refused.value.kind == "too-large"


@pytest.mark.parametrize("etag", ['"caf\xe9"', '"a\tb"', "x" * 300])
def test_an_etag_the_app_could_not_send_back_is_not_kept(tmp_path, host, signers, me, etag):
    """A host's ETag is kept to be sent back: one that is not plain visible ASCII (or too long)
    would make every later sync fail, so it is not kept, and the next sync works."""
    host.behaviour.etag = etag
    do_publish(host.root, signers, counts(DAY1), [host.url])
    mine = host.root / layout.PARTICIPANT_FILE
    sync(me, mine)
    assert state(me, mine)[2] is None
    assert sync(me, mine, now=NOW + timedelta(minutes=15)).counts == 0
