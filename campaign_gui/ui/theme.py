"""The app's look, decided in one place: fonts and their sizes, light and dark colours, the style,
one style sheet, and icons drawn from SVG at the screen's scale.

- Fonts: a 10.5 pt base (the system's own size on macOS) and a small type scale that widgets ask
  for by role (``set_role(label, "title")``). In Darija the font is a list of families, Arabic UI
  fonts first (Segoe UI on Windows, Noto Sans Arabic UI / Noto Sans Arabic / Noto Naskh Arabic on
  Linux; the system font on macOS draws Arabic itself), so Qt never falls back to whatever font
  happens to have Arabic glyphs (DejaVu Sans, thin and small next to Noto digits).
- Colours: light and dark, following the system's colour scheme, live. On Windows and macOS the
  native style draws the controls in the system's colours; elsewhere Fusion with our palettes.
- One accent colour (the operator pages' buttons, selections, focus).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from shiboken6 import isValid

from .. import PACKAGE_DIR
from ..core.i18n import is_right_to_left

BASE_POINT_SIZE = 10.5
# Arabic letters are drawn smaller than Latin ones at the same point size: half a point more.
ARABIC_EXTRA_POINTS = 0.5
ARABIC_FAMILIES = {
    "win32": ("Segoe UI",),
    "darwin": (),  # the system font (SF) draws Arabic with SF Arabic by itself
    "other": ("Noto Sans Arabic UI", "Noto Sans Arabic", "Noto Naskh Arabic"),
}
# The type scale, as factors of the base size, and weights.
ROLES = {
    "title": (1.5, 600),
    "section": (1.15, 600),
    "body": (1.0, 400),
    "caption": (0.9, 400),
}
ROLE_PROPERTY = "textRole"
ICON_SIZES = (16, 20, 24, 32, 40, 48, 64)  # 16 and 20 px icons at 100–200 % and more


class Colours(NamedTuple):
    """The app's colours for one scheme. A named tuple: made before every first paint, where a
    frozen dataclass of twenty fields costs a millisecond more."""

    window: str
    surface: str  # cards, the header, the tray widget
    base: str  # text fields, lists
    alternate: str
    text: str
    muted: str  # captions, hints, reasons
    border: str
    field: str  # a text field's outline: WCAG's 3:1 for a control's edge on every ground
    button: str
    accent: str
    on_accent: str
    accent_hover: str
    highlight: str
    on_highlight: str
    focus: str
    link: str
    banner: str
    banner_border: str
    shadow: str
    error: str


LIGHT = Colours(
    window="#F3F4F6",
    surface="#FFFFFF",
    base="#FFFFFF",
    alternate="#F6F7F9",
    text="#1B1F24",
    muted="#596270",
    border="#D5DAE1",
    field="#868E9A",
    button="#FFFFFF",
    accent="#0B6E4F",
    on_accent="#FFFFFF",
    accent_hover="#095C42",
    highlight="#0B6E4F",
    on_highlight="#FFFFFF",
    focus="#0B6E4F",
    link="#0A5FA8",
    banner="#FFF4CE",
    banner_border="#E6C34D",
    shadow="#40000000",
    error="#B00020",
)
DARK = Colours(
    window="#1B1E22",
    surface="#24282D",
    base="#17191C",
    alternate="#1F2226",
    text="#E7E9EC",
    muted="#A3ABB6",
    border="#3A4048",
    field="#6E7681",
    button="#2C3137",
    accent="#4FC08D",
    on_accent="#0C1B14",
    accent_hover="#6BD1A2",
    highlight="#2F7D5B",
    on_highlight="#FFFFFF",
    focus="#6BD1A2",
    link="#7CB8F0",
    banner="#4A3F12",
    banner_border="#8A7424",
    shadow="#A0000000",
    error="#FF8A80",
)

# One colour per kind of action day (Okabe–Ito), readable on light and dark alike.
KIND_COLOURS = {
    "phone_shutdown": "#56B4E9",
    "unlike_wave": "#CC79A7",
    "boycott": "#E69F00",
    "protest": "#D55E00",
    "legal_action": "#0072B2",
    "other": "#999999",
}


def platform_key() -> str:
    return sys.platform if sys.platform in ("win32", "darwin") else "other"


def arabic_families(available: list[str] | None = None) -> list[str]:
    """The Arabic UI families for this platform that are installed, best first."""
    installed = set(QFontDatabase.families() if available is None else available)
    return [family for family in ARABIC_FAMILIES[platform_key()] if family in installed]


def ui_font(system: QFont, right_to_left: bool) -> QFont:
    """The app's base font: the system's family at the base size, Arabic families first in
    Darija (a family list: Latin words and digits fall through to the system's family)."""
    font = QFont(system)
    size = system.pointSizeF() if platform_key() == "darwin" else BASE_POINT_SIZE
    if right_to_left:
        arabic = arabic_families()
        if arabic:
            font.setFamilies([*arabic, *[f for f in system.families() if f not in arabic]])
        size += ARABIC_EXTRA_POINTS
    font.setPointSizeF(size)
    return font


def palette_for(colours: Colours) -> QPalette:
    """A full palette for Fusion, every group, so disabled text stays readable."""
    palette = QPalette()
    c = QColor
    roles = {
        QPalette.ColorRole.Window: colours.window,
        QPalette.ColorRole.WindowText: colours.text,
        QPalette.ColorRole.Base: colours.base,
        QPalette.ColorRole.AlternateBase: colours.alternate,
        QPalette.ColorRole.ToolTipBase: colours.surface,
        QPalette.ColorRole.ToolTipText: colours.text,
        QPalette.ColorRole.PlaceholderText: colours.muted,
        QPalette.ColorRole.Text: colours.text,
        QPalette.ColorRole.Button: colours.button,
        QPalette.ColorRole.ButtonText: colours.text,
        QPalette.ColorRole.BrightText: colours.error,
        QPalette.ColorRole.Highlight: colours.highlight,
        QPalette.ColorRole.HighlightedText: colours.on_highlight,
        QPalette.ColorRole.Link: colours.link,
        QPalette.ColorRole.LinkVisited: colours.link,
        QPalette.ColorRole.Accent: colours.accent,
        QPalette.ColorRole.Light: colours.surface,
        QPalette.ColorRole.Midlight: colours.alternate,
        QPalette.ColorRole.Mid: colours.border,
        QPalette.ColorRole.Dark: colours.border,
        QPalette.ColorRole.Shadow: "#000000",
    }
    for role, value in roles.items():
        palette.setColor(role, c(value))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, c(colours.muted))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, c(colours.border))
    return palette


