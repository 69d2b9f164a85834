"""Crash reports in the window: an exception nothing caught (in a slot, in a thread) and Qt's
warnings reach the log, redacted; the user is told once, in their language, where the log is,
and the app goes on."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Slot, qDebug, qWarning
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

from campaign_gui.core.crash import FAULT_FILE
from campaign_gui.core.i18n import _, set_language
from campaign_gui.core.logs import LOG_FILE, configure_logging
from campaign_gui.core.redaction import REDACTED
from campaign_gui.ui.crash_reports import CrashReports

from .conftest import offscreen_env

# pytest-qt's own capture would take the exceptions these tests raise on purpose.
pytestmark = pytest.mark.qt_no_exception_capture

TOKEN = "EAA" + "b7Qx2" * 6  # the shape of a Graph API token, which the log never holds


@pytest.fixture
def start_reports(qtbot, tmp_path: Path):
    """Installs the crash reports as the window's start does (with the log file, or without
    one); every hook and log handler is given back after the test."""
    root = logging.getLogger()
    handlers, level, raising = list(root.handlers), root.level, logging.raiseExceptions
    hooks = (sys.excepthook, threading.excepthook)
    started: list[CrashReports] = []

    def start(with_log: bool = True) -> CrashReports:
        if with_log:
            configure_logging(tmp_path / "logs")
        reports = CrashReports(tmp_path / "logs")
        reports.install()
        started.append(reports)
        return reports

    yield start
    for reports in started:
        reports.uninstall()
        if reports.dialog is not None:
            reports.dialog.close()
    for handler in root.handlers[:]:
        if handler not in handlers:
            handler.close()
            root.removeHandler(handler)
    root.setLevel(level)
    logging.raiseExceptions = raising
    assert (sys.excepthook, threading.excepthook) == hooks


def _log_text(tmp_path: Path) -> str:
    return (tmp_path / "logs" / LOG_FILE).read_text(encoding="utf-8")


def _shown_boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def _fail_twice_in_a_timer(qtbot, message: str) -> QTimer:
    """A timer whose slot raises twice; returns once both exceptions were handled."""
    fired: list[int] = []
    timer = QTimer()

    def fail() -> None:
        fired.append(1)
        if len(fired) == 2:
            timer.stop()
        raise ValueError(f"{message} #{len(fired)}")

    timer.timeout.connect(fail)
    timer.start(0)
    qtbot.waitUntil(lambda: len(fired) == 2)
    QApplication.processEvents()  # the second notice, queued behind the first
    return timer


def test_an_exception_in_a_slot_is_logged_and_said_once_in_the_users_language(
    qtbot, start_reports, tmp_path
):
    set_language("fr")
    reports = start_reports()
    _fail_twice_in_a_timer(qtbot, "the <b>slot</b> failed")
    log = _log_text(tmp_path)
    assert "uncaught exception in the window" in log
    assert "Traceback (most recent call last):" in log
    assert "in fail" in log  # the traceback names the slot
    assert "ValueError: the <b>slot</b> failed #1" in log
    assert "ValueError: the <b>slot</b> failed #2" in log

    assert _shown_boxes() == [reports.dialog]  # two exceptions, one dialog
    box = reports.dialog
    log_file = tmp_path / "logs" / LOG_FILE
    said = _("Something went wrong. The details are in the log: {path}").format(path=log_file)
    assert box.text() == said
    assert said.startswith("Un problème est survenu.")
    assert box.textFormat() == Qt.TextFormat.PlainText

    box.button(QMessageBox.StandardButton.Ok).click()
    assert _shown_boxes() == []
    _fail_twice_in_a_timer(qtbot, "later")  # the app kept running, and says the next one
    assert len(_shown_boxes()) == 1


class _Opened(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_the_dialog_opens_the_log_folder(qtbot, start_reports, tmp_path):
    reports = start_reports()
    _fail_twice_in_a_timer(qtbot, "failed")
    buttons = [b for b in reports.dialog.buttons() if b.text() == "Open the log folder"]
    opened = _Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        buttons[0].click()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [Path(url.toLocalFile()) for url in opened.urls] == [tmp_path / "logs"]
    assert _shown_boxes() == []


def test_an_exception_in_a_worker_thread_is_logged(qtbot, start_reports, tmp_path):
    reports = start_reports()

    def work() -> None:
        raise RuntimeError("the worker failed")

    worker = threading.Thread(target=work, name="worker")
    worker.start()
    worker.join()
    log = _log_text(tmp_path)
    assert "uncaught exception in thread worker" in log
    assert "Traceback (most recent call last):" in log
    assert "RuntimeError: the worker failed" in log
    qtbot.waitUntil(lambda: reports.dialog is not None)  # said on the window's thread


def test_a_secret_in_an_exception_never_reaches_the_log(qtbot, start_reports, tmp_path):
    start_reports()
    _fail_twice_in_a_timer(qtbot, f"GET https://graph.facebook.com/me?access_token={TOKEN}")
    log = _log_text(tmp_path)
    assert "uncaught exception in the window" in log
    assert TOKEN not in log
    assert f"access_token={REDACTED}" in log


def test_without_a_log_file_the_dialog_says_the_cause_redacted(qtbot, start_reports, tmp_path):
    reports = start_reports(with_log=False)
    _fail_twice_in_a_timer(qtbot, f"token {TOKEN}")
    assert reports.dialog.text() == (
        f"Something went wrong, and no log could be written in {tmp_path / 'logs'}. "
        f"The cause: ValueError: token {REDACTED} #1"
    )
    assert [b.text() for b in reports.dialog.buttons()] == ["OK"]  # no folder to open


def test_qt_warnings_reach_the_log_and_its_debug_messages_do_not(qtbot, start_reports, tmp_path):
    start_reports()
    qWarning(f"a warning from Qt, about {TOKEN}")
    qDebug("a debug message from Qt")
    log = _log_text(tmp_path)
    assert f"WARNING qt: a warning from Qt, about {REDACTED}" in log
    assert "a debug message" not in log


def test_the_window_started_as_a_user_starts_it_says_a_bug_once_and_goes_on(tmp_path):
    """Through ``campaign-gui``'s own start: its hooks, its log, its fault file."""
    script = Path(__file__).with_name("crash_in_window.py")
    data = tmp_path / "data"
    done = subprocess.run(
        [sys.executable, str(script), "--data-dir", str(data), "--config-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=offscreen_env(),
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr  # the loop went on, and ended as it does
    log_file = data / "logs" / LOG_FILE
    assert done.stdout.splitlines() == [
        f"Something went wrong. The details are in the log: {log_file}"
    ]
    log = log_file.read_text(encoding="utf-8")
    assert log.count("ValueError: a bug in a slot") == 2
    assert (data / "logs" / FAULT_FILE).exists()
