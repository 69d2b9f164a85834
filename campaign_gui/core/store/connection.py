"""The store file itself: opening it (creating, checking, setting aside and recovering a
damaged one, migrating), and the transactions every write goes through."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from ..i18n import _
from ..set_aside import identity, set_aside
from .errors import (
    DAMAGED_NOTE,
    StoreBusyError,
    StoreError,
    StoreFullError,
    note_damage,
    read_only_message,
    write_failed,
)
from .schema import MIGRATIONS, SHAPES_FROM_OBSERVATIONS, split_statements

log = logging.getLogger(__name__)

STORE_FILE = "campaign.sqlite3"
# How long a write waits for another copy of the app to finish its own (reads never wait: WAL).
BUSY_TIMEOUT_MS = 5000


class _NotADatabaseError(Exception):
    pass


class StoreConnection:
    """One open store file: what every part of the ``Store`` works through."""

    def __init__(
        self, path: Path, moved_aside: Path | None = None, busy_timeout_ms: int = BUSY_TIMEOUT_MS
    ) -> None:
        self.path = path
        self.moved_aside = moved_aside
        self.recovered = 0
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._depth = 0  # transactions opened inside one already open join it
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        self._db.execute("PRAGMA temp_store = MEMORY")  # an import's batch table

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        data_dir: Path,
        migrations: Sequence[str] = MIGRATIONS,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> Self:
        """Open (creating or migrating) the store in ``data_dir``.

        A file that is not a SQLite database, or one that is damaged, is renamed
        ``<name>.broken-<UTC time>`` and a fresh store is created; ``Store.moved_aside`` then names
        the kept file, and ``Store.recovered`` counts the rows copied from it (what could still be
        read of a damaged store).

        The whole file is checked only when it may be damaged (``_needs_check``), not at every
        start: a page that goes bad while the app is not running is found when it is read, and
        the start after that sets the file aside (``damaged_store_error``).
        """
        path = data_dir / STORE_FILE
        _check_writable(data_dir, path)
        found = identity(path)
        check = _needs_check(path)
        store = cls(path, busy_timeout_ms=busy_timeout_ms)
        try:
            version = store._read_version()
            if check:
                log.info("checking the whole store %s: %s", path, check)
                store._check_integrity()
        except _NotADatabaseError as exc:
            note_damage(path)  # if setting it aside fails, the next start checks it again
            store.close()
            moved_aside = set_aside(path, found, now(), companions=("-wal", "-shm"))
            if moved_aside is None:
                log.info("store %s was already replaced by another copy of the app", path)
            else:
                log.warning(
                    "store %s is not a usable database (%s); moved to %s", path, exc, moved_aside
                )
            store = cls(path, moved_aside, busy_timeout_ms)
            version = store._read_version()
        try:
            store._migrate(version, migrations)
            if store.moved_aside is not None:
                store.recovered = store._recover_from(store.moved_aside)
        except BaseException:
            store.close()
            if store.moved_aside is not None:
                # Put the kept file back, so that the next start (with room on the disk, say)
                # tries again rather than going on with an empty store and never telling.
                _put_back(path, store.moved_aside)
            raise
        if check or store.moved_aside is not None:
            path.with_name(path.name + DAMAGED_NOTE).unlink(missing_ok=True)  # checked, or new
        return store

    def _check_integrity(self) -> None:
        """A damaged page makes every later read fail: find it now, while it can be set aside.

        ``quick_check`` reads every page once (about 0.4 s for three million like counts): only
        run when the store may be damaged (``_needs_check``).
        """
        try:
            result = self._db.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError as exc:
            raise _NotADatabaseError(f"quick_check: {exc}") from exc
        if result is None or result[0] != "ok":
            raise _NotADatabaseError(f"quick_check: {result}")

    def _recover_from(self, damaged: Path) -> int:
        """Copy what can still be read of a damaged store into this one; the rows copied.

        Each table is read from both ends, so the rows on either side of a damaged page are
        kept; a row the tables' checks refuse is left out, and the readers check the rest.
        """
        try:
            old = sqlite3.connect(f"{damaged.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error:
            return 0
        recovered = 0
        try:
            with self.transaction() as db:
                for table, key in _TABLE_KEYS.items():
                    columns = ", ".join(r[1] for r in db.execute(f"PRAGMA table_info({table})"))
                    marks = ", ".join("?" * len(columns.split(", ")))
                    for order in ("ASC", "DESC"):
                        # Every key column in the same direction, or SQLite scans forward.
                        ordering = ", ".join(f"{column} {order}" for column in key.split(", "))
                        query = f"SELECT {columns} FROM {table} ORDER BY {ordering}"
                        cursor = db.executemany(
                            f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({marks})",
                            _readable_rows(old, query),
                        )
                        recovered += max(cursor.rowcount, 0)
                db.execute(SHAPES_FROM_OBSERVATIONS)
        finally:
            old.close()
        log.warning("recovered %d rows from the damaged store %s", recovered, damaged)
        return recovered

    def _read_version(self) -> int:
        try:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        except sqlite3.DatabaseError as exc:
            name = getattr(exc, "sqlite_errorname", "")
            if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
                raise _NotADatabaseError(str(exc)) from exc
            self.close()
            if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
                raise StoreBusyError(
                    _(
                        "Another copy of Campaign Companion is setting up its data file. "
                        "Try again in a moment."
                    ),
                    detail=f"{self.path}: {name}: {exc}",
                ) from exc
            if name.startswith(("SQLITE_FULL", "SQLITE_IOERR")):
                # Even reading a store in WAL mode needs a little room for its shared memory.
                raise StoreError(
                    _(
                        "The data file {path} cannot be opened: the disk is full or failing. "
                        "Free some space and try again."
                    ).format(path=self.path),
                    detail=f"{self.path}: {name}: {exc}",
                ) from exc
            if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")):
                raise StoreError(
                    read_only_message(self.path), detail=f"{self.path}: {name}: {exc}"
                ) from exc
            raise StoreError(
                _("The data file {path} cannot be opened. The details are in the log.").format(
                    path=self.path
                ),
                detail=f"{self.path}: {name}: {exc}",
            ) from exc
        return version

    def _migrate(self, version: int, migrations: Sequence[str]) -> None:
        if version > len(migrations):
            raise StoreError(
                _(
                    "The data file was written by a newer version of Campaign Companion. "
                    "Please update the app."
                ),
                detail=f"{self.path}: schema version {version} > {len(migrations)}",
            )
        for number in range(version, len(migrations)):
            try:
                with self.transaction() as db:
                    # Another copy starting at the same moment may have migrated it meanwhile:
                    # the version read before the write lock is not the one that counts.
                    if db.execute("PRAGMA user_version").fetchone()[0] > number:
                        continue
                    for statement in split_statements(migrations[number]):
                        db.execute(statement)
                    db.execute(f"PRAGMA user_version = {number + 1}")
            except (StoreBusyError, StoreFullError):
                raise
            except (sqlite3.Error, StoreError) as exc:
                cause = (
                    exc.detail if isinstance(exc, StoreError) else f"{type(exc).__name__}: {exc}"
                )
                raise StoreError(
                    _("The data file could not be updated. Your data was left as it was."),
                    detail=f"{self.path}: migration to version {number + 1} failed: {cause}",
                ) from exc
            log.info("store %s migrated to schema version %d", self.path, number + 1)

    def close(self) -> None:
        self._db.close()

    @property
    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write batch: all of it is stored, or none of it. Transactions nest: one opened
        inside another is part of it.

        A failure of SQLite itself (another copy holding the lock, a full disk, a read-only
        file) is a ``StoreError`` the user can act on, after everything was rolled back.
        """
        if self._depth:
            # Part of a larger write (a feed merge): the outer transaction commits or rolls back
            # everything, so a failure here undoes the whole of it.
            self._depth += 1
            try:
                yield self._db
            finally:
                self._depth -= 1
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise write_failed(self.path, exc) from exc
        self._depth = 1
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise write_failed(self.path, exc) from exc
            raise
        finally:
            self._depth = 0


