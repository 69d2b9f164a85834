"""Starting the app: one instance, the language, the window, the tray, the reminders."""

from __future__ import annotations

import gc
import logging
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject, QPoint, QTimer
from PySide6.QtGui import QCursor, QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from ..core.clock import Clock, SystemClock
from ..core.crash import enable_fault_trace
from ..core.i18n import LANGUAGES, _, language_for_locale
from ..core.paths import AppPaths
from ..core.settings import Settings, load_settings, save_settings
from ..core.snapshot import Snapshot
from .crash_reports import CrashReports
from .language import apply_language
from .main_window import PASSING_MS, MainWindow
from .reminder_scheduler import ReminderScheduler, system_zone
from .single_instance import claim, server_name, tell_no_answer
from .theme import made_with_style, style_arguments
from .workspace_service import WorkspaceService

if TYPE_CHECKING:
    from ..core.secrets import Secrets
    from .sync_service import SyncService
    from .track_service import TrackService
    from .tray import Tray
    from .tray_widget import TrayWidget

log = logging.getLogger(__name__)


def app_icon() -> QIcon:
    icon_file = resources.files("campaign_gui") / "resources" / "icons" / "app.svg"
    return QIcon(str(icon_file))


def tray_available() -> bool:
    """Whether the system shows tray icons (asked before the tray's module loads)."""
    return QSystemTrayIcon.isSystemTrayAvailable()


def create_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1] + style_arguments())
        made_with_style(app)
    app.setApplicationName("Campaign Companion")
    app.setOrganizationName("CampaignCompanion")
    app.setDesktopFileName("campaign-gui")
    app.setWindowIcon(app_icon())
    # The theme (fonts, light or dark, the native style or Fusion) is made by the first window,
    # once the language is known: made here, it would be applied twice at every start.
    return app


class SettingsKeeper(QObject):
    """The settings of this run, and the one place that writes them (atomically, with an fsync
    that may take a moment on a busy disk).

    ``save_soon`` is for changes that come in bursts, such as the pinned widget dragged about:
    one write a little after the last of them, or at the next ``save`` (the window's closing,
    quitting), whichever comes first, so a burst costs one write and none is lost."""

    SOON_MS = 2000

    def __init__(self, paths: AppPaths, settings: Settings, parent: QObject | None = None):
        super().__init__(parent)
        self.paths = paths
        self.settings = settings
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(self.SOON_MS)
        self._soon.timeout.connect(self.save)

    def save_soon(self) -> None:
        self._soon.start()

    def save(self) -> None:
        self._soon.stop()
        try:
            save_settings(self.paths.config_dir, self.settings)
        except OSError:
            log.exception("could not save the settings")


def create_main_window(
    paths: AppPaths,
    campaign_file: Path | None = None,
    language: str | None = None,
    show=True,
    *,
    clock: Clock,
    settings: Settings | None = None,
) -> MainWindow:
    """The main window with its store service and settings (what the app controller builds,
    without the tray and the network); the campaign loads after the first paint.

    ``settings`` are the ones the command line already read (read again if not given).
    """
    if settings is None:
        settings = load_settings(paths.config_dir, clock)
    saved = settings.language if settings.language in LANGUAGES else ""
    apply_language(language or saved or language_for_locale(QLocale.system().name()))
    service = WorkspaceService(paths, campaign_file, clock=clock)
    window = MainWindow(paths, settings, service, clock=clock)
    service.setParent(window)
    keeper = SettingsKeeper(paths, settings, window)
    window.settings_changed.connect(keeper.save)
    if show:
        window.show()
    window.load_after_first_paint()
    return window


