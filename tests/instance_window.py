"""Start the app as ``campaign-gui`` does (its command line, its window) and print what its main
window does: "shown <its File menu's title>" each time it is shown, "hidden" each time it is
hidden. Once it has painted, the window is hidden, as when it is closed into the tray: a later
start that hands over to this one shows it again, in that start's language."""

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class Watcher(QObject):
    def eventFilter(self, watched, event):
        if not isinstance(watched, QMainWindow):
            return False
        kind = event.type()
        if kind == QEvent.Type.Show:  # said once the language a second start gave is applied
            QTimer.singleShot(0, lambda: print("shown", watched.file_menu.title(), flush=True))
        elif kind == QEvent.Type.Hide:
            print("hidden", flush=True)
        elif kind == QEvent.Type.Paint and not hasattr(self, "painted"):
            self.painted = True
            QTimer.singleShot(0, watched.hide)
        return False


app = QApplication(sys.argv[:1])
app.setQuitOnLastWindowClosed(False)  # hidden is not closed: the app runs on, as in the tray
watcher = Watcher()
app.installEventFilter(watcher)
from campaign_gui.cli import main  # noqa: E402 - after the watcher, as the app loads it

sys.exit(main(sys.argv[1:]))
