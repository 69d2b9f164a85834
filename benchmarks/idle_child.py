"""CPU used while idle: ``bare`` (an empty hidden Qt app) or ``app`` (Campaign Companion with its
window hidden, reminders armed). Prints one JSON line with the CPU seconds over the idle period."""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

mode, seconds = sys.argv[1], float(sys.argv[2])
SETTLE_MS = 8000  # start-up and loading are not idle time


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if mode == "app":
    from campaign_gui.core.clock import SystemClock
    from campaign_gui.core.paths import AppPaths
    from campaign_gui.ui.app import create_app
    from campaign_gui.ui.app_wiring import build_app
    from campaign_gui.ui.reminder_scheduler import system_zone

    app = create_app()
    base = Path(tempfile.mkdtemp())
    clock = SystemClock(system_zone())
    parts = build_app(AppPaths(base / "d", base / "c"), language="en", clock=clock)
    QTimer.singleShot(2000, parts.window.hide)
else:
    app = QApplication(sys.argv[:1])
    widget = QWidget()

marks: dict[str, float] = {}


def start() -> None:
    marks["start"] = cpu()
    QTimer.singleShot(int(seconds * 1000), finish)


def finish() -> None:
    print(json.dumps({"mode": mode, "seconds": seconds, "cpu_s": cpu() - marks["start"]}))
    sys.stdout.flush()
    os._exit(0)


QTimer.singleShot(SETTLE_MS, start)
app.exec()
