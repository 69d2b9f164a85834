"""Syncing the feed as three steps, so the window can run each where it belongs: reading the
store (its worker), downloading (the network worker, cancellable, never the store's), then one
merge (the store's worker). The command line runs them one after the other."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from .errors import UserError
from .feed.mirrors import check_mirror
from .feed.sync import FeedUpdate, fetch_update
from .i18n import _
from .store import FeedMerge
from .workspace import Workspace

log = logging.getLogger(__name__)

FEED_CACHE = "feed"  # under the data dir: TUF's trusted metadata and the downloaded chunks


@dataclass(frozen=True)
class SyncPlan:
    campaign_id: str
    mirrors: tuple[str, ...]
    root: bytes
    merged: dict[str, str]
    cache_dir: Path


class NoFeedError(UserError):
    pass


def plan_sync(workspace: Workspace, data_dir: Path, feed_url: str | None = None) -> SyncPlan:
    """What a sync needs from the store. ``feed_url`` replaces the campaign's mirrors (the
    campaign file's root still decides what is trusted)."""
    feed = workspace.feed
    if feed is None:
        raise NoFeedError(
            _(
                "This campaign has no live data feed: its file does not say where one is. "
                "Open the campaign file its organisers publish."
            ),
            f"campaign {workspace.campaign.id}: no feed with a root",
        )
    mirrors = (check_mirror(feed_url),) if feed_url else feed.mirrors
    # One cache per campaign: another campaign's trusted metadata never mixes with this one's.
    cache = data_dir / FEED_CACHE / workspace.campaign.id
    return SyncPlan(
        workspace.campaign.id,
        mirrors,
        feed.root,
        workspace.store.merged_chunks(workspace.campaign.id),
        cache,
    )


def fetch(
    plan: SyncPlan, now: datetime, zone: tzinfo, cancelled: Callable[[], bool] = lambda: False
) -> FeedUpdate:
    """The network step: what the feed has that the store has not (``FeedError`` otherwise)."""
    return fetch_update(
        plan.mirrors,
        plan.root,
        plan.cache_dir,
        campaign_id=plan.campaign_id,
        merged=plan.merged,
        now=now,
        zone=zone,
        cancelled=cancelled,
    )


def apply(workspace: Workspace, update: FeedUpdate, now: datetime) -> FeedMerge:
    merge = workspace.apply_feed(update, now)
    log.info(
        "feed from %s: %d chunks, %d counts added or corrected, campaign changed: %s",
        update.mirror,
        merge.chunks,
        merge.counts,
        merge.campaign_changed,
    )
    return merge
