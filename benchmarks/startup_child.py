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


def watch_first_paint(app, quit_after: bool):
    """Prints "painted" at the first paint of a widget of a main window (not the tray's)."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QMainWindow, QWidget

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
            if (
                event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and isinstance(watched.window(), QMainWindow)
            ):
                app.removeEventFilter(self)
                print("painted", flush=True)
                if quit_after:
                    QTimer.singleShot(0, app.quit)
                else:  # the graph's data: the window's service says when it is shown
                    watched.window().loaded.connect(loaded)
            return False

    def loaded() -> None:
        print("loaded", flush=True)
        QTimer.singleShot(0, app.quit)

    watcher = FirstPaint(app)
    app.installEventFilter(watcher)


class WatchApp(importlib.machinery.PathFinder):
    """Finds ``campaign_gui.ui.app`` as Python does, then makes its ``create_app`` watch the
    first paint: the start path itself stays the one a user runs (no Qt before ``cli.main``)."""

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if fullname != "campaign_gui.ui.app":
            return None
        spec = super().find_spec(fullname, path, target)
        run_module = spec.loader.exec_module

        def exec_module(module) -> None:
            run_module(module)
            create_app = module.create_app

            def watched_create_app():
                app = create_app()
                watch_first_paint(app, quit_after=False)
                return app

            module.create_app = watched_create_app

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
watch_first_paint(app, quit_after=True)
window.show()
app.exec()
