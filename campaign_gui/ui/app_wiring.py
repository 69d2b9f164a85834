"""The app's one composition root: its parts made and connected, for the app (``run_gui``) and
for the tests, benchmarks and screenshots alike, so that what they run is what a user runs.

Only wiring here: what happens when a signal comes is the controller's (``controller.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QLocale
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from .. import PACKAGE_DIR
from ..core.clock import Clock
from ..core.i18n import LANGUAGES, language_for_locale
from ..core.paths import AppPaths
from ..core.settings import Settings, load_settings
from .controller import AppController
from .language import apply_language
from .main_window import MainWindow
from .reminder_scheduler import ReminderScheduler
from .settings_keeper import SettingsKeeper
from .workspace_service import WorkspaceService

if TYPE_CHECKING:
    from .sync_service import SyncService
    from .track_service import TrackService
    from .tray import Tray
    from .tray_widget import TrayWidget
    from .update_service import UpdateService


def app_icon() -> QIcon:
    return QIcon(str(PACKAGE_DIR / "resources" / "icons" / "app.svg"))


def tray_available() -> bool:
    """Whether the system shows tray icons (asked before the tray's module loads)."""
    return QSystemTrayIcon.isSystemTrayAvailable()


def build_app(
    paths: AppPaths,
    campaign_file: Path | None = None,
    *,
    clock: Clock,
    settings: Settings | None = None,
    language: str | None = None,
    tray: bool | None = None,
    minimized: bool = False,
    start: bool = True,
    release_root: bytes | None = None,
) -> AppController:
    """The settings, the store service, the window and the reminder scheduler, connected to one
    another and to the controller that holds what the app does; the tray (after the first
    paint), the sync (after the first load) and tracking (when turned on) are made by the
    factories below when the controller asks for them.

    ``settings`` are the ones the command line already read (read again if not given);
    ``language`` the one asked for (else the saved one, else the system's); ``tray`` whether
    the app lives in a tray icon (else whether the system shows them); ``release_root`` the
    release index's root to trust instead of the one the app carries (tests). With ``start``
    the window shows (unless ``minimized`` into a tray) and the campaign loads after its first
    paint; without, the caller shows and loads (a test that waits for the load it starts).
    """
    app = cast(QApplication, QApplication.instance())  # create_app() made it
    assert app is not None, "build_app needs the QApplication (create_app) first"
    has_tray = tray_available() if tray is None else tray
    if settings is None:
        settings = load_settings(paths.config_dir, clock)
    saved = settings.language if settings.language in LANGUAGES else ""
    apply_language(language or saved or language_for_locale(QLocale.system().name()))
    keeper = SettingsKeeper(paths, settings)
    service = WorkspaceService(paths, campaign_file, clock=clock)
    window = MainWindow(paths, settings, service, clock=clock)
    scheduler = ReminderScheduler(settings.reminder_times, clock=clock)
    controller = AppController(
        settings,
        keeper,
        service,
        window,
        scheduler,
        clock=clock,
        make_tray=_tray_for,
        make_sync=_sync_for,
        make_track=_tracking_for,
        make_updates=lambda controller: _updates_for(controller, release_root),
    )
    for part in (keeper, service, scheduler):
        part.setParent(controller)
    window.settings_changed.connect(keeper.save)
    window.settings_changed.connect(scheduler.check)
    window.quit_requested.connect(controller.quit)
    window.organiser_action.triggered.connect(controller.edit_organiser)
    window.live_sync_action.toggled.connect(controller.set_live_sync)
    window.sync_now_action.triggered.connect(controller.sync_now)
    window.update_checks_action.toggled.connect(controller.set_update_checks)
    window.check_updates_action.triggered.connect(controller.check_for_updates)
    window.download_update_clicked.connect(controller.download_update)
    service.loaded.connect(controller.loaded)
    service.finishing.connect(controller.show_finishing)
    scheduler.delivered.connect(service.mark_delivered)
    # However the app ends (tray menu, logout, Ctrl+C), settings and queued writes are kept.
    app.aboutToQuit.connect(controller.closing)
    if start:
        if not (minimized and has_tray):
            window.show()
        window.load_after_first_paint()
    if has_tray:
        QApplication.setQuitOnLastWindowClosed(False)
        window.keep_running_in_tray = True
        window.first_painted.connect(controller.show_tray)  # after the load has started
    else:
        scheduler.remind.connect(window.show_banner)
    window.first_painted.connect(controller.start_updates)  # after the tray: it may notify
    return controller


def _tray_for(controller: AppController) -> tuple[Tray, TrayWidget]:
    """The tray icon and its widget, connected (shown by the controller)."""
    from .tray import Tray
    from .tray_widget import TrayWidget

    window, scheduler = controller.window, controller.scheduler
    tray = Tray(app_icon(), controller)
    widget = TrayWidget()
    # The countdown in the tooltip and menu moves on: refresh it whenever the one reminder
    # timer wakes up (at most every ten minutes) and when the menu opens.
    scheduler.timer.timeout.connect(controller.refresh_glance)
    tray.menu.aboutToShow.connect(controller.refresh_glance)
    tray.toggle_window.connect(controller.toggle_window)
    tray.toggle_widget.connect(controller.toggle_widget)
    tray.language_chosen.connect(window.choose_language)
    tray.quit_requested.connect(window.quit_app)
    window.visibility_changed.connect(tray.set_window_shown)
    window.hidden_to_tray.connect(controller.hidden_to_tray)
    widget.open_pages.connect(controller.show_pages)
    widget.pinned_changed.connect(controller.widget_pinned)
    widget.moved.connect(controller.widget_moved)
    scheduler.remind.connect(tray.notify)
    return tray, widget


def _sync_for(controller: AppController) -> SyncService:
    """The live data's sync, connected (started by the controller)."""
    from .sync_service import SyncService

    sync = SyncService(
        controller.service, controller.settings, clock=controller.clock, parent=controller
    )
    sync.status_changed.connect(controller.window.show_live_status)
    sync.status_changed.connect(controller.live_status_changed)
    return sync


def _tracking_for(controller: AppController) -> TrackService:
    """The organiser's tracking of the pages, connected (started by the controller)."""
    from .track_service import TrackService

    track = TrackService(
        controller.service, controller.settings, controller.keychain(), clock=controller.clock
    )
    track.status_changed.connect(controller.tracking_said)
    track.stopped_because.connect(controller.tracking_stopped)
    return track


def _updates_for(controller: AppController, release_root: bytes | None) -> UpdateService:
    """The app's own updates, connected (started by the controller after the first paint)."""
    from .update_service import UpdateService

    updates = UpdateService(
        controller.window.paths.data_dir,
        controller.settings,
        clock=controller.clock,
        release_root=release_root,
        parent=controller,
    )
    updates.update_found.connect(controller.update_found)
    updates.up_to_date.connect(controller.up_to_date)
    updates.failed.connect(controller.update_check_failed)
    updates.installed.connect(controller.update_installed)
    return updates