def check_boxes(colours: Colours) -> str:
    """Fusion's check boxes and radio buttons are of the Base colour with a faint outline: on a
    dark card they all but disappear. Ours: a clear outline, and the accent when chosen."""
    c = colours
    tick = icon_file("check").as_posix()
    return f"""
QCheckBox::indicator {{
    width: 15px; height: 15px; border-radius: 4px; border: 1.5px solid {c.muted};
    background: {c.base};
}}
QCheckBox::indicator:hover {{ border-color: {c.accent}; }}
QCheckBox::indicator:checked {{
    background: {c.accent}; border-color: {c.accent}; image: url("{tick}");
}}
QCheckBox::indicator:disabled {{ border-color: {c.border}; }}
QRadioButton::indicator {{
    width: 15px; height: 15px; border-radius: 8px; border: 1.5px solid {c.muted};
    background: {c.base};
}}
QRadioButton::indicator:hover {{ border-color: {c.accent}; }}
QRadioButton::indicator:checked {{
    border-color: {c.accent};
    background: qradialgradient(cx: 0.5, cy: 0.5, radius: 0.5, fx: 0.5, fy: 0.5,
        stop: 0 {c.accent}, stop: 0.5 {c.accent}, stop: 0.58 {c.base}, stop: 1 {c.base});
}}
QCheckBox:focus {{ outline: none; }}
QCheckBox::indicator:focus {{ border: 2px solid {c.focus}; }}
"""


