"""The settings of this run, and the one place that writes them."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from ..core.paths import AppPaths
from ..core.settings import Settings, save_settings

log = logging.getLogger(__name__)


class SettingsKeeper(QObject):
    """The settings of this run, and the one place that writes them (atomically, with an fsync
    that may take a moment on a busy disk).

    ``save_soon`` is for changes that come in bursts, such as the pinned widget dragged about:
    one write a little after the last of them, or at the next ``save`` (the window's closing,
    quitting), whichever comes first, so a burst costs one write and none is lost."""

    SOON_MS = 2000

    def __init__(self, paths: AppPaths, settings: Settings, parent: QObject | None = None):
        super().__init__(parent)
        self.paths = paths
        self.settings = settings
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(self.SOON_MS)
        self._soon.timeout.connect(self.save)

    def save_soon(self) -> None:
        self._soon.start()

    def save(self) -> None:
        self._soon.stop()
        try:
            save_settings(self.paths.config_dir, self.settings)
        except OSError:
            log.exception("could not save the settings")
