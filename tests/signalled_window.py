"""Start the app as ``campaign-gui`` does (its command line, its window) and print "loaded" once
its main window shows the campaign, for a test to send it a signal then."""

import sys

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow


class Watcher(QObject):
    def eventFilter(self, watched, event):
        if isinstance(watched, QMainWindow) and event.type() == QEvent.Type.Show:
            app.removeEventFilter(self)
            watched.loaded.connect(lambda: print("loaded", flush=True))  # loads after the paint
        return False


app = QApplication(sys.argv[:1])
watcher = Watcher()
app.installEventFilter(watcher)
from campaign_gui.cli import main  # noqa: E402 - after the watcher, as the app loads it

sys.exit(main(sys.argv[1:]))
