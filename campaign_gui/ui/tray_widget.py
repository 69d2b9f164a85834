"""The campaign at a glance, next to the tray icon: countdown, each page's loss with a sparkline.

Unpinned it is a popup that closes when it loses focus. Pinned it is a small frameless window
that stays on top, can be dragged anywhere, closes with its ×, and comes back pinned at the same
place after a restart (moved back onto a screen if the screens changed). Either way it is a rounded
card with a soft shadow, drawn on a transparent window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsDropShadowEffect,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.i18n import _
from .palette import CURVE_COLOURS
from .theme import current_theme, set_role, svg_icon

if TYPE_CHECKING:
    from ..core.glance import Glance

UNPINNED = Qt.WindowType.Popup | Qt.WindowType.FramelessWindowHint
PINNED = (
    Qt.WindowType.Tool
    | Qt.WindowType.FramelessWindowHint
    | Qt.WindowType.WindowStaysOnTopHint
    | Qt.WindowType.NoDropShadowWindowHint  # the card draws its own shadow
)
SHADOW_MARGIN = 14  # room around the card for its shadow


def onto_screens(rect: QRect, screens: list[QRect]) -> QPoint:
    """Where to put a widget so that it is wholly on a screen: where it was if it still fits."""
    if not screens:
        return rect.topLeft()
    for screen in screens:
        if screen.contains(rect):
            return rect.topLeft()
    nearest = min(screens, key=lambda s: (s.center() - rect.center()).manhattanLength())
    x = min(max(rect.x(), nearest.left()), nearest.right() - rect.width() + 1)
    y = min(max(rect.y(), nearest.top()), nearest.bottom() - rect.height() + 1)
    return QPoint(x, y)


class Sparkline(QWidget):
    def __init__(self, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colour = QColor(colour)
        self.values: list[float] = []
        self.setMinimumSize(90, 24)

    def set_values(self, values: list[float]) -> None:
        self.values = [float(v) for v in values]
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if len(self.values) < 2:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.colour, 1.6))
        w, h = self.width() - 2, self.height() - 4
        low, high = min(self.values), max(self.values)
        span = (high - low) or 1.0
        step = w / (len(self.values) - 1)
        points = [
            QPointF(1 + i * step, 2 + h - (v - low) / span * h) for i, v in enumerate(self.values)
        ]
        painter.drawPolyline(QPolygonF(points))
        painter.end()


class TrayWidget(QWidget):
    open_pages = Signal()
    pinned_changed = Signal(bool, QPoint)  # pinned, where
    moved = Signal(QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, UNPINNED)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, False)
        self.pinned = False
        self._drag_from: QPoint | None = None
        self.card = QFrame()
        self.card.setObjectName("glanceCard")  # rounded and bordered by the style sheet
        shadow = QGraphicsDropShadowEffect(self.card)
        shadow.setBlurRadius(SHADOW_MARGIN * 2)
        shadow.setOffset(0, 3)
        shadow.setColor(QColor(0, 0, 0, 90))
        self.card.setGraphicsEffect(shadow)
        self.title = QLabel()
        set_role(self.title, "section")
        self.title.setWordWrap(True)
        self.countdown = QLabel()
        self.countdown.setWordWrap(True)
        set_role(self.countdown, "caption")
        for label in (self.title, self.countdown):
            label.setTextFormat(Qt.TextFormat.PlainText)  # day titles come from files
        self.pin = QToolButton()
        self.pin.setCheckable(True)
        self.pin.setIconSize(QSize(18, 18))
        self.pin.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.pin.toggled.connect(self.set_pinned)
        self.close_button = QToolButton()
        self.close_button.setIconSize(QSize(18, 18))
        self.close_button.clicked.connect(self.close_widget)
        self.close_button.hide()  # a popup closes by clicking elsewhere; a pinned one by its ×
        self.pages_button = QPushButton()
        self.pages_button.setObjectName("accentButton")
        self.pages_button.clicked.connect(self.open_pages)
        header = QHBoxLayout()
        header.setSpacing(4)
        header.addWidget(self.title, 1, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.pin, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.pages = QGridLayout()
        self.pages.setHorizontalSpacing(12)
        self.pages.setVerticalSpacing(6)
        self.rows: dict[str, tuple[QLabel, QLabel, Sparkline]] = {}
        card_layout = QVBoxLayout(self.card)
        card_layout.setContentsMargins(16, 12, 12, 14)
        card_layout.setSpacing(8)
        card_layout.addLayout(header)
        card_layout.addWidget(self.countdown)
        card_layout.addLayout(self.pages)
        card_layout.addWidget(self.pages_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SHADOW_MARGIN, SHADOW_MARGIN, SHADOW_MARGIN, SHADOW_MARGIN)
        layout.addWidget(self.card)
        self.setMinimumWidth(340)
        self.theme = current_theme()
        if self.theme is not None:
            self.theme.changed.connect(self._show_icons)
        self._show_icons()
        self.retranslate()

    def _show_icons(self, _dark: bool | None = None) -> None:
        """The pin shows its state (leaning outline: not pinned; upright and filled: pinned),
        in the text's colour of the light or dark scheme."""
        colour = self.palette().color(QPalette.ColorRole.WindowText).name()
        if self.theme is not None:
            colour = self.theme.colours.text
        self.pin.setIcon(svg_icon("pinned" if self.pinned else "pin", colour))
        self.close_button.setIcon(svg_icon("close", colour))

    def close_widget(self) -> None:
        """The ×: put it away and forget the pin, so it does not come back at the next start."""
        self.hide()
        self.set_pinned(False)

    def set_glance(self, glance: Glance) -> None:
        self.title.setText(glance.next_day)
        self.countdown.setText(glance.countdown)
        self.countdown.setVisible(bool(glance.countdown))
        for row, page in enumerate(glance.pages):
            if page.target_id not in self.rows:
                name, latest = QLabel(), QLabel()
                for label in (name, latest):
                    label.setTextFormat(Qt.TextFormat.PlainText)  # page names come from files
                spark = Sparkline(CURVE_COLOURS[row % len(CURVE_COLOURS)])
                self.pages.addWidget(name, row, 0)
                self.pages.addWidget(latest, row, 1)
                self.pages.addWidget(spark, row, 2)
                self.rows[page.target_id] = (name, latest, spark)
            name, latest, spark = self.rows[page.target_id]
            name.setText(page.name)
            latest.setText(page.latest)
            spark.set_values(page.sparkline)
            spark.setAccessibleName(page.name)
        if self.isVisible():
            # New labels in a shown window appear on the next turn of the event loop; fit then.
            QTimer.singleShot(0, self.fit)

    def fit(self) -> None:
        """Take the size the texts need (adjustSize keeps the width of word-wrapped windows).

        A hidden window's layouts keep the sizes of their last texts and fonts (another language,
        say) until they are asked again: asked afresh here, or new texts were cut."""
        for layout in (self.card.layout(), self.layout()):
            if layout is not None:  # both have one; Qt's types say they may not
                layout.invalidate()
                layout.activate()
        self.resize(self.sizeHint().expandedTo(self.minimumSizeHint()))

    def set_pinned(self, pinned: bool) -> None:
        """Pinned: a frameless window that stays on top; unpinned: a popup."""
        if pinned == self.pinned and self.pin.isChecked() == pinned:
            return
        self.pinned = pinned
        self.pin.blockSignals(True)
        self.pin.setChecked(pinned)
        self.pin.blockSignals(False)
        where = self.pos()
        visible = self.isVisible()
        self.setWindowFlags(PINNED if pinned else UNPINNED)
        self.move(where)
        self.close_button.setVisible(pinned)
        self._show_icons()
        if visible:
            self.show()
        self.retranslate()
        self.pinned_changed.emit(pinned, where)

    def show_at(self, where: QPoint) -> None:
        self.fit()
        screens = [s.availableGeometry() for s in QGuiApplication.screens()]
        self.move(onto_screens(QRect(where, self.size()), screens))
        self.show()
        self.raise_()
        self.activateWindow()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self.pinned and event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = event.globalPosition().toPoint() - self.pos()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self._drag_from is not None:
            self.move(event.globalPosition().toPoint() - self._drag_from)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self._drag_from is not None:
            self._drag_from = None
            self.moved.emit(self.pos())
        super().mouseReleaseEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.pin.setText(_("Unpin") if self.pinned else _("Pin"))
        self.pin.setAccessibleName(self.pin.text())
        self.pin.setToolTip(
            _("Stop keeping this on top") if self.pinned else _("Keep this on top of other windows")
        )
        self.close_button.setText(_("Close"))
        self.close_button.setAccessibleName(_("Close"))
        self.close_button.setToolTip(_("Close"))
        self.pages_button.setText(_("Open the operators' pages"))
        self.setAccessibleName(_("Campaign at a glance"))
