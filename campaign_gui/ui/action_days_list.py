"""The action days: the next one with a live countdown, upcoming then past, the chosen one's
details, and the user's own days, which they can add, edit and delete."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from datetime import date

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.action_days import next_action_day, split_days
from ..core.campaign import ActionDay, Campaign
from ..core.clock import Clock, today_in
from ..core.formatting import (
    action_kind_label,
    format_countdown,
    format_day_span,
    sources_line,
)
from ..core.i18n import _, pick
from .theme import kind_chip, set_role

DAY_ROLE = Qt.ItemDataRole.UserRole
COUNTDOWN_MS = 60_000  # the countdown shows minutes at most; refreshed while visible only


# Wider than this many times its height, the tab puts the list and the details side by side.
WIDE_RATIO = 1.6


class ActionDaysView(QWidget):
    add_requested = Signal()
    edit_requested = Signal(object)  # ActionDay
    delete_requested = Signal(object)  # ActionDay
    reminders_toggled = Signal(str, bool)
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, clock: Clock) -> None:
        super().__init__(parent)
        # Read each minute while the view shows, so a new day moves days from upcoming to past.
        self._clock = clock
        self._campaign: Campaign | None = None
        self._days: dict[str, ActionDay] = {}
        self._all_days: list[ActionDay] = []
        self._no_reminders: set[str] = set()
        self._today: date | None = None  # in the campaign's zone, when the list was filled

        self.next_day = QLabel()
        self.next_day.setTextFormat(Qt.TextFormat.PlainText)  # day titles come from files
        self.next_day.setWordWrap(True)
        set_role(self.next_day, "section")
        self.countdown_timer = QTimer(self)
        self.countdown_timer.setInterval(COUNTDOWN_MS)
        self.countdown_timer.timeout.connect(self._show_next_day)

        self.add_button = QPushButton()
        self.add_button.setObjectName("accentButton")
        self.add_button.clicked.connect(self.add_requested)
        self.edit_button = QPushButton()
        self.edit_button.clicked.connect(lambda: self._emit_for_current(self.edit_requested))
        self.delete_button = QPushButton()
        self.delete_button.clicked.connect(lambda: self._emit_for_current(self.delete_requested))
        # Why Edit and Delete are greyed: said beside them, not left to guess.
        self.why_disabled = QLabel()
        self.why_disabled.setTextFormat(Qt.TextFormat.PlainText)
        self.why_disabled.setWordWrap(True)
        set_role(self.why_disabled, "caption")
        self.why_disabled.hide()
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.export_requested)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addWidget(self.why_disabled, 1)
        buttons.addWidget(self.export_button)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setIconSize(QSize(12, 12))
        # The title takes the room left and wraps: never cut behind a horizontal scroll bar.
        self.tree.header().setStretchLastSection(True)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.currentItemChanged.connect(self._show_details)
        self.tree.itemDoubleClicked.connect(lambda *_a: self._emit_for_current(self.edit_requested))
        # The keyboard does what the mouse does: Enter edits, Delete deletes (one's own days).
        self.tree.installEventFilter(self)
        # The chosen day: its title in bold, then dates and kind, then what to do and sources.
        self.details_title = QLabel()
        self.details_meta = QLabel()
        self.details = QLabel()
        for label in (self.details_title, self.details_meta, self.details):
            label.setTextFormat(Qt.TextFormat.PlainText)  # titles, details, sources: files
            label.setWordWrap(True)
        set_role(self.details_title, "section")
        set_role(self.details_meta, "caption")
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.details.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.remind = QCheckBox()
        self.remind.toggled.connect(self._remind_toggled)
        # Long details scroll inside the card, so the list above keeps its room.
        details_text = QWidget()
        text_layout = QVBoxLayout(details_text)
        text_layout.setContentsMargins(0, 0, 0, 0)
        text_layout.setSpacing(6)
        text_layout.addWidget(self.details_title)
        text_layout.addWidget(self.details_meta)
        text_layout.addWidget(self.details, 1)
        self.details_scroll = details_scroll = QScrollArea()
        details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        details_scroll.setWidgetResizable(True)
        details_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        details_scroll.setWidget(details_text)
        details_scroll.viewport().setAutoFillBackground(False)  # the card shows through
        details_text.setAutoFillBackground(False)
        details_box = QFrame()
        details_box.setObjectName("detailsCard")
        details_layout = QVBoxLayout(details_box)
        details_layout.setContentsMargins(16, 14, 16, 14)
        details_layout.setSpacing(6)
        details_layout.addWidget(details_scroll, 1)
        details_layout.addWidget(self.remind)

        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tree)
        splitter.addWidget(details_box)
        # Half each: a day's details with its sources fit without scrolling at the window's
        # first size, in Darija too (Arabic lines are taller).
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 400])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 16)
        layout.setSpacing(10)
        layout.addWidget(self.next_day)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        self.retranslate()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Side by side when the tab is wide (a laptop's 960 × 600 left the details a few lines
        under the list, their sources behind a scroll bar), one above the other when narrow."""
        wide = event.size().width() >= WIDE_RATIO * event.size().height()
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.splitter.orientation() != orientation:
            self.splitter.setOrientation(orientation)
            extent = event.size().width() if wide else event.size().height()
            self.splitter.setSizes(
                [extent * 3 // 5, extent * 2 // 5] if wide else [extent // 2] * 2
            )
        super().resizeEvent(event)

    # -- content ----------------------------------------------------------------------------

    def set_days(
        self,
        campaign: Campaign,
        days: list[ActionDay],
        no_reminders: AbstractSet[str] = frozenset(),
    ) -> None:
        self._campaign = campaign
        self._all_days = list(days)
        self._today = today_in(campaign.zone, self._clock.now())
        self._no_reminders = set(no_reminders)
        self._fill()

    def current_day(self) -> ActionDay | None:
        item = self.tree.currentItem()
        return self._days.get(item.data(0, DAY_ROLE)) if item is not None else None

    def _emit_for_current(self, signal) -> None:
        day = self.current_day()
        if day is not None and day.own:
            signal.emit(day)

    def _fill(self) -> None:
        chosen = self.current_day()
        self.tree.clear()
        self._days = {}
        self._show_next_day()
        if self._campaign is None or self._today is None:
            return
        upcoming, past = split_days(self._all_days, self._today)
        first: QTreeWidgetItem | None = None
        # With no day to come, the headline above says so in full; the list only says "none",
        # or the same sentence showed twice, one above the other.
        for heading, days in ((_("Upcoming"), upcoming), (_("Past"), past)):
            group = QTreeWidgetItem(self.tree, [heading])
            group.setFirstColumnSpanned(True)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            if not days:
                note = QTreeWidgetItem(group, [_("None yet.")])
                note.setFirstColumnSpanned(True)
                note.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for day in days:
                title = pick(day.title)
                if day.own:
                    title = _("{title} (your day)").format(title=title)
                item = QTreeWidgetItem(
                    group,
                    [format_day_span(day.start, day.end), action_kind_label(day.kind), title],
                )
                item.setIcon(1, kind_chip(day.kind))  # a colour per kind of day
                item.setData(0, DAY_ROLE, day.id)
                self._days[day.id] = day
                if first is None or (chosen is not None and day.id == chosen.id):
                    first = item
            group.setExpanded(True)
        for column in range(2):
            self.tree.resizeColumnToContents(column)
        if first is not None:
            self.tree.setCurrentItem(first)
        else:
            self._show_details(None)

    def _show_next_day(self) -> None:
        if self._campaign is None:
            self.next_day.clear()
            return
        now = self._clock.now()
        today = today_in(self._campaign.zone, now)
        if self._today is not None and today != self._today:
            self._today = today
            self._fill()
            return
        day = next_action_day(self._all_days, today)
        if day is None:
            self.next_day.setText(_("No action day is planned yet. Add one to be reminded of it."))
            return
        countdown = format_countdown(day.start, day.end, now, self._campaign.zone)
        self.next_day.setText(
            _("Next: {title}, {when} ({countdown})").format(
                title=pick(day.title), when=format_day_span(day.start, day.end), countdown=countdown
            )
        )

    def _show_details(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        day = self._days.get(item.data(0, DAY_ROLE)) if item is not None else None
        own = day is not None and day.own
        self.edit_button.setEnabled(own)
        self.delete_button.setEnabled(own)
        self.why_disabled.setVisible(day is not None and not own)
        # Reminders only mean something for a day still to come.
        self.remind.setVisible(
            day is not None and self._today is not None and day.end >= self._today
        )
        if day is None:
            for label in (self.details_title, self.details_meta, self.details):
                label.clear()
            return
        self.details_title.setText(pick(day.title))
        self.details_meta.setText(
            _("{dates} · {kind}").format(
                dates=format_day_span(day.start, day.end), kind=action_kind_label(day.kind)
            )
        )
        lines = []
        if day.details:
            lines.append(pick(day.details))
        if day.sources:
            lines.append(sources_line(day.sources))
        if own:
            lines.append(_("You added this day; it is kept on this computer only."))
        self.details.setText("\n\n".join(lines))
        self.remind.blockSignals(True)
        self.remind.setChecked(day.id not in self._no_reminders)
        self.remind.blockSignals(False)

    def _remind_toggled(self, on: bool) -> None:
        day = self.current_day()
        if day is not None:
            self.reminders_toggled.emit(day.id, on)

    # -- Qt ---------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            watched is self.tree
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._emit_for_current(self.edit_requested)
                return True
            if event.matches(QKeySequence.StandardKey.Delete):
                self._emit_for_current(self.delete_requested)
                return True
        return super().eventFilter(watched, event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._show_next_day()
        self.countdown_timer.start()
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.countdown_timer.stop()
        super().hideEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([_("Dates"), _("Kind"), _("What")])
        self.tree.setAccessibleName(_("Action days"))
        self.details.setAccessibleName(_("About the chosen action day"))
        self.details_scroll.setAccessibleName(_("About the chosen action day"))
        self.add_button.setText(_("Add an action day…"))
        self.edit_button.setText(_("Edit…"))
        self.delete_button.setText(_("Delete"))
        self.why_disabled.setText(_("Only your own days can be changed."))
        self.export_button.setText(_("Add to my calendar (.ics)…"))
        self.export_button.setToolTip(
            _("Save the action days as a calendar file for your phone or computer")
        )
        self.remind.setText(_("Remind me of this day"))
        self._fill()
