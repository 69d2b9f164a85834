"""The graph's axes: dates in the campaign's time zone and numbers, in the user's language."""

from __future__ import annotations

import math
from collections import OrderedDict
from datetime import UTC, datetime, tzinfo

import pyqtgraph as pg
from pyqtgraph.graphicsItems.DateAxisItem import (
    DAY_SPACING,
    HOUR_SPACING,
    MAX_REGULAR_TIMESTAMP,
    MIN_REGULAR_TIMESTAMP,
    MINUTE_SPACING,
    MONTH_SPACING,
    YEAR_SPACING,
    TickSpec,
    ZoomLevel,
    makeSStepper,
    makeYStepper,
)
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPen, QPicture
from PySide6.QtWidgets import QApplication

from ..core.formatting import format_axis_tick, format_number
from ..core.i18n import LANGUAGES, current_language, embedded, is_right_to_left
from .theme import current_theme, ui_font

TICK_POINTS = 9.5  # the type scale's caption size
VALUE_AXIS_ALLOWANCE_PX = 90  # about what the value axis and the margins take of the width
TICK_LABEL_GAP_PX = 10  # the least room between two date labels, as pyqtgraph's own padding


def axis_text(label: str, language: str | None = None) -> str:
    """A date label as the axis draws it: one right-to-left run in a right-to-left language."""
    if not is_right_to_left(language):
        return label
    return embedded(label)


