"""The like-loss graph: one curve per operator, a date axis, a legend, a read-out at the point."""

from __future__ import annotations

import html
from datetime import UTC, tzinfo

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QKeyEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ..core.campaign import Campaign
from ..core.i18n import _, current_language, embedded, is_right_to_left
from ..core.like_loss import ALL_TARGETS, LossSeries, graph_measure, reports_apart
from ..core.loss_words import describe_point, line_name, together_name
from .date_axis import LocalDateAxis, NumberAxis, axis_text, tick_font
from .event_lines import EventLines, line_label_format
from .legend_row import LegendRow
from .line_marks import LineMarks, MarkedSample
from .palette import CURVE_COLOURS, GraphColours, graph_colours
from .target_cards import plain_tooltip

__all__ = [
    "LocalDateAxis",
    "LossPlot",
    "NumberAxis",
    "axis_text",
    "legend_text",
    "line_label_format",
]

CURVE_SYMBOLS = ("o", "s", "t", "d", "star", "h")
CURVE_STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DashDotLine)
OTHER_LINE = Qt.PenStyle.DotLine  # a page's second line: the other measure, or since tracking
HOVER_RADIUS_PX = 24
LEGEND_MAX_CHARS = 40
DENSE_POINTS = 2000
PYQTGRAPH_TEXT_SHARE = 0.8  # of a label's line height, as pyqtgraph measures it
BELOW_ZERO = 0.06  # room under the zero line, so its "0" label fits on the axis
LOWEST = 3 * BELOW_ZERO  # of the highest figure: how far below zero the view may go
VIEW_Z = -100  # pyqtgraph's view box's


# Names and titles come from files and are shown as written, never read as markup or format.
def legend_text(name: str, longest: int = LEGEND_MAX_CHARS) -> str:
    """A legend entry: pyqtgraph's legend reads HTML, so the name is escaped (the direction
    marks ``embedded`` adds for Darija are not touched, so Arabic is shaped as before). A name
    longer than ``longest`` (a page's name, from the campaign's file) is shortened, so it never
    runs out of the graph."""
    if len(name) > longest:
        name = name[: longest - 1].rstrip() + "…"
    return html.escape(embedded(name), quote=False)


def _report_styles(
    line: LossSeries, indices: list[int], colour: QColor, edge: str
) -> tuple[list[QBrush], list[QPen]]:
    """Each report mark's fill and ring: filled in the line's colour; hollow (the background
    inside a ring of the colour) for a figure whose report does not say which day it is for."""
    filled, ring = pg.mkBrush(colour), pg.mkPen(edge, width=1)
    hollow, hollow_ring = pg.mkBrush(edge), pg.mkPen(colour, width=2)
    undated = [not line.info[i].date_given for i in indices]
    return (
        [hollow if u else filled for u in undated],
        [hollow_ring if u else ring for u in undated],
    )


def _restyle(marks: pg.PlotDataItem, brushes: list[QBrush], pens: list[QPen]) -> None:
    """Marks given a fill and a ring each (``setSymbolBrush`` takes one for all)."""
    marks.opts.update(symbolBrush=brushes, symbolPen=pens)
    marks.updateItems(styleUpdate=True)


