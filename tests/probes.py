"""What the tests read from the app's parts and the app itself has no use for: a campaign file
read whole, the rows a store's file holds, a graph's read-out at a point, and a store's count
shapes built afresh after a test wrote rows past its doors; and WCAG's contrast ratio of two
colours."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from campaign_gui.core.campaign import Campaign, parse_campaign_bytes, read_campaign_file
from campaign_gui.core.store import Store
from campaign_gui.core.store.schema import SHAPES_FROM_OBSERVATIONS, SHAPES_TRUSTED

if TYPE_CHECKING:
    from PySide6.QtCore import QPointF

    from campaign_gui.ui.loss_plot import LossPlot


def load_campaign(path: Path) -> Campaign:
    """A campaign file read and checked as the app does; any problem is a ``CampaignError``."""
    return parse_campaign_bytes(read_campaign_file(path), str(path))


def count_observations(store: Store, campaign_id: str) -> int:
    """How many like counts the store's file holds for ``campaign_id`` (valid or not), read
    through a connection of the test's own."""
    with closing(sqlite3.connect(store.path)) as db:
        return db.execute(
            "SELECT count(*) FROM observations WHERE campaign = ?", (campaign_id,)
        ).fetchone()[0]


def readout_at(plot: LossPlot, scene_pos: QPointF) -> str | None:
    """The read-out a ``LossPlot`` shows for the point nearest to ``scene_pos``, if any."""
    point = plot.point_at(scene_pos)
    return None if point is None else plot.describe(*point)


def rebuild_count_shapes(store: Store) -> None:
    """The store's count shapes afresh from every stored reading, after a test wrote rows
    without the store."""
    with store.transaction() as db:
        db.execute("DELETE FROM count_shapes")
        db.execute(SHAPES_FROM_OBSERVATIONS)
        db.execute(SHAPES_TRUSTED)


def contrast(a: object, b: object) -> float:
    """WCAG's contrast ratio of two colours (a QColor or any name QColor reads): 4.5 is AA."""
    from PySide6.QtGui import QColor

    def luminance(colour: object) -> float:
        q = QColor(colour)

        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(q.redF()) + 0.7152 * channel(q.greenF()) + 0.0722 * channel(q.blueF())
        )

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def arabic_hashtag_sides(text: str, right_to_left: bool, font: object) -> list[str]:
    """Where each Arabic hashtag's "#" is drawn in ``text`` laid out by Qt in the given paragraph
    direction: "right" (the start of the Arabic word, as it is read) or "left" (its end).

    The "#" is drawn red and its word blue, each alone in an otherwise white layout, and the
    columns of their ink are compared: glyph order as drawn, whatever the shaping."""
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QColor, QImage, QPainter, QTextCharFormat, QTextLayout, QTextOption

    def arabic(c: str) -> bool:
        return "\u0600" <= c <= "\u06ff"

    def formatted(start: int, length: int, colour: str) -> QTextLayout.FormatRange:
        style = QTextCharFormat()
        style.setForeground(QColor(colour))
        part = QTextLayout.FormatRange()
        part.start, part.length, part.format = start, length, style
        return part

    sides = []
    for at, char in enumerate(text):
        if char != "#" or at + 1 >= len(text) or not arabic(text[at + 1]):
            continue
        end = at + 1
        while end < len(text) and (arabic(text[end]) or text[end] == "_"):
            end += 1
        layout = QTextLayout(text, font)
        option = QTextOption()
        option.setTextDirection(
            Qt.LayoutDirection.RightToLeft if right_to_left else Qt.LayoutDirection.LeftToRight
        )
        layout.setTextOption(option)
        layout.setFormats(
            [
                formatted(0, len(text), "white"),
                formatted(at, 1, "red"),
                formatted(at + 1, end - at - 1, "blue"),
            ]
        )
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(4000)
        layout.endLayout()
        image = QImage(4100, int(line.height()) + 4, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        layout.draw(painter, QPointF(0, 2))
        painter.end()
        red, blue = [], []
        for x in range(image.width()):
            for y in range(image.height()):
                c = image.pixelColor(x, y)
                if c.red() > 180 and c.green() < 90 and c.blue() < 90:
                    red.append(x)
                elif c.blue() > 180 and c.red() < 90 and c.green() < 90:
                    blue.append(x)
        sides.append("right" if min(red) > max(blue) else "left")
    return sides