def style_sheet(colours: Colours, base_points: float) -> str:
    """The few rules the native styles leave to us: type roles, cards, header, tray widget."""
    sizes = "\n".join(
        f'QLabel[{ROLE_PROPERTY}="{role}"] {{ font-size: {base_points * factor:.1f}pt;'
        f" font-weight: {weight}; }}"
        for role, (factor, weight) in ROLES.items()
    )
    c = colours
    # The field arrows in the muted text colour of the scheme (a style sheet reads files).
    scheme = "dark" if colours == DARK else "light"
    chevron_down = Path(str(icon_file(f"field-down-{scheme}"))).as_posix()
    chevron_up = Path(str(icon_file(f"field-up-{scheme}"))).as_posix()
    return f"""
{sizes}
QLabel[{ROLE_PROPERTY}="caption"] {{ color: {c.muted}; }}
QWidget#pageHeader {{ background: {c.surface}; border-bottom: 1px solid {c.border}; }}
QFrame#card, QFrame#detailsCard {{
    background: {c.surface}; border: 1px solid {c.border}; border-radius: 10px;
}}
QFrame#card QLabel#figure {{ color: {c.accent}; font-weight: 600; }}
QFrame#card[done="true"] {{ border: 2px solid {c.accent}; }}
QFrame#card QLabel#done {{ color: {c.accent}; font-weight: 600; }}
QPushButton#accentButton {{
    background: {c.accent}; color: {c.on_accent}; border: 2px solid {c.accent};
    border-radius: 6px; padding: 5px 12px; font-weight: 600;
}}
QPushButton#accentButton:hover {{ background: {c.accent_hover}; border-color: {c.accent_hover}; }}
QPushButton#accentButton:focus {{ border: 2px solid {c.text}; }}
QFrame#glanceCard {{
    background: {c.surface}; border: 1px solid {c.border}; border-radius: 12px;
}}
QFrame#glanceCard QToolButton {{ border: none; border-radius: 6px; padding: 3px; }}
QFrame#glanceCard QToolButton:hover {{ background: {c.alternate}; }}
QFrame#glanceCard QToolButton:focus {{ border: 2px solid {c.focus}; }}
QFrame#glanceCard QToolButton:checked {{ background: {c.alternate}; }}
QFrame#reminderBanner {{
    background: {c.banner}; border: 1px solid {c.banner_border}; border-radius: 8px;
}}
QLabel#problems {{ color: {c.error}; }}
QMenuBar {{ background: {c.surface}; border-bottom: 1px solid {c.border}; padding: 2px 6px; }}
QMenuBar::item {{ padding: 5px 10px; border-radius: 6px; background: transparent; }}
QMenuBar::item:selected {{ background: {c.alternate}; }}
QMenu {{ background: {c.surface}; border: 1px solid {c.border}; border-radius: 8px; padding: 4px; }}
QMenu::item {{ padding: 6px 28px 6px 12px; border-radius: 5px; }}
QMenu::item:selected {{ background: {c.highlight}; color: {c.on_highlight}; }}
QMenu::separator {{ height: 1px; background: {c.border}; margin: 4px 8px; }}
QTabWidget::pane {{ border: none; border-top: 1px solid {c.border}; }}
QTabBar::tab {{
    background: transparent; border: none; border-bottom: 3px solid transparent;
    padding: 8px 16px; color: {c.muted}; font-weight: 600;
}}
QTabBar::tab:selected {{ color: {c.text}; border-bottom-color: {c.accent}; }}
QTabBar::tab:hover:!selected {{ color: {c.text}; border-bottom-color: {c.border}; }}
QTabBar::tab:focus {{ color: {c.text}; }}
QPushButton {{
    background: {c.button}; color: {c.text}; border: 1px solid {c.border};
    border-radius: 6px; padding: 5px 12px;
}}
QPushButton:hover {{ background: {c.alternate}; border-color: {c.muted}; }}
QPushButton:focus {{ border: 2px solid {c.focus}; }}
QPushButton:disabled {{ color: {c.muted}; background: {c.window}; border-color: {c.border}; }}
QHeaderView::section {{
    background: {c.surface}; color: {c.muted}; font-weight: 600; padding: 6px 10px;
    border: none; border-bottom: 1px solid {c.border};
}}
QLineEdit, QPlainTextEdit, QAbstractSpinBox, QComboBox {{
    background: {c.base}; color: {c.text}; border: 1px solid {c.field}; border-radius: 6px;
    padding: 4px 6px; selection-background-color: {c.highlight};
    selection-color: {c.on_highlight};
}}
QLineEdit:focus, QPlainTextEdit:focus, QAbstractSpinBox:focus, QComboBox:focus {{
    border-color: {c.focus};
}}
QLineEdit:disabled, QPlainTextEdit:disabled, QAbstractSpinBox:disabled, QComboBox:disabled {{
    color: {c.muted}; border-color: {c.border};
}}
/* Qt mirrors the arrows' places in right to left itself. */
QComboBox::drop-down, QDateEdit::drop-down {{
    subcontrol-origin: padding; subcontrol-position: center right; width: 20px; border: none;
}}
QComboBox::down-arrow, QDateEdit::down-arrow {{
    image: url("{chevron_down}"); width: 12px; height: 12px;
}}
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{
    subcontrol-origin: border; width: 18px; border: none; background: transparent;
}}
QAbstractSpinBox::up-button {{ subcontrol-position: top right; }}
QAbstractSpinBox::down-button {{ subcontrol-position: bottom right; }}
QAbstractSpinBox::up-arrow {{ image: url("{chevron_up}"); width: 10px; height: 10px; }}
QAbstractSpinBox::down-arrow {{ image: url("{chevron_down}"); width: 10px; height: 10px; }}
QToolTip {{
    background: {c.surface}; color: {c.text}; border: 1px solid {c.border};
    border-radius: 6px; padding: 6px 8px;
}}
QCalendarWidget#datePicker QWidget#qt_calendar_navigationbar {{
    background: {c.surface}; border-bottom: 1px solid {c.border};
}}
QCalendarWidget#datePicker QToolButton {{
    color: {c.text}; background: transparent; border: none; border-radius: 6px; padding: 4px 8px;
    font-weight: 600;
}}
QCalendarWidget#datePicker QToolButton:hover {{ background: {c.alternate}; }}
"""


