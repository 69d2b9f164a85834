"""The app's own updates in the window: the check at most once a day (after the first paint,
then one timer to the next due time) and on demand, the installer's download and the handover,
each on a network thread; the outcomes signalled back. When a check is due and which versions
were announced is ``core/updates/update_state``'s; the check, the download and the handover are
``core/updates``'.

The installer goes where the command line puts it (``update_client.download_folder``: the
app's data folder): a ``.part`` resumed by the next download, a verified file found again by the
next start, and the Linux tarball's unpacking beside it, none of them in the user's Downloads."""

from __future__ import annotations

import logging
import random
import threading
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from .. import __version__
from ..core.errors import UserError
from ..core.retry import next_wait
from ..core.updates.release_address import release_addresses
from .executors import Task
from .periodic import Periodic

if TYPE_CHECKING:
    from ..core.clock import Clock
    from ..core.settings import Settings
    from ..core.updates.update_client import Update

log = logging.getLogger(__name__)

# How many progress steps a download reports at most (one a permille: a 150 MB installer does
# not send the window thousands of signals).
PROGRESS_STEPS = 1000
# Failures that no retry mends (a build without a release address, a system without
# installers): the next check comes a day later, not sooner.
LASTING = ("no-address", "no-installer")


class UpdateService(Periodic):
    """Checks for a newer version once a day at most while ``settings.update_checks`` is on,
    and whenever asked (``check_now``); downloads and hands over only when asked."""

    update_found = Signal(object)  # Update
    up_to_date = Signal()
    failed = Signal(str)  # the check's failure, in the user's language
    download_progress = Signal(object, object)  # bytes done, bytes in all (may pass 2**31)
    downloaded = Signal(object)  # Path: the verified installer
    download_failed = Signal(str)
    install_failed = Signal(str)
    installed = Signal()  # handed over: the app may quit for the setup

    def __init__(
        self,
        data_dir: Path,
        settings: Settings,
        *,
        clock: Clock,
        release_root: bytes | None = None,
        running: str = __version__,
        rng: random.Random | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``release_root``: the release index's root to trust instead of the one the app
        carries (a test's, or a release manager's staging repository)."""
        super().__init__(self._automatic_check, rng=rng, parent=parent)
        self._data_dir = data_dir
        self._settings = settings
        self._clock = clock
        self._root = release_root
        self.running = running
        self.asked = False  # the check under way (or the last) was asked for by the user
        self.found: Update | None = None  # the newest update the last check found
        self._fetching: Task | None = None  # the installer's download or handover under way
        # One download writes the ``.part`` at a time: a download after a Cancel waits, on its
        # own thread, for the cancelled one to close the file (at its next piece), then goes on
        # from what it left.
        self._one_download = threading.Lock()

    # -- checking ----------------------------------------------------------------------------

    def start(self) -> None:
        """After the first paint: check now if a check is due, else plan it for when it is,
        and show again the update an earlier run's check found (verified anew, no network)."""
        self._stopped = False
        if self._automatic():
            self._plan_or_check()
            if not self._busy:
                self._show_kept()

    def _show_kept(self) -> None:
        """The version the last check found, if any: ``update_found`` once the trusted
        metadata and index kept on disk verify it again (expiry judged now)."""
        from ..core.updates.update_state import load_update_state

        if load_update_state(self._data_dir).found is None:
            return
        mirrors = release_addresses(self._settings.release_url)
        if not mirrors:
            return
        now, data_dir, root, running = self._clock.now(), self._data_dir, self._root, self.running

        def work(_cancelled: threading.Event) -> Update | None:
            from ..core.updates.update_client import kept_update

            return kept_update(
                data_dir, now=now, running=running, mirror=mirrors[0], trusted_root=root
            )

        self._network.submit(
            "show the update found earlier",
            work,
            self._kept_found,
            lambda error: log.warning("update found earlier: %s", error.detail),
            thread_name="update-kept",
        )

    def _kept_found(self, update: Update | None) -> None:
        if update is not None and not self._busy and self.found is None:
            self.found = update
            self.update_found.emit(update)

    def set_automatic(self, on: bool) -> None:
        """The setting changed: checks come back when due, or stop (one under way still ends)."""
        if on:
            self.start()
        else:
            self._timer.stop()

    def check_now(self) -> None:
        """The user asked (Help → Check for updates…): a check now, whatever the setting; one
        under way is abandoned for it."""
        self._check(asked=True)

    def _automatic(self) -> bool:
        """Checks on their own: the setting on, and somewhere to look (a build without a
        release address never fails quietly once a day)."""
        return self._settings.update_checks and bool(release_addresses(self._settings.release_url))

    def _automatic_check(self) -> None:
        if self._automatic():
            self._plan_or_check()

    def _plan_or_check(self) -> None:
        from ..core.updates.update_state import load_update_state

        # Read again each time: ``campaign-gui update`` may have checked meanwhile.
        wait = load_update_state(self._data_dir).due_in(self._clock.now())
        if wait > timedelta(0):
            self._run_in(wait)
        elif not self._busy:
            self._check(asked=False)

    def _check(self, *, asked: bool) -> None:
        self._begin()
        self.asked = asked
        now, data_dir, root, running = self._clock.now(), self._data_dir, self._root, self.running
        mirrors = release_addresses(self._settings.release_url)

        def work(cancelled: threading.Event) -> Update | None:
            from ..core.updates.update_client import check_for_update
            from ..core.updates.update_state import load_update_state, save_update_state

            found = check_for_update(
                data_dir,
                now=now,
                running=running,
                mirrors=mirrors,
                trusted_root=root,
                cancelled=cancelled.is_set,
            )
            state = load_update_state(data_dir)
            save_update_state(
                data_dir, state.checked(now, found.release.version if found else None)
            )
            return found

        self._download("check for updates", work, self._checked, self._failed, thread_name="update")

    def _checked(self, update: Update | None) -> None:
        self._ended(worked=True)
        self.found = update
        self._plan_next()
        if update is None:
            self.up_to_date.emit()
        else:
            self.update_found.emit(update)

    def _failed(self, error: UserError) -> None:
        self._ended(worked=False)
        log.warning("update check failed (%d in a row): %s", self.failures, error.detail)
        if getattr(error, "kind", "") in LASTING:
            self.failures = 0  # trying again sooner would find the same
        self._plan_next()
        self.failed.emit(error.message)

    def _plan_next(self) -> None:
        if self._settings.update_checks:
            from ..core.updates.update_state import CHECK_EVERY

            self._run_in(next_wait(CHECK_EVERY, self.failures, self._rng))

    def announce(self, update: Update) -> bool:
        """Whether ``update``'s version is to be announced (a tray notice), once per version:
        True the first time, remembered for every later run."""
        from ..core.updates.update_state import load_update_state, save_update_state

        state = load_update_state(self._data_dir)
        version = update.release.version
        if not state.should_announce(version):
            return False
        try:
            save_update_state(self._data_dir, state.announce(version))
        except (OSError, UserError):
            log.exception("could not keep the announced version %s", version)
        return True

    # -- downloading and handing over -----------------------------------------------------------

    @property
    def fetching(self) -> bool:
        """A download or a handover is under way."""
        return self._fetching is not None

    def download(self, update: Update) -> None:
        """Download ``update``'s installer (resuming what an earlier one left), verified;
        ``downloaded`` with its path, or ``download_failed``."""
        if self._fetching is not None:
            return
        from ..core.updates.installer_download import download_installer
        from ..core.updates.update_client import download_folder

        folder = download_folder(self._data_dir)
        shown = [-1]

        def progress(done: int, total: int) -> None:  # on the download's thread
            step = done * PROGRESS_STEPS // max(total, 1)
            if step != shown[0]:
                shown[0] = step
                self.download_progress.emit(done, total)

        def work(cancelled: threading.Event) -> Path:
            with self._one_download:
                return download_installer(
                    update, folder, progress=progress, cancelled=cancelled.is_set
                )

        self._fetching = self._network.submit(
            "download the update",
            work,
            self._downloaded,
            self._download_failed,
            thread_name="update-download",
        )

    def cancel_download(self) -> None:
        """Stop the download at once; what came is kept for the next one to resume."""
        if self._fetching is not None:
            self._fetching.cancel()
            self._fetching = None

    def _downloaded(self, path: Path) -> None:
        self._fetching = None
        self.downloaded.emit(path)

    def _download_failed(self, error: UserError) -> None:
        self._fetching = None
        self.download_failed.emit(error.message)

    def install(self, update: Update, installer: Path) -> None:
        """Hand ``installer`` over to the system (the user clicked Install now): Windows'
        setup starts, macOS opens the disk image, Linux installs the tarball; ``installed``
        then, for the app to quit."""
        if self._fetching is not None:
            return
        from ..core.updates.handover import hand_over, handover_for

        platform = update.platform
        self._fetching = self._network.submit(
            "hand over the update",
            lambda _cancelled: hand_over(handover_for(installer, platform)),
            self._installed,
            self._install_failed,
            thread_name="update-install",
        )

    def _installed(self, _result: object) -> None:
        self._fetching = None
        self.installed.emit()

    def _install_failed(self, error: UserError) -> None:
        self._fetching = None
        self.install_failed.emit(error.message)
