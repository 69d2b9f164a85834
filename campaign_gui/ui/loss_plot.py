"""The like-loss graph: one curve per operator, a date axis, a legend, a hover read-out."""

from __future__ import annotations

import html
from datetime import UTC, tzinfo

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..core.campaign import Campaign
from ..core.formatting import (
    figure_and_when,
    format_axis_tick,
    format_day,
    format_number,
    format_percent,
)
from ..core.i18n import _, embedded, is_right_to_left, pick
from ..core.like_loss import ALL_TARGETS, LossSeries
from .palette import ALL_TARGETS_COLOUR, CURVE_COLOURS, EVENT_COLOUR

CURVE_SYMBOLS = ("o", "s", "t", "d", "star", "h")
CURVE_STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DashDotLine)
HOVER_RADIUS_PX = 24
DENSE_POINTS = 2000


# Names and titles come from files and are shown as written, never read as markup or format.
def legend_text(name: str) -> str:
    """A legend entry: pyqtgraph's legend reads HTML, so the name is escaped (the direction
    marks ``embedded`` adds for Darija are not touched, so Arabic is shaped as before)."""
    return html.escape(embedded(name), quote=False)


def line_label_format(title: str) -> str:
    """An event line's label: pyqtgraph fills its text in with ``str.format(value=…)``, so the
    braces of a title (``{value}``, ``{0}``) are doubled to show as written."""
    return embedded(title).replace("{", "{{").replace("}", "}}")


class LocalDateAxis(pg.DateAxisItem):
    """Dates in the campaign's time zone, written in the user's language."""

    def __init__(self, zone: tzinfo, **kwargs) -> None:
        super().__init__(orientation="bottom", **kwargs)
        self.zone = zone

    def paint(self, painter, option, widget) -> None:
        """Draw straight onto the painter. pyqtgraph caches axes in a QPicture, whose replay loses
        the spaces and breaks the order of right-to-left text ("27 فبراير" came out "27فبراير")."""
        if not is_right_to_left():
            super().paint(painter, option, widget)
            return
        painter.save()
        if self.style["tickFont"]:
            painter.setFont(self.style["tickFont"])
        specs = self.generateDrawSpecs(painter)
        if specs is not None:
            self.drawPicture(painter, *specs)
        painter.restore()

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        # A month tick among day ticks reads "Mar 1", not "Mar 2016": detail follows the zoom.
        span = (self.range[1] - self.range[0]) if self.range else spacing
        detail = min(spacing, span / 3)
        return [embedded(format_axis_tick(v, detail, self.zone)) for v in values]


