"""Starting the window: the application, the language, the icon, then the data."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from ..core.i18n import LANGUAGES, language_for_locale
from ..core.paths import AppPaths
from ..core.settings import load_settings
from .language import apply_language
from .main_window import MainWindow


def app_icon() -> QIcon:
    icon_file = resources.files("campaign_gui") / "resources" / "icons" / "app.svg"
    return QIcon(str(icon_file))


def create_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Campaign Companion")
    app.setOrganizationName("CampaignCompanion")
    app.setDesktopFileName("campaign-gui")
    app.setWindowIcon(app_icon())
    return app


def create_main_window(
    paths: AppPaths, campaign_file: Path | None = None, language: str | None = None
) -> MainWindow:
    """The main window, shown; the campaign loads in the background after the first paint."""
    settings = load_settings(paths.config_dir)
    saved = settings.language if settings.language in LANGUAGES else ""
    apply_language(language or saved or language_for_locale(QLocale.system().name()))
    window = MainWindow(paths, settings, campaign_file)
    window.show()
    QTimer.singleShot(0, window.start_loading)
    return window


def run_gui(paths: AppPaths, campaign_file: Path | None, language: str | None) -> int:
    app = create_app()
    window = create_main_window(paths, campaign_file, language)
    code = app.exec()
    del window
    return code
