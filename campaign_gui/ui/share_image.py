"""The graph drawn for sharing: a picture sized for social posts, in the user's language.

Drawn with QPainter on a QImage — never grabbed from the screen — so it looks the same at any
window size, with or without a display (the command line draws it offscreen). What it says is
decided in ``core/share_card.py``; this module only lays it out and paints it. Darija mirrors the
layout (title and figures start on the right); the graph itself keeps time running left to right,
as the window's graph does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QPointF,
    QRectF,
    QSize,
    QStandardPaths,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..core.campaign import Campaign
from ..core.errors import UserError
from ..core.exports import ExportGuard, write_export_bytes
from ..core.i18n import _
from ..core.like_loss import LossSeries
from ..core.share_card import (
    DEFAULT_SHARE_SIZE,
    SHARE_SIZES,
    CardCurve,
    ShareCard,
    compose,
    date_ticks,
    first_strong_is_right_to_left,
    number_ticks,
)
from .palette import CURVE_COLOURS

BACKGROUND = QColor("#FFFFFF")
INK = QColor("#1B1F24")
MUTED = QColor("#4A5260")
FAINT = QColor("#E3E6EA")
CARD = QColor("#F2F4F7")
ACCENT = QColor("#0072B2")  # Okabe–Ito blue: the campaign's hashtags and the top band
# The window's curve styles: one colour, one marker and one dash per operator.
MARKERS = ("o", "s", "t", "d", "star", "h")
DASHES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DashDotLine)

# Families tried in turn for each character: Arabic UI fonts first in Darija (so Arabic is never
# drawn in a Latin font's fallback), the platforms' own UI fonts for Latin text.
LATIN_FAMILIES = ["Segoe UI", "Noto Sans", "Helvetica Neue", "Arial", "DejaVu Sans"]
ARABIC_FAMILIES = [
    "Segoe UI",
    "Noto Sans Arabic UI",
    "Noto Sans Arabic",
    "Noto Naskh Arabic",
    "SF Arabic",
    "Geeza Pro",
]


# Where the baseline sits in a line, and how far apart lines are, in letter sizes (pixel sizes).
BASELINE = 1.02
LINE_HEIGHT = 1.36
TITLE_LINE_HEIGHT = 1.24
# Arabic letters look smaller than Latin ones at the same size: Darija text is drawn a bit larger.
ARABIC_SCALE = 1.08
# and its lines a bit further apart, for the marks above and below the letters.
ARABIC_LEADING = 1.1


def line_height(px: float) -> float:
    return px * LINE_HEIGHT


def fitting_size(
    text: str, px: float, smallest: float, bold: bool, rtl: bool, width: float
) -> float:
    """The largest size from ``px`` down to ``smallest`` at which ``text`` fits on one line
    (``px`` itself if none does: the text then wraps at its full size)."""
    size = px
    while size >= smallest:
        if QFontMetricsF(font(size, bold, rtl)).horizontalAdvance(text) <= width:
            return size
        size -= 1
    return px


PREVIEW = QSize(640, 360)


@dataclass
class Drawn:
    """The picture and where its main parts landed (rectangles of the ink, in pixels)."""

    image: QImage
    places: dict[str, QRectF] = field(default_factory=dict)


def font(px: float, bold: bool = False, right_to_left: bool = False) -> QFont:
    system = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()
    families = (ARABIC_FAMILIES if right_to_left else []) + LATIN_FAMILIES + [system]
    result = QFont()
    result.setFamilies(families)
    result.setPixelSize(round(px * (ARABIC_SCALE if right_to_left else 1.0)))
    result.setWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
    result.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return result


class _Painter:
    """Text and shapes on the picture, with the card's direction."""

    def __init__(self, painter: QPainter, card: ShareCard, places: dict[str, QRectF]) -> None:
        self.p = painter
        self.rtl = card.right_to_left
        self.places = places

    def text(
        self,
        text: str,
        rect: QRectF,
        px: float,
        *,
        bold: bool = False,
        colour: QColor = INK,
        lines: int = 1,
        end: bool = False,
        smallest: float | None = None,
        leading: float = LINE_HEIGHT,
        name: str = "",
    ) -> float:
        """Draw ``text`` from the start side of ``rect`` (the end side if ``end``), wrapped on at
        most ``lines`` lines, the last one elided; the height used. With ``smallest``, a text too
        long for one line is first made smaller, down to that size, before it wraps."""
        if not text:
            return 0.0
        if self.rtl:
            leading *= ARABIC_LEADING
        if smallest is not None:
            px = fitting_size(text, px, smallest, bold, self.rtl, rect.width())
        f = font(px, bold, self.rtl)
        option = QTextOption()
        option.setTextDirection(
            Qt.LayoutDirection.RightToLeft if self.rtl else Qt.LayoutDirection.LeftToRight
        )
        right = self.rtl != end
        option.setAlignment(Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft)
        # A word longer than the line (a name with no spaces) breaks rather than overflows.
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout = self._layout(text, f, option, rect.width(), px, leading)
        if layout.lineCount() > lines:
            cut = layout.lineAt(lines - 1).textStart()
            rest = QFontMetricsF(f).elidedText(
                text[cut:], Qt.TextElideMode.ElideRight, rect.width() - 2
            )
            layout = self._layout(text[:cut] + rest, f, option, rect.width(), px, leading)
        self.p.setPen(colour)
        layout.draw(self.p, rect.topLeft())
        height = 0.0
        ink = QRectF()
        for i in range(min(layout.lineCount(), lines)):
            line = layout.lineAt(i)
            ink = ink.united(line.naturalTextRect().translated(rect.topLeft()))
            height = (i + 1) * px * leading
        if name:
            self.places[name] = ink
        return height

    @staticmethod
    def _layout(
        text: str, f: QFont, option: QTextOption, width: float, px: float, leading: float
    ) -> QTextLayout:
        layout = QTextLayout(text, f)
        layout.setTextOption(option)
        layout.beginLayout()
        y = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            # Lines a fixed distance apart, whatever the font: Arabic fonts declare a much taller
            # line than Latin ones for the same letter size.
            line.setPosition(QPointF(0, y + BASELINE * px - line.ascent()))
            y += px * leading
        layout.endLayout()
        return layout

    def flow(
        self,
        items: list[tuple[str, QColor]],
        rect: QRectF,
        px: float,
        *,
        bold: bool = False,
        lead: str = "",
        separator: str = "",
        gap: float = 0.0,
        name: str = "",
    ) -> None:
        """Draw short texts one after the other from the start side, on one line; each is laid
        out on its own, in the direction of its first letter, so that a Latin name in Darija or
        an Arabic hashtag in French stays whole and in order. ``lead`` (a label, in the
        language's direction) comes first. What does not fit is left out, with an ellipsis."""
        f = font(px, bold, self.rtl)
        metrics = QFontMetricsF(f)
        items = [(text, colour) for text, colour in items if text]
        sep_width = metrics.horizontalAdvance(separator) if separator else gap
        x = 0.0
        ink = QRectF()
        if lead and items:
            width = metrics.horizontalAdvance(lead)
            left = rect.right() - width if self.rtl else rect.left()
            box = QRectF(left, rect.top(), width + 1, rect.height())
            _plain_text(self.p, lead, box, f, MUTED, Qt.AlignmentFlag.AlignLeft, self.rtl)
            ink = box
            x = width + metrics.horizontalAdvance(" ")
        for n, (text, colour) in enumerate(items):
            room = rect.width() - x
            width = metrics.horizontalAdvance(text)
            last = n == len(items) - 1
            if width > room or (not last and width + sep_width > room and separator):
                text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
                width = metrics.horizontalAdvance(text)
                last = True
                if not text:
                    break
            left = rect.right() - x - width if self.rtl else rect.left() + x
            box = QRectF(left, rect.top(), width + 1, rect.height())
            _plain_text(
                self.p,
                text,
                box,
                f,
                colour,
                Qt.AlignmentFlag.AlignLeft,
                first_strong_is_right_to_left(text),
            )
            ink = ink.united(box)
            x += width
            if last:
                break
            if separator:
                left = rect.right() - x - sep_width if self.rtl else rect.left() + x
                _plain_text(
                    self.p,
                    separator,
                    QRectF(left, rect.top(), sep_width + 1, rect.height()),
                    f,
                    MUTED,
                    Qt.AlignmentFlag.AlignLeft,
                    self.rtl,
                )
            x += sep_width
        if name:
            self.places[name] = ink

    def start_x(self, rect: QRectF, width: float, inset: float = 0.0) -> float:
        """The left edge of something ``width`` wide placed at the start side of ``rect``."""
        return rect.right() - inset - width if self.rtl else rect.left() + inset


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


