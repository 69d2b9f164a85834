"""Asking for a file to open or save: the system's own dialog where there is one, else Qt's,
made to read right in every language.

Qt's own dialog (Linux without a portal) wrote a path right to left in Darija ("tmp/x/" for
"/tmp/x"), and its buttons carried a floppy disk and a red cross. Here its path fields run left
to right and its buttons are named from our catalogs, without icons (``dialog_buttons``); its
other words come from ``qt_texts``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from .dialog_buttons import use_our_buttons

# Qt's own dialog's fields that hold a path or a file name.
_PATH_FIELDS = ("lookInCombo", "fileNameEdit")


def make_file_dialog(
    parent: QWidget | None, caption: str, path: str, filters: str, *, save: bool
) -> QFileDialog:
    """The dialog ``save_file_name`` and ``open_file_name`` show, ready to be shown."""
    dialog = QFileDialog(parent, caption, path, filters)
    dialog.setAcceptMode(
        QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen
    )
    dialog.setFileMode(QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile)
    if save:
        dialog.selectFile(path)
    for name in _PATH_FIELDS:  # only Qt's own dialog has them
        field = dialog.findChild(QWidget, name)
        if field is not None:
            field.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    use_our_buttons(dialog)
    return dialog


def _ask(parent: QWidget | None, caption: str, path: str, filters: str, save: bool) -> str:
    dialog = make_file_dialog(parent, caption, path, filters, save=save)
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return ""
        return dialog.selectedFiles()[0]
    finally:
        dialog.deleteLater()


def save_file_name(parent: QWidget | None, caption: str, path: str, filters: str) -> str:
    """The file the user chose to save into ("" if they cancelled); ``path``: the suggestion."""
    return _ask(parent, caption, path, filters, save=True)


def open_file_name(parent: QWidget | None, caption: str, path: str, filters: str) -> str:
    """The file the user chose to open ("" if they cancelled)."""
    return _ask(parent, caption, path, filters, save=False)
