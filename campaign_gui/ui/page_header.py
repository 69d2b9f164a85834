"""The band above the window's tabs: the campaign's name and how fresh its live data is."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from .theme import set_role


class PageHeader(QWidget):
    """The campaign's name inside the window (the status bar only ever shows passing messages,
    and hides when it has none), and under it what the live data's sync last said."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageHeader")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # the name comes from a file
        self.title.setWordWrap(True)
        # A name with no spaces (up to 500 characters) must not widen the window past the screen.
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        set_role(self.title, "title")
        # When the campaign's live data was last updated, or why it could not be (a feed only).
        self.live_status = QLabel()
        self.live_status.setTextFormat(Qt.TextFormat.PlainText)
        self.live_status.setWordWrap(True)
        self.live_status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        set_role(self.live_status, "caption")
        self.live_status.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(self.title)
        column.addWidget(self.live_status)
        layout.addLayout(column, 1)

    def show_live_status(self, text: str) -> None:
        """What the sync says (last update, or the failure in the user's language); hidden when
        it says nothing."""
        self.live_status.setText(text)
        self.live_status.setVisible(bool(text))
