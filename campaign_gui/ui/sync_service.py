"""Keeping the campaign's live data up to date: one timer to the next sync, the download on a
network thread of its own (never the store's, and never waited for on quit), the merge back on the
store's thread. Says in the user's language when the data was last updated, or why not."""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ..core.errors import UserError
from ..core.formatting import format_moment
from ..core.i18n import _
from ..core.jobs import fetch_feed
from ..core.retry import next_wait
from .periodic import Periodic

if TYPE_CHECKING:
    from ..core.clock import Clock
    from ..core.feed.sync import FeedUpdate
    from ..core.jobs import SyncPlan
    from ..core.settings import Settings
    from ..core.store import FeedMerge
    from .workspace_service import WorkspaceService

log = logging.getLogger(__name__)


class SyncService(Periodic):
    """Syncs on start, then every ``feed_interval_minutes``; after a failure, sooner and then
    less often (about 1, 2, 4 … up to 60 minutes, with jitter)."""

    synced = Signal(object)  # FeedMerge

    def __init__(
        self,
        service: WorkspaceService,
        settings: Settings,
        *,
        clock: Clock,
        rng: random.Random | None = None,
        parent: QObject | None = None,
    ) -> None:
        # The status is "" when the campaign has no feed.
        super().__init__(self.sync_now, rng=rng, parent=parent)
        self._service = service
        self._settings = settings
        self._clock = clock
        self.last_success: datetime | None = None

    def start(self, last_updated: datetime | None = None) -> None:
        """Sync now; until it ends, say when the stored data was last updated, if ever."""
        if last_updated is not None and not self.status:
            self.last_success = last_updated
            self._set_status(self._updated_text(last_updated))
        if self._settings.feed_sync:
            self.sync_now()

    def _updated_text(self, moment: datetime) -> str:
        return _("Live data updated: {moment}").format(
            moment=format_moment(moment, self._clock.local_zone())
        )

    def sync_now(self, restart: bool = False) -> None:
        """Sync now, unless one is under way; with ``restart`` (the user asked: F5), one under
        way is abandoned and a new one starts, so a host that hangs never blocks an update."""
        if self._stopped or (self._busy and not restart):
            return
        self._begin()  # an earlier attempt's download, if any, stops at once; then ignored
        self._service.plan_sync(
            self._settings.feed_url or None,
            self._guarded(self._planned),
            self._guarded(self._failed),
        )

    def set_automatic(self, on: bool) -> None:
        """Turned on: sync now, then every interval; off: no sync is planned any more (one under
        way still ends and is merged)."""
        if on:
            self.sync_now()
        else:
            self._timer.stop()

    def _planned(self, plan: SyncPlan | None) -> None:
        if plan is None:  # the campaign has no feed: nothing to say, nothing to plan
            self._busy = False
            self._set_status("")
            return
        now, zone = self._clock.now(), self._clock.local_zone()
        if self.last_success is None:
            self._set_status(_("Updating the live data…"))
        else:
            self._set_status(
                _("Updating the live data… (last updated: {moment})").format(
                    moment=format_moment(self.last_success, zone)
                )
            )
        self._download(
            "download the feed",
            lambda cancelled: fetch_feed(plan, now, zone, cancelled.is_set),
            self._fetched,
            self._failed,
            thread_name="feed-download",
        )

    def _fetched(self, update: FeedUpdate) -> None:
        self._service.apply_feed(update, self._guarded(self._applied), self._guarded(self._failed))

    def _applied(self, merge: FeedMerge) -> None:
        self._ended(worked=True)
        self.last_success = self._clock.now()
        self._set_status(self._updated_text(self.last_success))
        self.synced.emit(merge)
        self._plan_next()

    def _failed(self, error: UserError) -> None:
        self._ended(worked=False)
        log.warning(
            "feed sync failed (%d in a row): %s %s", self.failures, error.message, error.detail
        )
        self._set_status(error.message)
        self._plan_next()

    def _plan_next(self) -> None:
        if self._settings.feed_sync:
            interval = timedelta(minutes=self._settings.feed_interval_minutes)
            self._run_in(next_wait(interval, self.failures, self._rng))
