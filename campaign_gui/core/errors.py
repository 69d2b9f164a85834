"""The one error type the user sees: a message in their language, the cause kept for the log."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3


class UserError(Exception):
    """An error a user can act on.

    ``message`` is already translated; ``detail`` is the exact technical cause, for the log only.
    """

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


def sqlite_errors() -> tuple[type[sqlite3.DatabaseError], ...]:
    """SQLite's error class for an ``except`` clause, named without importing sqlite3: only code
    that loaded it can raise it, and the window starts without it."""
    loaded = sys.modules.get("sqlite3")
    return (loaded.DatabaseError,) if loaded is not None else ()