def draw_card(card: ShareCard, size: tuple[int, int]) -> Drawn:
    """Paint ``card`` on a ``size`` picture (1200 × 675 and 1080 × 1080 are laid out)."""
    width, height = size
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(BACKGROUND)
    drawn = Drawn(image)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    try:
        _paint(_Painter(painter, card, drawn.places), card, width, height)
    finally:
        painter.end()
    return drawn


def _paint(d: _Painter, card: ShareCard, width: int, height: int) -> None:
    square = height >= width * 0.9
    # The type scale: a 44 px title at 1200 wide, 52 px on the 1080 square (a phone shows both
    # at the same width, and the square has the room).
    unit = width / (1080 if square else 1200)
    margin = (52 if square else 48) * unit
    d.p.fillRect(QRectF(0, 0, width, 10 * unit), ACCENT)
    inner = QRectF(margin, 0, width - 2 * margin, height)

    y = 34 * unit
    y += d.text(
        card.title,
        QRectF(inner.left(), y, inner.width(), 0),
        (52 if square else 44) * unit,
        bold=True,
        lines=3 if square else 2,  # the square is narrower: a long name needs a third line
        smallest=(44 if square else 40) * unit,
        leading=TITLE_LINE_HEIGHT,
        name="title",
    )
    y += 6 * unit
    y += d.text(
        card.subtitle,
        QRectF(inner.left(), y, inner.width(), 0),
        26 * unit,
        colour=MUTED,
        name="subtitle",
    )
    y += 22 * unit

    tag_px = 27 * unit
    tags_height = line_height(tag_px)
    sources_px = 19 * unit
    sources_height = line_height(sources_px)
    footer_top = height - margin * 0.7 - tags_height - 12 * unit - sources_height - 14 * unit
    body = QRectF(inner.left(), y, inner.width(), footer_top - y - 18 * unit)
    if square:
        used = _figures_row(d, card, QRectF(body.left(), body.top(), body.width(), 0), unit)
        graph = QRectF(body.left(), body.top() + used + 26 * unit, body.width(), 0)
        graph.setBottom(body.bottom())
    else:
        column = 360 * unit
        cards = QRectF(d.start_x(body, column), body.top(), column, body.height())
        _figures_column(d, card, cards, unit)
        graph = QRectF(body)
        if d.rtl:
            graph.setRight(cards.left() - 36 * unit)
        else:
            graph.setLeft(cards.right() + 36 * unit)
    _graph(d, card, graph, unit)
    d.places["graph"] = graph

    d.p.fillRect(QRectF(inner.left(), footer_top, inner.width(), max(1.0, 2 * unit)), FAINT)
    y = footer_top + 14 * unit
    d.flow(
        [(name, MUTED) for name in card.sources],
        QRectF(inner.left(), y, inner.width(), sources_height),
        sources_px,
        lead=card.sources_label,
        separator=" · ",
        name="sources",
    )
    y += sources_height + 12 * unit
    credit_width = 320 * unit
    credit = QRectF(
        inner.left() if d.rtl else inner.right() - credit_width,
        y + (tags_height - sources_height) / 2,
        credit_width,
        sources_height,
    )
    d.text(card.credit, credit, sources_px, colour=MUTED, end=True, name="credit")
    tags = QRectF(inner.left(), y, inner.width() - credit_width - 16 * unit, tags_height)
    if d.rtl:
        tags.moveRight(inner.right())
    d.flow(
        [(tag, ACCENT) for tag in card.hashtags],
        tags,
        tag_px,
        bold=True,
        gap=28 * unit,
        name="hashtags",
    )


