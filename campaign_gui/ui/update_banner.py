"""A newer version, said in the window: its number, what's new in the user's language, and
Download / Later. Nothing is downloaded but on Download's click."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..core.i18n import _
from .theme import set_role, wrap_text

if TYPE_CHECKING:
    from ..core.updates.release_index import Release

# The notes may run to 10,000 characters: the banner shows a few lines, the rest scrolls.
NOTES_HEIGHT = 96


def version_text(release: Release) -> str:
    # Darija isolates the version (⁨…⁩): its dots and digits keep their order.
    return _("Version {version} is available").format(version=release.version)


class UpdateBanner(QFrame):
    download_clicked = Signal()
    later_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderBanner")  # the reminder banner's light and dark colours
        self.release: Release | None = None
        self.title = QLabel()
        set_role(self.title, "section")
        self.notes = QLabel()
        wrap_text(self.notes)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
        for label in (self.title, self.notes):
            label.setTextFormat(Qt.TextFormat.PlainText)  # the notes come from the network
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea()
        # A viewport of our own: asking Qt for its own (viewport()) makes PySide look up the
        # widget's class among all of QtWidgets', 8 ms on the GUI thread as the banner is made.
        viewport = QWidget()
        viewport.setAutoFillBackground(False)
        scroll.setViewport(viewport)
        scroll.setWidget(self.notes)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMaximumHeight(NOTES_HEIGHT)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.notes.setAutoFillBackground(False)
        self.download_button = QPushButton()
        self.download_button.setObjectName("accentButton")
        self.download_button.clicked.connect(self.download_clicked)
        self.later_button = QPushButton()
        self.later_button.clicked.connect(self.hide)
        self.later_button.clicked.connect(self.later_clicked)
        texts = QVBoxLayout()
        texts.addWidget(self.title)
        texts.addWidget(scroll)
        buttons = QVBoxLayout()
        buttons.addWidget(self.download_button)
        buttons.addWidget(self.later_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addLayout(texts, 1)
        layout.addLayout(buttons)
        self.retranslate()
        self.hide()

    def show_update(self, release: Release) -> None:
        self.release = release
        self.retranslate()
        self.show()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.download_button.setText(_("Download"))
        self.later_button.setText(_("Later"))
        self.setAccessibleName(_("A new version"))
        if self.release is not None:
            self.title.setText(version_text(self.release))
            self.notes.setText(self.release.notes_in())
