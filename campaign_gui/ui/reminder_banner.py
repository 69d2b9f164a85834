"""A reminder shown inside the window, for systems with no tray to send notifications from."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..core.i18n import _
from .theme import set_role


class ReminderBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderBanner")  # its light and dark colours: the theme's
        self.title = QLabel()
        set_role(self.title, "section")
        self.title.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        for label in (self.title, self.message):
            label.setTextFormat(Qt.TextFormat.PlainText)  # day titles come from files
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.hide)
        texts = QVBoxLayout()
        texts.addWidget(self.title)
        texts.addWidget(self.message)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addLayout(texts, 1)
        layout.addWidget(self.close_button)
        self.setAccessibleName(_("Reminder"))
        self.retranslate()
        self.hide()

    def show_reminder(self, title: str, message: str) -> None:
        self.title.setText(title)
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self.show()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.close_button.setText(_("Dismiss"))
        self.setAccessibleName(_("Reminder"))
