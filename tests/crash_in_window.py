"""Start the app as ``campaign-gui`` does (its command line, its window); once the window has
painted, raise in two slots, print the text of every dialog shown about it, then quit."""

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


def fail() -> None:
    raise ValueError("a bug in a slot")


def report() -> None:
    widgets = QApplication.topLevelWidgets()
    for box in [w for w in widgets if isinstance(w, QMessageBox) and w.isVisible()]:
        print(box.text(), flush=True)
    QApplication.instance().quit()


class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not hasattr(self, "seen"):
            self.seen = True
            QTimer.singleShot(0, fail)
            QTimer.singleShot(0, fail)
            QTimer.singleShot(500, report)
        return False


app = QApplication(sys.argv[:1])
watcher = FirstPaint()
app.installEventFilter(watcher)
from campaign_gui.cli import main  # noqa: E402 - after the watcher, as the app loads it

sys.exit(main(sys.argv[1:]))