class NumberAxis(pg.AxisItem):
    def __init__(self, **kwargs) -> None:
        super().__init__(orientation="left", **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        return [format_number(v * scale) for v in values]


class LossPlot(QWidget):
    """Shows a campaign's like-loss series; says what the point under the mouse is."""

    readout_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._campaign: Campaign | None = None
        self._series: dict[str, LossSeries] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._event_lines: list[pg.InfiniteLine] = []
        self._zone: tzinfo = UTC

        pg.setConfigOptions(antialias=True, background="w", foreground="#222222")
        self.date_axis = LocalDateAxis(UTC)
        self.plot_widget = pg.PlotWidget(axisItems={"bottom": self.date_axis, "left": NumberAxis()})
        self.plot_widget.setMenuEnabled(False)  # pyqtgraph's menu is English-only
        # Time runs left to right in every language, as on graphs in Moroccan Arabic and French
        # papers and spreadsheets; only the widgets around the graph follow right to left.
        self.plot_widget.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.plot_widget.hideButtons()
        self.plot_widget.showGrid(x=True, y=True, alpha=0.15)
        for axis in ("left", "bottom"):
            # Major ticks only: the minor grid lines cost more to paint than the curves.
            self.plot_widget.getPlotItem().getAxis(axis).setStyle(maxTickLevel=0)
        self.plot_widget.setAccessibleName(_("Likes lost graph"))
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # the graphics items, too
        self.plot.setLimits(yMin=-1000)
        self.legend = self.plot.addLegend(offset=(-10, -10), labelTextSize="10pt")
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)

        self.title = QLabel()
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.fit_figures = QPushButton()
        self.fit_figures.clicked.connect(self.show_figures)
        self.fit_all = QPushButton()
        self.fit_all.clicked.connect(self.show_everything)
        self.readout = QLabel()
        self.readout.setTextFormat(Qt.TextFormat.PlainText)  # names, notes, sources: from files
        self.readout.setWordWrap(True)
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.readout.setMinimumHeight(self.readout.fontMetrics().lineSpacing() * 2 + 4)

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.fit_figures)
        header.addWidget(self.fit_all)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(header)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.readout)
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
        self.plot.clear()
        self.legend.clear()
        self.curves = {}
        for index, target in enumerate(campaign.targets):
            line = series.get(target.id)
            if line is None:
                continue
            colour = QColor(CURVE_COLOURS[index % len(CURVE_COLOURS)])
            # Reported figures are few and each one matters: marked with a symbol. Dense like
            # counts are drawn as a line only, decimated to what the pixels can show.
            dense = len(line) > DENSE_POINTS
            curve = self.plot.plot(
                line.times,
                line.losses,
                pen=pg.mkPen(colour, width=2.5, style=CURVE_STYLES[index % len(CURVE_STYLES)]),
                symbol=None if dense else CURVE_SYMBOLS[index % len(CURVE_SYMBOLS)],
                symbolSize=9,
                symbolBrush=colour,
                symbolPen=pg.mkPen("w", width=1),
                skipFiniteCheck=True,
                antialias=not dense,  # a decimated line looks the same and paints twice as fast
            )
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            self._add_to_legend(curve, self._series_name(target.id))
            self.curves[target.id] = curve
        together = series.get(ALL_TARGETS)
        if together is not None:
            reported = [i for i in together.info if together.info[i].kind == "report"]
            self.curves[ALL_TARGETS] = self.plot.plot(
                together.times[reported],
                together.losses[reported],
                pen=None,
                symbol="d",
                symbolSize=11,
                symbolBrush=QColor(ALL_TARGETS_COLOUR),
                symbolPen=pg.mkPen("w", width=1),
            )
            self._add_to_legend(self.curves[ALL_TARGETS], _("All pages together"))
        self._add_event_lines(campaign)
        if first_time:
            self.show_figures()
        self.readout.setText(self._hint())

    def _add_to_legend(self, curve: pg.PlotDataItem, name: str) -> None:
        """The curve keeps its name as written; the legend, which reads HTML, gets it escaped."""
        curve.opts["name"] = name
        self.legend.addItem(curve, legend_text(name))

    def _add_event_lines(self, campaign: Campaign) -> None:
        self._event_lines = []
        for event in campaign.events:
            at = campaign.local_noon(event.start).timestamp()
            line = pg.InfiniteLine(
                pos=at,
                angle=90,
                movable=False,
                pen=pg.mkPen(EVENT_COLOUR, width=1, style=Qt.PenStyle.DotLine),
                label=line_label_format(pick(event.title)),
                labelOpts={
                    "position": 0.96,
                    "color": EVENT_COLOUR,
                    "fill": (255, 255, 255, 210),
                    "movable": True,
                },
            )
            line.event_id = event.id
            self.plot.addItem(line, ignoreBounds=True)
            self._event_lines.append(line)

    def show_figures(self) -> None:
        """Zoom to the figures themselves."""
        self.plot.enableAutoRange()
        self.plot.autoRange(padding=0.06)

    def show_everything(self) -> None:
        """Zoom out to the figures and every context event."""
        if self._campaign is None:
            return
        xs = [line.value() for line in self._event_lines]
        for line in self._series.values():
            if len(line):
                xs += [float(line.times[0]), float(line.times[-1])]
        if xs:
            span = max(xs) - min(xs)
            self.plot.setXRange(min(xs) - span * 0.03, max(xs) + span * 0.03, padding=0)

    def event_labels(self) -> list[str]:
        return [line.label.toPlainText() for line in self._event_lines if line.label]

    # -- read-out ----------------------------------------------------------------------------------

    def _hint(self) -> str:
        return _("Point at a mark on the graph to read its date, figure and source.")

    def _mouse_moved(self, scene_pos: QPointF) -> None:
        text = self.readout_at(scene_pos)
        if text is not None:
            self.readout.setText(text)
            self.readout_changed.emit(text)

    def readout_at(self, scene_pos: QPointF) -> str | None:
        """The read-out for the point nearest to ``scene_pos`` (within a few pixels), if any."""
        view = self.plot.getViewBox()
        if not view.sceneBoundingRect().contains(scene_pos):
            return None
        best: tuple[float, str, int] | None = None
        px = view.viewPixelSize()  # data units per pixel (x, y)
        mouse = view.mapSceneToView(scene_pos)
        for target_id, line in self._series.items():
            if target_id not in self.curves or not len(line):
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
                best = (float(distances[i]), target_id, lo + i)
        if best is None:
            return None
        return self.describe(best[1], best[2])

    def describe(self, target_id: str, index: int) -> str:
        """What a point says: whose, when, how many likes lost, and according to whom."""
        assert self._campaign is not None
        line = self._series[target_id]
        target = self._campaign.target(target_id)
        name = target.display_name() if target else _("All pages together")
        info = line.info.get(index)
        loss = float(line.losses[index])
        if info is not None and info.kind == "start":
            return (
                _("{name} — {when}: the campaign starts. {note}")
                .format(
                    name=name,
                    when=format_day(info.start),
                    note=pick(info.note) if info.note else "",
                )
                .strip()
            )
        span = (info.start, info.end) if info is not None else None
        figure, when = figure_and_when(
            float(line.times[index]), loss, info.qualifier if info else None, span, self._zone
        )
        if info is None:
            return _("{name} — {when}: {figure} likes lost (from the page's like count)").format(
                name=name, when=when, figure=figure
            )
        if info.loss_percent is not None:
            figure += f" ({format_percent(-info.loss_percent)})"
        parts = [
            _("{name} — reported for {when}: {figure} likes lost").format(
                name=name, when=when, figure=figure
            )
        ]
        if info.note:
            parts.append(pick(info.note))
        sources = ", ".join(s.name for s in info.sources)
        parts.append(_("Source: {sources}").format(sources=sources))
        return " · ".join(parts)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _series_name(self, target_id: str) -> str:
        target = self._campaign.target(target_id) if self._campaign else None
        return target.display_name() if target else _("All pages together")

    def retranslate(self) -> None:
        """Every text of the graph in the current language; data and zoom stay as they are."""
        for sample, label in self.legend.items:
            target_id = next((t for t, c in self.curves.items() if c is sample.item), None)
            if target_id is not None:
                name = self._series_name(target_id)
                sample.item.opts["name"] = name
                label.setText(legend_text(name))
        if self._campaign is not None:
            titles = {e.id: pick(e.title) for e in self._campaign.events}
            for line in self._event_lines:
                line.label.setFormat(line_label_format(titles.get(line.event_id, "")))
        for axis in (self.date_axis, self.plot.getAxis("left")):
            axis.picture = None  # tick labels are redrawn in the new language
            axis.update()
        self.title.setText(_("Likes lost since the campaign started"))
        self.fit_figures.setText(_("Zoom to the figures"))
        self.fit_figures.setToolTip(_("Show the reported figures as large as they fit"))
        self.fit_all.setText(_("Show every event"))
        self.fit_all.setToolTip(_("Zoom out to see the whole story, from the first ban to the end"))
        self.plot.setLabel("left", _("Likes lost"))
        self.plot_widget.setAccessibleName(_("Likes lost graph"))
        self.readout.setText(self._hint())
