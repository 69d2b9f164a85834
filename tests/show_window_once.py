"""Open the main window from whatever campaign_gui is importable, report what the graph shows."""

import sys
from pathlib import Path

from PySide6.QtCore import QTimer

from campaign_gui.core.clock import SystemClock
from campaign_gui.core.paths import AppPaths
from campaign_gui.ui.app import create_app
from campaign_gui.ui.app_wiring import build_app
from campaign_gui.ui.reminder_scheduler import system_zone

app = create_app()
paths = AppPaths(Path(sys.argv[2]), Path(sys.argv[4]))
parts = build_app(paths, language="en", clock=SystemClock(system_zone()), tray=False)
window = parts.window


def report() -> None:
    _, ys = window.plot.curves["maroc-telecom"].getData()
    print(f"curves={len(window.plot.curves)} maroc-telecom={int(max(ys))}")
    window.close()
    app.quit()


window.loaded.connect(report)
window.failed.connect(lambda message: (print(message, file=sys.stderr), app.exit(1)))
QTimer.singleShot(30000, lambda: app.exit(2))
sys.exit(app.exec())
