"""The campaign and its store, opened together: what the CLI and the window both start from."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

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
from .feed.trust import feed_key
from .like_loss import ALL_TARGETS, LossSeries, build_series, page_measure, splice_counts
from .page_counts import ABSENT, PageCounts
from .paths import AppPaths
from .store import FeedMerge, Spans, Store

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

    @property
    def feed_key(self) -> str | None:
        """Where the store keeps what this campaign's feed brought (its counts, its campaign
        document, TUF's metadata): the feed's key (``feed.trust``) when the campaign file trusts
        a feed's root, so that only what that root signed is ever shown for it; else None."""
        return feed_key_of(self.campaign.id, self.feed)

    @property
    def reminders_key(self) -> str:
        """Where the reminders already given are kept: the feed's key when the file trusts one,
        so that another file with the same campaign id (a stranger's feed) never marks this
        campaign's reminders as given."""
        return self.feed_key or self.campaign.id

    @property
    def shown_keys(self) -> tuple[str, ...]:
        """The counts shown for this campaign: its feed's first (the organisers' word wins at
        the same instant), then the user's own (imported, or tracked by an organiser), which
        are kept under the campaign's id and are all that ``publish`` signs."""
        own = self.campaign.id
        return (self.feed_key, own) if self.feed_key else (own,)

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
            changed = store.merge_reports(campaign, feed_key_of(from_file.id, from_file.feed))
        except BaseException:
            store.close()
            raise
        if changed:
            log.info("merged %d reported figures of campaign %s", changed, campaign.id)
        return cls(campaign, store, _feed_source(from_file, campaign), source)

    def apply_feed(self, update: FeedUpdate, when: datetime) -> FeedMerge:
        """Merge a verified feed update (campaign, counts, trusted metadata) in one transaction.
        ``campaign_changed`` says whether anything shown of the campaign changed (its pages,
        days, figures), not whether a document was stored. Only a campaign file that trusts a
        feed's root takes one."""
        feed = self.feed_key
        if feed is None:
            raise ValueError(f"campaign {self.campaign.id} trusts no feed: nothing to merge")
        merge = self.store.merge_feed(
            feed,
            update.campaign,
            update.document,
            update.chunks,
            trusted=update.trusted,
            mirror=update.mirror,
            fresh_until=update.fresh_until,
            when=when,
            forget=update.forget,
        )
        visible_change = _shown(update.campaign) != _shown(self.campaign)
        merge = replace(merge, campaign_changed=visible_change)
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
        return self._series(self.store.page_counts)

    def latest_series(self) -> dict[str, LossSeries]:
        """The series with only the counts their latest figure is computed from (the baseline
        and the latest, ``Store.page_count_ends``): ``latest()`` is ``loss_series``'s, at the
        cost of a few rows a page however long the campaign has run."""
        since = math.floor(self.campaign.start_instant().timestamp())
        return self._series(lambda keys, target: self.store.page_count_ends(keys, target, since))

    def updated_series(
        self, series: Mapping[str, LossSeries], spans: Spans
    ) -> dict[str, LossSeries] | None:
        """``series`` (this campaign's, as shown) with the counts in ``spans`` read again: the
        cost of what arrived, not of the whole series. None when a page's baseline changed
        (every loss of it with it): the whole series must be built again."""
        since = math.floor(self.campaign.start_instant().timestamp())
        updated = dict(series)
        for target, (first, last) in spans.items():
            shown = {k: s for k, s in series.items() if s.target == target and k != ALL_TARGETS}
            if not shown or self.campaign.target(target) is None:
                continue  # not a page of this campaign: never shown
            ends = self.store.page_count_ends(self.shown_keys, target, since)
            reports = [r for r in self.campaign.reports if r.target == target]
            fresh = {
                k: s
                for k, s in build_series(self.campaign, reports, {target: ends}).items()
                if s.target == target and k != ALL_TARGETS
            }
            if fresh.keys() != shown.keys() or any(
                (fresh[k].measure, fresh[k].baseline, fresh[k].since)
                != (line.measure, line.baseline, line.since)
                for k, line in shown.items()
            ):
                return None  # a baseline, or the lines a page has, changed
            counts = self.store.page_counts_between(self.shown_keys, target, first, last)
            main = page_measure(self.campaign, ends)
            in_main = counts.column(main) != ABSENT
            for key, line in shown.items():
                if line.baseline is None:
                    continue  # the start and the reports only
                chosen = in_main if line.measure == main else ~in_main
                values = counts.column(line.measure)[chosen]
                updated[key] = splice_counts(line, first, last, counts.times[chosen], values)
        return updated

    def _series(self, read: Callable[[tuple[str, ...], str], PageCounts]) -> dict[str, LossSeries]:
        counts = _StoredCounts(read, self.shown_keys, [t.id for t in self.campaign.targets])
        # The reported figures are the campaign file's own (validated: each names one of its
        # pages), never read back from the store, which another copy of the app may have just
        # filled from another file with the same campaign id.
        return build_series(self.campaign, self.campaign.reports, counts)


class _StoredCounts(Mapping[str, PageCounts]):
    """Each page's like counts, read from the store when its series is built: a year of counts
    is then held once, as the series, not also as every page's raw counts at the same time."""

    def __init__(
        self,
        read: Callable[[tuple[str, ...], str], PageCounts],
        keys: tuple[str, ...],
        targets: list[str],
    ) -> None:
        self._read, self._keys, self._targets = read, keys, targets

    def __getitem__(self, target: str) -> PageCounts:
        if target not in self._targets:
            raise KeyError(target)
        return self._read(self._keys, target)

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)


def _current_campaign(store: Store, campaign: Campaign, origin: str) -> Campaign:
    """The campaign to show: the one its feed last gave (newer than any file) if there is one,
    else the file's. Only a feed's campaign is kept in the store: a file is read at each start,
    and reading it writes nothing, so a start never waits on another copy of the app."""
    if campaign.feed is None or not campaign.feed.root:
        return campaign  # nothing a feed brought is shown for a file that trusts no root
    stored = store.stored_campaign(feed_key_of(campaign.id, campaign.feed) or "")
    if stored is not None and stored.origin == "feed":
        try:
            return parse_campaign_bytes(stored.document, "feed")
        except CampaignError as exc:
            log.warning("the stored feed campaign is not valid, using %s: %s", origin, exc.detail)
    return campaign


def feed_key_of(campaign_id: str, feed: FeedSource | None) -> str | None:
    """The feed's key when the campaign trusts a feed's root (``Workspace.feed_key``)."""
    return feed_key(campaign_id, feed.root) if feed is not None and feed.root else None


def _shown(campaign: Campaign) -> Campaign:
    """The campaign as the window shows it: where its feed is served is not shown."""
    return replace(campaign, feed=None)


def _feed_source(from_file: Campaign, current: Campaign) -> FeedSource | None:
    """The file's mirrors first (a newer file may name a new host after a move), then those the
    feed itself last named; what any of them serves is checked against the file's root."""
    if from_file.feed is None or not from_file.feed.root:
        return None
    signed = current.feed.mirrors if current.feed is not None else ()
    mirrors = tuple(dict.fromkeys((*from_file.feed.mirrors, *signed)))
    return FeedSource(mirrors, from_file.feed.root)