def _block_height(d: _Painter, unit: float, name_lines: int = 1) -> float:
    """The height of one operator's card at this scale."""
    return (
        16 * unit * 1.6
        + line_height(23 * unit) * name_lines
        + 2 * unit
        + line_height(38 * unit)
        + line_height(18 * unit)
    )


def _figure_block(
    d: _Painter, card: ShareCard, i: int, rect: QRectF, unit: float, name_lines: int = 1
) -> None:
    """One operator: colour bar, marker and name, the figure in big type, when it was reported."""
    figure = card.figures[i]
    colour = QColor(CURVE_COLOURS[figure.index % len(CURVE_COLOURS)])
    d.p.setPen(Qt.PenStyle.NoPen)
    d.p.setBrush(CARD)
    radius = 14 * unit
    d.p.drawRoundedRect(rect, radius, radius)
    outline = QPainterPath()
    outline.addRoundedRect(rect, radius, radius)
    d.p.save()
    d.p.setClipPath(outline)
    bar = 7 * unit
    d.p.fillRect(
        QRectF(rect.right() - bar if d.rtl else rect.left(), rect.top(), bar, rect.height()), colour
    )
    d.p.restore()

    pad = 16 * unit
    text = rect.adjusted(pad + bar, pad * 0.8, -pad - bar, 0)
    marker_size = 17 * unit
    name = QRectF(text)
    if d.rtl:
        name.setRight(name.right() - marker_size - 10 * unit)
        centre_x = text.right() - marker_size / 2
    else:
        name.setLeft(name.left() + marker_size + 10 * unit)
        centre_x = text.left() + marker_size / 2
    y = text.top()
    d.text(
        figure.name,
        QRectF(name.left(), y, name.width(), 0),
        23 * unit,
        bold=True,
        lines=name_lines,
        name=f"name:{figure.target_id}",
    )
    _marker(
        d,
        MARKERS[figure.index % len(MARKERS)],
        QPointF(centre_x, y + line_height(23 * unit) / 2),
        marker_size,
        colour,
    )
    # The figure and its date sit at the bottom: side by side, the figures line up.
    y = rect.bottom() - pad * 0.8 - line_height(18 * unit) - line_height(38 * unit)
    y += d.text(
        figure.figure,
        QRectF(text.left(), y, text.width(), 0),
        38 * unit,
        bold=True,
        smallest=26 * unit,
        name=f"figure:{figure.target_id}",
    )
    d.text(
        figure.caption,
        QRectF(text.left(), y, text.width(), 0),
        18 * unit,
        colour=MUTED,
        smallest=14 * unit,  # "« j’aime » perdus (1–10 mars 2016)" fits a narrow card whole
    )