# Each table and the key it is read in, to recover a damaged store from both ends.
_TABLE_KEYS = {
    "observations": "campaign, target, observed_at",
    "reports": "campaign, id",
    "page_marks": "campaign, target",
    "user_days": "campaign, id",
    "day_reminders": "campaign, day_id",
    "delivered_reminders": "campaign, key",
    # Nothing of the feed is recovered (campaigns, feed_chunks, feed_status): the next sync
    # brings it all again, and verified.
}


def _readable_rows(db: sqlite3.Connection, query: str) -> Iterator[tuple]:
    """The rows of ``query`` up to the first one that cannot be read."""
    try:
        yield from db.execute(query)
    except sqlite3.Error as exc:
        log.warning("stopped reading at a damaged page (%s): %s", query, exc)


def _check_writable(data_dir: Path, path: Path) -> None:
    """Refuse, before SQLite creates anything, a data dir or store file that cannot be written.

    Opened anyway, SQLite would read a read-only store but leave read-only ``-wal``/``-shm``
    files behind and fail at the first write with a message that names no cause.
    """
    try:
        if data_dir.exists() and not data_dir.is_dir():
            raise NotADirectoryError(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
    except NotADirectoryError as exc:  # the folder, or one above it, is a file
        raise StoreError(
            _(
                "Campaign Companion cannot use {path} as its data folder: it is not a folder."
            ).format(path=data_dir),
            detail=f"{data_dir}: {exc!r}",
        ) from exc
    except OSError as exc:
        raise StoreError(
            _(
                "Campaign Companion cannot create its data folder {path}. Check that you may "
                "write there, or start the app with another data folder."
            ).format(path=data_dir),
            detail=f"{data_dir}: {exc!r}",
        ) from exc
    if path.is_symlink() and not path.exists():
        raise StoreError(
            _("Campaign Companion cannot use {path} as its data file: it is not a file.").format(
                path=path
            ),
            detail=f"{path}: a link to nothing ({path.readlink()})",
        )
    if path.exists() and not path.is_file():
        raise StoreError(
            _("Campaign Companion cannot use {path} as its data file: it is not a file.").format(
                path=path
            ),
            detail=f"{path}: not a regular file",
        )
    if not os.access(data_dir, os.W_OK | os.X_OK) or (
        path.exists() and not os.access(path, os.R_OK | os.W_OK)
    ):
        raise StoreError(read_only_message(path), detail=f"{path}: not writable")


def _needs_check(path: Path) -> str:
    """Why the store should be checked whole before it is used ('' when it need not be).

    SQLite deletes the ``-wal`` file when the last connection to the store closes cleanly: one
    already there was left by a copy of the app that stopped without closing it (killed, a
    crash of the machine: when a half-written page is likeliest), or belongs to a copy still
    running (checked then too, as every start was before). The other cause is a note left when
    the app found a damaged page while it ran. The trade-off: a file damaged while no copy ran
    (a failing disk, a bad copy) is not found at start, only when the page is read, and then
    set aside by the start after that, with the same recovery.
    """
    if path.with_name(path.name + DAMAGED_NOTE).exists():
        return "it was found damaged while the app ran"
    if path.with_name(path.name + "-wal").exists():
        return "it was not closed cleanly, or another copy of the app has it open"
    return ""


def _put_back(path: Path, kept: Path) -> None:
    """Undo ``set_aside``: the fresh store goes, the kept file takes its place again."""
    try:
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
            companion = kept.with_name(kept.name + suffix)
            if companion.exists():
                companion.replace(path.with_name(path.name + suffix))
    except OSError:
        log.exception("could not put %s back in place of %s", kept, path)
    else:
        log.warning("put %s back: setting it aside did not finish", kept)
