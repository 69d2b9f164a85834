"""The app's log file: the exact cause of every error a user is shown, and nothing secret."""

from __future__ import annotations

import logging
from pathlib import Path

from .redaction import RedactingFilter

LOG_FILE = "campaign-gui.log"
MAX_BYTES = 1_000_000
BACKUPS = 3


class RotatingLog(logging.FileHandler):
    """A log file moved to ``.1`` (``.1`` to ``.2``, and so on, ``BACKUPS`` kept) before it
    would pass ``MAX_BYTES``: what ``logging.handlers.RotatingFileHandler`` does, without that
    module, which loads socket, pickle and queue at every start of the window."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.stream is not None:
                size = self.stream.tell() + len(self.format(record)) + len(self.terminator)
                if size >= MAX_BYTES and self.stream.tell() > 0:
                    self._roll_over()
        except Exception:
            self.handleError(record)
            return
        super().emit(record)

    def _roll_over(self) -> None:
        self.stream.close()
        self.stream = None  # reopened by FileHandler.emit
        base = Path(self.baseFilename)
        for number in range(BACKUPS - 1, 0, -1):
            older = base.with_name(f"{base.name}.{number}")
            if older.exists():
                older.replace(base.with_name(f"{base.name}.{number + 1}"))
        base.replace(base.with_name(f"{base.name}.1"))


def configure_logging(log_dir: Path, verbose: bool = False) -> Path | None:
    """Log to a rotating file in ``log_dir``; returns its path, or None if it cannot be written."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # A log that cannot be written (a full disk) must not print tracebacks on the user's screen.
    logging.raiseExceptions = False
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = RotatingLog(log_dir / LOG_FILE, encoding="utf-8")
    except OSError:
        # No log file: drop the records rather than let Python print them on the terminal.
        root.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    return log_dir / LOG_FILE