def _figures_column(d: _Painter, card: ShareCard, rect: QRectF, unit: float) -> None:
    count = max(len(card.figures), 1)
    gap = 14 * unit
    needed = _block_height(d, unit) * count + gap * (count - 1)
    scale = min(1.0, rect.height() / needed)
    each = _block_height(d, unit * scale)
    y = rect.top()
    for i in range(len(card.figures)):
        _figure_block(d, card, i, QRectF(rect.left(), y, rect.width(), each), unit * scale)
        y += each + gap * scale


def _figures_row(d: _Painter, card: ShareCard, rect: QRectF, unit: float) -> float:
    count = max(len(card.figures), 1)
    gap = 16 * unit
    each = (rect.width() - gap * (count - 1)) / count
    scale = min(1.0, each / (320 * unit))
    # A long name wraps on two lines (every card then makes room for two).
    room = each - (16 * 2 + 7 + 17 + 10) * unit * scale
    name_font = QFontMetricsF(font(23 * unit * scale, True, d.rtl))
    name_lines = 2 if any(name_font.horizontalAdvance(f.name) > room for f in card.figures) else 1
    height = _block_height(d, unit * scale, name_lines)
    for i in range(len(card.figures)):
        # Darija reads the row from the right: the first operator sits at the right.
        x = rect.right() - (i + 1) * each - i * gap if d.rtl else rect.left() + i * (each + gap)
        box = QRectF(x, rect.top(), each, height)
        _figure_block(d, card, i, box, unit * scale, name_lines)
    return height


def _marker(d: _Painter, kind: str, centre: QPointF, size: float, colour: QColor) -> None:
    d.p.setPen(QPen(BACKGROUND, max(1.0, size / 8)))
    d.p.setBrush(colour)
    d.p.drawPath(marker_path(kind, centre, size))


