"""The layout of the shared picture: where the title, the operators' figures, the graph and the
footer (sources, credit, hashtags) go on a wide or a square picture, and ``draw_card``, which
paints a ``ShareCard`` there."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPainterPath

from ..core.share_card import ShareCard
from .palette import CURVE_COLOURS
from .share_plot import MARKERS, draw_graph, draw_marker
from .share_text import (
    ACCENT,
    BACKGROUND,
    CARD,
    FAINT,
    MUTED,
    TITLE_LINE_HEIGHT,
    CardPainter,
    font,
    line_height,
)


@dataclass
class Drawn:
    """The picture and where its main parts landed (rectangles of the ink, in pixels)."""

    image: QImage
    places: dict[str, QRectF] = field(default_factory=dict)


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
        _paint(CardPainter(painter, card, drawn.places), card, width, height)
    finally:
        painter.end()
    return drawn


def _paint(d: CardPainter, card: ShareCard, width: int, height: int) -> None:
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

    # Read on a phone, the picture is about 400 px wide: a third of its size. What must read
    # there (figures, their unit, the call to act) is large; captions at least 22 px here.
    tag_px = 30 * unit
    tags_height = line_height(tag_px)
    sources_px = 24 * unit
    sources_height = line_height(sources_px)
    footer_top = height - margin * 0.7 - tags_height - 12 * unit - sources_height - 14 * unit
    body = QRectF(inner.left(), y, inner.width(), footer_top - y - 18 * unit)
    if square:
        used = _figures_row(d, card, QRectF(body.left(), body.top(), body.width(), 0), unit)
        graph = QRectF(body.left(), body.top() + used + 26 * unit, body.width(), 0)
        graph.setBottom(body.bottom())
    else:
        column = 420 * unit
        cards = QRectF(d.start_x(body, column), body.top(), column, body.height())
        _figures_column(d, card, cards, unit)
        graph = QRectF(body)
        if d.rtl:
            graph.setRight(cards.left() - 36 * unit)
        else:
            graph.setLeft(cards.right() + 36 * unit)
    draw_graph(d, card, graph, unit)
    d.places["graph"] = graph

    d.p.fillRect(QRectF(inner.left(), footer_top, inner.width(), max(1.0, 2 * unit)), FAINT)
    y = footer_top + 14 * unit
    credit_px = 19 * unit
    sources, credit = _footer_row(d, inner, y, 260 * unit, sources_height, 16 * unit)
    d.flow(
        [(name, MUTED) for name in card.sources],
        sources,
        sources_px,
        lead=card.sources_label,
        separator=" · ",
        name="sources",
    )
    credit.setTop(credit.top() + (sources_height - line_height(credit_px)) / 2)
    credit.setHeight(line_height(credit_px))
    d.text(card.credit, credit, credit_px, colour=MUTED, end=True, name="credit")
    y += sources_height + 12 * unit
    action_font = QFontMetricsF(font(tag_px, True, d.rtl))
    action_width = min(
        action_font.horizontalAdvance(card.call_to_action) + 8 * unit, inner.width() * 0.45
    )
    tags, action = _footer_row(d, inner, y, action_width, tags_height, 16 * unit)
    d.text(
        card.call_to_action,
        action,
        tag_px,
        bold=True,
        end=True,
        smallest=22 * unit,
        name="call to action",
    )
    d.flow(
        [(tag, ACCENT) for tag in card.hashtags],
        tags,
        tag_px,
        bold=True,
        gap=28 * unit,
        name="hashtags",
    )


def _footer_row(
    d: CardPainter, inner: QRectF, y: float, end_width: float, height: float, gap: float
) -> tuple[QRectF, QRectF]:
    """A footer row: the room on its start side, and ``end_width`` on its end side."""
    start = QRectF(0, y, inner.width() - end_width - gap, height)
    start.moveLeft(d.start_x(inner, start.width()))
    end = QRectF(inner.left() if d.rtl else inner.right() - end_width, y, end_width, height)
    return start, end


def _block_height(
    d: CardPainter, unit: float, name_lines: int = 1, one_line: bool = False
) -> float:
    """The height of one operator's card at this scale."""
    return (
        16 * unit * 1.6
        + line_height(24 * unit) * name_lines
        + 2 * unit
        + line_height(40 * unit)
        + (0 if one_line else line_height(26 * unit))
        + line_height(22 * unit)
    )


def _figure_block(
    d: CardPainter,
    card: ShareCard,
    i: int,
    rect: QRectF,
    unit: float,
    name_lines: int = 1,
    one_line: bool = False,
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
        24 * unit,
        bold=True,
        lines=name_lines,
        name=f"name:{figure.target_id}",
    )
    draw_marker(
        d,
        MARKERS[figure.index % len(MARKERS)],
        QPointF(centre_x, y + line_height(24 * unit) / 2),
        marker_size,
        colour,
    )
    # The figure, what it counts and when sit at the bottom: side by side, the figures line up.
    # In a column (the wide picture) the figure and its unit share one line, so each card is
    # a line shorter and its type need not shrink as much to fit three.
    y = rect.bottom() - pad * 0.8 - line_height(22 * unit) - line_height(40 * unit)
    if not one_line:
        y -= line_height(26 * unit)
    y += d.text(
        figure.headline if one_line else figure.figure,
        QRectF(text.left(), y, text.width(), 0),
        40 * unit,
        bold=True,
        smallest=26 * unit,
        name=f"figure:{figure.target_id}",
    )
    if not one_line:
        y += d.text(
            figure.unit,
            QRectF(text.left(), y, text.width(), 0),
            26 * unit,
            bold=True,
            smallest=20 * unit,
            name=f"unit:{figure.target_id}",
        )
    d.text(
        figure.caption,
        QRectF(text.left(), y, text.width(), 0),
        22 * unit,
        colour=MUTED,
        smallest=16 * unit,
    )


def _figures_column(d: CardPainter, card: ShareCard, rect: QRectF, unit: float) -> None:
    count = max(len(card.figures), 1)
    gap = 14 * unit
    needed = _block_height(d, unit, one_line=True) * count + gap * (count - 1)
    scale = min(1.0, rect.height() / needed)
    each = _block_height(d, unit * scale, one_line=True)
    y = rect.top()
    for i in range(len(card.figures)):
        box = QRectF(rect.left(), y, rect.width(), each)
        _figure_block(d, card, i, box, unit * scale, one_line=True)
        y += each + gap * scale


def _figures_row(d: CardPainter, card: ShareCard, rect: QRectF, unit: float) -> float:
    count = max(len(card.figures), 1)
    gap = 16 * unit
    each = (rect.width() - gap * (count - 1)) / count
    scale = min(1.0, each / (320 * unit))
    # A long name wraps on two lines (every card then makes room for two).
    room = each - (16 * 2 + 7 + 17 + 10) * unit * scale
    name_font = QFontMetricsF(font(24 * unit * scale, True, d.rtl))
    name_lines = 2 if any(name_font.horizontalAdvance(f.name) > room for f in card.figures) else 1
    height = _block_height(d, unit * scale, name_lines)
    for i in range(len(card.figures)):
        # Darija reads the row from the right: the first operator sits at the right.
        x = rect.right() - (i + 1) * each - i * gap if d.rtl else rect.left() + i * (each + gap)
        box = QRectF(x, rect.top(), each, height)
        _figure_block(d, card, i, box, unit * scale, name_lines)
    return height
