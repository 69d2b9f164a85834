"""What is kept of a crash in the window: an uncaught exception and Qt's warnings go to the log
(through its redaction filter), the user is told where, and a hard crash (a fault in a library's
native code) leaves faulthandler's trace in a file beside the log.

A windowed app has no terminal (on Windows ``sys.stderr`` is None): without this, all of it is
lost. The toolkit's side (the hooks, Qt's handler, the dialog) is ``ui/crash_reports.py``.
"""

from __future__ import annotations

import faulthandler
import logging
import traceback
from pathlib import Path
from types import TracebackType
from typing import TextIO

from .i18n import _
from .redaction import redact

FAULT_FILE = "campaign-gui-faults.log"
# Enough for the traces of every thread of one hard crash.
_MOST_READ = 200_000

log = logging.getLogger("campaign_gui.crash")
qt_log = logging.getLogger("qt")
# faulthandler writes to the file's descriptor when the process dies: it stays open for the run.
_fault_file: TextIO | None = None


def log_uncaught(
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    where: str,
) -> None:
    """An exception nothing caught, with its traceback, in the log."""
    if exc is None:  # (a thread's hook may have no value) logging would name it "NoneType: None"
        trace = "".join(traceback.format_tb(tb))
        log.error(
            "uncaught exception in %s\nTraceback (most recent call last):\n%s%s",
            where,
            trace,
            exc_type.__name__,
        )
        return
    log.error("uncaught exception in %s", where, exc_info=(exc_type, exc, tb))


def log_toolkit_message(level: int, category: str, text: str) -> None:
    """One of Qt's messages in the log, at ``level`` (a ``logging`` level)."""
    if category and category != "default":
        qt_log.log(level, "%s: %s", category, text)
    else:
        qt_log.log(level, "%s", text)


def crash_message(
    log_file: Path | None,
    log_dir: Path,
    exc_type: type[BaseException],
    exc: BaseException | None,
) -> str:
    """What the user is told: where the details are, or the cause when no log could be written."""
    if log_file is not None:
        return _("Something went wrong. The details are in the log: {path}").format(path=log_file)
    cause = exc_type.__name__ if exc is None else f"{exc_type.__name__}: {exc}"
    return _(
        "Something went wrong, and no log could be written in {folder}. The cause: {cause}"
    ).format(folder=log_dir, cause=redact(cause))


def enable_fault_trace(log_dir: Path) -> Path | None:
    """faulthandler on, writing into ``log_dir``'s fault file; None if it cannot be opened.

    A trace left by the previous run is moved into the log first (dated there by the log's own
    time, and redacted), so the file holds at most one crash.
    """
    global _fault_file
    path = log_dir / FAULT_FILE
    try:
        if path.stat().st_size:
            with path.open(encoding="utf-8", errors="replace") as previous:
                trace = previous.read(_MOST_READ)
            log.error("the previous run stopped on a fatal error; faulthandler's trace follows")
            for line in trace.splitlines():  # one record a line: a record's breaks are escaped
                log.error("| %s", line)
    except OSError:
        pass  # none yet
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        file = path.open("w", encoding="utf-8")
    except OSError:
        log.warning("no file for faulthandler in %s", log_dir, exc_info=True)
        return None
    faulthandler.enable(file)
    if _fault_file is not None:
        _fault_file.close()
    _fault_file = file
    return path
