"""The text on the shared picture: its colours, its fonts and sizes, and ``CardPainter``, which
lays text out on it in the card's direction (Darija from the right) and notes where it landed."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPainter,
    QTextLayout,
    QTextOption,
)

from ..core.i18n import first_strong_direction
from ..core.share_card import ShareCard

BACKGROUND = QColor("#FFFFFF")
INK = QColor("#1B1F24")
MUTED = QColor("#4A5260")
FAINT = QColor("#E3E6EA")
CARD = QColor("#F2F4F7")
ACCENT = QColor("#0072B2")  # Okabe–Ito blue: the campaign's hashtags and the top band

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


# The least size of any text, at the scale of a 1200 px wide picture (a 1080 px square): a
# phone shows the picture about 400 px wide, where this is 9.3 px (10.4 px on the square).
SMALL = 28


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


def font(px: float, bold: bool = False, right_to_left: bool = False) -> QFont:
    system = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()
    families = (ARABIC_FAMILIES if right_to_left else []) + LATIN_FAMILIES + [system]
    result = QFont()
    result.setFamilies(families)
    result.setPixelSize(round(px * (ARABIC_SCALE if right_to_left else 1.0)))
    result.setWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
    result.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return result


def plain_text(
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


class CardPainter:
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
        whole: bool = False,
    ) -> None:
        """Draw short texts one after the other from the start side, on one line; each is laid
        out on its own, in the direction of its first letter, so that a Latin name in Darija or
        an Arabic hashtag in French stays whole and in order. ``lead`` (a label, in the
        language's direction) comes first. What does not fit is left out, with an ellipsis;
        with ``whole``, a text that does not fit whole is left out (a hashtag cut is no tag)."""
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
            plain_text(self.p, lead, box, f, MUTED, Qt.AlignmentFlag.AlignLeft, self.rtl)
            ink = box
            x = width + metrics.horizontalAdvance(" ")
        for n, (text, colour) in enumerate(items):
            room = rect.width() - x
            width = metrics.horizontalAdvance(text)
            last = n == len(items) - 1
            if width > room or (not last and width + sep_width > room and separator):
                if whole:
                    break
                text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
                width = metrics.horizontalAdvance(text)
                last = True
                if not text:
                    break
            left = rect.right() - x - width if self.rtl else rect.left() + x
            box = QRectF(left, rect.top(), width + 1, rect.height())
            plain_text(
                self.p,
                text,
                box,
                f,
                colour,
                Qt.AlignmentFlag.AlignLeft,
                first_strong_direction(text) == "rtl",
            )
            ink = ink.united(box)
            x += width
            if last:
                break
            if separator:
                left = rect.right() - x - sep_width if self.rtl else rect.left() + x
                plain_text(
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
