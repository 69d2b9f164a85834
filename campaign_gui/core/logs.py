"""The app's log file: the exact cause of every error a user is shown, and nothing secret."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from .redaction import RedactingFilter

LOG_FILE = "campaign-gui.log"
MAX_BYTES = 1_000_000
BACKUPS = 3


def configure_logging(log_dir: Path, verbose: bool = False) -> Path | None:
    """Log to a rotating file in ``log_dir``; returns its path, or None if it cannot be written."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # A log that cannot be written (a full disk) must not print tracebacks on the user's screen.
    logging.raiseExceptions = False
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        # The standard library's rotation (its module costs about 7 ms of the start: worth it).
        from logging.handlers import RotatingFileHandler

        handler = RotatingFileHandler(
            log_dir / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        # No log file: drop the records rather than let Python print them on the terminal.
        root.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    return log_dir / LOG_FILE


def active_log_file(log_dir: Path) -> Path | None:
    """The log file in ``log_dir`` that ``configure_logging`` opened, or None if it could not."""
    path = log_dir / LOG_FILE
    target = os.path.abspath(path)  # noqa: PTH100 - as logging.FileHandler names its file
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.FileHandler) and handler.baseFilename == target:
            return path
    return None
