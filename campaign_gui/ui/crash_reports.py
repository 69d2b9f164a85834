"""Crash reports in the window: an exception nothing caught (in a slot, in a thread) and Qt's
warnings go to the log, and the user is told, in their language, where the details are.

In a windowed app there is no terminal to print on (on Windows ``sys.stderr`` is None): without
these hooks a bug in a slot is lost. What is logged and said is decided in ``core/crash.py``.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    QObject,
    Qt,
    QtMsgType,
    Signal,
    qFormatLogMessage,
    qInstallMessageHandler,
)

from ..core.crash import crash_message, log_toolkit_message, log_uncaught
from ..core.i18n import _
from ..core.logs import active_log_file

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QWidget

# Qt's warnings and worse; its debug and info messages are noise in a user's log.
log = logging.getLogger(__name__)

_LEVELS = {
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


class CrashReports(QObject):
    """The hooks of the window's run, and the one dialog that says something went wrong."""

    # From any thread: the dialog is shown on the window's, once the failing code has returned.
    _crashed = Signal(object, object)

    def __init__(self, log_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_dir = log_dir
        self.window: QWidget | None = None  # the dialog's parent while it shows
        self.dialog: QMessageBox | None = None  # the one shown, if any
        self._previous: tuple[Any, Any, Callable[..., None] | None] | None = None
        self._crashed.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        """Take over ``sys.excepthook``, ``threading.excepthook`` and Qt's message handler."""
        hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._uncaught
        threading.excepthook = self._uncaught_in_thread
        self._previous = (*hooks, qInstallMessageHandler(self._qt_message))

    def uninstall(self) -> None:
        """Give the hooks back (the window's loop has ended: nothing can be shown any more)."""
        if self._previous is None:
            return
        sys.excepthook, threading.excepthook, qt_handler = self._previous
        qInstallMessageHandler(qt_handler)
        self._previous = None

    def _uncaught(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in a terminal: as Python says it
            sys.__excepthook__(exc_type, exc, tb)
            return
        # Also called on a Qt pool's thread (a QRunnable's run): named as Python knows it.
        thread = threading.current_thread()
        where = "the window" if thread is threading.main_thread() else f"thread {thread.name}"
        log_uncaught(exc_type, exc, tb, where)
        self._tell(exc_type, exc)

    def _uncaught_in_thread(self, args: threading.ExceptHookArgs) -> None:
        if issubclass(args.exc_type, SystemExit):  # a thread's normal way out
            return
        name = args.thread.name if args.thread is not None else "?"
        log_uncaught(args.exc_type, args.exc_value, args.exc_traceback, f"thread {name}")
        self._tell(args.exc_type, args.exc_value)

    def _tell(self, exc_type: type[BaseException], exc: BaseException | None) -> None:
        if QCoreApplication.instance() is None:  # the app has ended: the log is all there is
            return
        with contextlib.suppress(RuntimeError):  # this object is already deleted: the app ends
            self._crashed.emit(exc_type, exc)

    def _qt_message(self, kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
        level = _LEVELS.get(kind)
        if level is not None:
            log_toolkit_message(level, context.category or "", text)
        previous = self._previous[2] if self._previous is not None else None
        if previous is not None:
            previous(kind, context, text)
        elif sys.stderr is not None:  # where Qt's own handler writes, when there is a terminal
            sys.stderr.write(qFormatLogMessage(kind, context, text) + "\n")

    def _show(self, exc_type: type[BaseException], exc: BaseException | None) -> None:
        """Say it once: while the dialog shows, a burst of further exceptions is only logged."""
        if self.dialog is not None:
            return
        try:
            self._open_dialog(exc_type, exc)
        except Exception:  # never back into the hook: that would say it again, and again
            log.exception("could not say that something went wrong")

    def _open_dialog(self, exc_type: type[BaseException], exc: BaseException | None) -> None:
        from PySide6.QtWidgets import QMessageBox

        from .dialog_buttons import message_box

        log_file = active_log_file(self.log_dir)
        window = self.window
        parent = window if window is not None and window.isVisible() else None
        text = crash_message(log_file, self.log_dir, exc_type, exc)
        box = message_box(QMessageBox.Icon.Warning, _("Campaign Companion"), text, parent=parent)
        if log_file is not None:
            button = box.addButton(_("Open the log folder"), QMessageBox.ButtonRole.ActionRole)
            button.clicked.connect(self.open_log_folder)
        # Without it Qt finds no button for Esc and the title bar's close (two buttons, neither
        # a No), and the box would refuse to close when the app quits.
        box.setEscapeButton(QMessageBox.StandardButton.Ok)
        box.finished.connect(self._closed)
        self.dialog = box
        box.show()

    def _closed(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

    def open_log_folder(self) -> None:
        from PySide6.QtCore import QUrl  # loaded on the click: its classes cost every start
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_dir)))
