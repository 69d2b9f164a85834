"""When to be reminded of action days: the evening before, the morning of, or not at all."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QEvent, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ..core.i18n import _
from ..core.settings import Settings
from .action_day_dialog import qt_date_format
from .dialog_buttons import use_our_buttons
from .form_card import accent_save, card, dialog_layout
from .theme import set_role


def _qtime(text: str, default: time) -> QTime:
    try:
        value = time.fromisoformat(text)
    except ValueError:
        value = default
    return QTime(value.hour, value.minute)


class ReminderSettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Reminders"))
        self.enabled = QCheckBox(_("Remind me of action days"))
        self.enabled.setChecked(settings.reminders)
        self.evening = QCheckBox(_("The evening before, at"))
        self.evening.setChecked(settings.remind_evening_before)
        self.evening_time = QTimeEdit(_qtime(settings.evening_time, time(20)))
        self.morning = QCheckBox(_("On the morning of the day, at"))
        self.morning.setChecked(settings.remind_morning_of)
        self.morning_time = QTimeEdit(_qtime(settings.morning_time, time(9)))
        self._show_times()
        # Screen readers name each time by the choice it goes with.
        self.evening_time.setAccessibleName(self.evening.text())
        self.morning_time.setAccessibleName(self.morning.text())
        note = QLabel(_("Times are your computer's clock time."))
        note.setWordWrap(True)
        set_role(note, "caption")
        grid = QGridLayout()
        grid.addWidget(self.evening, 0, 0)
        grid.addWidget(self.evening_time, 0, 1)
        grid.addWidget(self.morning, 1, 0)
        grid.addWidget(self.morning_time, 1, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        use_our_buttons(buttons)
        accent_save(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(10)
        column = QVBoxLayout()
        column.setSpacing(12)
        column.addWidget(self.enabled)
        column.addLayout(grid)
        column.addWidget(note)
        dialog_layout(self, card(column), buttons)
        self.enabled.toggled.connect(self._enable)
        self._enable(self.enabled.isChecked())

    def _show_times(self) -> None:
        for edit in (self.evening_time, self.morning_time):
            edit.setDisplayFormat(qt_date_format("HH:mm", edit.isRightToLeft()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._show_times()
        super().changeEvent(event)

    def _enable(self, on: bool) -> None:
        for widget in (self.evening, self.evening_time, self.morning, self.morning_time):
            widget.setEnabled(on)

    def apply_to(self, settings: Settings) -> None:
        settings.reminders = self.enabled.isChecked()
        settings.remind_evening_before = self.evening.isChecked()
        settings.evening_time = self.evening_time.time().toString("HH:mm")
        settings.remind_morning_of = self.morning.isChecked()
        settings.morning_time = self.morning_time.time().toString("HH:mm")
