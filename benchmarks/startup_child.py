"""One start-up, measured by the parent: prints "painted" at the first paint of the window.

Modes: ``bare`` (an empty PySide6 window), ``pyqtgraph`` (a window holding one pyqtgraph plot),
``app`` (Campaign Companion's main window; also prints "loaded" once the graph has its data;
with a data folder after it, the store there, else an empty one).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

mode = sys.argv[1]

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402


class FirstPaint(QObject):
    def __init__(self, quit_after: bool) -> None:
        super().__init__()
        self.seen = False
        self.quit_after = quit_after

    def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            print("painted", flush=True)
            if self.quit_after:
                QTimer.singleShot(0, QApplication.instance().quit)
        return False


if mode == "app":
    import campaign_gui.cli  # noqa: F401 - the real entry point imports it first
    from campaign_gui.core.clock import SystemClock
    from campaign_gui.core.paths import AppPaths
    from campaign_gui.ui.app import create_app, create_main_window
    from campaign_gui.ui.reminder_scheduler import system_zone

    app = create_app()
    base = Path(tempfile.mkdtemp())
    watcher = FirstPaint(quit_after=False)
    app.installEventFilter(watcher)
    clock = SystemClock(system_zone())
    data = Path(sys.argv[2]) if len(sys.argv) > 2 else base / "d"
    window = create_main_window(AppPaths(data, base / "c"), language="en", clock=clock)

    def loaded() -> None:
        print("loaded", flush=True)
        QTimer.singleShot(0, app.quit)

    window.loaded.connect(loaded)
else:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    if mode == "pyqtgraph":
        import pyqtgraph as pg

        window.setCentralWidget(pg.PlotWidget())
    window.resize(1120, 720)
    watcher = FirstPaint(quit_after=True)
    app.installEventFilter(watcher)
    window.show()
app.exec()
if mode == "app":
    window.service.close()  # as quitting the app does: the next start finds it closed cleanly
