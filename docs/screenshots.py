"""Screenshots of the real app for the README, in each language, on a virtual screen.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python docs/screenshots.py

(Debian: ``apt install xvfb fonts-noto-core``.) Runs the app on the bundled campaign with fresh
data and settings in a temp dir, switches language live, and saves docs/main-window-<lang>.png and
docs/action-days-<lang>.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

from PySide6.QtCore import QEventLoop, QTimer

from campaign_gui.core.clock import SystemClock
from campaign_gui.core.paths import AppPaths
from campaign_gui.ui.app import create_app, create_main_window
from campaign_gui.ui.reminder_scheduler import system_zone

DOCS = Path(__file__).resolve().parent


def settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    app = create_app()
    base = Path(tempfile.mkdtemp())
    clock = SystemClock(system_zone())
    window = create_main_window(
        AppPaths(base / "data", base / "config"), language="en", clock=clock
    )
    window.resize(1180, 720)
    loaded = QEventLoop()
    window.loaded.connect(loaded.quit)
    QTimer.singleShot(30000, loaded.quit)
    loaded.exec()
    if window.snapshot is None:
        print("the campaign did not load", file=sys.stderr)
        return 1
    for language in ("ary", "fr", "en"):
        window.choose_language(language)
        window.tabs.setCurrentIndex(0)
        settle()
        window.grab().save(str(DOCS / f"main-window-{language}.png"))
        window.tabs.setCurrentIndex(1)
        settle()
        window.grab().save(str(DOCS / f"action-days-{language}.png"))
        print(f"docs/main-window-{language}.png, docs/action-days-{language}.png")
    window.close()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