def _month_stepper(value: float, n: int, first: bool) -> float:
    """Month starts every ``n`` months counted from January, so panning keeps the same months."""
    if not MIN_REGULAR_TIMESTAMP <= value <= MAX_REGULAR_TIMESTAMP:
        return math.inf
    moment = datetime.fromtimestamp(value, UTC)
    months = moment.year * 12 + moment.month - 1
    months = (months // n + 1) * n if first else months + n
    if months // 12 > 9999:
        return math.inf
    return datetime(months // 12, months % 12 + 1, 1, tzinfo=UTC).timestamp()


def _zoom_levels() -> OrderedDict[float, ZoomLevel]:
    """Zoom levels down to minutes, each of one step at a time, so the labels are evenly spaced:
    whole years and months (every 1, 2, 3 or 6, counted from January: with long month names,
    "فبراير 2016", every other month fits where every month does not), then days every so many,
    then hours or minutes (every so many that divide a day) between each day's date.

    pyqtgraph's own levels mix month starts with every fifth day ("29 févr., 1 mars, 5 mars"):
    the labels were unevenly spaced."""
    day = TickSpec(DAY_SPACING, makeSStepper(DAY_SPACING), "")
    levels = (
        (
            math.inf,
            TickSpec(YEAR_SPACING, makeYStepper(1), "", autoSkip=[1, 5, 10, 25]),
            TickSpec(MONTH_SPACING, _month_stepper, "", autoSkip=[1, 2, 3, 6]),
        ),
        (14 * DAY_SPACING, TickSpec(DAY_SPACING, makeSStepper(DAY_SPACING), "", [1, 2, 3, 7, 14])),
        # Hours and minutes under each day's date, every so many that divide a day: even too.
        (
            6 * HOUR_SPACING,
            day,
            TickSpec(HOUR_SPACING, makeSStepper(HOUR_SPACING), "", [1, 2, 3, 6]),
        ),
        (15 * MINUTE_SPACING, day, TickSpec(MINUTE_SPACING, makeSStepper(60), "", [1, 5, 15])),
    )
    return OrderedDict((top, ZoomLevel(list(specs), "")) for top, *specs in levels)


def _apart(text_specs: list, gap: float) -> list:
    """The labels that do not touch one drawn before them (coarser levels come first)."""
    kept: list = []
    for spec in text_specs:
        room = spec[0].adjusted(-gap, 0, gap, 0)
        if not any(room.intersects(other[0]) for other in kept):
            kept.append(spec)
    return kept


def tick_font(language: str) -> QFont:
    """Tick labels in the language's own families (Arabic ones first in Darija), at one caption
    size in every language."""
    theme = current_theme()
    font = ui_font(theme.system_font if theme else QApplication.font(), is_right_to_left(language))
    font.setPointSizeF(TICK_POINTS)
    return font


class SolidGrid:
    """An axis whose faint grid lines are drawn in solid colours, each mixed with the background.

    pyqtgraph draws the grid with see-through pens; Qt's raster engine blends each line pixel by
    pixel, and the grid cost more than the three curves of a million counts (3.4 ms a frame of
    9). Under the curves, on a plain background, a solid mix looks the same."""

    picture: QPicture | None  # pyqtgraph's: None when the axis must be worked out again

    def __init__(self, *args, **kwargs) -> None:
        self.background = QColor("#FFFFFF")
        self._solid_pens: dict[int, QPen] = {}  # by the see-through colour they stand for
        super().__init__(*args, **kwargs)

    def set_background(self, colour: str) -> None:
        """The colour the graph paints under the grid (the colour scheme's)."""
        self.background = QColor(colour)
        self._solid_pens = {}
        self.picture = None

    def generateDrawSpecs(self, p):  # noqa: N802 - pyqtgraph's name
        specs = super().generateDrawSpecs(p)  # type: ignore[misc]
        if specs is None:
            return None
        axis_spec, tick_specs, text_specs = specs
        return axis_spec, [(self._solid(pen), a, b) for pen, a, b in tick_specs], text_specs

    def _solid(self, pen: QPen) -> QPen:
        colour = pen.color()
        if colour.alpha() == 255:
            return pen
        solid = self._solid_pens.get(colour.rgba())
        if solid is None:
            alpha, under = colour.alphaF(), self.background
            mixed = QColor.fromRgbF(
                colour.redF() * alpha + under.redF() * (1 - alpha),
                colour.greenF() * alpha + under.greenF() * (1 - alpha),
                colour.blueF() * alpha + under.blueF() * (1 - alpha),
            )
            solid = self._solid_pens[colour.rgba()] = QPen(pen)
            solid.setColor(mixed)
        return solid


class LocalDateAxis(SolidGrid, pg.DateAxisItem):
    """Dates in the campaign's time zone, written in the user's language.

    Ticks are spaced by the labels as written (pyqtgraph spaces them by "YYYY" and then drops a
    whole level of labels that fills more than 80 % of the axis: the wider Darija month names did,
    and the axis went blank at "show every event"). A label that would touch another is left out
    rather than the whole level.
    """

    def __init__(self, zone: tzinfo, **kwargs) -> None:
        super().__init__(orientation="bottom", **kwargs)
        self.zone = zone
        self.zoomLevels = _zoom_levels()
        self.setStyle(textFillLimits=[])  # labels are spaced to fit; see _apart
        self._widths: dict[int, float] = {}
        self._widths_for: tuple[str, str] | None = None
        self.drawn_labels: list[str] = []  # what the last drawing wrote under the graph
        self.drawn_boxes: list[QRectF] = []  # and where, in the axis's coordinates
        self._specs = None

    def generateDrawSpecs(self, p):  # noqa: N802 - pyqtgraph's name
        font = self.style["tickFont"] or p.font()
        if self._widths_for != (current_language(), font.key()):
            self._measure_labels(p.device())
            self._widths_for = (current_language(), font.key())
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis_spec, tick_specs, text_specs = specs
        return axis_spec, tick_specs, _apart(text_specs, TICK_LABEL_GAP_PX / 2)

    def paint(self, p, opt, widget) -> None:
        """Drawn on the screen's own painter, from specs worked out once per range and size.

        pyqtgraph records an axis in a QPicture and replays it. A QPicture keeps text run by run
        (one direction, one script each) and replays each run left to right: the space between
        an Arabic month and its year was lost ("مارس2016"). Drawing the few labels again at each
        paint costs little: the specs, the costly part, are still made once per change.
        """
        if self.picture is None:
            p.save()
            if self.style["tickFont"]:
                p.setFont(self.style["tickFont"])
            self._specs = self.generateDrawSpecs(p)
            p.restore()
            self.picture = QPicture()  # pyqtgraph sets it to None whenever the axis changes
        if self._specs is None:
            return
        p.save()
        if self.style["tickFont"]:
            p.setFont(self.style["tickFont"])
        self.drawPicture(p, *self._specs)
        p.restore()

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs) -> None:  # noqa: N802, N803
        self.drawn_labels = [text for _rect, _flags, text in textSpecs]
        self.drawn_boxes = [rect for rect, _flags, _text in textSpecs]
        super().drawPicture(p, axisSpec, tickSpecs, textSpecs)

    def _measure_labels(self, device) -> None:
        """The widest label of each zoom level, over the twelve months and every language, each
        in its own font: the ticks are spaced alike in each, so whatever the language the same
        dates are shown."""
        self._widths = {}
        metrics = {language: QFontMetricsF(tick_font(language), device) for language in LANGUAGES}
        for level in self.zoomLevels.values():
            details = {spec.spacing for spec in level.tickSpecs}
            widest = max(
                metrics[language].horizontalAdvance(
                    axis_text(
                        format_axis_tick(
                            datetime(2016, m, 28, 23, 58, tzinfo=UTC).timestamp(),
                            detail,
                            UTC,
                            language,
                        ),
                        language,
                    )
                )
                for m in range(1, 13)
                for detail in details
                for language in LANGUAGES
            )
            self._widths[id(level)] = widest + TICK_LABEL_GAP_PX

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 - pyqtgraph's names
        """Ticks chosen for the graph's width, not the axis's: the value axis beside it is a few
        pixels wider or narrower in each language (its title's font), and on the edge between
        two choices of months that alone would show more dates in one language than another."""
        views = self.scene().views() if self.scene() is not None else []
        if views and views[0].isVisible() and views[0].width() > 2 * VALUE_AXIS_ALLOWANCE_PX:
            size = views[0].width() - VALUE_AXIS_ALLOWANCE_PX
        return super().tickValues(minVal, maxVal, size)

    def setZoomLevelForDensity(self, density: float) -> None:  # noqa: N802 - pyqtgraph's name
        """The finest zoom level whose labels fit, as pyqtgraph does with its example texts."""
        levels = list(self.zoomLevels.values())
        self.zoomLevel = levels[0]
        for maximal_spacing, level in self.zoomLevels.items():
            if maximal_spacing / self._widths[id(level)] < density:
                break
            self.zoomLevel = level
        self.zoomLevel.utcOffset = self.utcOffset
        self.minSpacing = density * self._widths[id(self.zoomLevel)]

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        # A month tick among day ticks reads "Mar 1", not "Mar 2016": detail follows the zoom.
        span = (self.range[1] - self.range[0]) if self.range else spacing
        detail = min(spacing, span / 3)
        return [axis_text(format_axis_tick(v, detail, self.zone)) for v in values]


class NumberAxis(SolidGrid, pg.AxisItem):
    """Figures written as the user's language writes numbers, never with an SI prefix."""

    def __init__(self, **kwargs) -> None:
        super().__init__(orientation="left", **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        return [format_number(v * scale) for v in values]
