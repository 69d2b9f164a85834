"""The campaign feed end to end on 127.0.0.1: published by one data dir, fetched by another, and
every hostile host refused with nothing taken."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from securesystemslib.signer import CryptoSigner

from campaign_gui.core.feed import layout
from campaign_gui.core.feed.keys import FeedSigners
from campaign_gui.core.feed.publish import PublishError
from campaign_gui.core.feed.sync import FeedError
from campaign_gui.core.store import Observation

from .feed_host import (
    DAY1,
    DAY2,
    NOW,
    FeedHost,
    bundled_document,
    counts,
    do_publish,
    fetch,
    merged_of,
    resign,
    resign_counts,
)


def test_published_feed_is_fetched_whole(feed_dir, host, signers, tmp_path):
    result = do_publish(feed_dir, signers, counts(DAY1) + counts(DAY2), [host.url])
    assert result.chunks == 2
    update = fetch(feed_dir, tmp_path / "cache", [host.url])
    assert update.campaign.id == "ma-voip-2016"
    assert sorted(update.chunks) == ["counts/2026-03-08.json", "counts/2026-03-09.json"]
    rows = zip(*update.chunks["counts/2026-03-08.json"][1], strict=True)
    assert sorted(row[:4] for row in rows) == sorted(
        (o.target, int(o.observed_at.timestamp()), o.likes, o.followers) for o in counts(DAY1)
    )
    assert update.fresh_until == NOW + layout.EXPIRY["timestamp"]


def test_a_second_sync_costs_a_304_and_takes_nothing(feed_dir, host, signers, tmp_path):
    do_publish(feed_dir, signers, counts(DAY1), [host.url])
    first = fetch(feed_dir, tmp_path / "cache", [host.url])
    host.requests.clear()
    # A new fetcher, as each sync makes: the validator comes from what the last sync left.
    again = fetch(feed_dir, tmp_path / "cache", [host.url], merged_of(first))
    assert again.chunks == {}
    assert ("/metadata/timestamp.json", 304) in host.requests
    assert [p for p, s in host.requests if s == 200] == []


def test_only_the_new_chunk_is_downloaded(feed_dir, host, signers, tmp_path):
    do_publish(feed_dir, signers, counts(DAY1), [host.url])
    first = fetch(feed_dir, tmp_path / "cache", [host.url])
    do_publish(
        feed_dir, signers, counts(DAY1) + counts(DAY2), [host.url], now=NOW + timedelta(minutes=10)
    )
    host.requests.clear()
    second = fetch(
        feed_dir, tmp_path / "cache", [host.url], merged_of(first), now=NOW + timedelta(minutes=10)
    )
    assert list(second.chunks) == ["counts/2026-03-09.json"]
    downloaded = [p for p, s in host.requests if s == 200 and p.startswith("/targets/counts/")]
    assert len(downloaded) == 1 and downloaded[0].endswith(".2026-03-09.json")


def test_a_mirror_down_then_the_next_one_up(feed_dir, signers, tmp_path):
    down, up = FeedHost(feed_dir), FeedHost(feed_dir)
    try:
        down.behaviour.status = 503
        do_publish(feed_dir, signers, counts(DAY1), [down.url, up.url])
        update = fetch(feed_dir, tmp_path / "cache", [down.url, up.url])
        assert update.mirror == up.url and update.chunks
        down.behaviour.status = None
        down.behaviour.drop = True
        update = fetch(feed_dir, tmp_path / "cache2", [down.url, up.url])
        assert update.mirror == up.url
    finally:
        down.close()
        up.close()


def _only_failure(feed_dir, cache, mirrors, kind, now=NOW, merged=None, fetcher=None):
    with pytest.raises(FeedError) as caught:
        fetch(feed_dir, cache, mirrors, merged, now=now, fetcher=fetcher)
    assert caught.value.kind == kind, caught.value.detail
    return caught.value


def test_every_mirror_unreachable(feed_dir, host, signers, tmp_path):
    do_publish(feed_dir, signers, counts(DAY1), [host.url])
    host.behaviour.status = 500
    error = _only_failure(
        feed_dir, tmp_path / "c", [host.url, "http://127.0.0.1:9/"], "unreachable"
    )
    assert "(addresses tried: 2)" in error.message


def test_a_bad_signature_is_refused(feed_dir, host, signers, tmp_path):
    do_publish(feed_dir, signers, counts(DAY1), [host.url])
    forged = json.loads((feed_dir / "metadata" / "timestamp.json").read_text())
    forged["signed"]["version"] += 5
    host.behaviour.replace["/metadata/timestamp.json"] = json.dumps(forged).encode()
    error = _only_failure(feed_dir, tmp_path / "c", [host.url], "unsigned")
    assert "Nothing was changed" in error.message


def test_a_tampered_chunk_is_refused(feed_dir, host, signers, tmp_path):
    do_publish(feed_dir, signers, counts(DAY1), [host.url])
    chunk = next((feed_dir / "targets" / "counts").glob("*.2026-03-08.json"))
    tampered = chunk.read_bytes().replace(b"2000000", b"9999999")
    host.behaviour.replace["/" + chunk.relative_to(feed_dir).as_posix()] = tampered
    _only_failure(feed_dir, tmp_path / "c", [host.url], "refused")


def test_replayed_older_metadata_is_refused(feed_dir, host, signers, tmp_path):
    do_publish(feed_dir, signers, counts(DAY1), [host.url])
    old_timestamp = (feed_dir / "metadata" / "timestamp.json").read_bytes()
    do_publish(
        feed_dir, signers, counts(DAY1) + counts(DAY2), [host.url], now=NOW + timedelta(hours=1)
    )
    fetch(feed_dir, tmp_path / "c", [host.url], now=NOW + timedelta(hours=1))
    host.behaviour.replace["/metadata/timestamp.json"] = old_timestamp
    error = _only_failure(
        feed_dir, tmp_path / "c", [host.url], "behind", now=NOW + timedelta(hours=1)
    )
    assert "BadVersionNumberError" in error.detail
    # Said as what it is (a host behind), not as tampering.
    assert "older copy than the one you already have" in error.message


def test_expired_metadata_says_since_when(feed_dir, host, signers, tmp_path):
    do_publish(feed_dir, signers, counts(DAY1), [host.url])
    fetch(feed_dir, tmp_path / "c", [host.url])
    later = NOW + timedelta(days=3)  # the organisers stopped publishing
    error = _only_failure(feed_dir, tmp_path / "c", [host.url], "out-of-date", now=later)
    assert "out of date since" in error.message and "2026" in error.message


@pytest.mark.parametrize(
    ("spoil", "kind"),
    [
        (lambda d: d["targets"][0].update(page_url="javascript:alert(1)"), "invalid"),
        (lambda d: d["targets"][0].update(page_url="https://evil.example/maroctelecom"), "invalid"),
        (lambda d: d.update(id="another-campaign"), "other-campaign"),
        (lambda d: d["targets"][0]["name"].update(en="x" * 100_000), "invalid"),
    ],
)
def test_bad_campaign_content_is_refused_though_signed(
    feed_dir, host, signers, tmp_path, spoil, kind
):
    do_publish(feed_dir, signers, counts(DAY1), [host.url])
    document = bundled_document()
    document["feed"] = {"mirrors": [host.url]}
    by = dict.fromkeys(layout.ONLINE_ROLES, signers.online)
    resign(feed_dir, by, document=document)  # the control: signed and valid, it is taken
    assert fetch(feed_dir, tmp_path / "ok", [host.url]).campaign.id == "ma-voip-2016"
    spoil(document)
    resign(feed_dir, by, document=document)
    error = _only_failure(feed_dir, tmp_path / "c", [host.url], kind)
    assert "signature" not in error.message  # an organisers' mistake, not tampering


@pytest.mark.parametrize(
    "row",
    [
        Observation("not-a-target", DAY1, 5),
        Observation("inwi", DAY1, 10**13),
        # after NOW + 1 day, in a file of a window that starts by then (a later one is not read)
        Observation("inwi", datetime(2026, 3, 11, 12, 5, tzinfo=UTC), 5),
    ],
)
def test_bad_counts_are_refused_though_signed(feed_dir, host, signers, tmp_path, row):
    do_publish(feed_dir, signers, counts(DAY1), [host.url])
    by = dict.fromkeys(layout.ONLINE_ROLES, signers.online)
    spoilt = [*counts(DAY1), row]  # signed as publish never would (it leaves such rows out)
    resign_counts(feed_dir, by, spoilt)
    error = _only_failure(feed_dir, tmp_path / "c", [host.url], "invalid")
    assert "publish it again" in error.message


def test_a_redirect_to_another_scheme_is_not_followed(feed_dir, host, signers, tmp_path):
    do_publish(feed_dir, signers, counts(DAY1), [host.url])
    host.behaviour.redirect_to = "ftp://127.0.0.1/"
    _only_failure(feed_dir, tmp_path / "c", [host.url], "unreachable")
    host.behaviour.redirect_to = "http://example.com/"  # plain http off this computer
    _only_failure(feed_dir, tmp_path / "c2", [host.url], "unreachable")


def test_an_endless_answer_is_cut_off(feed_dir, host, signers, tmp_path):
    do_publish(feed_dir, signers, counts(DAY1), [host.url])
    host.behaviour.endless = True
    error = _only_failure(feed_dir, tmp_path / "c", [host.url], "too-large")
    assert "larger than it may be" in error.message


def test_publish_refuses_plain_http_and_another_key(feed_dir, signers):
    with pytest.raises(PublishError):
        do_publish(feed_dir, signers, [], [])
    from campaign_gui.core.errors import UserError

    with pytest.raises(UserError):
        do_publish(feed_dir, signers, [], ["http://example.com/feed/"])
    do_publish(feed_dir, signers, [], ["https://example.com/feed/"])
    with pytest.raises(PublishError):
        other = CryptoSigner.generate_ed25519()
        do_publish(feed_dir, FeedSigners(other, other), [], ["https://example.com/feed/"])
