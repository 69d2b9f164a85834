"""Keeping the campaign's live data up to date: one timer to the next sync, the download on a
worker thread of its own (never the store's, and never waited for on quit), the merge back on the
store's worker. Says in the user's language when the data was last updated, or why not."""

from __future__ import annotations

import contextlib
import logging
import random
import threading
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ..core.errors import UserError
from ..core.formatting import format_moment
from ..core.i18n import _
from ..core.jobs import FetchFeed
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


class _Relay(QObject):
    """Carries the download's outcome from its thread to the GUI thread (queued signals)."""

    fetched = Signal(object, object)  # the attempt's number, FeedUpdate
    failed = Signal(object, object)  # the attempt's number, UserError


class _SignalledFetch(FetchFeed):
    """The download job, its hooks turned into signals to the GUI thread (dropped once the
    sync is closed: the app may be gone)."""

    def __init__(self, plan, now, zone, cancelled: threading.Event, relay: _Relay, attempt: int):
        super().__init__(plan, now, zone, cancelled.is_set)
        self._stop = cancelled
        self._relay = relay
        self._attempt = attempt

    def _deliver(self, signal_name: str, outcome: object) -> None:
        if self._stop.is_set():
            return
        # RuntimeError: the app quit while this thread was still downloading.
        with contextlib.suppress(RuntimeError):
            getattr(self._relay, signal_name).emit(self._attempt, outcome)

    def handle_success(self, result: object) -> None:
        self._deliver("fetched", result)

    def handle_error(self, error: UserError) -> None:
        super().handle_error(error)
        self._deliver("failed", error)


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
        super().__init__(self.sync_now, parent)  # status "" when the campaign has no feed
        self._service = service
        self._settings = settings
        self._clock = clock
        self._rng = rng or random.Random()
        self._relay = _Relay(self)
        self._relay.fetched.connect(self._fetched)
        self._relay.failed.connect(self._failed_download)
        self._attempt = 0
        self._busy = False
        self._closed = False
        self._cancel = threading.Event()  # the current attempt's download: set to abandon it
        self.failures = 0
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
        if self._closed or (self._busy and not restart):
            return
        self._cancel.set()  # an earlier attempt's download, if any, stops at once; then ignored
        self._cancel = threading.Event()
        self._busy = True
        self._attempt += 1
        attempt = self._attempt
        self._service.plan_sync(
            self._settings.feed_url or None,
            lambda plan: self._planned(attempt, plan),
            lambda error: self._failed(attempt, error),
        )

    def set_automatic(self, on: bool) -> None:
        """Turned on: sync now, then every interval; off: no sync is planned any more (one under
        way still ends and is merged)."""
        if on:
            self.sync_now()
        else:
            self._timer.stop()

    def close(self) -> None:
        """Stop: a download in progress is abandoned (its thread is a daemon: quitting never
        waits for the network), and its outcome ignored."""
        self._closed = True
        self._cancel.set()
        self._timer.stop()

    def _planned(self, attempt: int, plan: SyncPlan | None) -> None:
        if self._closed or attempt != self._attempt:
            return
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

        job = _SignalledFetch(plan, now, zone, self._cancel, self._relay, attempt)

        def download() -> None:
            try:
                job.execute()
            except UserError:
                pass  # handle_error has said it
            except Exception as exc:  # a bug must not kill the thread silently
                log.exception("feed download failed")
                job.handle_error(UserError(_("Something went wrong."), repr(exc)))

        threading.Thread(target=download, name="feed-download", daemon=True).start()

    def _fetched(self, attempt: int, update: FeedUpdate) -> None:
        if self._closed or attempt != self._attempt:
            return
        self._service.apply_feed(
            update,
            lambda merge: self._applied(attempt, merge),
            lambda error: self._failed(attempt, error),
        )

    def _applied(self, attempt: int, merge: FeedMerge) -> None:
        if self._closed or attempt != self._attempt:
            return
        self._busy = False
        self.failures = 0
        self.last_success = self._clock.now()
        self._set_status(self._updated_text(self.last_success))
        self.synced.emit(merge)
        self._plan_next()

    def _failed_download(self, attempt: int, error: UserError) -> None:
        self._failed(attempt, error)

    def _failed(self, attempt: int, error: UserError) -> None:
        if self._closed or attempt != self._attempt:
            return
        self._busy = False
        self.failures += 1
        log.warning(
            "feed sync failed (%d in a row): %s %s", self.failures, error.message, error.detail
        )
        self._set_status(error.message)
        self._plan_next()

    def _plan_next(self) -> None:
        if not self._closed and self._settings.feed_sync:
            interval = timedelta(minutes=self._settings.feed_interval_minutes)
            self._run_in(next_wait(interval, self.failures, self._rng))
