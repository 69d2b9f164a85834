"""The layout of the shared picture: where the title, the operators' figures, the graph and the
footer (sources, credit, hashtags) go on a wide or a square picture, and ``draw_card``, which
paints a ``ShareCard`` there."""

from __future__ import annotations

import math
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
    SMALL,
    TITLE_LINE_HEIGHT,
    CardPainter,
    font,
    line_height,
)

# The figures' headline on the wide picture ("about 200,000 likes lost" on one line).
HEADLINE = 30


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
        (52 if square else 40) * unit,
        bold=True,
        lines=3 if square else 2,  # the square is narrower: a long name needs a third line
        smallest=(44 if square else 34) * unit,
        leading=TITLE_LINE_HEIGHT,
        name="title",
    )
    y += 6 * unit
    if square:
        y += d.text(
            card.subtitle,
            QRectF(inner.left(), y, inner.width(), 0),
            SMALL * unit,
            colour=MUTED,
            name="subtitle",
        )
    y += 16 * unit

    # Read on a phone, the picture is about 400 px wide: a third of its size. No text is
    # smaller than SMALL here (9 px there); what must read first (the figures, their unit, the
    # call to act) is larger.
    tag_px = 30 * unit
    tags_height = line_height(tag_px)
    sources_px = SMALL * unit
    sources_height = line_height(sources_px)
    footer_top = height - margin * 0.6 - tags_height - 10 * unit - sources_height - 12 * unit
    body = QRectF(inner.left(), y, inner.width(), footer_top - y - 16 * unit)
    if square:
        used = _figures_row(d, card, QRectF(body.left(), body.top(), body.width(), 0), unit)
        graph = QRectF(body.left(), body.top() + used + 26 * unit, body.width(), 0)
        graph.setBottom(body.bottom())
    else:
        # The figures' column is as wide as "about 200,000 likes lost" at HEADLINE size; the
        # graph, under its subtitle, takes the rest.
        column = 590 * unit
        cards = QRectF(d.start_x(body, column), body.top(), column, body.height())
        _figures_column(d, card, cards, unit)
        graph = QRectF(body)
        if d.rtl:
            graph.setRight(cards.left() - 30 * unit)
        else:
            graph.setLeft(cards.right() + 30 * unit)
        used = d.text(
            card.subtitle,
            QRectF(graph.left(), graph.top(), graph.width(), 0),
            SMALL * unit,
            colour=MUTED,
            lines=2,
            name="subtitle",
        )
        graph.setTop(graph.top() + used + 6 * unit)
    draw_graph(d, card, graph, unit)
    d.places["graph"] = graph

    d.p.fillRect(QRectF(inner.left(), footer_top, inner.width(), max(1.0, 2 * unit)), FAINT)
    y = footer_top + 12 * unit
    # The sources come whole; the app's name beside them only where the row has room for both
    # (fewer words rather than smaller ones).
    credit_px = SMALL * unit
    sources_font = QFontMetricsF(font(sources_px, False, d.rtl))
    sources_width = sources_font.horizontalAdvance(
        " ".join([card.sources_label, " · ".join(card.sources)])
    )
    credit_width = QFontMetricsF(font(credit_px, False, d.rtl)).horizontalAdvance(card.credit)
    gap = 24 * unit
    with_credit = sources_width + gap + credit_width + 8 * unit <= inner.width()
    end_width = credit_width + 8 * unit if with_credit else 0.0
    sources, credit = _footer_row(d, inner, y, end_width, sources_height, gap if with_credit else 0)
    d.flow(
        [(name, MUTED) for name in card.sources],
        sources,
        sources_px,
        lead=card.sources_label,
        separator=" · ",
        name="sources",
    )
    if with_credit:
        credit.setTop(credit.top() + (sources_height - line_height(credit_px)) / 2)
        credit.setHeight(line_height(credit_px))
        d.text(card.credit, credit, credit_px, colour=MUTED, end=True, name="credit")
    y += sources_height + 10 * unit
    action_font = QFontMetricsF(font(tag_px, True, d.rtl))
    action_width = min(
        action_font.horizontalAdvance(card.call_to_action) + 8 * unit, inner.width() * 0.6
    )
    tags, action = _footer_row(d, inner, y, action_width, tags_height, 16 * unit)
    d.text(
        card.call_to_action,
        action,
        tag_px,
        bold=True,
        end=True,
        smallest=SMALL * unit,
        name="call to action",
    )
    d.flow(
        [(tag, ACCENT) for tag in card.hashtags],
        tags,
        tag_px,
        bold=True,
        gap=28 * unit,
        name="hashtags",
        whole=True,
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
    d: CardPainter, unit: float, name_lines: int = 1, one_line: bool = False, dated: bool = True
) -> float:
    """The height of one operator's card at this scale (``dated``: with its own date line)."""
    return (
        _pad(unit, one_line) * 1.6
        + line_height(SMALL * unit) * name_lines
        + 2 * unit
        + line_height((HEADLINE if one_line else 40) * unit)
        + (0 if one_line else line_height(SMALL * unit))
        + (line_height(SMALL * unit) if dated else 0)
    )


