"""The campaign's action days, upcoming first, then past, with their dates."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from ..core.action_days import split_days
from ..core.campaign import Campaign
from ..core.formatting import action_kind_label, format_day_span
from ..core.i18n import _, pick


class ActionDaysList(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(3)
        self.setRootIsDecorated(False)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self._campaign: Campaign | None = None
        self._today: date | None = None
        self.retranslate()

    def set_campaign(self, campaign: Campaign, today: date) -> None:
        self._campaign = campaign
        self._today = today
        self._fill()

    def _fill(self) -> None:
        self.clear()
        if self._campaign is None or self._today is None:
            return
        upcoming, past = split_days(self._campaign.action_days, self._today)
        for heading, days, empty in (
            (_("Upcoming"), upcoming, _("No action day is planned yet.")),
            (_("Past"), past, _("None yet.")),
        ):
            group = QTreeWidgetItem(self, [heading])
            group.setFirstColumnSpanned(True)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            if not days:
                QTreeWidgetItem(group, [empty]).setFirstColumnSpanned(True)
            for day in days:
                item = QTreeWidgetItem(
                    group,
                    [
                        format_day_span(day.start, day.end),
                        action_kind_label(day.kind),
                        pick(day.title),
                    ],
                )
                details = pick(day.details) if day.details else ""
                sources = ", ".join(s.name for s in day.sources)
                tip = details + (
                    ("\n" + _("Source: {sources}").format(sources=sources)) if sources else ""
                )
                for column in range(3):
                    item.setToolTip(column, tip)
            group.setExpanded(True)
        for column in range(3):
            self.resizeColumnToContents(column)

    def retranslate(self) -> None:
        self.setHeaderLabels([_("Dates"), _("Kind"), _("What")])
        self.setAccessibleName(_("Action days"))
        self._fill()
