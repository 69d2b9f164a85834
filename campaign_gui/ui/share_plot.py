"""The graph on the shared picture: the curves of likes lost over time with the window's
colours, markers and dashes, a number axis on the left and dates below, time left to right."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainterPath, QPen, QPolygonF

from ..core.share_card import CardCurve, ShareCard, date_ticks, number_ticks
from .palette import CURVE_COLOURS
from .share_text import BACKGROUND, FAINT, MUTED, SMALL, CardPainter, font, plain_text

# The window's curve styles: one colour, one marker and one dash per operator.
MARKERS = ("o", "s", "t", "d", "star", "h")
DASHES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DashDotLine)


def marker_path(kind: str, centre: QPointF, size: float) -> QPainterPath:
    """The window's curve symbols (pyqtgraph's o, s, t, d, star, h), drawn at ``size`` pixels."""
    r = size / 2
    path = QPainterPath()
    x, y = centre.x(), centre.y()
    if kind == "o":
        path.addEllipse(centre, r, r)
        return path
    if kind == "s":
        path.addRect(QRectF(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8))
        return path
    if kind == "t":
        points = [
            (0, r * 1.1),
            (-r * 1.1, -r * 0.8),
            (r * 1.1, -r * 0.8),
        ]  # pyqtgraph's points down
    elif kind == "d":
        points = [(0, -r * 1.2), (r, 0), (0, r * 1.2), (-r, 0)]
    elif kind == "star":
        points = [
            (
                (r * 1.2 if i % 2 == 0 else r * 0.5) * np.sin(i * np.pi / 5),
                -(r * 1.2 if i % 2 == 0 else r * 0.5) * np.cos(i * np.pi / 5),
            )
            for i in range(10)
        ]
    else:  # "h": a hexagon
        points = [(r * np.cos(i * np.pi / 3), r * np.sin(i * np.pi / 3)) for i in range(6)]
    path.addPolygon(QPolygonF([QPointF(x + dx, y + dy) for dx, dy in points]))
    path.closeSubpath()
    return path


def draw_marker(
    d: CardPainter, kind: str, centre: QPointF, size: float, colour: QColor, hollow: bool = False
) -> None:
    """A marker filled with ``colour`` in a ring of the background; ``hollow``: the background
    in a ring of ``colour`` (a figure whose report gives no date, as in the window's graph)."""
    if hollow:
        d.p.setPen(QPen(colour, max(1.5, size / 5)))
        d.p.setBrush(BACKGROUND)
    else:
        d.p.setPen(QPen(BACKGROUND, max(1.0, size / 8)))
        d.p.setBrush(colour)
    d.p.drawPath(marker_path(kind, centre, size))


def draw_graph(d: CardPainter, card: ShareCard, rect: QRectF, unit: float) -> None:
    """Curves of likes lost over time: number axis on the left, dates below, time left to right."""
    label_px = SMALL * unit  # 9 px on a phone, the least any text may be
    label_font = font(label_px, False, d.rtl)
    metrics = QFontMetricsF(label_font)
    low, high = card.loss_range
    y_ticks, top = number_ticks(low, high, 4)
    bottom_value = y_ticks[0].value
    axis_width = max(metrics.horizontalAdvance(t.label) for t in y_ticks) + 12 * unit
    plot = QRectF(rect.left() + axis_width, rect.top() + 8 * unit, 0, 0)
    plot.setRight(rect.right() - 10 * unit)
    plot.setBottom(rect.bottom() - metrics.height() - 12 * unit)
    if plot.width() < 50 or plot.height() < 50:
        return
    t0, t1 = card.time_range

    def x_of(t: np.ndarray | float) -> np.ndarray | float:
        return plot.left() + (np.asarray(t) - t0) / (t1 - t0) * plot.width()

    def y_of(v: np.ndarray | float) -> np.ndarray | float:
        return plot.bottom() - (np.asarray(v) - bottom_value) / (top - bottom_value) * plot.height()

    for tick in y_ticks:
        y = float(y_of(tick.value))
        d.p.fillRect(
            QRectF(plot.left(), y - 0.5 * unit, plot.width(), max(1.0, 1.2 * unit)),
            FAINT if tick.value else QColor("#9AA1AB"),
        )
        box = QRectF(
            rect.left(), y - metrics.height() / 2, axis_width - 10 * unit, metrics.height()
        )
        plain_text(d.p, tick.label, box, label_font, MUTED, Qt.AlignmentFlag.AlignRight, d.rtl)
    label_width = max(
        (metrics.horizontalAdvance(t.label) for t in date_ticks(t0, t1, card.zone, 8)),
        default=80 * unit,
    )
    most = max(2, min(5, int(plot.width() // (label_width + 60 * unit))))
    for tick in date_ticks(t0, t1, card.zone, most):
        x = float(x_of(tick.value))
        d.p.fillRect(QRectF(x - 0.5 * unit, plot.top(), max(1.0, 1.0 * unit), plot.height()), FAINT)
        box = QRectF(x - 120 * unit, plot.bottom() + 8 * unit, 240 * unit, metrics.height())
        plain_text(d.p, tick.label, box, label_font, MUTED, Qt.AlignmentFlag.AlignHCenter, d.rtl)
    d.p.save()
    d.p.setClipRect(plot.adjusted(-12 * unit, -12 * unit, 12 * unit, 4 * unit))
    for curve in card.curves:
        draw_curve(d, curve, x_of, y_of, plot, unit)
    d.p.restore()


def draw_curve(
    d: CardPainter, curve: CardCurve, x_of: Callable, y_of: Callable, plot: QRectF, unit: float
) -> None:
    colour = QColor(CURVE_COLOURS[curve.index % len(CURVE_COLOURS)])
    xs = np.asarray(x_of(curve.times), np.float64)
    ys = np.asarray(y_of(curve.losses), np.float64)
    xs, ys = _thin(xs, ys, plot.width())
    pen = QPen(colour, 4.5 * unit)
    pen.setStyle(DASHES[curve.index % len(DASHES)])
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    d.p.setPen(pen)
    d.p.setBrush(Qt.BrushStyle.NoBrush)
    d.p.drawPolyline(QPolygonF([QPointF(x, y) for x, y in zip(xs, ys, strict=True)]))
    kind = MARKERS[curve.index % len(MARKERS)]
    undated = curve.mark_undated or (False,) * len(curve.mark_times)
    for t, loss, hollow in zip(curve.mark_times, curve.mark_losses, undated, strict=True):
        centre = QPointF(float(x_of(t)), float(y_of(loss)))
        draw_marker(d, kind, centre, 17 * unit, colour, hollow)


def _thin(xs: np.ndarray, ys: np.ndarray, width: float) -> tuple[np.ndarray, np.ndarray]:
    """At most two points per pixel column (its lowest and highest): a million like counts draw
    as fast as a few hundred and look the same."""
    columns = int(width) + 1
    if len(xs) <= 4 * columns:
        return xs, ys
    column = np.clip(np.floor(xs - xs[0]).astype(np.int64), 0, None)
    starts = np.flatnonzero(np.r_[True, column[1:] != column[:-1]])
    lows = np.minimum.reduceat(ys, starts)
    highs = np.maximum.reduceat(ys, starts)
    x = xs[starts]
    return np.repeat(x, 2), np.column_stack([lows, highs]).ravel()
