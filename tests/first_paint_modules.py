"""Start the app as ``campaign-gui`` does (its command line, its window) and print, at the first
paint of any widget, the modules loaded so far (one a line), then quit."""

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication


class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not hasattr(self, "seen"):
            self.seen = True
            print("\n".join(sorted(sys.modules)), flush=True)
            QTimer.singleShot(0, QApplication.instance().quit)
        return False


app = QApplication(sys.argv[:1])
watcher = FirstPaint()
app.installEventFilter(watcher)
from campaign_gui.cli import main  # noqa: E402 - after the watcher, as the app loads it

sys.exit(main(sys.argv[1:]))
