"""Adding or editing one of the user's own action days."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QEvent, QLocale, Qt
from PySide6.QtGui import QFontMetrics, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QToolButton,
)

from ..core import limits
from ..core.action_days import day_problems
from ..core.campaign import ACTION_KINDS, ActionDay
from ..core.formatting import action_kind_label
from ..core.i18n import LANGUAGES, _, babel_locale, pick
from .dialog_buttons import use_our_buttons
from .form_card import accent_save, card, dialog_layout, form_layout
from .theme import current_theme, svg_icon


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


_DATE_TOKEN = re.compile(r"'(?:[^']|'')*'|d+|M+|y+|H+|m+|[^dMyHm']+")


def qt_date_format(pattern: str, right_to_left: bool) -> str:
    """The pattern to give a date or time field so that it shows ``pattern``.

    In a right-to-left field Qt lays the pattern's parts out in reverse order ("d MMMM yyyy" shows
    "2016 مارس 1", which reads backwards from the right; "HH:mm" shows "00:20"). Given reversed,
    it is put right, and the field keeps the language's direction (its arrows on the left).
    """
    if not right_to_left:
        return pattern
    return "".join(reversed(_DATE_TOKEN.findall(pattern)))


def calm_calendar(calendar: QCalendarWidget) -> None:
    """The date picker as a calendar app draws it: days named by one letter (Qt's full Arabic
    names made it 784 px wide, 310 in French), no red weekends (a weekend is no warning), the
    month bar in the window's colours rather than the selection's (black arrows on dark green)."""
    calendar.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.SingleLetterDayNames)
    calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
    for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
        calendar.setWeekdayTextFormat(day, QTextCharFormat())
    # Its columns are at least as wide as the font's widest glyph by default: with Noto Sans
    # Arabic (a ligature of ~100 px) that alone made the picker 784 px wide.
    view = calendar.findChild(QTableView)
    if view is not None:
        digits = QFontMetrics(calendar.font()).horizontalAdvance("00")
        view.horizontalHeader().setMinimumSectionSize(digits * 2)
    calendar.setObjectName("datePicker")  # the theme's style sheet draws its month bar
    theme = current_theme()
    if theme is not None:  # arrows in the text's colour, pointing the way time goes on screen
        back, on = ("right", "left") if calendar.isRightToLeft() else ("left", "right")
        for name, way in (("qt_calendar_prevmonth", back), ("qt_calendar_nextmonth", on)):
            button = calendar.findChild(QToolButton, name)
            if button is not None:
                button.setIcon(svg_icon(f"chevron-{way}", theme.colours.text))


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
        self._show_dates()
        self.start.dateChanged.connect(self._start_moved)
        self.details = QPlainTextEdit(pick(day.details) if day and day.details else "")
        self.details.setTabChangesFocus(True)
        self.problems = QLabel()
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setWordWrap(True)
        self.problems.setObjectName("problems")  # the theme colours it, light or dark
        self.problems.hide()
        form = form_layout()
        form.addRow(_("Title"), self.title)
        form.addRow(_("Kind"), self.kind)
        form.addRow(_("First day"), self.start)
        form.addRow(_("Last day"), self.end)
        form.addRow(_("What to do"), self.details)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        use_our_buttons(buttons)
        accent_save(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.details.setMinimumHeight(90)
        dialog_layout(self, card(form), self.problems, buttons)
        self.title.setFocus()

    def _show_dates(self) -> None:
        """Dates as the language writes them ("1 mars 2016", "1 مارس 2016"), in a widget that
        keeps the language's direction (its arrow on the left in Darija)."""
        for edit in (self.start, self.end):
            edit.setLocale(QLocale(babel_locale()))  # month names of the app's language
            # A Qt date pattern, as each language writes dates.
            edit.setDisplayFormat(qt_date_format(_("d MMM yyyy"), edit.isRightToLeft()))
            calm_calendar(edit.calendarWidget())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._show_dates()
        super().changeEvent(event)

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
