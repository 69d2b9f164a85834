"""The store and campaign, worked on off the GUI thread.

Every store operation runs on one background thread (the ``StoreExecutor``), in order, so the
window never waits on disk and the SQLite connection is only ever used by one thread at a time.
Results come back as signals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ..core.clock import Clock
from ..core.errors import UserError, sqlite_errors
from ..core.i18n import _
from ..core.paths import AppPaths
from .executors import StoreExecutor

if TYPE_CHECKING:
    # The store, the series and NumPy load on the background thread, after the first paint.
    from ..core.campaign import ActionDay
    from ..core.exports import ExportGuard
    from ..core.feed.sync import FeedUpdate
    from ..core.jobs import SyncPlan
    from ..core.snapshot import Snapshot
    from ..core.store import FeedMerge, ImportResult, Observation, Spans
    from ..core.workspace import Workspace

log = logging.getLogger(__name__)

# Seconds quitting waits for the store's queued work (a count being written, an import) to end.
STORE_QUIT_WAIT = 30.0


class WorkspaceService(QObject):
    loaded = Signal(object)  # Snapshot
    load_failed = Signal(object)  # UserError
    imported = Signal(object)  # ImportResult
    exported = Signal(int)
    calendar_exported = Signal(int)
    operation_failed = Signal(object)  # UserError
    finishing = Signal(str)  # quitting waits for the store's work: what the user is told

    def __init__(
        self,
        paths: AppPaths,
        campaign_file: Path | None,
        parent: QObject | None = None,
        *,
        clock: Clock,
    ):
        super().__init__(parent)
        self._paths = paths
        self._campaign_file = campaign_file
        # Read when the user acts (on the GUI thread), not when the background thread gets to it.
        self._clock = clock
        self._workspace: Workspace | None = None
        self._store = StoreExecutor(self)
        self._last: Snapshot | None = None  # the last snapshot made (on the background thread)

    @property
    def campaign_file(self) -> Path | None:
        """The campaign file given at start (None: the bundled one)."""
        return self._campaign_file

    def export_guard(self) -> ExportGuard:
        """What no export from the window may write (the same rule as the command line's)."""
        from ..core.exports import ExportGuard  # loaded by the first export, not at start

        return ExportGuard.for_app(self._paths, self._campaign_file)

    def _submit(
        self,
        name: str,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[UserError], None],
    ) -> None:
        """``work`` on the store's thread, after what came before; ``name`` is for the log."""
        data_dir = self._paths.data_dir

        def guarded() -> Any:
            try:
                return work()
            except sqlite_errors() as exc:  # a page of the store went bad while it was read
                from ..core.store import STORE_FILE, damaged_store_error

                raise damaged_store_error(data_dir / STORE_FILE, exc) from exc

        self._store.submit(name, guarded, done, failed)

    def _workspace_or_open(self) -> Workspace:
        if self._workspace is None:
            from ..core.workspace import Workspace

            self._workspace = Workspace.open(self._paths, self._campaign_file, clock=self._clock)
        return self._workspace

    def _snapshot(self, spans: Spans | None = None) -> Snapshot:
        """What the window shows; with ``spans``, the last snapshot's series take only the
        counts in them (``Workspace.updated_series``), when nothing else changed."""
        from ..core.snapshot import take_snapshot  # on the store's thread, after the paint

        last, self._last = self._last, None  # a failed snapshot leaves the next one whole
        self._last = take_snapshot(self._workspace_or_open(), last, spans)
        return self._last

    def load(self, spans: Spans | None = None) -> None:
        """Open the store (first time) and compute everything the window shows; ``spans``: only
        counts were added, there."""
        self._submit(
            "load what the window shows",
            lambda: self._snapshot(spans),
            self.loaded.emit,
            self.load_failed.emit,
        )

    def set_unliked(self, target: str, unliked: bool) -> None:
        when = self._clock.now()

        def work() -> None:
            workspace = self._workspace_or_open()
            workspace.store.set_unliked(workspace.campaign.id, target, unliked, when)

        self._submit(
            "keep a page unliked or not", work, lambda _r: None, self.operation_failed.emit
        )

    def _change_then_reload(self, name: str, change: Callable[[Workspace], None]) -> None:
        """Run a store change in the background, then reload what the window shows."""

        def work() -> None:
            change(self._workspace_or_open())

        self._submit(name, work, lambda _r: self.load(), self.operation_failed.emit)

    def save_user_day(self, day: ActionDay) -> None:
        self._change_then_reload(
            "save an action day", lambda w: w.store.save_user_day(w.campaign.id, day)
        )

    def delete_user_day(self, day_id: str) -> None:
        self._change_then_reload(
            "delete an action day", lambda w: w.store.delete_user_day(w.campaign.id, day_id)
        )

    def set_day_reminders(self, day_id: str, enabled: bool) -> None:
        self._change_then_reload(
            "set a day's reminders",
            lambda w: w.store.set_day_reminders(w.campaign.id, day_id, enabled),
        )

    def mark_delivered(self, keys: list[str], when: datetime) -> None:
        def work() -> None:
            workspace = self._workspace_or_open()
            workspace.store.mark_delivered(workspace.reminders_key, keys, when)

        self._submit("mark reminders delivered", work, lambda _r: None, self.operation_failed.emit)

    def export_calendar(self, path: Path) -> None:
        now = self._clock.now()

        def work() -> int:
            from ..core.calendar_export import action_days_calendar
            from ..core.exports import write_export

            workspace = self._workspace_or_open()
            days = workspace.action_days()
            calendar = action_days_calendar(workspace.campaign, days, now).decode("utf-8")
            write_export(path, lambda out: out.write(calendar), self.export_guard())
            return len(days)

        self._submit(
            "export the action days", work, self.calendar_exported.emit, self.operation_failed.emit
        )

    def import_csv(self, path: Path) -> None:
        now = self._clock.now()

        def work() -> ImportResult:
            from ..core.exchange import import_csv

            workspace = self._workspace_or_open()
            return import_csv(workspace.store, workspace.campaign, path, now)

        def done(result: ImportResult) -> None:
            self.imported.emit(result)
            if result.added:
                self.load()

        self._submit("import counts from a CSV file", work, done, self.operation_failed.emit)

    def export_csv(self, path: Path) -> None:
        def work() -> int:
            from ..core.exchange import write_csv
            from ..core.exports import write_export

            workspace = self._workspace_or_open()
            return write_export(
                path,
                lambda out: write_csv(
                    workspace.store, workspace.campaign, out, workspace.shown_keys
                ),
                self.export_guard(),
            )

        self._submit("export the counts", work, self.exported.emit, self.operation_failed.emit)

    def add_counts(
        self,
        observations: list[Observation],
        done: Callable[[ImportResult], None],
        failed: Callable[[UserError], None],
    ) -> None:
        """Counts the tracker read (already checked); the window shows them once stored."""

        def work() -> ImportResult:
            workspace = self._workspace_or_open()
            return workspace.store.add_observations(workspace.campaign.id, observations)

        def stored(result: ImportResult) -> None:
            from ..core.store import spans_of

            done(result)
            if result.added:
                self.load(spans_of(observations))

        self._submit("store the tracked counts", work, stored, failed)

    # -- the feed: what a sync needs from the store, and its merge (the network is not here) --

    def plan_sync(
        self,
        feed_url: str | None,
        done: Callable[[SyncPlan | None], None],
        failed: Callable[[UserError], None],
    ) -> None:
        """What a sync needs from the store; None for a campaign with no feed."""

        def work() -> SyncPlan | None:
            from ..core import jobs

            workspace = self._workspace_or_open()
            if workspace.feed is None:
                return None
            return jobs.plan_sync(workspace, feed_url)

        self._submit("plan the sync", work, done, failed)

    def apply_feed(
        self,
        update: FeedUpdate,
        done: Callable[[FeedMerge], None],
        failed: Callable[[UserError], None],
    ) -> None:
        """Merge a verified update in one transaction, then reload what the window shows."""
        now = self._clock.now()

        def work() -> FeedMerge:
            from ..core import jobs

            return jobs.merge_feed(self._workspace_or_open(), update, now)

        def merged(merge: FeedMerge) -> None:
            done(merge)
            if merge.campaign_changed:
                self.load()
            elif merge.counts:
                self.load(merge.spans)

        self._submit("merge the feed", work, merged, failed)

    def close(self) -> None:
        """Finish queued work (a count being written must not be lost), then close the store on
        its own thread; quitting waits for that at most ``STORE_QUIT_WAIT`` seconds, and the log
        says what for. Nothing comes back from the store after this."""
        if self._store.closed:
            return
        if self._store.waiting_for():  # said before the wait, which then runs the event loop
            self.finishing.emit(
                _(
                    "Campaign Companion is finishing what it was doing (an import, perhaps) "
                    "before it closes…"
                )
            )
        self._store.submit("close the store", self._close_workspace)
        self._store.close(STORE_QUIT_WAIT)

    def _close_workspace(self) -> None:
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None
