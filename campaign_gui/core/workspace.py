"""The campaign and its store, opened together: what the CLI and the window both start from."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .campaign import (
    BUNDLED_CAMPAIGN,
    ActionDay,
    Campaign,
    CampaignError,
    FeedSource,
    bundled_campaign_bytes,
    parse_campaign_bytes,
    read_campaign_file,
)
from .clock import Clock
from .like_loss import LossSeries, build_series
from .paths import AppPaths
from .store import FeedMerge, Store

if TYPE_CHECKING:
    from .feed.sync import FeedUpdate

log = logging.getLogger(__name__)


@dataclass
class Workspace:
    campaign: Campaign
    store: Store
    # Where the campaign's feed is, if it has one: the trusted root always from the campaign
    # file, the mirrors from the feed's own (signed) campaign once it gave one.
    feed: FeedSource | None = None
    # The campaign file as it was read, once, and validated: what ``publish`` signs.
    source: bytes = b""

    @classmethod
    def open(cls, paths: AppPaths, campaign_file: Path | None = None, *, clock: Clock) -> Workspace:
        """Load the campaign (the bundled one unless a file is given) and open its store.

        The campaign's reported losses are merged into the store each time; merging is idempotent.
        """
        if campaign_file:
            source, origin = read_campaign_file(campaign_file), str(campaign_file)
        else:
            source, origin = bundled_campaign_bytes(), BUNDLED_CAMPAIGN
        from_file = parse_campaign_bytes(source, origin)
        store = Store.open(paths.data_dir, now=clock.now)
        try:
            campaign = _current_campaign(store, from_file, origin)
            changed = store.merge_reports(campaign)
        except BaseException:
            store.close()
            raise
        if changed:
            log.info("merged %d reported figures of campaign %s", changed, campaign.id)
        return cls(campaign, store, _feed_source(from_file, campaign), source)

    def apply_feed(self, update: FeedUpdate, when: datetime) -> FeedMerge:
        """Merge a verified feed update (campaign, reports, counts) in one transaction."""
        merge = self.store.merge_feed(
            update.campaign,
            update.document,
            update.chunks,
            mirror=update.mirror,
            fresh_until=update.fresh_until,
            when=when,
        )
        self.campaign = update.campaign
        if self.feed is not None and update.campaign.feed is not None:
            mirrors = tuple(dict.fromkeys((*self.feed.mirrors, *update.campaign.feed.mirrors)))
            self.feed = FeedSource(mirrors, self.feed.root)
        return merge

    def close(self) -> None:
        self.store.close()

    def action_days(self) -> list[ActionDay]:
        """The campaign's own action days and the user's, in date order."""
        days = [*self.campaign.action_days, *self.store.user_days(self.campaign.id)]
        return sorted(days, key=lambda d: (d.start, d.id))

    def loss_series(self) -> dict[str, LossSeries]:
        counts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for target in self.campaign.targets:
            times, likes = self.store.like_counts(self.campaign.id, target.id)
            if len(times):
                counts[target.id] = (times, likes)
        # The reported figures are the campaign file's own (validated: each names one of its
        # pages), never read back from the store, which another copy of the app may have just
        # filled from another file with the same campaign id.
        return build_series(self.campaign, self.campaign.reports, counts)


def _current_campaign(store: Store, campaign: Campaign, origin: str) -> Campaign:
    """The campaign to show: the one its feed last gave (newer than any file) if there is one,
    else the file's. Only a feed's campaign is kept in the store: a file is read at each start,
    and reading it writes nothing, so a start never waits on another copy of the app."""
    stored = store.stored_campaign(campaign.id)
    if stored is not None and stored.origin == "feed":
        try:
            return parse_campaign_bytes(stored.document, "feed")
        except CampaignError as exc:
            log.warning("the stored feed campaign is not valid, using %s: %s", origin, exc.detail)
    return campaign


def _feed_source(from_file: Campaign, current: Campaign) -> FeedSource | None:
    """The file's mirrors first (a newer file may name a new host after a move), then those the
    feed itself last named; what any of them serves is checked against the file's root."""
    if from_file.feed is None or not from_file.feed.root:
        return None
    signed = current.feed.mirrors if current.feed is not None else ()
    mirrors = tuple(dict.fromkeys((*from_file.feed.mirrors, *signed)))
    return FeedSource(mirrors, from_file.feed.root)
