"""What the running app does between its parts: on a load, a sync, a reminder, the tray's
clicks, the organiser's settings and quitting. The parts are made and connected in
``app_wiring.build_app``; this holds only the behaviour, and the parts made late (the tray after
the first paint, the sync after the first load, tracking when turned on) come from the factories
the wiring gives it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication

from ..core.clock import Clock
from ..core.i18n import LANGUAGES, _
from ..core.settings import Settings
from .language import apply_language
from .main_window import PASSING_MS, MainWindow
from .reminder_scheduler import ReminderScheduler
from .settings_keeper import SettingsKeeper
from .workspace_service import WorkspaceService

if TYPE_CHECKING:
    from PySide6.QtWidgets import QProgressDialog

    from ..core.secrets import Secrets
    from ..core.snapshot import Snapshot
    from ..core.updates.update_client import Update
    from .sync_service import SyncService
    from .track_service import TrackService
    from .tray import Tray
    from .tray_widget import TrayWidget
    from .update_dialog import DownloadDialog
    from .update_service import UpdateService

log = logging.getLogger(__name__)


class AppController(QObject):
    """The app's behaviour over its parts: the settings, the store service, the window, the
    reminder scheduler, and (made late) the tray, the sync and tracking. The window only shows
    and forwards. Quitting, however it comes, saves and closes them here."""

    def __init__(
        self,
        settings: Settings,
        keeper: SettingsKeeper,
        service: WorkspaceService,
        window: MainWindow,
        scheduler: ReminderScheduler,
        *,
        clock: Clock,
        make_tray: Callable[[AppController], tuple[Tray, TrayWidget]],
        make_sync: Callable[[AppController], SyncService],
        make_track: Callable[[AppController], TrackService],
        make_updates: Callable[[AppController], UpdateService],
    ) -> None:
        super().__init__()
        self.settings = settings
        self.keeper = keeper
        self.service = service
        self.window = window
        self.scheduler = scheduler
        self.clock = clock
        self._make_tray = make_tray
        self._make_sync = make_sync
        self._make_track = make_track
        self._make_updates = make_updates
        self.snapshot: Snapshot | None = None  # what the store service last loaded
        self.sync: SyncService | None = None
        self.track: TrackService | None = None
        self.updates: UpdateService | None = None  # the app's own updates, after the first paint
        self.download_dialog: DownloadDialog | None = None
        self.secrets: Secrets | None = None  # the keychain, opened when an organiser needs it
        self.tray: Tray | None = None
        self.widget: TrayWidget | None = None
        self._finishing: QProgressDialog | None = None  # said while quit waits for the store

    def show_tray(self) -> None:
        """The tray icon and its widget, once the window has painted (at once in the tray)."""
        settings = self.settings
        self.tray, self.widget = self._make_tray(self)
        self.tray.set_window_shown(self.window.isVisible())
        self.tray.show()
        if settings.widget_pinned:
            where = QPoint(settings.widget_x, settings.widget_y)
            self.widget.move(where)
            self.widget.set_pinned(True)
            self.widget.show_at(where)

    def quit(self) -> None:
        """Quit for real (the tray's Quit, the window's File → Quit)."""
        QApplication.quit()

    def closing(self) -> None:
        """The app is ending: where the window was, the settings, and every queued write."""
        if self.window.isVisible():
            self.window.keep_geometry()
        self.keeper.save()
        # The network is never waited for: what it would still bring is dropped. The store's
        # queued work is, for a bounded time (WorkspaceService.close).
        if self.sync is not None:
            self.sync.close()
        if self.track is not None:
            self.track.close()
        if self.updates is not None:
            self.updates.close()
        self.service.close()  # says ``finishing`` first if it has work to wait for
        if self._finishing is not None:
            self._finishing.close()

    def show_finishing(self, text: str) -> None:
        """While quitting waits for the store's work (an import of millions of rows may take a
        while): the app is not frozen, it is finishing."""
        from PySide6.QtWidgets import QProgressDialog  # its class and QDialog's: only at quit

        notice = self._finishing = QProgressDialog(text, "", 0, 0)
        notice.setCancelButton(None)
        notice.setWindowTitle(_("Campaign Companion"))
        notice.setMinimumDuration(0)
        notice.show()

    def loaded(self, snapshot: Snapshot) -> None:
        """The store service loaded what the window shows: the reminders, the tray and the
        live data follow it."""
        self.snapshot = snapshot
        self.scheduler.update(snapshot)
        self.refresh_glance()
        self.window.sync_now_action.setEnabled(snapshot.has_feed)
        self.window.live_sync_action.setEnabled(snapshot.has_feed)
        if self.sync is None:
            self._start_sync(snapshot)
        if self.track is not None:
            self.track.set_campaign(snapshot.campaign)
        elif self.settings.tracking:
            self._apply_tracking()

    # -- organisers ---------------------------------------------------------------------------

    def keychain(self) -> Secrets:
        if self.secrets is None:
            from ..core.secrets import Secrets

            # In the window, a missing keychain keeps the token for the session (and says so).
            self.secrets = Secrets(session_only_fallback=True)
        return self.secrets

    def edit_organiser(self) -> None:
        from PySide6.QtWidgets import QDialog

        from .organiser_settings import OrganiserSettingsDialog

        readings = self.track.last_readings() if self.track is not None else []
        dialog = OrganiserSettingsDialog(
            self.settings, self.keychain(), self.window, readings=readings
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.keeper.save()
            self._apply_tracking()

    def _apply_tracking(self) -> None:
        if not self.settings.tracking:
            if self.track is not None:
                self.track.stop()
            return
        if self.track is None:
            self.track = self._make_track(self)
        if self.snapshot is not None:
            self.track.set_campaign(self.snapshot.campaign)
        self.track.start()

    def tracking_stopped(self, why: str) -> None:
        """Tracking waits for a person (a new token, Meta's permission): said where it stays."""
        from .dialog_buttons import warn

        warn(self.window, _("Campaign Companion"), why)

    def tracking_said(self, text: str) -> None:
        if text:
            self.window.statusBar().showMessage(text, PASSING_MS)

    # -- the live data ------------------------------------------------------------------------

    def _start_sync(self, snapshot: Snapshot) -> None:
        """The campaign's live data, once the window shows what is stored (after the first
        paint: the network libraries load then)."""
        self.sync = self._make_sync(self)
        self.sync.start(snapshot.feed_updated)

    def set_live_sync(self, on: bool) -> None:
        """Settings → Update the live data automatically: takes effect at once, and is kept."""
        if self.settings.feed_sync == on:
            return
        self.settings.feed_sync = on
        self.keeper.save()
        if self.sync is not None:
            self.sync.set_automatic(on)

    def sync_now(self) -> None:
        """File → Update the live data now (whether or not it updates by itself): a sync under
        way that hangs is abandoned for a new one."""
        if self.sync is not None:
            self.sync.sync_now(restart=True)

    def live_status_changed(self, _text: str) -> None:
        self.refresh_glance()  # the tray's tooltip says it too

    # -- the tray and its widget --------------------------------------------------------------

    def refresh_glance(self) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        from ..core.glance import campaign_glance  # NumPy: loaded after the first paint

        glance = campaign_glance(
            snapshot.campaign, snapshot.days, snapshot.series, self.clock.now()
        )
        if self.tray is not None:
            tooltip = glance.tooltip()
            if self.sync is not None and self.sync.status:
                tooltip += "\n" + self.sync.status
            self.tray.set_summary(glance.next_day, tooltip)
        if self.widget is not None:
            self.widget.set_glance(glance)

    def toggle_window(self) -> None:
        if self.window.isVisible():
            self.window.close()  # into the tray
        else:
            self.window.bring_forward()

    def toggle_widget(self) -> None:
        if self.widget is None:
            return
        if self.widget.isVisible() and not self.widget.pinned:
            self.widget.hide()
            return
        self.refresh_glance()
        where = self.tray.icon.geometry() if self.tray else None
        anchor = where.bottomLeft() if where and not where.isEmpty() else QCursor.pos()
        self.widget.show_at(anchor if not self.widget.pinned else self.widget.pos())

    def show_pages(self) -> None:
        self.window.tabs.setCurrentIndex(0)
        self.window.bring_forward()

    def second_start(self, options: dict) -> None:
        """Another start while this one runs: bring the window forward, with its language."""
        log.info("a second start handed over %s", options)
        language = options.get("lang")
        if language in LANGUAGES:
            apply_language(language)
        self.window.bring_forward()

    def hidden_to_tray(self) -> None:
        settings = self.settings
        if self.tray is not None and not settings.told_about_tray:
            self.tray.notify(
                _("Campaign Companion is still running"),
                _("It stays in the tray to remind you of action days. Quit it from the tray menu."),
            )
            settings.told_about_tray = True
            self.keeper.save()

    def widget_pinned(self, pinned: bool, where: QPoint) -> None:
        self._keep_widget_place(pinned, where)
        self.keeper.save()

    def widget_moved(self, where: QPoint) -> None:
        """A drag of the widget ended: its place is written once the dragging stops."""
        self._keep_widget_place(self.widget.pinned if self.widget else False, where)
        self.keeper.save_soon()

    def _keep_widget_place(self, pinned: bool, where: QPoint) -> None:
        settings = self.settings
        settings.widget_pinned = pinned
        settings.widget_x, settings.widget_y = where.x(), where.y()

    # -- the app's own updates -----------------------------------------------------------------

    def start_updates(self) -> None:
        """After the first paint: a check if one is due (and the setting on), else one planned
        for when it is."""
        self._updates().start()

    def _updates(self) -> UpdateService:
        if self.updates is None:
            self.updates = self._make_updates(self)
        return self.updates

    def check_for_updates(self) -> None:
        """Help → Check for updates…: a check now, whatever the setting; its outcome said."""
        self.window.statusBar().showMessage(_("Checking for updates…"))
        self._updates().check_now()

    def set_update_checks(self, on: bool) -> None:
        """Settings → Check for updates automatically: takes effect at once, and is kept."""
        if self.settings.update_checks == on:
            return
        self.settings.update_checks = on
        self.keeper.save()
        if self.updates is not None:
            self.updates.set_automatic(on)

    def update_found(self, update: Update) -> None:
        """A newer version: the banner in the window; a tray notice once per version."""
        self.window.statusBar().clearMessage()
        self.window.update_banner.show_update(update.release)
        if self.tray is not None and self._updates().announce(update):
            from ..core.formatting import first_line_excerpt
            from .update_banner import version_text

            # The notes may run to 10,000 characters: their first line here, whole in the banner.
            notes = first_line_excerpt(update.release.notes_in())
            self.tray.notify(version_text(update.release), notes)

    def up_to_date(self) -> None:
        self.window.hide_update()
        if self.updates is not None and self.updates.asked:
            from .. import __version__

            self.window.statusBar().clearMessage()
            self._tell(_("You have the latest version ({version}).").format(version=__version__))

    def update_check_failed(self, message: str) -> None:
        if self.updates is not None and self.updates.asked:
            self.window.statusBar().clearMessage()
            self._tell(message, warning=True)

    def _tell(self, text: str, *, warning: bool = False) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        from .dialog_buttons import message_box

        icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
        box = message_box(icon, _("Campaign Companion"), text, parent=self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def download_update(self) -> None:
        """The banner's Download: the download dialog, which starts it (never without the
        click). One dialog at a time."""
        updates = self._updates()
        if updates.found is None:
            return
        if self.download_dialog is not None and self.download_dialog.isVisible():
            self.download_dialog.raise_()
            return
        from .update_dialog import DownloadDialog

        self.download_dialog = DownloadDialog(updates, updates.found, self.window)
        self.download_dialog.open()

    def update_installed(self) -> None:
        """The installer was handed over: the app quits the usual way (Windows' setup needs it
        closed; on Linux the new version is already in place)."""
        log.info("update handed over; quitting")
        self.window.quit_app()
