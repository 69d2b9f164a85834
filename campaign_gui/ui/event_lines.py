"""The campaign's context events on the graph: a dotted line each, titled on staggered rows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pyqtgraph as pg
from pyqtgraph.graphicsItems.InfiniteLine import InfLineLabel
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QFontMetricsF, QPainter, QPen

from ..core.campaign import Campaign, ContextEvent
from ..core.formatting import format_day_span
from ..core.i18n import embedded, pick
from .palette import GraphColours
from .target_cards import plain_tooltip

EVENT_LABEL_MAX_PX = 400  # a longer event title is shortened; the whole title is on hover
EVENT_LABEL_GAP_PX = 14  # between two titles on one row: told apart at a glance
EVENT_LABEL_EDGE_PX = 4  # between a title and the graph's edge
EVENT_LABEL_MIN_PX = 60  # a title with less room than this is left out (its line stays)
EVENT_LABEL_ROWS = 4
EVENT_LABEL_SHARE = 0.45  # of the graph's height, at most, for the rows of titles
EVENT_LABEL_ROW_GAP_PX = 3  # between two rows of titles
TRACE_Z = -5  # the events' dotted lines: under the curves
TITLE_Z = 5  # the events' titles: over the curves and every dotted line
EVENT_LABEL_RADIUS_PX = 5  # the corners of a title's backing, as the app's cards


@dataclass(frozen=True)
class TitlePlace:
    """Where an event's title goes: its row from the top, on which side of its line, and the
    room it takes (less than its whole width when it is shortened to fit)."""

    row: int
    rightward: bool
    width: float


def place_titles(
    xs: Sequence[float],
    widths: Sequence[float],
    view_width: float,
    rows: int,
    gap: float = EVENT_LABEL_GAP_PX,
    edge: float = EVENT_LABEL_EDGE_PX,
) -> list[TitlePlace | None]:
    """Titles beside their lines (at ``xs``, in pixels from the graph's left edge), never over
    one another nor past the graph's edges.

    From left to right, each title takes the highest row where it fits whole, on the side of its
    line toward the graph's middle, else on the other side. One that fits whole nowhere is
    shortened to the room it finds, if that is at least ``EVENT_LABEL_MIN_PX``; else it is left
    out (None): its line is still drawn, and zooming in makes room for it.
    """
    taken: list[list[tuple[float, float]]] = [[] for _ in range(rows)]
    places: list[TitlePlace | None] = [None] * len(xs)

    def free(row: int, start: float, end: float) -> bool:
        return all(end + gap <= a or b + gap <= start for a, b in taken[row])

    for i in sorted(range(len(xs)), key=lambda i: xs[i]):
        x, width = xs[i], widths[i]
        sides = (True, False) if x < view_width / 2 else (False, True)
        rooms = {True: view_width - edge - x, False: x - edge}
        for shorten in (False, True):
            for row in range(rows):
                for rightward in sides:
                    room = rooms[rightward]
                    if shorten:
                        room = min(room, _room_on_row(taken[row], x, rightward, gap, room))
                        if room < EVENT_LABEL_MIN_PX:
                            continue
                        used = min(width, room)
                    elif width > room:
                        continue
                    else:
                        used = width
                    start, end = (x, x + used) if rightward else (x - used, x)
                    if free(row, start, end):
                        places[i] = TitlePlace(row, rightward, used)
                        taken[row].append((start, end))
                        break
                if places[i] is not None:
                    break
            if places[i] is not None:
                break
    return places


def _room_on_row(
    taken: list[tuple[float, float]], x: float, rightward: bool, gap: float, room: float
) -> float:
    """How far a title may run from ``x`` on a row before it meets another title."""
    if rightward:
        ahead = [a - gap - x for a, b in taken if a >= x]
    else:
        ahead = [x - b - gap for a, b in taken if b <= x]
    return min([room, *ahead])


class EventTitle(InfLineLabel):
    """An event's title beside its line, on a rounded backing in the graph's background (a
    little see-through), so it reads over the curves and the grid."""

    fill: QBrush  # pyqtgraph's: behind the text

    def paint(self, p: QPainter, *args) -> None:
        fill, self.fill = self.fill, pg.mkBrush(None)
        super().paint(p, *args)  # pyqtgraph keeps the title upright; it draws nothing now
        self.fill = fill
        p.setPen(pg.mkPen(None))
        p.setBrush(fill)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.drawRoundedRect(self.backing(), EVENT_LABEL_RADIUS_PX, EVENT_LABEL_RADIUS_PX)

    def backing(self) -> QRectF:
        """The title's backing, in the label's own coordinates."""
        return self.textItem.mapRectToParent(self.textItem.boundingRect())


def _event_pen(colours: GraphColours) -> QPen:
    return pg.mkPen(colours.event, width=1, style=Qt.PenStyle.DotLine)


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
        self._titles: dict[str, str] = {}  # by event id, in the current language
        self.lines: list[pg.InfiniteLine] = []  # undrawn, each carrying its event's title
        self._traces: list[pg.InfiniteLine] = []  # the dotted lines, under the curves
        self.band = 0.0  # how far down from the graph's top the titles reach, in pixels
        view = plot.getViewBox()
        view.sigRangeChanged.connect(self.stagger)
        view.sigResized.connect(self.stagger)

    def __iter__(self) -> Iterator[pg.InfiniteLine]:
        return iter(self.lines)

    def add(self, campaign: Campaign, colours: GraphColours) -> None:
        """A line for each of ``campaign``'s events (the plot was cleared of the old ones)."""
        self._events = {e.id: e for e in campaign.events}
        self.lines = []
        self._traces = []
        for event in campaign.events:
            at = campaign.local_noon(event.start).timestamp()
            # The dotted line is drawn under everything; its title rides an undrawn line above
            # the curves and every other dotted line, so no line crosses another event's title.
            trace = pg.InfiniteLine(pos=at, angle=90, movable=False, pen=_event_pen(colours))
            trace.setZValue(TRACE_Z)
            self._plot.addItem(trace, ignoreBounds=True)
            self._traces.append(trace)
            line = pg.InfiniteLine(pos=at, angle=90, movable=False, pen=pg.mkPen(None))
            line.setZValue(TITLE_Z)
            line.label = EventTitle(
                line, "", position=0.96, color=colours.event, fill=colours.label_fill
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
            self._titles[event.id] = short
            line.label.setFormat(line_label_format(short))
            line.label.setToolTip(
                plain_tooltip(f"{title}\n{format_day_span(event.start, event.end)}")
            )
        self.stagger()

    def stagger(self) -> None:
        """Each shown title beside its line, clear of the others and of the graph's edges: see
        ``place_titles``. Positions are worked out from the view's range and size, which are up to
        date when the range changes, rather than from where the titles were last drawn (that lags
        a zoom by one paint, and the titles of "show every event" were once laid over each other).
        """
        view = self._plot.getViewBox()
        width, height = view.width(), view.height()
        if height <= 0 or width <= 0 or not self.lines:
            return
        (left, right), _ = view.viewRange()
        shown = [line for line in self.lines if left <= line.value() <= right]
        if not shown:
            return
        font = shown[0].label.textItem.font()
        metrics = QFontMetricsF(font)
        margin = shown[0].label.textItem.document().documentMargin()
        xs = [(line.value() - left) / (right - left) * width for line in shown]
        widths = [
            metrics.horizontalAdvance(self._titles[line.event_id]) + 2 * margin for line in shown
        ]
        # As tall as a title is drawn (a line of Arabic can be taller than the font says).
        row_height = max(
            metrics.height() + 2 * margin, shown[0].label.textItem.boundingRect().height()
        )
        # A short graph (960 × 600 in Darija's tall lines) gives its titles less than half of
        # itself: the figures keep the rest.
        room = int(EVENT_LABEL_SHARE * height // (row_height + EVENT_LABEL_ROW_GAP_PX))
        places = place_titles(xs, widths, width, max(1, min(EVENT_LABEL_ROWS, room)))
        rows = max((place.row + 1 for place in places if place is not None), default=0)
        self.band = 2 * EVENT_LABEL_EDGE_PX + rows * (row_height + EVENT_LABEL_ROW_GAP_PX)
        top = 1 - (row_height / 2 + EVENT_LABEL_EDGE_PX) / height
        for line, place in zip(shown, places, strict=True):
            label = line.label
            if place is None:
                label.setVisible(False)
                continue
            anchor = (0, 0.5) if place.rightward else (1, 0.5)
            label.anchors = [anchor, anchor]
            title = self._titles[line.event_id]
            if place.width < metrics.horizontalAdvance(title) + 2 * margin:
                title = metrics.elidedText(
                    title, Qt.TextElideMode.ElideRight, place.width - 2 * margin
                )
            text = line_label_format(title)
            if label.format != text:
                label.setFormat(text)
            if not label.isVisible():
                label.setVisible(True)
            label.setPosition(
                max(0.0, top - place.row * (row_height + EVENT_LABEL_ROW_GAP_PX) / height)
            )

    def recolour(self, colours: GraphColours) -> None:
        for trace in self._traces:
            trace.setPen(_event_pen(colours))
        for line in self.lines:
            line.label.setColor(colours.event)
            line.label.fill = pg.mkBrush(colours.label_fill)
            line.label.update()

    def positions(self) -> list[float]:
        return [line.value() for line in self.lines]

    def labels(self) -> list[str]:
        """The event titles as drawn on the graph."""
        return [line.label.toPlainText() for line in self.lines if line.label.isVisible()]
