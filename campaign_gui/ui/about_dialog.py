"""The About box, drawn as the app's cards: its icon, name, version, what it is for, the
campaign's hashtags, and its folders a button away."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.i18n import _
from .dialog_buttons import use_our_buttons
from .form_card import card, dialog_layout
from .theme import icon_file, set_role, wrap_text

ICON_PX = 64


def _plain(text: str, role: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # hashtags come from the campaign's file
    wrap_text(label)
    set_role(label, role)
    return label


class AboutDialog(QDialog):
    """``purpose``: one line on what the app follows; ``hashtags``: the campaign's, each
    isolated; ``folders``: (button text, folder) pairs, each opened by its button."""

    def __init__(
        self,
        version: str,
        purpose: str,
        hashtags: str,
        folders: list[tuple[str, Path]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About Campaign Companion"))
        icon = QLabel()
        icon.setPixmap(QIcon(str(icon_file("app"))).pixmap(ICON_PX, ICON_PX))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.name = _plain(_("Campaign Companion"), "title")
        self.version = _plain(_("Version {version}").format(version=version), "caption")
        self.purpose = _plain(purpose, "body")
        self.hashtags = _plain(hashtags, "section")
        self.hashtags.setVisible(bool(hashtags))
        self.hashtags.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        links = QHBoxLayout()
        links.setSpacing(8)
        self.links: list[QPushButton] = []
        for text, folder in folders:
            button = QPushButton(text)
            button.clicked.connect(
                lambda _checked=False, folder=folder: QDesktopServices.openUrl(
                    QUrl.fromLocalFile(str(folder))
                )
            )
            links.addWidget(button)
            self.links.append(button)
        links.addStretch(1)
        words = QVBoxLayout()
        words.setSpacing(6)
        for label in (self.name, self.version, self.purpose, self.hashtags):
            words.addWidget(label)
        words.addSpacing(6)
        words.addLayout(links)
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(words, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        use_our_buttons(buttons)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setObjectName("accentButton")
        buttons.accepted.connect(self.accept)
        dialog_layout(self, card(row), buttons)
        self.setMinimumWidth(460)
        ok.setFocus()