def _drawn(line: LossSeries, apart: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The points of a page's line as drawn: through its counts, not its reports drawn apart."""
    return line.line_through(apart) if apart else (line.times, line.losses)


class LossPlot(QWidget):
    """Shows a campaign's like-loss series; says what a point is, at the point.

    Hovering a mark shows its date, figure and source in a tooltip beside it; with the keyboard,
    the arrow keys step from mark to mark (Home and End: the first and the last) and show the same.
    """

    readout_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._campaign: Campaign | None = None
        self._series: dict[str, LossSeries] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.report_marks: dict[str, pg.PlotDataItem] = {}  # a page's reports beside its counts
        self._mark_colours: dict[str, QColor] = {}  # their page's colour
        self.line_marks: dict[str, LineMarks] = {}  # a page's symbol along its dense line
        self._zone: tzinfo = UTC
        self._marks: list[tuple[str, int]] = []  # the points the arrow keys step through
        self._mark: int | None = None
        self._shown: tuple[str, int] | None = None  # the point whose read-out is showing
        self.colours: GraphColours = graph_colours(
            self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        )

        pg.setConfigOptions(antialias=True)
        self.date_axis = LocalDateAxis(UTC)
        self.plot_widget = pg.PlotWidget(axisItems={"bottom": self.date_axis, "left": NumberAxis()})
        self.plot_widget.setMenuEnabled(False)  # pyqtgraph's menu is English-only
        # Time runs left to right in every language, as on graphs in Moroccan Arabic and French
        # papers and spreadsheets; only the widgets around the graph follow right to left.
        self.plot_widget.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.plot_widget.hideButtons()
        self.plot_widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot_widget.installEventFilter(self)
        for axis in ("left", "bottom"):
            # Major ticks only: the minor grid lines cost more to paint than the curves.
            self.plot_widget.getPlotItem().getAxis(axis).setStyle(maxTickLevel=0)
            # Under the view (pyqtgraph puts it over): the grid lines run under the marks.
            self.plot_widget.getPlotItem().getAxis(axis).setZValue(VIEW_Z - 1)
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # the graphics items, too
        self.plot.setLimits(yMin=-1000)
        # The legend is a row above the plot, clear of the curves and of the event titles.
        self.legend = LegendRow(labelTextSize="10pt")
        self.legend.setParentItem(self.plot)
        self.plot.getViewBox().sigResized.connect(self._place_legend)
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)
        self._event_lines = EventLines(self.plot)  # titles restaggered as the view changes

        self.title = QLabel()
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(
            True
        )  # a long title ("Likes and followers lost…") never widens the window
        self.fit_figures = QPushButton()
        self.fit_figures.clicked.connect(self.show_figures)
        self.fit_all = QPushButton()
        self.fit_all.clicked.connect(self.show_everything)

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.fit_figures)
        header.addWidget(self.fit_all)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(header)
        layout.addWidget(self.plot_widget, 1)
        self.apply_color_scheme(self.colours is graph_colours(True))
        self.retranslate()

    # -- content -----------------------------------------------------------------------------------

    def set_series(self, campaign: Campaign, series: dict[str, LossSeries]) -> None:
        first_time = self._campaign is None
        self._campaign = campaign
        self._series = series
        self._zone = campaign.zone
        self.date_axis.zone = campaign.zone
        offset = campaign.start_instant().utcoffset()
        self.date_axis.utcOffset = -int(offset.total_seconds()) if offset else 0
        self._hide_readout()
        self.plot.clear()
        self.curves = {}
        self.report_marks = {}
        self._mark_colours = {}
        self.line_marks = {}
        colours = self.colours
        drawn = [
            (index, key, line)
            for index, target in enumerate(campaign.targets)
            for key, line in series.items()
            if key != ALL_TARGETS and line.target == target.id
        ]
        for index, key, line in drawn:
            colour = QColor(CURVE_COLOURS[index % len(CURVE_COLOURS)])
            symbol = CURVE_SYMBOLS[index % len(CURVE_SYMBOLS)]
            # A page's other line (the other measure, or counts since tracking began): its
            # colour and symbol, dotted, never joined to its own.
            style = CURVE_STYLES[index % len(CURVE_STYLES)] if key == line.target else OTHER_LINE
            # Beside tracked counts, the press's figures are marks of their own: a line through
            # both would zigzag between a rounded report and an exact count.
            reported = reports_apart(line)
            apart = bool(reported)
            # Reported figures are few and each one matters: marked with a symbol, on a wide
            # line dashed its own way. Dense like counts are a thin solid line, decimated to
            # what the pixels can show, with the page's symbol along it (see LineMarks).
            dense = len(line) - len(reported) > DENSE_POINTS
            xs, ys = _drawn(line, reported)
            curve = self.plot.plot(
                xs,
                ys,
                pen=pg.mkPen(
                    colour,
                    width=1,
                    style=Qt.PenStyle.SolidLine if key == line.target else OTHER_LINE,
                )
                if dense
                else pg.mkPen(colour, width=2.5, style=style),
                symbol=None if dense else symbol,
                symbolSize=9,
                symbolBrush=colour,
                symbolPen=pg.mkPen(colours.mark_edge, width=1),
                skipFiniteCheck=True,
                antialias=not dense,  # a decimated line looks the same and paints twice as fast
            )
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            self.curves[key] = curve
            if dense:
                phase = index / len(campaign.targets)
                self.line_marks[key] = LineMarks(
                    curve, xs, ys, symbol, colour, colours.mark_edge, phase
                )
            if apart:
                brushes, pens = _report_styles(line, reported, colour, colours.mark_edge)
                marks = self.plot.plot(
                    line.times[reported],
                    line.losses[reported],
                    pen=None,
                    symbol=symbol,
                    symbolSize=11,
                    symbolBrush=brushes,
                    symbolPen=pens,
                )
                # Hidden and shown with its page's line (a click on the legend).
                curve.visibleChanged.connect(
                    lambda marks=marks, curve=curve: marks.setVisible(curve.isVisible())
                )
                self.report_marks[key] = marks
                self._mark_colours[key] = colour
        together = series.get(ALL_TARGETS)
        if together is not None:
            reported = [i for i in together.info if together.info[i].kind == "report"]
            brushes, pens = _report_styles(
                together, reported, QColor(colours.all_targets), colours.mark_edge
            )
            self.curves[ALL_TARGETS] = self.plot.plot(
                together.times[reported],
                together.losses[reported],
                pen=None,
                symbol="d",
                symbolSize=11,
                symbolBrush=brushes,
                symbolPen=pens,
            )
        self._marks = self._keyboard_marks()
        self._mark = None
        highest = max((float(np.max(s.losses)) for s in series.values() if len(s)), default=0.0)
        self.plot.setLimits(yMin=-max(1000.0, highest * LOWEST))
        self._rebuild_legend()
        self._measure_texts()
        self._event_lines.add(campaign, self.colours)
        if first_time:
            self.show_figures()

    def add_counts(self, series: dict[str, LossSeries]) -> None:
        """The same campaign's series with new counts (``Workspace.updated_series``): each line
        takes its points in place, and the view stays where the user put it. A line whose look
        changes with them (its first counts, or enough to be drawn dense) is drawn afresh."""
        campaign = self._campaign
        if campaign is None or series.keys() != self._series.keys():
            raise ValueError("new counts for series that are not shown")
        apart = {t: reports_apart(series[t]) for t in self.curves if t != ALL_TARGETS}
        if any(
            (t in self.report_marks) != bool(reported)
            or (self.curves[t].opts["symbol"] is None)
            != (len(series[t]) - len(reported) > DENSE_POINTS)
            for t, reported in apart.items()
        ):
            self.set_series(campaign, series)
            return
        self._hide_readout()
        self._series = series
        for target_id, reported in apart.items():
            line = series[target_id]
            self.curves[target_id].setData(*_drawn(line, reported))
        self._marks = self._keyboard_marks()
        self._mark = None
        highest = max((float(np.max(s.losses)) for s in series.values() if len(s)), default=0.0)
        self.plot.setLimits(yMin=-max(1000.0, highest * LOWEST))

    def _keyboard_marks(self) -> list[tuple[str, int]]:
        """Every marked point in time order: the reports, and each dense line's own reports."""
        marks: list[tuple[float, int, str, int]] = []
        for order, target_id in enumerate(self.curves):
            line = self._series[target_id]
            if target_id == ALL_TARGETS or len(line) > DENSE_POINTS:
                indices = [i for i, info in line.info.items() if info.kind == "report"]
            else:
                indices = list(range(len(line)))
            marks += [(float(line.times[i]), order, target_id, i) for i in indices]
        return [(target_id, i) for _t, _o, target_id, i in sorted(marks)]

    def _rebuild_legend(self) -> None:
        """The legend afresh, in the current language and direction: each entry reads from its
        mark, on the left in French and English, on the right in Darija."""
        self.legend.clear()
        self.legend.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if is_right_to_left() else Qt.LayoutDirection.LeftToRight
        )
        for target_id, curve in self.curves.items():
            name = self._series_name(target_id)
            curve.opts["name"] = name  # the curve keeps its name as written
            marks = self.line_marks.get(target_id)
            sample = curve if marks is None else MarkedSample(curve, marks)
            # The legend reads HTML: escaped. The pages together are named in our own words,
            # never too long ("Les trois pages ensemble (premier décompte)").
            longest = LEGEND_MAX_CHARS if target_id != ALL_TARGETS else 2 * LEGEND_MAX_CHARS
            self.legend.addItem(sample, legend_text(name, longest))
        self._place_legend()

    def _place_legend(self) -> None:
        self.legend.place(self.plot)

    def show_figures(self) -> None:
        """Zoom to the figures themselves: the campaign's own lines (its measure, its press
        figures) where a page also has lines of its own kind, which may lie years away (the
        2016 campaign's pages tracked in followers today); the legend names those."""
        own = [
            item
            for key, curve in self.curves.items()
            if (line := self._series.get(key)) is not None and key in (line.target, ALL_TARGETS)
            for item in (curve, self.report_marks.get(key))
            if item is not None and len(line)
        ]
        if len(own) < len(self.curves) + len(self.report_marks) and own:
            self.plot.disableAutoRange()
            self.plot.getViewBox().autoRange(items=own, padding=BELOW_ZERO)
            return
        self.plot.enableAutoRange()
        self.plot.autoRange(padding=BELOW_ZERO)

    def show_everything(self) -> None:
        """Zoom out to the figures and every context event."""
        if self._campaign is None:
            return
        xs = self._event_lines.positions()
        for line in self._series.values():
            if len(line):
                xs += [float(line.times[0]), float(line.times[-1])]
        if xs:
            span = max(xs) - min(xs)
            self.plot.setXRange(min(xs) - span * 0.03, max(xs) + span * 0.03, padding=0)
            self._clear_the_titles()

    def _clear_the_titles(self) -> None:
        """The figures below the event titles' rows: zoomed out, the figures rise steeply near
        the first events and would run under their titles."""
        view = self.plot.getViewBox()
        self._event_lines.stagger()
        band, height = self._event_lines.band, view.height()
        highest = max((float(np.max(s.losses)) for s in self._series.values() if len(s)), default=0)
        if not highest or height <= 2 * band:
            return
        (_left, _right), (low, high) = view.viewRange()
        under = -low / (high - low)  # the room under zero, for its "0", kept as a share
        for _step in range(2):  # the new top moves the bottom, which moves the top a little
            high = (highest * height - low * band) / (height - band)
            low = -under * high / (1 - under)
        self.plot.setYRange(low, high + (high - low) * 0.01, padding=0)

    def event_labels(self) -> list[str]:
        """The event titles as drawn on the graph."""
        return self._event_lines.labels()

    def axis_labels(self) -> list[str]:
        """The date labels the axis wrote the last time it was drawn."""
        return list(self.date_axis.drawn_labels)

    # -- colours -----------------------------------------------------------------------------------

    def apply_color_scheme(self, dark: bool) -> None:
        """Re-colour the graph for a light or a dark scheme, at once; data and zoom stay."""
        colours = self.colours = graph_colours(dark)
        self.plot_widget.setBackground(colours.background)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(colours.axis)
            axis.setTextPen(colours.tick)
            axis.set_background(colours.background)
        self.plot.showGrid(x=True, y=True, alpha=colours.grid_alpha)
        self.legend.setBrush(colours.label_fill)
        self.legend.setLabelTextColor(colours.text)
        for target_id, curve in self.curves.items():
            if target_id != ALL_TARGETS:
                curve.setSymbolPen(pg.mkPen(colours.mark_edge, width=1))
        for target_id, marks in self.report_marks.items():
            line = self._series[target_id]
            colour = self._mark_colours[target_id]
            brushes, pens = _report_styles(line, reports_apart(line), colour, colours.mark_edge)
            _restyle(marks, brushes, pens)
        together = self._series.get(ALL_TARGETS)
        if together is not None and ALL_TARGETS in self.curves:
            reported = [i for i in together.info if together.info[i].kind == "report"]
            brushes, pens = _report_styles(
                together, reported, QColor(colours.all_targets), colours.mark_edge
            )
            _restyle(self.curves[ALL_TARGETS], brushes, pens)
        for marks in self.line_marks.values():
            marks.set_edge(colours.mark_edge)
        self._event_lines.recolour(colours)
        self._rebuild_legend()

    # -- read-out ----------------------------------------------------------------------------------

    def _hint(self) -> str:
        return _("Point at a mark, or press the arrow keys, to read its date, figure and source.")

    def _mouse_moved(self, scene_pos: QPointF) -> None:
        point = self.point_at(scene_pos)
        if point is None:
            self._hide_readout()
        elif point != self._shown:
            self._show_readout(*point)

    def point_at(self, scene_pos: QPointF) -> tuple[str, int] | None:
        """The series and index of the point nearest to ``scene_pos`` (within a few pixels)."""
        view = self.plot.getViewBox()
        if not view.sceneBoundingRect().contains(scene_pos):
            return None
        best: tuple[float, str, int] | None = None
        px = view.viewPixelSize()  # data units per pixel (x, y)
        mouse = view.mapSceneToView(scene_pos)
        for target_id, line in self._series.items():
            curve = self.curves.get(target_id)
            if curve is None or not curve.isVisible() or not len(line):  # hidden from the legend
                continue
            lo = np.searchsorted(line.times, mouse.x() - HOVER_RADIUS_PX * px[0], "left")
            hi = np.searchsorted(line.times, mouse.x() + HOVER_RADIUS_PX * px[0], "right")
            if hi <= lo:
                continue
            dx = (line.times[lo:hi] - mouse.x()) / px[0]
            dy = (line.losses[lo:hi] - mouse.y()) / px[1]
            distances = np.hypot(dx, dy)
            i = int(np.argmin(distances))
            if distances[i] <= HOVER_RADIUS_PX and (best is None or distances[i] < best[0]):
                best = (float(distances[i]), target_id, lo + int(i))
        return None if best is None else (best[1], best[2])

    def _show_readout(self, target_id: str, index: int) -> None:
        """The point's read-out in a tooltip beside it; screen readers get it as the graph's
        description."""
        text = self.describe(target_id, index)
        line = self._series[target_id]
        at = QPointF(float(line.times[index]), float(line.losses[index]))
        viewport = self.plot_widget.viewport()
        spot = self.plot_widget.mapFromScene(self.plot.getViewBox().mapViewToScene(at))
        area = QRect(spot - QPoint(HOVER_RADIUS_PX, HOVER_RADIUS_PX), spot)
        area.setSize(area.size() * 2)
        QToolTip.showText(viewport.mapToGlobal(spot), plain_tooltip(text), viewport, area)
        self._shown = (target_id, index)
        self.plot_widget.setAccessibleDescription(text)
        self.readout_changed.emit(text)

    def _hide_readout(self) -> None:
        if self._shown is not None:
            QToolTip.hideText()
            self._shown = None
            self.plot_widget.setAccessibleDescription(self._hint())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.plot_widget and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if self._step(event.key()):
                return True
        return super().eventFilter(watched, event)

    def _step(self, key: int) -> bool:
        """Arrow keys: to the next or previous mark in time (Home, End: the first, the last)."""
        if not self._marks:
            return False
        last = len(self._marks) - 1
        current = self._mark
        if key == Qt.Key.Key_Right:
            self._mark = 0 if current is None else min(current + 1, last)
        elif key == Qt.Key.Key_Left:
            self._mark = last if current is None else max(current - 1, 0)
        elif key == Qt.Key.Key_Home:
            self._mark = 0
        elif key == Qt.Key.Key_End:
            self._mark = last
        else:
            return False
        target_id, index = self._marks[self._mark]
        at = float(self._series[target_id].times[index])
        view = self.plot.getViewBox()
        (left, right), _ = view.viewRange()
        if not left <= at <= right:
            view.setXRange(at - (right - left) / 2, at + (right - left) / 2, padding=0)
        self._show_readout(target_id, index)
        return True

    def describe(self, key: str, index: int) -> str:
        """What a point says (``loss_words.describe_point``)."""
        assert self._campaign is not None
        return describe_point(self._campaign, self._series[key], index, self._zone)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _series_name(self, key: str) -> str:
        line = self._series.get(key)
        if self._campaign is None or line is None:
            return _("All pages together")
        if key == ALL_TARGETS:
            pages = [other for k, other in self._series.items() if k != ALL_TARGETS]
            return together_name(self._campaign, line, pages)
        return line_name(self._campaign, line, key == line.target, LEGEND_MAX_CHARS)

    def _set_tick_font(self) -> None:
        font = tick_font(current_language())
        for axis in (self.date_axis, self.plot.getAxis("left")):
            axis.setStyle(tickFont=font)
        # The axis title too: it keeps the font it was made with, so after a language switch a
        # Latin title's height would leave the dates another width than a window started in
        # Darija, and another choice of months.
        self.plot.getAxis("left").label.setFont(font)
        # pyqtgraph sizes the date axis for 0.8 of a label's line: the dots under Arabic
        # letters (ب، ي) fell past the graph's bottom edge. The rest of the line, below it.
        left, top, right, _bottom = self.plot.layout.getContentsMargins()
        self.plot.layout.setContentsMargins(
            left, top, right, QFontMetricsF(font).height() * (1 - PYQTGRAPH_TEXT_SHARE) + 2
        )

    def retranslate(self) -> None:
        """Every text of the graph in the current language; data and zoom stay as they are."""
        self._hide_readout()
        self._rebuild_legend()
        self._event_lines.retitle()
        self._set_tick_font()
        for axis in (self.date_axis, self.plot.getAxis("left")):
            axis.picture = None  # tick labels are redrawn in the new language
            axis.update()
        self._measure_texts()
        self.title.setToolTip(self._hint())
        self.fit_figures.setText(_("Zoom to the figures"))
        self.fit_figures.setToolTip(_("Show the reported figures as large as they fit"))
        self.fit_all.setText(_("Show every event"))
        self.fit_all.setToolTip(_("Zoom out to see the whole story, from the first ban to the end"))
        self.plot_widget.setAccessibleDescription(self._hint())

    def _measure_texts(self) -> None:
        """The title, the axis and the graph's name say what its lines count."""
        measure = graph_measure(self._series)
        if measure == "followers":
            title, axis, name = (
                _("Followers lost since the campaign started"),
                _("Followers lost"),
                _("Followers lost graph"),
            )
        elif measure == "both":
            title, axis, name = (
                _("Likes and followers lost since the campaign started"),
                _("Likes or followers lost"),
                _("Likes and followers lost graph"),
            )
        else:
            title, axis, name = (
                _("Likes lost since the campaign started"),
                _("Likes lost"),
                _("Likes lost graph"),
            )
        self.title.setText(title)
        self.plot.setLabel("left", axis)
        self.plot_widget.setAccessibleName(name)
