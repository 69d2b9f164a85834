"""The campaign's context events on the graph: a dotted line each, titled on staggered rows."""

from __future__ import annotations

from collections.abc import Iterator

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF

from ..core.campaign import Campaign, ContextEvent
from ..core.formatting import format_day
from ..core.i18n import embedded, pick
from .palette import GraphColours
from .target_cards import plain_tooltip

EVENT_LABEL_MAX_PX = 400  # a longer event title is shortened; the whole title is on hover
EVENT_LABEL_GAP_PX = 6
EVENT_LABEL_ROWS = 4


def line_label_format(title: str) -> str:
    """An event line's label: pyqtgraph fills its text in with ``str.format(value=…)``, so the
    braces of a title (``{value}``, ``{0}``) are doubled to show as written."""
    return embedded(title).replace("{", "{{").replace("}", "}}")


class EventLines:
    """The event lines of one plot: drawn for a campaign, titled in the current language,
    re-coloured with the scheme, and their titles kept apart whenever the view changes."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self._plot = plot
        self._events: dict[str, ContextEvent] = {}
        self.lines: list[pg.InfiniteLine] = []
        view = plot.getViewBox()
        view.sigRangeChanged.connect(self.stagger)
        view.sigResized.connect(self.stagger)

    def __iter__(self) -> Iterator[pg.InfiniteLine]:
        return iter(self.lines)

    def add(self, campaign: Campaign, colours: GraphColours) -> None:
        """A line for each of ``campaign``'s events (the plot was cleared of the old ones)."""
        self._events = {e.id: e for e in campaign.events}
        self.lines = []
        for event in campaign.events:
            line = pg.InfiniteLine(
                pos=campaign.local_noon(event.start).timestamp(),
                angle=90,
                movable=False,
                pen=pg.mkPen(colours.event, width=1, style=Qt.PenStyle.DotLine),
                label="",
                labelOpts={"position": 0.96, "color": colours.event, "fill": colours.label_fill},
            )
            line.event_id = event.id
            self._plot.addItem(line, ignoreBounds=True)
            self.lines.append(line)
        self.retitle()

    def retitle(self) -> None:
        """Each event line's title, shortened when long; the whole title and date on hover."""
        for line in self.lines:
            event = self._events[line.event_id]
            title = pick(event.title)
            metrics = QFontMetricsF(line.label.textItem.font())
            short = metrics.elidedText(title, Qt.TextElideMode.ElideRight, EVENT_LABEL_MAX_PX)
            line.label.setFormat(line_label_format(short))
            line.label.setToolTip(plain_tooltip(f"{title}\n{format_day(event.start)}"))
        self.stagger()

    def stagger(self) -> None:
        """Event titles on as many rows as it takes for none to cover another (three events of
        January and February 2016 are days apart): each goes on the highest row where it fits."""
        view = self._plot.getViewBox()
        height = view.sceneBoundingRect().height()
        if height <= 0 or not self.lines:
            return
        (left, right), _ = view.viewRange()
        rights: list[float] = []  # per row, the right edge of its last title
        shown = [line for line in self.lines if left <= line.value() <= right]
        for line in shown:
            line.label.updatePosition()
        row_height = max((line.label.sceneBoundingRect().height() for line in shown), default=0)
        top = 1 - (row_height / 2 + 4) / height
        for line in sorted(shown, key=lambda line: line.label.sceneBoundingRect().left()):
            box = line.label.sceneBoundingRect()
            row = next(
                (r for r, end in enumerate(rights) if box.left() >= end + EVENT_LABEL_GAP_PX),
                min(len(rights), EVENT_LABEL_ROWS - 1),
            )
            if row == len(rights):
                rights.append(box.right())
            else:
                rights[row] = max(rights[row], box.right())
            line.label.setPosition(max(0.0, top - row * (row_height + 2) / height))

    def recolour(self, colours: GraphColours) -> None:
        for line in self.lines:
            line.setPen(pg.mkPen(colours.event, width=1, style=Qt.PenStyle.DotLine))
            line.label.setColor(colours.event)
            line.label.fill = pg.mkBrush(colours.label_fill)
            line.label.update()

    def positions(self) -> list[float]:
        return [line.value() for line in self.lines]

    def labels(self) -> list[str]:
        """The event titles as drawn on the graph."""
        return [line.label.toPlainText() for line in self.lines if line.label]
