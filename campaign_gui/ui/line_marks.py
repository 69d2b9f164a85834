"""A page's symbol along its dense line, a few times across the graph.

Over a million counts, a wide or dashed pen costs several times the thin solid line bare
pyqtgraph draws (measured: 2.5 px dashed 19 ms a frame, 1 px solid 11 ms). The lines are thin and
solid; what tells them apart without colour is each page's symbol, drawn on the line itself
about every ``MARK_SPACING_PX`` pixels, as a printed chart marks its lines.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.LegendItem import ItemSample
from pyqtgraph.graphicsItems.ScatterPlotItem import Symbols
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QTransform

MARK_SPACING_PX = 90  # about; from one mark to the next of the same line
MARK_SIZE_PX = 9


class LineMarks(pg.GraphicsObject):
    """Marks on the data points of ``curve`` nearest to evenly spaced instants.

    The instants are whole multiples of a step in seconds (a power of two), so the marks move
    with the line while panning instead of sliding along it; ``phase`` (0 to 1) shifts a line's
    instants so the marks of lines drawn close together fall between one another's.
    A child of the curve: hidden and shown with it (a click on the legend).
    """

    def __init__(
        self,
        curve: pg.PlotDataItem,
        times: np.ndarray,
        values: np.ndarray,
        symbol: str,
        colour: QColor,
        edge: str,
        phase: float,
    ) -> None:
        super().__init__(curve)
        self._times = times
        self._values = values
        self._phase = phase
        self.brush = pg.mkBrush(colour)
        self.pen = pg.mkPen(edge, width=1)
        self.path = QTransform.fromScale(MARK_SIZE_PX, MARK_SIZE_PX).map(Symbols[symbol])
        if len(times):
            low, high = float(np.min(values)), float(np.max(values))
            self._bounds = QRectF(float(times[0]), low, float(times[-1] - times[0]), high - low)
        else:
            self._bounds = QRectF()

    def set_edge(self, edge: str) -> None:
        """The ring around each mark, in the colour scheme's background."""
        self.pen = pg.mkPen(edge, width=1)
        self.update()

    def positions(self) -> tuple[np.ndarray, np.ndarray]:
        """The data points marked in the current view, as (times, values)."""
        view = self.getViewBox()
        if view is None or not len(self._times) or view.width() <= 0:
            return np.empty(0), np.empty(0)
        (left, right), _ = view.viewRange()
        step = 2.0 ** round(math.log2(max(MARK_SPACING_PX * view.viewPixelSize()[0], 1e-3)))
        first = math.ceil(left / step - self._phase)
        last = math.floor(right / step - self._phase)
        if last < first:
            return np.empty(0), np.empty(0)
        instants = (np.arange(first, last + 1) + self._phase) * step
        times = self._times
        after = np.minimum(np.searchsorted(times, instants), len(times) - 1)
        before = np.maximum(after - 1, 0)
        nearest = np.where(
            np.abs(times[before] - instants) < np.abs(times[after] - instants), before, after
        )
        nearest = np.unique(nearest[np.abs(times[nearest] - instants) <= step / 2])
        return times[nearest], self._values[nearest]

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        if self._bounds.isNull():
            return QRectF()
        px = self.pixelVectors()
        if px[0] is None:
            return QRectF(self._bounds)
        half_x, half_y = px[0].length() * MARK_SIZE_PX, px[1].length() * MARK_SIZE_PX
        return self._bounds.adjusted(-half_x, -half_y, half_x, half_y)

    def viewTransformChanged(self) -> None:  # noqa: N802 - pyqtgraph's name
        super().viewTransformChanged()
        self.prepareGeometryChange()  # the bounds are padded by a mark's size in pixels

    def paint(self, p: QPainter, *args) -> None:
        xs, ys = self.positions()
        if not len(xs):
            return
        to_device = p.transform()
        p.resetTransform()  # marks are drawn in pixels, whatever the zoom
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(self.pen)
        p.setBrush(self.brush)
        for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
            at = to_device.map(QPointF(x, y))
            p.drawPath(self.path.translated(at))


class MarkedSample(ItemSample):
    """A legend entry for a line with marks along it: the line with one of its marks on it."""

    def __init__(self, curve: pg.PlotDataItem, marks: LineMarks) -> None:
        super().__init__(curve)
        self.marks = marks

    def paint(self, p: QPainter, *args) -> None:
        super().paint(p, *args)
        if self.item.isVisible():  # else pyqtgraph's closed eye
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setPen(self.marks.pen)
            p.setBrush(self.marks.brush)
            p.drawPath(self.marks.path.translated(10, 11))
