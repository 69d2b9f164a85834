"""The app's log file: the exact cause of every error a user is shown, and nothing secret."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from .redaction import RedactingFilter

LOG_FILE = "campaign-gui.log"
MAX_BYTES = 1_000_000
BACKUPS = 3


class RotatingFile(logging.FileHandler):
    """A log file moved aside before it would pass ``MAX_BYTES``, keeping ``BACKUPS`` old ones
    (``name.1`` the newest): the standard library's ``RotatingFileHandler`` does the same, but
    its module loads socket, pickle and queue, about 6 ms of every start before the window."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, encoding="utf-8")
        self.path = Path(self.baseFilename)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full(f"{self.format(record)}{self.terminator}"):
                self._rotate()
        except Exception:
            self.handleError(record)
            return
        super().emit(record)

    def _full(self, text: str) -> bool:
        if not self.path.is_file():  # a device or a pipe is never moved aside
            return False
        if self.stream is None:
            self.stream = self._open()
        self.stream.seek(0, os.SEEK_END)
        return self.stream.tell() + len(text) >= MAX_BYTES

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
        try:
            for number in range(BACKUPS - 1, 0, -1):
                older = self.path.with_name(f"{self.path.name}.{number}")
                if older.exists():
                    older.replace(self.path.with_name(f"{self.path.name}.{number + 1}"))
            self.path.replace(self.path.with_name(f"{self.path.name}.1"))
        finally:  # moved aside or not, the log goes on
            self.stream = self._open()


def configure_logging(log_dir: Path, verbose: bool = False) -> Path | None:
    """Log to a rotating file in ``log_dir``; returns its path, or None if it cannot be written."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # A log that cannot be written (a full disk) must not print tracebacks on the user's screen.
    logging.raiseExceptions = False
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = RotatingFile(log_dir / LOG_FILE)
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
