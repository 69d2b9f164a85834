"""The app's log file: the exact cause of every error a user is shown, and nothing secret."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from .redaction import RedactingFilter

LOG_FILE = "campaign-gui.log"


def configure_logging(log_dir: Path, verbose: bool = False) -> Path | None:
    """Log to a rotating file in ``log_dir``; returns its path, or None if it cannot be written."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # A log that cannot be written (a full disk) must not print tracebacks on the user's screen.
    logging.raiseExceptions = False
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            log_dir / LOG_FILE, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        # No log file: drop the records rather than let Python print them on the terminal.
        root.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    return log_dir / LOG_FILE
