"""The campaign's action days, upcoming first, then past, with the chosen one's details below."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.action_days import split_days
from ..core.campaign import ActionDay, Campaign
from ..core.formatting import action_kind_label, format_day_span
from ..core.i18n import _, pick

DAY_ROLE = Qt.ItemDataRole.UserRole


class ActionDaysView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._campaign: Campaign | None = None
        self._today: date | None = None
        self._days: dict[str, ActionDay] = {}

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.currentItemChanged.connect(self._show_details)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.details.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.details.setFrameShape(QFrame.Shape.StyledPanel)
        self.details.setMargin(8)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(splitter, 1)
        self.retranslate()

    def set_campaign(self, campaign: Campaign, today: date) -> None:
        self._campaign = campaign
        self._today = today
        self._fill()

    def _fill(self) -> None:
        chosen = self._current_day_id()
        self.tree.clear()
        self._days = {}
        if self._campaign is None or self._today is None:
            return
        upcoming, past = split_days(self._campaign.action_days, self._today)
        first: QTreeWidgetItem | None = None
        for heading, days, empty in (
            (_("Upcoming"), upcoming, _("No action day is planned yet.")),
            (_("Past"), past, _("None yet.")),
        ):
            group = QTreeWidgetItem(self.tree, [heading])
            group.setFirstColumnSpanned(True)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            if not days:
                note = QTreeWidgetItem(group, [empty])
                note.setFirstColumnSpanned(True)
                note.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for day in days:
                item = QTreeWidgetItem(
                    group,
                    [
                        format_day_span(day.start, day.end),
                        action_kind_label(day.kind),
                        pick(day.title),
                    ],
                )
                item.setData(0, DAY_ROLE, day.id)
                self._days[day.id] = day
                if first is None or day.id == chosen:
                    first = item
            group.setExpanded(True)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        if first is not None:
            self.tree.setCurrentItem(first)
        else:
            self.details.clear()

    def _current_day_id(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, DAY_ROLE) if item is not None else None

    def _show_details(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        day = self._days.get(item.data(0, DAY_ROLE)) if item is not None else None
        if day is None:
            return
        lines = [
            f"{pick(day.title)} — {format_day_span(day.start, day.end)}",
            action_kind_label(day.kind),
        ]
        if day.details:
            lines.append(pick(day.details))
        if day.sources:
            sources = ", ".join(s.name for s in day.sources)
            lines.append(_("Source: {sources}").format(sources=sources))
        self.details.setText("\n\n".join(lines))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.intro.setText(_("The campaign's action days. Choose one to read more."))
        self.tree.setHeaderLabels([_("Dates"), _("Kind"), _("What")])
        self.tree.setAccessibleName(_("Action days"))
        self.details.setAccessibleName(_("About the chosen action day"))
        self._fill()
