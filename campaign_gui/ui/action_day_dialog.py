"""Adding or editing one of the user's own action days."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from ..core import limits
from ..core.action_days import day_problems
from ..core.campaign import ACTION_KINDS, ActionDay
from ..core.formatting import action_kind_label
from ..core.i18n import LANGUAGES, _, pick


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class ActionDayDialog(QDialog):
    def __init__(self, day_id: str, today: date, day: ActionDay | None = None, parent=None):
        super().__init__(parent)
        self.day_id = day_id
        self.setWindowTitle(_("Edit the action day") if day else _("Add an action day"))
        self.title = QLineEdit(pick(day.title) if day else "")
        self.title.setMaxLength(limits.MAX_SHORT_TEXT)
        self.kind = QComboBox()
        for kind in ACTION_KINDS:
            self.kind.addItem(action_kind_label(kind), kind)
        self.kind.setCurrentIndex(ACTION_KINDS.index(day.kind if day else "other"))
        self.start = QDateEdit(_qdate(day.start if day else today))
        self.end = QDateEdit(_qdate(day.end if day else today))
        for edit in (self.start, self.end):
            edit.setDateRange(_qdate(limits.EARLIEST_DAY), _qdate(limits.LATEST_DAY))
            edit.setCalendarPopup(True)
            # Dates read left to right in Darija too. Set before the format: in a right-to-left
            # widget Qt reverses the pattern itself (dd/MM/yyyy becomes yyyy/MM/dd).
            edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
            # A Qt date pattern, as each language writes dates: translated as "dd/MM/yyyy".
            edit.setDisplayFormat(_("d MMM yyyy"))
        self.start.dateChanged.connect(self._start_moved)
        self.details = QPlainTextEdit(pick(day.details) if day and day.details else "")
        self.details.setTabChangesFocus(True)
        self.problems = QLabel()
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #B00020;")
        self.problems.hide()
        form = QFormLayout()
        form.addRow(_("Title"), self.title)
        form.addRow(_("Kind"), self.kind)
        form.addRow(_("First day"), self.start)
        form.addRow(_("Last day"), self.end)
        form.addRow(_("What to do"), self.details)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.title.setFocus()

    def _start_moved(self, start: QDate) -> None:
        if self.end.date() < start:
            self.end.setDate(start)

    def accept(self) -> None:
        problems = day_problems(  # what will be saved: the texts without their outer spaces
            self.title.text().strip(),
            _pydate(self.start.date()),
            _pydate(self.end.date()),
            self.details.toPlainText().strip(),
        )
        if problems:
            self.problems.setText("\n".join(problems))
            self.problems.show()
            return
        super().accept()

    def action_day(self) -> ActionDay:
        details = self.details.toPlainText().strip()
        title = self.title.text().strip()
        return ActionDay(
            id=self.day_id,
            kind=self.kind.currentData(),
            start=_pydate(self.start.date()),
            end=_pydate(self.end.date()),
            title=dict.fromkeys(LANGUAGES, title),
            details=dict.fromkeys(LANGUAGES, details) if details else {},
            own=True,
        )
