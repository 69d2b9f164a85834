"""Qt's own words, where the app shows them, from the app's catalogs.

Qt's Arabic catalog speaks formal Arabic ("تراجع، أعِد، قصّ، انسخ، ألصِق") where the app speaks
Darija, and it leaves its file dialog half in English ("Look in:", "Files of type:"). A
``QtTexts`` translator, installed after Qt's, answers for the texts listed here (the menu of every
text field, Qt's own file dialog where the system has none) and leaves every other to Qt's catalog.
Standard dialog buttons are named by ``dialog_buttons``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTranslator

from ..core.i18n import pgettext

# Keyboard shortcuts ("Alt+Left") and texts the app never shows are left to Qt.


def _texts() -> dict[tuple[str, str], str]:
    """By Qt's (context, source text): the text in the current language."""
    menu = {
        "&Undo": pgettext("text field menu", "&Undo"),
        "&Redo": pgettext("text field menu", "&Redo"),
        "Cu&t": pgettext("text field menu", "Cu&t"),
        "&Copy": pgettext("text field menu", "&Copy"),
        "&Paste": pgettext("text field menu", "&Paste"),
        "Delete": pgettext("text field menu", "Delete"),
        "Select All": pgettext("text field menu", "Select All"),
    }
    file_dialog = {
        "&Look in:": pgettext("file dialog", "&Look in:"),
        "File &name:": pgettext("file dialog", "File &name:"),
        "Files of &type:": pgettext("file dialog", "Files of &type:"),
        "Back": pgettext("file dialog", "Back"),
        "Go back": pgettext("file dialog", "Back"),
        "Forward": pgettext("file dialog", "Forward"),
        "Go forward": pgettext("file dialog", "Forward"),
        "Parent Directory": pgettext("file dialog", "Parent folder"),
        "Go to the parent directory": pgettext("file dialog", "Parent folder"),
        "Create New Folder": pgettext("file dialog", "New folder"),
        "Create a New Folder": pgettext("file dialog", "New folder"),
        "&New Folder": pgettext("file dialog", "&New folder"),
        "New Folder": pgettext("file dialog", "New folder"),
        "List View": pgettext("file dialog", "List"),
        "Change to list view mode": pgettext("file dialog", "List"),
        "Detail View": pgettext("file dialog", "Details"),
        "Change to detail view mode": pgettext("file dialog", "Details"),
        "&Open": pgettext("file dialog", "&Open"),
        "Open": pgettext("file dialog", "Open"),
        "&Save": pgettext("file dialog", "&Save"),
        "Save As": pgettext("file dialog", "Save as"),
        "&Rename": pgettext("file dialog", "&Rename"),
        "&Delete": pgettext("file dialog", "&Delete"),
        "Show &hidden files": pgettext("file dialog", "Show &hidden files"),
        "All Files (*)": pgettext("file dialog", "All files (*)"),
        "Files": pgettext("file dialog", "Files"),
        "Sidebar": pgettext("file dialog", "Places"),
        "List of places and bookmarks": pgettext("file dialog", "Places"),
        "%1 already exists.\nDo you want to replace it?": pgettext(
            "file dialog", "%1 already exists.\nDo you want to replace it?"
        ),
        "Are you sure you want to delete '%1'?": pgettext(
            "file dialog", "Are you sure you want to delete “%1”?"
        ),
    }
    files = {
        "Computer": pgettext("file dialog", "Computer"),
        "Name": pgettext("file dialog", "Name"),
        "Size": pgettext("file dialog", "Size"),
        "Type": pgettext("file dialog", "Type"),
        "Date Modified": pgettext("file dialog", "Modified"),
    }
    icons = {
        "Folder": pgettext("file dialog", "Folder"),
        "Drive": pgettext("file dialog", "Drive"),
    }
    buttons = {
        "OK": pgettext("file dialog", "OK"),
        "Cancel": pgettext("file dialog", "Cancel"),
        "Open": pgettext("file dialog", "Open"),
        "Save": pgettext("file dialog", "Save"),
    }
    contexts = {
        "QLineEdit": menu,
        "QWidgetTextControl": menu,
        "QFileDialog": file_dialog,
        "QFileSystemModel": files,
        "QAbstractFileIconProvider": icons,
        "QPlatformTheme": buttons,
    }
    return {
        (context, source): text
        for context, table in contexts.items()
        for source, text in table.items()
    }


class QtTexts(QTranslator):
    """Answers Qt for the texts above in the language current when it was made; for any other,
    no answer (None, a null string), so Qt's own catalog answers. An empty string would be
    taken as the translation: every other Qt text would go blank."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._texts = _texts()

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False

    def translate(  # None: Qt's null string, "no answer"
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        return self._texts.get((context, source))
