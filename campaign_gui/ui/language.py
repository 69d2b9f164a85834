"""Switching the whole running app to another language, at once and without a restart.

The core's catalog changes, Qt's own catalog is swapped (our words over the Qt texts the app
shows: ``qt_texts``), the layout direction and the fonts follow the language (right to left and
Arabic UI fonts for Darija), and a LanguageChange event reaches every widget of every open window,
each of which retranslates itself in ``changeEvent``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, Qt, QTranslator
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from ..core.i18n import is_right_to_left, qt_locale_name, set_language
from .theme import current_theme

log = logging.getLogger(__name__)

_installed: list[QTranslator] = []


def apply_language(language: str) -> None:
    set_language(language)
    app = QApplication.instance()
    if app is None:
        return
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    name = qt_locale_name(language)
    if name:
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        translator = QTranslator(app)
        if translator.load(f"qtbase_{name}", folder):
            app.installTranslator(translator)
            _installed.append(translator)
        else:
            log.warning("Qt's catalog qtbase_%s was not found in %s", name, folder)
    if name:  # after Qt's, so asked first, for the texts it knows (English needs none)
        from .qt_texts import QtTexts

        ours = QtTexts(app)
        app.installTranslator(ours)
        _installed.append(ours)
    QGuiApplication.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if is_right_to_left() else Qt.LayoutDirection.LeftToRight
    )
    theme = current_theme()
    if theme is not None:
        theme.language_changed()  # Arabic fonts in Darija
    # Installing a translator already announces the change, but not every switch installs one.
    QCoreApplication.sendEvent(app, QEvent(QEvent.Type.LanguageChange))
