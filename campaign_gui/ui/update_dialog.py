"""Downloading the new version: progress in the user's language, Cancel (a later Download goes on
from where it stopped), the errors said; once verified, Install now, which hands over to the
system and lets the app quit (the service says when)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.formatting import format_download
from ..core.i18n import _
from .dialog_buttons import use_our_buttons
from .theme import set_role, wrap_text
from .update_banner import version_text

if TYPE_CHECKING:
    from ..core.updates.update_client import Update
    from .update_service import UpdateService

STEPS = 1000  # the progress bar's range: a permille


class DownloadDialog(QDialog):
    """Opened when the user clicked Download."""

    def __init__(
        self,
        service: UpdateService,
        update: Update,
        parent: QWidget | None = None,
        *,
        start: bool = True,
    ) -> None:
        """With ``start`` (the app) the download starts at once; without (the screenshots),
        the dialog only shows what it is told."""
        super().__init__(parent)
        self.service = service
        self.update_ = update
        self.installer: Path | None = None
        self.state = ""  # "downloading", "stopped", "ready", "installing", "closed"
        self._problem = ""  # what went wrong, as the service said it
        self._done, self._total = 0, update.installer.length
        self.setMinimumWidth(460)
        self.heading = QLabel()
        set_role(self.heading, "section")
        self.bar = QProgressBar()
        self.bar.setRange(0, STEPS)
        self.bar.setTextVisible(False)
        self.amount = QLabel()
        self.status = QLabel()
        for label in (self.amount, self.status):
            label.setTextFormat(Qt.TextFormat.PlainText)
            wrap_text(label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        use_our_buttons(self.buttons)
        self.action = QPushButton()
        self.buttons.addButton(self.action, QDialogButtonBox.ButtonRole.ActionRole)
        self.action.clicked.connect(self._act)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.bar)
        layout.addWidget(self.amount)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        service.download_progress.connect(self.show_progress)
        service.downloaded.connect(self.show_downloaded)
        service.download_failed.connect(self._stopped)
        service.install_failed.connect(self._install_failed)
        if start:
            self._download()
        else:
            self._set("downloading")

    def _act(self) -> None:
        if self.state == "downloading":
            self.service.cancel_download()
            self._set("stopped")
        elif self.state == "stopped":
            self._download()
        elif self.state == "ready" and self.installer is not None:
            self._set("installing")
            self.service.install(self.update_, self.installer)

    def _download(self) -> None:
        self._set("downloading")
        self.service.download(self.update_)

    def show_progress(self, done: int, total: int) -> None:
        if self.state != "downloading":
            return  # what a cancelled download still said on its way
        self._done, self._total = done, total
        self.bar.setValue(done * STEPS // max(total, 1))
        self.amount.setText(format_download(done, total))

    def show_downloaded(self, path: Path) -> None:
        self.installer = path
        self._done = self._total = self.update_.installer.length
        self.bar.setValue(STEPS)
        self._set("ready")
        self.action.setDefault(True)
        self.action.setFocus()

    def _stopped(self, message: str) -> None:
        self._set("stopped", message)

    def _install_failed(self, message: str) -> None:
        self._set("ready", message)

    def _set(self, state: str, problem: str = "") -> None:
        self.state, self._problem = state, problem
        self.status.setObjectName("problems" if problem else "")
        # Install now stands out: the one step left.
        self.action.setObjectName("accentButton" if state == "ready" else "")
        for widget in (self.status, self.action):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        working = state != "installing"
        self.action.setVisible(working)
        self.action.setEnabled(working)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setEnabled(working)
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the current language (a problem stays as the service said it)."""
        self.setWindowTitle(_("Download the new version"))
        self.heading.setText(version_text(self.update_.release))
        self.amount.setText(format_download(self._done, self._total))
        texts = {
            "downloading": (_("Downloading…"), _("Cancel")),
            "stopped": (
                _("Stopped. Download again to go on from where it stopped."),
                _("Download"),
            ),
            "ready": (
                _(
                    "Downloaded and verified. Install now closes Campaign Companion and "
                    "installs the new version; your data and settings stay."
                ),
                _("Install now"),
            ),
            "installing": (_("Installing the new version…"), ""),
        }
        status, action = texts.get(self.state, ("", ""))
        self.status.setText(self._problem or status)
        self.action.setText(action)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def reject(self) -> None:
        """Closed while downloading: the download stops (a later one goes on from there)."""
        if self.state == "installing":
            return
        if self.state == "downloading":
            self.service.cancel_download()
        super().reject()

    def done(self, result: int) -> None:
        if self.state == "closed":
            return
        self.state = "closed"
        for signal, slot in (
            (self.service.download_progress, self.show_progress),
            (self.service.downloaded, self.show_downloaded),
            (self.service.download_failed, self._stopped),
            (self.service.install_failed, self._install_failed),
        ):
            signal.disconnect(slot)
        super().done(result)
