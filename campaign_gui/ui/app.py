"""Starting the app: one instance, the crash reports, then the parts (``app_wiring``) and the
event loop."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import cast

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ..core.clock import Clock, SystemClock
from ..core.crash import enable_fault_trace
from ..core.paths import AppPaths
from ..core.settings import Settings
from .app_wiring import app_icon, build_app
from .crash_reports import CrashReports
from .quit_signals import QuitOnSignals
from .reminder_scheduler import system_zone
from .single_instance import NoAnswerError, claim, tell_no_answer
from .theme import made_with_style, style_arguments


def create_app() -> QApplication:
    app = cast("QApplication | None", QApplication.instance())  # the app makes no other kind
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
    try:
        instance = claim(paths.data_dir, {"lang": language, "minimized": minimized})
    except NoAnswerError:  # it holds the data but never took the options: no second window on it
        return tell_no_answer()
    if instance is None:
        return 0  # the running instance came forward
    if clock is None:
        clock = SystemClock(system_zone)  # the app's one clock; everything below is given it
    # A windowed app has no terminal: what goes wrong from here on is logged, and said.
    enable_fault_trace(paths.log_dir)
    reports = CrashReports(paths.log_dir)
    reports.install()
    controller = build_app(
        paths, campaign_file, clock=clock, settings=settings, language=language, minimized=minimized
    )
    reports.window = controller.window
    instance.second_start.connect(controller.second_start)
    controller.window.first_painted.connect(instance.listen)  # QtNetwork loads after the paint
    app.aboutToQuit.connect(instance.stop_listening)
    QTimer.singleShot(0, gc.enable)  # paused by the start (cli.main) until the loop runs
    signals = QuitOnSignals(controller.quit)  # Ctrl+C, SIGTERM: the quit path, as File → Quit
    code = app.exec()
    signals.uninstall()
    del controller
    instance.release()  # the store is closed: the next start may take the data
    reports.uninstall()  # no Python handler for Qt's messages while the interpreter ends
    return code