def _graph(d: _Painter, card: ShareCard, rect: QRectF, unit: float) -> None:
    """Curves of likes lost over time: number axis on the left, dates below, time left to right."""
    label_px = 18 * unit
    label_font = font(label_px, False, d.rtl)
    metrics = QFontMetricsF(label_font)
    low, high = card.loss_range
    y_ticks, top = number_ticks(low, high, 5)
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
        _plain_text(d.p, tick.label, box, label_font, MUTED, Qt.AlignmentFlag.AlignRight, d.rtl)
    label_width = max(
        (metrics.horizontalAdvance(t.label) for t in date_ticks(t0, t1, card.zone, 8)),
        default=80 * unit,
    )
    most = max(2, int(plot.width() // (label_width + 40 * unit)))
    for tick in date_ticks(t0, t1, card.zone, most):
        x = float(x_of(tick.value))
        d.p.fillRect(QRectF(x - 0.5 * unit, plot.top(), max(1.0, 1.0 * unit), plot.height()), FAINT)
        box = QRectF(x - 120 * unit, plot.bottom() + 8 * unit, 240 * unit, metrics.height())
        _plain_text(d.p, tick.label, box, label_font, MUTED, Qt.AlignmentFlag.AlignHCenter, d.rtl)
    d.p.save()
    d.p.setClipRect(plot.adjusted(-12 * unit, -12 * unit, 12 * unit, 4 * unit))
    for curve in card.curves:
        _curve(d, curve, x_of, y_of, plot, unit)
    d.p.restore()


def _plain_text(
    painter: QPainter,
    text: str,
    box: QRectF,
    f: QFont,
    colour: QColor,
    align: Qt.AlignmentFlag,
    right_to_left: bool,
) -> None:
    """One line of text in ``box``, in the given paragraph direction."""
    option = QTextOption(align | Qt.AlignmentFlag.AlignVCenter)
    option.setTextDirection(
        Qt.LayoutDirection.RightToLeft if right_to_left else Qt.LayoutDirection.LeftToRight
    )
    option.setWrapMode(QTextOption.WrapMode.NoWrap)
    painter.setFont(f)
    painter.setPen(colour)
    painter.drawText(box, text, option)


def _curve(
    d: _Painter, curve: CardCurve, x_of: Callable, y_of: Callable, plot: QRectF, unit: float
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
    marked = curve.marked if len(curve.times) > 60 else np.arange(len(curve.times))
    kind = MARKERS[curve.index % len(MARKERS)]
    for i in marked:
        centre = QPointF(float(x_of(curve.times[i])), float(y_of(curve.losses[i])))
        _marker(d, kind, centre, 17 * unit, colour)


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


def share_image(campaign: Campaign, series: dict[str, LossSeries], size: tuple[int, int]) -> QImage:
    """The shared picture of the campaign's graph, in the current language."""
    return draw_card(compose(campaign, series), size).image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6's stub wants bytes for the format; at run time it takes only a str
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise UserError(_("The image could not be made."), detail="QImage.save to PNG failed")
    buffer.close()
    return bytes(data.data())


def ensure_gui_application() -> QGuiApplication:
    """The application QPainter and the fonts need; offscreen where there is no display."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance()
    return app if isinstance(app, QGuiApplication) else QGuiApplication(sys.argv[:1])


def pictures_folder() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    return Path(folder) if folder and Path(folder).is_dir() else Path.home()


class ShareDialog(QDialog):
    """A preview of the picture and its size; saving writes the file and copies the picture."""

    def __init__(
        self,
        campaign: Campaign,
        series: dict[str, LossSeries],
        guard: ExportGuard,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Share the graph"))
        self._campaign = campaign
        self._series = series
        self._guard = guard
        self.saved_to: Path | None = None
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Both sizes fit the same box, so the dialog keeps its size when the choice changes.
        self.preview.setFixedSize(PREVIEW)
        self.preview.setAccessibleName(_("Preview of the picture"))
        self.sizes = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        labels = {
            "1200x675": _("Wide, for a post ({width} × {height})"),
            "1080x1080": _("Square ({width} × {height})"),
        }
        for key, (w, h) in SHARE_SIZES.items():
            button = QRadioButton(labels[key].format(width=w, height=h))
            button.setProperty("size_key", key)
            button.setChecked(key == DEFAULT_SHARE_SIZE)
            self.sizes.addButton(button)
            layout.addWidget(button)
        self.sizes.buttonToggled.connect(lambda _b, on: self._update_preview() if on else None)
        hint = QLabel(_("The picture is saved to a file and copied, ready to paste in a post."))
        hint.setWordWrap(True)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(hint)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            _("Save and copy…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.image = QImage()
        self._update_preview()

    def size_key(self) -> str:
        button = self.sizes.checkedButton()
        return str(button.property("size_key")) if button else DEFAULT_SHARE_SIZE

    def _update_preview(self) -> None:
        self.image = share_image(self._campaign, self._series, SHARE_SIZES[self.size_key()])
        self.preview.setPixmap(
            QPixmap.fromImage(self.image).scaled(
                PREVIEW,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def save(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self,
            _("Share the graph"),
            str(pictures_folder() / "campaign-graph.png"),
            _("PNG images (*.png)"),
        )
        if not name:
            return
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(".png")
        self.save_to(path)

    def save_to(self, path: Path) -> None:
        """Save and copy the picture; a refusal or failure is said in a message box."""
        from PySide6.QtWidgets import QMessageBox

        try:
            write_export_bytes(path, png_bytes(self.image), self._guard)
        except UserError as error:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                _("Share the graph"),
                error.message,
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            return
        QGuiApplication.clipboard().setImage(self.image)
        self.saved_to = path
        self.accept()