class Companion(QObject):
    """The app's composition root: it owns the settings, the store service, the reminder
    scheduler, the sync and tracking services and the tray, and hands them to the views; the
    window only shows and forwards. Quitting, however it comes, saves and closes them here."""

    def __init__(
        self,
        paths: AppPaths,
        campaign_file: Path | None,
        language: str | None,
        minimized: bool = False,
        *,
        clock: Clock,
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        app = QApplication.instance()
        has_tray = tray_available()
        self.clock = clock
        if settings is None:
            settings = load_settings(paths.config_dir, clock)
        self.settings = settings
        self.keeper = SettingsKeeper(paths, settings, self)
        saved = settings.language if settings.language in LANGUAGES else ""
        apply_language(language or saved or language_for_locale(QLocale.system().name()))
        self.service = WorkspaceService(paths, campaign_file, self, clock=clock)
        self.window = MainWindow(paths, settings, self.service, clock=clock)
        self.window.settings_changed.connect(self.keeper.save)
        self.window.quit_requested.connect(self.quit)
        if not (minimized and has_tray):
            self.window.show()
        self.window.load_after_first_paint()
        # However the app ends (tray menu, logout, Ctrl+C), settings and queued writes are kept.
        app.aboutToQuit.connect(self._closing)
        self.scheduler = ReminderScheduler(settings.reminder_times, parent=self, clock=clock)
        self.snapshot: Snapshot | None = None  # what the store service last loaded
        self.sync: SyncService | None = None
        self.track: TrackService | None = None
        self.secrets: Secrets | None = None  # the keychain, opened when an organiser needs it
        self.window.organiser_action.triggered.connect(self.edit_organiser)
        self.window.live_sync_action.toggled.connect(self._set_live_sync)
        self.window.sync_now_action.triggered.connect(self.sync_now)
        self.service.loaded.connect(self._loaded)
        self.window.settings_changed.connect(self.scheduler.check)
        self.scheduler.delivered.connect(self.service.mark_delivered)
        self.tray: Tray | None = None
        self.widget: TrayWidget | None = None
        if has_tray:
            app.setQuitOnLastWindowClosed(False)
            self.window.keep_running_in_tray = True
            self.window.first_painted.connect(self._show_tray)
        else:
            self.scheduler.remind.connect(self.window.show_banner)

    def _show_tray(self) -> None:
        """The tray icon and its widget, once the window has painted (at once in the tray)."""
        from .tray import Tray
        from .tray_widget import TrayWidget

        settings = self.settings
        self.tray = Tray(app_icon(), self)
        self.widget = TrayWidget()
        # The countdown in the tooltip and menu moves on: refresh it whenever the one reminder
        # timer wakes up (at most every ten minutes) and when the menu opens.
        self.scheduler.timer.timeout.connect(self.refresh_glance)
        self.tray.menu.aboutToShow.connect(self.refresh_glance)
        self.tray.toggle_window.connect(self.toggle_window)
        self.tray.toggle_widget.connect(self.toggle_widget)
        self.tray.language_chosen.connect(self.window.choose_language)
        self.tray.quit_requested.connect(self.window.quit_app)
        self.window.visibility_changed.connect(self.tray.set_window_shown)
        self.window.hidden_to_tray.connect(self._hidden_to_tray)
        self.widget.open_pages.connect(self.show_pages)
        self.widget.pinned_changed.connect(self._widget_pinned)
        self.widget.moved.connect(self._widget_moved)
        self.scheduler.remind.connect(self.tray.notify)
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

    def _closing(self) -> None:
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
        self.service.close()

    def _loaded(self, snapshot: Snapshot) -> None:
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

    def _keychain(self) -> Secrets:
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
            self.settings, self._keychain(), self.window, readings=readings
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
            from .track_service import TrackService

            self.track = TrackService(
                self.service, self.settings, self._keychain(), clock=self.clock
            )
            self.track.status_changed.connect(self._tracking_said)
            self.track.stopped_because.connect(self._tracking_stopped)
        if self.snapshot is not None:
            self.track.set_campaign(self.snapshot.campaign)
        self.track.start()

    def _tracking_stopped(self, why: str) -> None:
        """Tracking waits for a person (a new token, Meta's permission): said where it stays."""
        from .dialog_buttons import warn

        warn(self.window, _("Campaign Companion"), why)

    def _tracking_said(self, text: str) -> None:
        if text:
            self.window.statusBar().showMessage(text, PASSING_MS)

    def _start_sync(self, snapshot: Snapshot) -> None:
        """The campaign's live data, once the window shows what is stored (after the first
        paint: the network libraries load then)."""
        from .sync_service import SyncService

        self.sync = SyncService(self.service, self.settings, clock=self.clock, parent=self)
        self.sync.status_changed.connect(self.window.show_live_status)
        self.sync.status_changed.connect(self._live_status_changed)
        self.sync.start(snapshot.feed_updated)

    def _set_live_sync(self, on: bool) -> None:
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

    def _live_status_changed(self, _text: str) -> None:
        self.refresh_glance()  # the tray's tooltip says it too

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

    def _hidden_to_tray(self) -> None:
        settings = self.settings
        if self.tray is not None and not settings.told_about_tray:
            self.tray.notify(
                _("Campaign Companion is still running"),
                _("It stays in the tray to remind you of action days. Quit it from the tray menu."),
            )
            settings.told_about_tray = True
            self.keeper.save()

    def _widget_pinned(self, pinned: bool, where: QPoint) -> None:
        self._keep_widget_place(pinned, where)
        self.keeper.save()

    def _widget_moved(self, where: QPoint) -> None:
        """A drag of the widget ended: its place is written once the dragging stops."""
        self._keep_widget_place(self.widget.pinned if self.widget else False, where)
        self.keeper.save_soon()

    def _keep_widget_place(self, pinned: bool, where: QPoint) -> None:
        settings = self.settings
        settings.widget_pinned = pinned
        settings.widget_x, settings.widget_y = where.x(), where.y()


def run_gui(
    paths: AppPaths,
    campaign_file: Path | None,
    language: str | None,
    minimized: bool = False,
    clock: Clock | None = None,
    settings: Settings | None = None,
) -> int:
    """The window, the tray and the reminders, on ``clock`` (the computer's unless one is given)."""
    app = create_app()
    name = server_name(paths.data_dir)
    server = claim(name, {"lang": language, "minimized": minimized})
    if server is None:
        return 0  # the running instance came forward
    if server.taken:  # it holds the data but never took the options: no second window on it
        return tell_no_answer()
    if clock is None:
        clock = SystemClock(system_zone)  # the app's one clock; everything below is given it
    # A windowed app has no terminal: what goes wrong from here on is logged, and said.
    enable_fault_trace(paths.log_dir)
    reports = CrashReports(paths.log_dir)
    reports.install()
    companion = Companion(paths, campaign_file, language, minimized, clock=clock, settings=settings)
    reports.window = companion.window
    server.second_start.connect(companion.second_start)
    QTimer.singleShot(0, gc.enable)  # paused by the start (cli.main) until the loop runs
    code = app.exec()
    del companion
    reports.uninstall()  # no Python handler for Qt's messages while the interpreter ends
    return code
