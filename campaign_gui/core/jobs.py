"""Syncing the feed in three steps, so the window can run each where it belongs: planning from
the store (the store's thread), downloading (the network's, cancellable, never the store's), then
one merge (the store's thread); and one round of the organisers' tracker (the network's). Plain
functions: the command line calls them one after the other. Each raises a ``UserError`` saying
why it could not."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from .campaign import Campaign
from .errors import UserError
from .feed.mirrors import check_mirror
from .feed.sync import FeedUpdate, fetch_update
from .graph_api.client import DEFAULT_API_BASE, DEFAULT_VERSION, GraphClient
from .i18n import _
from .store import FeedMerge, TrustedFeed
from .tracker import Round, track_round
from .workspace import Workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncPlan:
    campaign_id: str
    mirrors: tuple[str, ...]
    root: bytes  # the campaign file's: what decides which feed is this campaign's
    merged: dict[str, str]
    trusted: TrustedFeed  # what the last accepted sync left


class NoFeedError(UserError):
    pass


def plan_sync(workspace: Workspace, feed_url: str | None = None) -> SyncPlan:
    """What a sync needs from the store (the store's thread). ``feed_url`` replaces the
    campaign's mirrors; the campaign file's root still decides what is trusted."""
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
    # Kept per feed key (campaign and root keys): another feed's state never mixes in.
    key = workspace.feed_key or workspace.campaign.id  # feed_key: the feed has a root
    return SyncPlan(
        workspace.campaign.id,
        mirrors,
        feed.root,
        workspace.store.merged_chunks(key),
        workspace.store.trusted_feed(key),
    )


def fetch_feed(
    plan: SyncPlan,
    now: datetime,
    zone: tzinfo | None,
    cancelled: Callable[[], bool] = lambda: False,
) -> FeedUpdate:
    """The network step (its own thread, cancellable): what the feed has that the store has
    not, or a ``FeedError`` saying why nothing can be taken."""
    return fetch_update(
        plan.mirrors,
        plan.root,
        plan.trusted,
        campaign_id=plan.campaign_id,
        merged=plan.merged,
        now=now,
        zone=zone,
        cancelled=cancelled,
    )


def merge_feed(workspace: Workspace, update: FeedUpdate, now: datetime) -> FeedMerge:
    """The verified update into the store, in one transaction (the store's thread)."""
    merge = workspace.apply_feed(update, now)
    log.info(
        "feed from %s: %d chunks, %d counts added or corrected, campaign changed: %s",
        update.mirror,
        merge.chunks,
        merge.counts,
        merge.campaign_changed,
    )
    return merge


def track_pages(
    token: str,
    campaign: Campaign,
    now: datetime,
    failures: int = 0,
    *,
    api_base: str | None = None,
    version: str = DEFAULT_VERSION,
    rng: random.Random | None = None,
) -> Round:
    """One round of the organisers' tracker: every page's counts read now (the network's
    thread); what to do next is in the ``Round`` it returns (``failures``: see ``track_round``)."""
    with GraphClient(token, api_base=api_base or DEFAULT_API_BASE, version=version) as client:
        return track_round(client, campaign, now, failures, rng)