# A wrapped Arabic line's last letter (a final ت, ة) can be drawn a pixel or two past the width
# QLabel measured for the line: a little room on each side keeps it whole.
WRAPPED_SIDE_PX = 3


def wrap_text(label: QLabel) -> None:
    """Word-wrap ``label``, with room at its sides for the ends of Arabic lines."""
    label.setWordWrap(True)
    label.setContentsMargins(WRAPPED_SIDE_PX, 0, WRAPPED_SIDE_PX, 0)


def set_role(widget: QWidget, role: str) -> None:
    """Give a label its place in the type scale (the style sheet sizes it)."""
    if role not in ROLES:
        raise ValueError(f"unknown text role {role!r}")
    widget.setProperty(ROLE_PROPERTY, role)
    if widget.isVisible():  # a role changed on a shown widget: style it again
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def icon_file(name: str) -> Path:
    return PACKAGE_DIR / "resources" / "icons" / f"{name}.svg"


def svg_icon(name: str, colour: str) -> QIcon:
    """An icon from ``resources/icons/<name>.svg`` with ``currentColor`` set to ``colour``, drawn
    at every size Qt may ask for at 100–400 % scale, so it stays crisp on any screen."""
    from PySide6.QtSvg import QSvgRenderer  # for the tray widget and dialogs, after the first paint

    svg = icon_file(name).read_text(encoding="utf-8").replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    icon = QIcon()
    for size in ICON_SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def chip_icon(colour: str, size: int = 12) -> QIcon:
    """A small rounded colour chip (the kind of an action day), sharp at 1x and 2x."""
    icon = QIcon()
    for scale in (1, 2, 3):
        pixmap = QPixmap(size * scale, size * scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        inset = scale
        painter.drawRoundedRect(
            QRectF(inset, inset, (size - 2) * scale, (size - 2) * scale), 3 * scale, 3 * scale
        )
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def kind_chip(kind: str) -> QIcon:
    return chip_icon(KIND_COLOURS.get(kind, KIND_COLOURS["other"]))


def native_style_name() -> str | None:
    """The style to set, or None to keep Qt's native one (Windows 11, Windows 10, macOS)."""
    if platform_key() in ("win32", "darwin"):
        return None
    return "Fusion"


# The style the running app was made with (``style_arguments``), so the theme need not set it.
_made_with: tuple[object, str] | None = None


def style_arguments() -> list[str]:
    """Qt's options that make the app in our style, for the command line it is made with. Set
    later with ``setStyle``, the style comes back to Python, and PySide builds QStyle's eleven
    enum types for it: about 5 ms of every start, before the window is drawn."""
    style = native_style_name()
    return [] if style is None else ["-style", style]


def made_with_style(app: QApplication) -> None:
    """Note that ``app`` was made with ``style_arguments()``."""
    global _made_with
    style = native_style_name()
    _made_with = None if style is None else (app, style)


class Theme(QObject):
    """The look applied to the running app; follows the system's colour scheme and the language.

    ``changed(dark)`` tells views that draw their own colours (the graph, sparklines, icons).
    """

    changed = Signal(bool)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.system_font = QFont(app.font())
        style = native_style_name()
        # Our palettes go with Fusion only: the native styles take the system's colours.
        if style is None:
            self.managed_palette = False
        elif _made_with is not None and _made_with[0] is app and _made_with[1] == style:
            self.managed_palette = True
        else:  # an app made elsewhere (tests, another host)
            self.managed_palette = app.setStyle(style) is not None
        hints = QGuiApplication.styleHints()
        self.dark = hints.colorScheme() == Qt.ColorScheme.Dark
        hints.colorSchemeChanged.connect(self.follow_scheme)
        self.apply()

    @property
    def colours(self) -> Colours:
        return DARK if self.dark else LIGHT

    def follow_scheme(self, scheme: Qt.ColorScheme) -> None:
        """The system switched between light and dark (or a test says it did)."""
        self.set_dark(scheme == Qt.ColorScheme.Dark)

    def set_dark(self, dark: bool) -> None:
        if dark == self.dark:
            return
        self.dark = dark
        self.apply()
        self.changed.emit(dark)

    def language_changed(self) -> None:
        """Fonts follow the language (Arabic families and size in Darija)."""
        self.apply()

    def apply(self) -> None:
        font = ui_font(self.system_font, is_right_to_left())
        if self.managed_palette:
            self.app.setPalette(palette_for(self.colours))
        self.app.setFont(font)
        # The style sheet styles widgets from their fonts as they are when it is set: let the
        # new font reach them first, or every role would keep the previous language's font.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationFontChange)
        sheet = style_sheet(self.colours, font.pointSizeF())
        if self.managed_palette:  # Fusion, with our colours: the native styles draw their own
            sheet += check_boxes(self.colours)
        self.app.setStyleSheet(sheet)


# The running app's theme. Kept here rather than found with ``app.findChild(Theme)``, which has
# PySide wrap every object the app holds (building their Python types) to look at its type.
_theme: Theme | None = None


def ensure_theme() -> Theme | None:
    """The running app's theme, made the first time it is asked for (None with no app)."""
    global _theme
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return None
    if current_theme() is None:
        _theme = Theme(app)
    return _theme


def current_theme() -> Theme | None:
    """The theme if one was made (language switches before any window have none yet)."""
    app = QApplication.instance()
    if _theme is None or not isValid(_theme) or _theme.app is not app:
        return None  # none yet, or it went with an app that has ended
    return _theme
