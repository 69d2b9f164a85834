"""Standard dialog buttons (OK, Save, Cancel, Yes, No, Close) in the app's own words, no icons.

Qt names them from its own catalog, which speaks formal Arabic ("ألغِ", "احفظ", "حسنًا") where the
app speaks Darija, and some styles draw a floppy disk or a red cross beside them. Every
``QMessageBox`` and ``QDialogButtonBox`` of the app goes through ``use_our_buttons``, which names
them from our catalogs, drops the icons, and names them again after each language switch (Qt
resets them then).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWidget

from ..core.i18n import N_, _

# By the standard button's name, which QMessageBox and QDialogButtonBox share.
BUTTON_TEXTS = {
    "Ok": N_("OK"),
    "Save": N_("Save"),
    "Cancel": N_("Cancel"),
    "Yes": N_("Yes"),
    "No": N_("No"),
    "Close": N_("Close"),
}


def _button_box(box: QWidget) -> QDialogButtonBox | None:
    if isinstance(box, QDialogButtonBox):
        return box
    return box.findChild(QDialogButtonBox)


def _name_buttons(buttons: QDialogButtonBox) -> None:
    for button in buttons.buttons():
        text = BUTTON_TEXTS.get(buttons.standardButton(button).name or "")  # no name: no button
        if text is not None:
            button.setText(_(text))
        button.setIcon(QIcon())


class _Renamer(QObject):
    """Names the buttons again once Qt has reset them for a new language."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange and isinstance(watched, QDialogButtonBox):
            watched.event(event)  # Qt's own texts first, then ours over them
            _name_buttons(watched)
            return True
        return False


def use_our_buttons(box: QWidget) -> None:
    """Name ``box``'s standard buttons from the app's catalog and drop their icons, for good."""
    buttons = _button_box(box)
    if buttons is None:
        return
    _name_buttons(buttons)
    if buttons.findChild(_Renamer) is None:
        buttons.installEventFilter(_Renamer(buttons))


def message_box(
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
    parent: QWidget | None = None,
) -> QMessageBox:
    """A message box showing ``text`` as written (it may quote names and paths from files)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    use_our_buttons(box)
    return box


def ask(parent: QWidget | None, title: str, question: str) -> bool:
    """Ask a yes-or-no question and wait for the answer; True for yes."""
    box = message_box(
        QMessageBox.Icon.Question,
        title,
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.exec()
    return box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """Show a warning and wait until it is closed."""
    message_box(QMessageBox.Icon.Warning, title, text, parent=parent).exec()
