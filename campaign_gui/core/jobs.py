"""Syncing the feed as three jobs, so the window can run each where it belongs: reading the
store (its worker), downloading (the network worker, cancellable, never the store's), then one
merge (the store's worker). The command line runs them one after the other."""

from __future__ import annotations

import abc
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

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


class Job(abc.ABC):
    """One step of work, with hooks. The command line runs ``execute()`` as it is; the window
    subclasses a job and overrides its hooks to emit signals from whatever thread it runs on
    (dangerzone's startup tasks). The hooks here only log."""

    name = "job"

    def handle_start(self) -> None:
        log.debug("%s: starting", self.name)

    def handle_success(self, result: object) -> None:
        log.debug("%s: done", self.name)

    def handle_error(self, error: UserError) -> None:
        log.warning("%s failed: %s %s", self.name, error.message, error.detail)

    @abc.abstractmethod
    def run(self) -> object: ...

    def execute(self) -> Any:
        """Run with the hooks around it; a ``UserError`` goes to ``handle_error`` and on."""
        self.handle_start()
        try:
            result = self.run()
        except UserError as exc:
            self.handle_error(exc)
            raise
        self.handle_success(result)
        return result


class PlanSync(Job):
    """What a sync needs from the store (the store's worker). ``feed_url`` replaces the
    campaign's mirrors; the campaign file's root still decides what is trusted."""

    name = "plan the sync"

    def __init__(self, workspace: Workspace, feed_url: str | None = None):
        self.workspace = workspace
        self.feed_url = feed_url

    def run(self) -> SyncPlan:
        workspace = self.workspace
        feed = workspace.feed
        if feed is None:
            raise NoFeedError(
                _(
                    "This campaign has no live data feed: its file does not say where one is. "
                    "Open the campaign file its organisers publish."
                ),
                f"campaign {workspace.campaign.id}: no feed with a root",
            )
        mirrors = (check_mirror(self.feed_url),) if self.feed_url else feed.mirrors
        # Kept per feed key (campaign and root keys): another feed's state never mixes in.
        key = workspace.feed_key or workspace.campaign.id  # feed_key: the feed has a root
        return SyncPlan(
            workspace.campaign.id,
            mirrors,
            feed.root,
            workspace.store.merged_chunks(key),
            workspace.store.trusted_feed(key),
        )


class FetchFeed(Job):
    """The network step (its own worker, cancellable): what the feed has that the store has
    not, or a ``FeedError`` saying why nothing can be taken."""

    name = "download the feed"

    def __init__(
        self,
        plan: SyncPlan,
        now: datetime,
        zone: tzinfo | None,
        cancelled: Callable[[], bool] = lambda: False,
    ):
        self.plan = plan
        self.now = now
        self.zone = zone
        self.cancelled = cancelled

    def run(self) -> FeedUpdate:
        plan = self.plan
        return fetch_update(
            plan.mirrors,
            plan.root,
            plan.trusted,
            campaign_id=plan.campaign_id,
            merged=plan.merged,
            now=self.now,
            zone=self.zone,
            cancelled=self.cancelled,
        )


class MergeFeed(Job):
    """The verified update into the store, in one transaction (the store's worker)."""

    name = "merge the feed"

    def __init__(self, workspace: Workspace, update: FeedUpdate, now: datetime):
        self.workspace = workspace
        self.update = update
        self.now = now

    def run(self) -> FeedMerge:
        merge = self.workspace.apply_feed(self.update, self.now)
        log.info(
            "feed from %s: %d chunks, %d counts added or corrected, campaign changed: %s",
            self.update.mirror,
            merge.chunks,
            merge.counts,
            merge.campaign_changed,
        )
        return merge


class TrackPages(Job):
    """One round of the organisers' tracker: every page's counts read now (the network's
    worker); what to do next is in the ``Round`` it returns."""

    name = "read the pages"

    def __init__(
        self,
        token: str,
        campaign: Campaign,
        now: datetime,
        failures: int = 0,
        *,
        api_base: str | None = None,
        version: str = DEFAULT_VERSION,
    ):
        self.token = token
        self.campaign = campaign
        self.now = now
        self.failures = failures
        self.api_base = api_base or DEFAULT_API_BASE
        self.version = version

    def run(self) -> Round:
        with GraphClient(self.token, api_base=self.api_base, version=self.version) as client:
            return track_round(client, self.campaign, self.now, self.failures)
