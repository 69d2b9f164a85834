"""A feed published by one data dir, synced into another's store: one transaction, idempotent,
and the store unchanged by every refused update."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from campaign_gui.core.feed.sync import FeedError

from .feed_host import (
    DAY1,
    DAY2,
    NOW,
    bundled_document,
    counts,
    do_publish,
    fetch,
    resign,
    table_rows,
)


def test_a_synced_feed_shows_as_losses_and_syncing_again_adds_nothing(
    tmp_path, host, signers, participant
):
    do_publish(host.root, signers, counts(DAY1) + counts(DAY2), [host.url])
    workspace = participant()
    update = fetch(host.root, tmp_path / "cache", [host.url])
    merge = workspace.apply_feed(update, NOW)
    assert (merge.counts, merge.chunks) == (18, 2)
    series = workspace.loss_series()
    assert set(series) >= {"maroc-telecom", "meditel", "inwi"}

    again = fetch(
        host.root,
        tmp_path / "cache",
        [host.url],
        workspace.store.merged_chunks(workspace.feed_key),
    )
    before = table_rows(workspace.store)
    merge = workspace.apply_feed(again, NOW + timedelta(minutes=1))
    assert merge.counts == 0 and merge.chunks == 0
    assert table_rows(workspace.store)["observations"] == before["observations"]
    status = workspace.store.feed_status(workspace.feed_key)
    assert status.last_success == NOW + timedelta(minutes=1) and status.mirror == host.url


def test_the_feeds_campaign_outlives_a_restart(tmp_path, host, signers, participant):
    do_publish(host.root, signers, counts(DAY1), [host.url])
    file = tmp_path / "opened.json"  # the file the participant opened, before the change
    file.write_bytes((host.root / "campaign.json").read_bytes())
    document = bundled_document()
    document["action_days"][0]["title"]["en"] = "Phones off, as the feed now says"
    do_publish(host.root, signers, counts(DAY1), [host.url], document=document)
    workspace = participant(file)
    workspace.apply_feed(fetch(host.root, tmp_path / "cache", [host.url]), NOW)
    reopened = participant(file)
    titles = [d.title["en"] for d in reopened.campaign.action_days]
    assert "Phones off, as the feed now says" in titles


def test_a_refused_update_changes_nothing(tmp_path, host, signers, participant):
    do_publish(host.root, signers, counts(DAY1), [host.url])
    workspace = participant()
    workspace.apply_feed(fetch(host.root, tmp_path / "cache", [host.url]), NOW)
    before = table_rows(workspace.store)
    document = bundled_document()
    document["targets"][0]["page_url"] = "javascript:alert(1)"
    by = dict.fromkeys(("targets", "snapshot", "timestamp"), signers.online)
    resign(host.root, by, now=NOW + timedelta(hours=1), document=document)
    with pytest.raises(FeedError):
        fetch(host.root, tmp_path / "cache", [host.url], now=NOW + timedelta(hours=1))
    assert table_rows(workspace.store) == before


def test_a_merge_that_fails_half_way_leaves_nothing(tmp_path, host, signers, participant):
    do_publish(host.root, signers, counts(DAY1) + counts(DAY2), [host.url])
    workspace = participant()
    update = fetch(host.root, tmp_path / "cache", [host.url])
    before = table_rows(workspace.store)

    class Broken(list):
        """A column that fails half-way through being read (the disk went)."""

        def __iter__(self):
            yield from list.__iter__(self)
            raise OSError("disk gone")

    targets, *rest = update.chunks["counts/2026-03-08.json"][1]
    update.chunks["counts/2026-03-09.json"] = ("x" * 64, (Broken(targets), *rest))
    with pytest.raises(OSError):
        workspace.apply_feed(update, NOW)
    assert table_rows(workspace.store) == before
    assert json.dumps(before)  # the rows are plain values
