"""What a store that cannot be opened or written tells the user, and how a damaged one is
noted for the next start."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from ..errors import UserError
from ..i18n import _, ngettext

log = logging.getLogger(__name__)

# Beside the store: it was found damaged while the app ran, so the next start checks it whole.
DAMAGED_NOTE = "-damaged"


class StoreError(UserError):
    pass


class StoreBusyError(StoreError):
    """Another process holds the write lock longer than we wait (an import in another copy)."""


class StoreFullError(StoreError):
    """The disk is full: nothing was written."""


def write_failed(path: Path, exc: sqlite3.Error) -> StoreError:
    """A failed write as a message the user can act on; the store is unchanged (rolled back)."""
    name = getattr(exc, "sqlite_errorname", "")
    detail = f"{path}: {name or type(exc).__name__}: {exc}"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreBusyError(
            _(
                "Another copy of Campaign Companion is saving data (an import, perhaps). "
                "Try again when it has finished."
            ),
            detail=detail,
        )
    if name.startswith("SQLITE_READONLY"):
        return StoreError(read_only_message(path), detail=detail)
    if name.startswith("SQLITE_FULL"):
        return StoreFullError(
            _("The disk is full, so nothing was saved. Free some space and try again."),
            detail=detail,
        )
    return StoreError(
        _("The data could not be saved; nothing was changed. The details are in the log."),
        detail=detail,
    )


def recovered_text(count: int) -> str:
    """What was saved of a store that was set aside, for the message that says so."""
    return ngettext(
        "{count} record that could still be read was copied into the new one.",
        "{count} records that could still be read were copied into the new one.",
        count,
    ).format(count=count)


def damaged_store_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """A store found damaged while the app runs: the next start sets it aside and recovers it
    (a note beside it says so, as the next start checks the whole file only when told)."""
    note_damage(path)
    return StoreError(
        _(
            "Your data file {path} is damaged. Close Campaign Companion and start it again: it "
            "will keep the damaged file aside and recover what can still be read."
        ).format(path=path),
        detail=f"{path}: {getattr(exc, 'sqlite_errorname', '')} {exc}",
    )


def note_damage(path: Path) -> None:
    """Leave a note that ``path`` is damaged: the next start checks it whole and sets it aside."""
    try:
        path.with_name(path.name + DAMAGED_NOTE).touch()
    except OSError as exc:
        log.warning("could not note that %s is damaged: %s", path, exc)


def read_only_message(path: Path) -> str:
    return _(
        "Campaign Companion cannot write its data file {path}: the file or its folder is "
        "read-only. Check their permissions, or start the app with another data folder."
    ).format(path=path)
