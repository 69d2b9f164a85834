"""One start-up, measured by the parent: prints "painted" at the first paint of the main window.

Modes: ``bare`` (a PySide6 ``QMainWindow`` showing a ``QLabel``), ``pyqtgraph`` (a window holding
one pyqtgraph plot), ``app`` (Campaign Companion started as ``campaign-gui`` starts it: its
``cli.main`` with the window's options, then "loaded" once the graph has its data, and it quits as
the app does). ``app`` takes the data and settings folders after it.
"""

from __future__ import annotations

import importlib.machinery
import sys

mode = sys.argv[1]


def watch_first_paint(window, quit_after: bool) -> None:
    """Prints "painted" once ``window``'s first frame is drawn: Qt paints every widget of a
    window as its native window is first exposed. The filters are the window's own: one on the
    whole app would make PySide wrap every object an event reaches, which the app never does."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()

    def painted() -> None:
        print("painted", flush=True)
        if quit_after:
            app.quit()
        else:  # the graph's data: the window's service says when it is shown
            window.loaded.connect(loaded)

    def loaded() -> None:
        print("loaded", flush=True)
        QTimer.singleShot(0, app.quit)

    class FirstFrame(QObject):
        def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Show:  # its native window exists, not yet exposed
                window.removeEventFilter(self)
                window.windowHandle().installEventFilter(self)
            elif event.type() == QEvent.Type.Expose and watched.isExposed():
                watched.removeEventFilter(self)
                # Queued before anything the window's paint queues: runs once the frame is
                # drawn, before the work the app starts after its first paint.
                QTimer.singleShot(0, painted)
            return False

    window.installEventFilter(FirstFrame(window))


class WatchApp(importlib.machinery.PathFinder):
    """Finds ``campaign_gui.ui.app_wiring`` as Python does, then watches the main window it
    builds: the start path itself stays the one a user runs (no Qt before ``cli.main``)."""

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if fullname != "campaign_gui.ui.app_wiring":
            return None
        spec = super().find_spec(fullname, path, target)
        run_module = spec.loader.exec_module

        def exec_module(module) -> None:
            run_module(module)
            main_window = module.MainWindow

            def watched_main_window(*args, **kwargs):
                window = main_window(*args, **kwargs)
                watch_first_paint(window, quit_after=False)
                return window

            module.MainWindow = watched_main_window

        spec.loader.exec_module = exec_module
        return spec


if mode == "app":
    sys.meta_path.insert(0, WatchApp)
    from campaign_gui.cli import main

    data, config = sys.argv[2:4]
    sys.exit(main(["--lang", "en", "--data-dir", data, "--config-dir", config]))

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow  # noqa: E402

app = QApplication(sys.argv[:1])
window = QMainWindow()
if mode == "pyqtgraph":
    import pyqtgraph as pg

    window.setCentralWidget(pg.PlotWidget())
else:
    window.setCentralWidget(QLabel("Campaign Companion"))
window.resize(1120, 720)
watch_first_paint(window, quit_after=True)
window.show()
app.exec()