def _pad(unit: float, one_line: bool) -> float:
    return (10 if one_line else 16) * unit


def _figure_block(
    d: CardPainter,
    card: ShareCard,
    i: int,
    rect: QRectF,
    unit: float,
    name_lines: int = 1,
    one_line: bool = False,
    dated: bool = True,
) -> None:
    """One operator: colour bar, marker and name, the figure in big type, when it was reported
    (unless ``dated`` is False: the figures' one date is then said once for all)."""
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

    pad = _pad(unit, one_line)
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
        SMALL * unit,
        bold=True,
        lines=name_lines,
        name=f"name:{figure.target_id}",
    )
    draw_marker(
        d,
        MARKERS[figure.index % len(MARKERS)],
        QPointF(centre_x, y + line_height(SMALL * unit) / 2),
        marker_size,
        colour,
    )
    # The figure, what it counts and when sit at the bottom: side by side, the figures line up.
    # In a column (the wide picture) the figure and its unit share one line, so each card is
    # a line shorter and its type need not shrink to fit three.
    big = (HEADLINE if one_line else 40) * unit
    y = rect.bottom() - pad * 0.8 - line_height(big)
    if dated:
        y -= line_height(SMALL * unit)
    if not one_line:
        y -= line_height(SMALL * unit)
    y += d.text(
        figure.headline if one_line else figure.figure,
        QRectF(text.left(), y, text.width(), 0),
        big,
        bold=True,
        smallest=SMALL * unit,
        name=f"figure:{figure.target_id}",
    )
    if not one_line:
        y += d.text(
            figure.unit,
            QRectF(text.left(), y, text.width(), 0),
            SMALL * unit,
            bold=True,
            smallest=SMALL * unit,
            name=f"unit:{figure.target_id}",
        )
    if dated:
        d.text(
            figure.caption,
            QRectF(text.left(), y, text.width(), 0),
            SMALL * unit,
            colour=MUTED,
            name=f"date:{figure.target_id}",
        )


def _one_date(card: ShareCard) -> str:
    """The figures' date when they all have the same one ("Mar 1 – 10, 2016"), else ""."""
    dates = {figure.caption for figure in card.figures}
    return dates.pop() if len(dates) == 1 else ""


def _figures_column(d: CardPainter, card: ShareCard, rect: QRectF, unit: float) -> None:
    """The operators' cards one above the other; the figures' date said once above them when
    they share it (the column then fits three cards with no text under SMALL)."""
    count = max(len(card.figures), 1)
    gap = 10 * unit
    date = _one_date(card)
    top = rect.top()
    if date:
        top += d.text(
            date,
            QRectF(rect.left(), top, rect.width(), 0),
            SMALL * unit,
            colour=MUTED,
            name="date",
        )
    room = rect.bottom() - top
    needed = _block_height(d, unit, one_line=True, dated=not date) * count + gap * (count - 1)
    scale = min(1.0, room / needed)
    each = _block_height(d, unit * scale, one_line=True, dated=not date)
    y = top
    for i in range(len(card.figures)):
        box = QRectF(rect.left(), y, rect.width(), each)
        _figure_block(d, card, i, box, unit * scale, one_line=True, dated=not date)
        y += each + gap * scale


def _figures_row(d: CardPainter, card: ShareCard, rect: QRectF, unit: float) -> float:
    count = max(len(card.figures), 1)
    gap = 16 * unit
    each = (rect.width() - gap * (count - 1)) / count
    scale = min(1.0, each / (300 * unit))
    room = each - (16 * 2 + 7 + 17 + 10) * unit * scale
    name_font = QFontMetricsF(font(SMALL * unit * scale, True, d.rtl))
    longest = max((name_font.horizontalAdvance(f.name) for f in card.figures), default=0.0)
    # A long name wraps (every card then makes room for as many lines), on three at most;
    # words wrap short of the room, hence the margin.
    name_lines = max(1, min(3, math.ceil(longest / (room * 0.85))))
    height = _block_height(d, unit * scale, name_lines)
    for i in range(len(card.figures)):
        # Darija reads the row from the right: the first operator sits at the right.
        x = rect.right() - (i + 1) * each - i * gap if d.rtl else rect.left() + i * (each + gap)
        box = QRectF(x, rect.top(), each, height)
        _figure_block(d, card, i, box, unit * scale, name_lines)
    return height
