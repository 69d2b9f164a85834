"""The graph drawn for sharing: a picture sized for social posts, in the user's language.

Drawn with QPainter on a QImage — never grabbed from the screen — so it looks the same at any
window size, with or without a display (the command line draws it offscreen). What it says is
decided in ``core/share_card.py``; ``share_layout`` places it, with ``share_text`` for the words
and ``share_plot`` for the graph. Darija mirrors the layout (title and figures start on the
right); the graph itself keeps time running left to right, as the window's graph does. This
module makes the picture, its PNG bytes, and the dialog that previews, saves and copies it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, QStandardPaths, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
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
from ..core.share_card import DEFAULT_SHARE_SIZE, SHARE_SIZES, compose
from . import file_dialogs
from .share_layout import draw_card

PREVIEW = QSize(640, 360)


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
        name = file_dialogs.save_file_name(
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
