"""The SQLite store: like counts, reported losses and the pages a user has unliked.

One file in the user data dir, WAL mode, schema version in ``PRAGMA user_version`` with forward
migrations, every write batch in one transaction. A file that is not a database is moved aside
(kept, renamed with a timestamp) and a fresh store is started; the caller is told so it can tell
the user.
"""

from __future__ import annotations

import heapq
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import islice, repeat
from pathlib import Path

import numpy as np

from . import limits
from .action_days import day_problems
from .campaign import ACTION_KINDS, MEASURES, QUALIFIERS, ActionDay, Campaign, Report, Source
from .errors import UserError
from .i18n import LANGUAGES, _, ngettext
from .page_counts import ABSENT, PageCounts, first_key_wins, no_counts
from .set_aside import identity, set_aside

log = logging.getLogger(__name__)

STORE_FILE = "campaign.sqlite3"
# Where schema 4 set aside the counts of the days a feed had given before feeds were bound to
# their root keys (the campaign's id + this): never shown, still published by their organiser.
UNBOUND = "@before-feed-keys"
# Beside the store: it was found damaged while the app ran, so the next start checks it whole.
DAMAGED_NOTE = "-damaged"
# How long a write waits for another copy of the app to finish its own (reads never wait: WAL).
BUSY_TIMEOUT_MS = 5000

# Every reader skips a stored row outside the valid ranges (and logs it), so a value that got in
# once — by an older version, a hand edit, a bug — can never make the store unusable.
_VALID_OBSERVATION = f"""
    observed_at >= {limits.EARLIEST_EPOCH} AND observed_at < {limits.LATEST_EPOCH}
    AND (likes IS NULL OR (typeof(likes) = 'integer' AND likes BETWEEN 0 AND {limits.MAX_COUNT}))
    AND (followers IS NULL OR (typeof(followers) = 'integer'
         AND followers BETWEEN 0 AND {limits.MAX_COUNT}))
    AND (likes IS NOT NULL OR followers IS NOT NULL)
    AND typeof(observed_at) = 'integer'"""


# A reading's shape: which of its figures it carries (see count_shapes). Only valid readings
# have one: the others are never read.
_SHAPE = "(likes IS NOT NULL) + 2 * (followers IS NOT NULL)"
_SHAPE_BOUNDS = """ON CONFLICT (campaign, target, shape) DO UPDATE SET
    first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at)"""
_SHAPES_FROM_OBSERVATIONS = f"""
    INSERT INTO count_shapes SELECT campaign, target, {_SHAPE}, min(observed_at), max(observed_at)
    FROM observations WHERE {_VALID_OBSERVATION}
    GROUP BY campaign, target, {_SHAPE} {_SHAPE_BOUNDS};
"""
# The shapes are trusted while every write of counts since their last update was this version's
# (``shapes_seq`` is the change number they hold; see ``_note_changes``).
_SHAPES_TRUSTED = "UPDATE store_identity SET shapes_seq = seq"
# The shapes a measure's lookups look among: those that carry it, and those that lack it.
_CARRY = {"likes": (1, 3), "followers": (2, 3)}
_LACK = {"likes": (2,), "followers": (1,)}

# Each entry moves the schema one version forward; never edit one that has shipped.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE observations (
        campaign TEXT NOT NULL,
        target TEXT NOT NULL,
        observed_at INTEGER NOT NULL,   -- seconds since 1970-01-01 UTC
        likes INTEGER NOT NULL CHECK (likes >= 0),
        followers INTEGER CHECK (followers >= 0),
        PRIMARY KEY (campaign, target, observed_at)
    ) WITHOUT ROWID;
    CREATE TABLE reports (
        campaign TEXT NOT NULL,
        id TEXT NOT NULL,
        target TEXT NOT NULL,           -- '' for a figure covering every target
        start_day TEXT NOT NULL,
        end_day TEXT NOT NULL,
        loss INTEGER,
        loss_percent REAL,
        qualifier TEXT NOT NULL,
        sources TEXT NOT NULL,          -- JSON list of {"name", "url"}
        note TEXT NOT NULL,             -- JSON {language: text}
        PRIMARY KEY (campaign, id)
    );
    CREATE TABLE page_marks (
        campaign TEXT NOT NULL,
        target TEXT NOT NULL,
        unliked_at INTEGER NOT NULL,
        PRIMARY KEY (campaign, target)
    );
    """,
    """
    CREATE TABLE user_days (
        campaign TEXT NOT NULL,
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        start_day TEXT NOT NULL,
        end_day TEXT NOT NULL,
        title TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (campaign, id)
    );
    CREATE TABLE day_reminders (
        campaign TEXT NOT NULL,
        day_id TEXT NOT NULL,
        enabled INTEGER NOT NULL,
        PRIMARY KEY (campaign, day_id)
    );
    CREATE TABLE delivered_reminders (
        campaign TEXT NOT NULL,
        key TEXT NOT NULL,
        delivered_at INTEGER NOT NULL,
        PRIMARY KEY (campaign, key)
    ) WITHOUT ROWID;
    """,
    """
    -- A page of the "New Pages Experience" may give its followers and no like count: likes
    -- may be missing when followers are not (SQLite changes a constraint by rebuilding).
    CREATE TABLE observations_new (
        campaign TEXT NOT NULL,
        target TEXT NOT NULL,
        observed_at INTEGER NOT NULL,   -- seconds since 1970-01-01 UTC
        likes INTEGER CHECK (likes >= 0),
        followers INTEGER CHECK (followers >= 0),
        CHECK (likes IS NOT NULL OR followers IS NOT NULL),
        PRIMARY KEY (campaign, target, observed_at)
    ) WITHOUT ROWID;
    INSERT INTO observations_new SELECT * FROM observations;
    DROP TABLE observations;
    ALTER TABLE observations_new RENAME TO observations;
    CREATE TABLE campaigns (
        id TEXT PRIMARY KEY,
        document BLOB NOT NULL,         -- the campaign's JSON, as validated when it was stored
        origin TEXT NOT NULL,           -- 'feed' or the file it came from
        stored_at INTEGER NOT NULL
    );
    CREATE TABLE feed_chunks (
        campaign TEXT NOT NULL,
        name TEXT NOT NULL,             -- counts/<day>.json
        sha256 TEXT NOT NULL,
        merged_at INTEGER NOT NULL,
        PRIMARY KEY (campaign, name)
    ) WITHOUT ROWID;
    CREATE TABLE feed_status (
        campaign TEXT PRIMARY KEY,
        last_success INTEGER,           -- when a sync last verified the whole feed
        fresh_until INTEGER,            -- when the feed's signed timestamp expires
        mirror TEXT
    );
    """,
    """
    -- A feed is bound to the root keys that sign it: its campaign document, chunks, status and
    -- counts are kept under a feed key (the campaign's id and its root keys' fingerprint), never
    -- under the bare id a campaign file without that root would show. State kept before could
    -- not say which root it came from: it goes, and the next sync brings it again, verified.
    -- The counts of the days a feed gave are set aside under a key no campaign file shows
    -- (UNBOUND): they may be a stranger's; an organiser's own are still published from there.
    UPDATE observations SET campaign = campaign || '@before-feed-keys'
    WHERE EXISTS (
        SELECT 1 FROM feed_chunks AS f WHERE f.campaign = observations.campaign
        AND f.name = 'counts/' || date(observations.observed_at, 'unixepoch') || '.json'
    );
    DELETE FROM campaigns WHERE origin = 'feed';
    DELETE FROM feed_chunks;
    DELETE FROM feed_status;
    -- TUF's trusted metadata, kept only with the data it vouches for (one transaction).
    CREATE TABLE feed_metadata (
        feed TEXT NOT NULL,
        name TEXT NOT NULL,             -- root-<version>, timestamp, snapshot, targets
        data BLOB NOT NULL,
        PRIMARY KEY (feed, name)
    ) WITHOUT ROWID;
    ALTER TABLE feed_status ADD COLUMN etag_url TEXT;  -- the timestamp's validator: a 304 next
    ALTER TABLE feed_status ADD COLUMN etag TEXT;
    """,
    """
    -- Which days of each key's counts were written, and when (a number that only grows): a
    -- publish reads again only the days written since the one before it, whose folder keeps
    -- the number it saw, that write's token and this store's id (another store's numbers, or
    -- this one's restored from a backup or copied to another computer, mean nothing here:
    -- the token of that number is not the one kept, and everything is read again).
    CREATE TABLE count_changes (
        campaign TEXT NOT NULL,
        day INTEGER NOT NULL,           -- the UTC day's first second
        seq INTEGER NOT NULL,
        PRIMARY KEY (campaign, day)
    ) WITHOUT ROWID;
    CREATE INDEX count_changes_by_seq ON count_changes (campaign, seq);
    CREATE TABLE store_identity (id TEXT NOT NULL, seq INTEGER NOT NULL);
    INSERT INTO store_identity VALUES (lower(hex(randomblob(16))), 0);
    CREATE TABLE count_writes (seq INTEGER PRIMARY KEY, token TEXT NOT NULL);
    """,
    """
    -- Which figures each page's readings carry (1: likes only, 2: followers only, 3: both), and
    -- from when to when: the few lookups of a page's latest figures are bounded by them and
    -- skip a figure no reading carries (Facebook Pages today give followers only), instead of
    -- walking a year of readings to find none. Only ever widened: a bound is never too narrow.
    CREATE TABLE count_shapes (
        campaign TEXT NOT NULL,
        target TEXT NOT NULL,
        shape INTEGER NOT NULL,
        first_at INTEGER NOT NULL,
        last_at INTEGER NOT NULL,
        PRIMARY KEY (campaign, target, shape)
    ) WITHOUT ROWID;
    """
    + _SHAPES_FROM_OBSERVATIONS
    + """
    -- The change number (store_identity.seq) the shapes hold every write up to. A copy of an
    -- older version still running writes counts (and moves seq) without them: the shapes are
    -- then read from the readings until the next write of this version builds them again.
    ALTER TABLE store_identity ADD COLUMN shapes_seq INTEGER NOT NULL DEFAULT 0;
    """
    + _SHAPES_TRUSTED
    + ";",
)


class StoreError(UserError):
    pass


class StoreBusyError(StoreError):
    """Another process holds the write lock longer than we wait (an import in another copy)."""


class StoreFullError(StoreError):
    """The disk is full: nothing was written."""


def _write_failed(path: Path, exc: sqlite3.Error) -> StoreError:
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
        return StoreError(_read_only_message(path), detail=detail)
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
    _note_damage(path)
    return StoreError(
        _(
            "Your data file {path} is damaged. Close Campaign Companion and start it again: it "
            "will keep the damaged file aside and recover what can still be read."
        ).format(path=path),
        detail=f"{path}: {getattr(exc, 'sqlite_errorname', '')} {exc}",
    )


def _note_damage(path: Path) -> None:
    """Leave a note that ``path`` is damaged: the next start checks it whole and sets it aside."""
    try:
        path.with_name(path.name + DAMAGED_NOTE).touch()
    except OSError as exc:
        log.warning("could not note that %s is damaged: %s", path, exc)


def _read_only_message(path: Path) -> str:
    return _(
        "Campaign Companion cannot write its data file {path}: the file or its folder is "
        "read-only. Check their permissions, or start the app with another data folder."
    ).format(path=path)


class _NotADatabaseError(Exception):
    pass


@dataclass(frozen=True)
class Observation:
    target: str
    observed_at: datetime  # aware, UTC
    likes: int | None  # None: the page gave only its followers
    followers: int | None = None

    def key(self) -> tuple[str, int]:
        return self.target, to_epoch(self.observed_at)


@dataclass(frozen=True)
class ImportResult:
    added: int
    already_present: int


@dataclass(frozen=True)
class StoredCampaign:
    document: bytes
    origin: str
    stored_at: datetime


# Per page, the first and last moment (seconds since the epoch) of the counts that arrived.
Spans = dict[str, tuple[int, int]]


@dataclass(frozen=True)
class FeedMerge:
    counts: int  # like counts added or corrected
    chunks: int
    campaign_changed: bool
    spans: Spans = field(default_factory=dict)  # when they are: what the graph reads again


@dataclass(frozen=True)
class FeedStatus:
    last_success: datetime | None = None
    fresh_until: datetime | None = None
    mirror: str = ""


@dataclass(frozen=True)
class TrustedFeed:
    """What a feed's last accepted sync left: TUF's trusted metadata (name → bytes: root-<n>,
    timestamp, snapshot, targets) and the timestamp's validator (its address, its ETag)."""

    metadata: Mapping[str, bytes] = field(default_factory=dict)
    validator: tuple[str, str] | None = None
    document: bytes = b""  # the campaign document the metadata vouched for: not downloaded again


class ConflictingObservationError(Exception):
    """An observation at the same instant as a stored one, with other figures."""

    def __init__(
        self, stored: Observation, incoming: Observation, line: int = 0, earlier_line: int = 0
    ) -> None:
        super().__init__(stored)
        self.stored = stored
        self.incoming = incoming
        self.line = line  # where the incoming row came from (a CSV line), if known
        # Where the other count came from when it is an earlier row of the same file (it is
        # then not stored, only read); 0 when it is stored.
        self.earlier_line = earlier_line


# A count as a door reads it: (target, seconds since the epoch, likes, followers, line).
CountRow = tuple[str, int, int | None, int | None, int]
# Counts read in a block, the same five as columns.
CountColumns = tuple[
    Sequence[str], Sequence[int], Sequence[int | None], Sequence[int | None], Sequence[int]
]
INGEST_BATCH = 50_000
# How many writes of counts keep their token: a publish whose folder saw an older one reads
# everything again (a tracker writes once a round: about two months of rounds every 5 minutes).
KEPT_WRITES = 20_000
# The most a kept TUF metadata file may weigh when read back (the feed's own caps are lower).
MAX_METADATA_BYTES = 16 * 1024 * 1024


def to_epoch(moment: datetime) -> int:
    """Whole seconds since the epoch (a count is kept to the second)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return int(moment.timestamp() // 1)


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class Store:
    """One open store file. Use it from one thread at a time."""

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
    ) -> Store:
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
            _note_damage(path)  # if setting it aside fails, the next start checks it again
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
                db.execute(_SHAPES_FROM_OBSERVATIONS)
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
                    _read_only_message(self.path), detail=f"{self.path}: {name}: {exc}"
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
                    for statement in _statements(migrations[number]):
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
            raise _write_failed(self.path, exc) from exc
        self._depth = 1
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise _write_failed(self.path, exc) from exc
            raise
        finally:
            self._depth = 0

    # -- campaign reports ------------------------------------------------------------------------

    def merge_reports(self, campaign: Campaign, key: str | None = None) -> int:
        """Make the stored reported losses the campaign's (under ``key``, its id unless given:
        a campaign bound to a feed keeps them under the feed's key); the same one again changes
        nothing."""
        key = key or campaign.id
        rows = [
            (
                key,
                r.id,
                r.target,
                r.start.isoformat(),
                r.end.isoformat(),
                r.loss,
                r.loss_percent,
                r.qualifier,
                json.dumps([s.as_document() for s in r.sources], ensure_ascii=False),
                json.dumps(dict(r.note), ensure_ascii=False, sort_keys=True),
            )
            for r in campaign.reports
        ]
        stored = set(
            self._db.execute("SELECT * FROM reports WHERE campaign = ?", (key,)).fetchall()
        )
        if stored == set(rows):
            return 0  # nothing new: no write lock, so a start never waits on another copy
        with self.transaction() as db:
            before = db.total_changes
            # The reports are the campaign file's: one no longer in it (or from another file that
            # used the same campaign id) goes, so no figure outlives the file that gave it.
            kept = {row[1] for row in rows}
            for (report_id,) in db.execute(
                "SELECT id FROM reports WHERE campaign = ?", (key,)
            ).fetchall():
                if report_id not in kept:
                    db.execute(
                        "DELETE FROM reports WHERE campaign = ? AND id = ?",
                        (key, report_id),
                    )
            db.executemany(
                """INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (campaign, id) DO UPDATE SET
                     target = excluded.target, start_day = excluded.start_day,
                     end_day = excluded.end_day, loss = excluded.loss,
                     loss_percent = excluded.loss_percent, qualifier = excluded.qualifier,
                     sources = excluded.sources, note = excluded.note
                   WHERE (target, start_day, end_day, loss, loss_percent, qualifier, sources, note)
                     IS NOT (excluded.target, excluded.start_day, excluded.end_day,
                             excluded.loss, excluded.loss_percent, excluded.qualifier,
                             excluded.sources, excluded.note)""",
                rows,
            )
            return db.total_changes - before

    def reports(self, campaign_id: str) -> list[Report]:
        rows = self._db.execute(
            """SELECT id, target, start_day, end_day, loss, loss_percent, qualifier, sources, note
               FROM reports WHERE campaign = ? ORDER BY start_day, id""",
            (campaign_id,),
        )
        found = []
        for row in rows:
            try:
                found.append(_report(row))
            except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as exc:
                log.warning("skipped a stored report that is not valid: %r (%s)", row[0], exc)
        return found

    # -- observations ------------------------------------------------------------------------------

    def add_observations(
        self, campaign_id: str, observations: Iterable[Observation]
    ) -> ImportResult:
        """Add like counts in one transaction; an identical one already stored is skipped.

        An observation for the same page and instant with other figures raises
        ``ConflictingObservationError`` and nothing of the batch is stored. The same path as
        every door's (``ingest_rows``), the n-th observation standing for line n.
        """
        return self.ingest_rows(
            campaign_id,
            (
                (o.target, to_epoch(o.observed_at), o.likes, o.followers, n)
                for n, o in enumerate(observations, 1)
            ),
        )

    def ingest_rows(self, campaign_id: str, rows: Iterable[CountRow]) -> ImportResult:
        """Add counts read by a door (already checked), all or none, in batches. A row at the
        same instant as a stored one (or an earlier row) with other figures raises
        ``ConflictingObservationError`` naming the first such line."""
        rows = iter(rows)
        batches = iter(lambda: list(islice(rows, INGEST_BATCH)), [])
        return self.ingest_columns(campaign_id, (count_columns(batch) for batch in batches))

    def ingest_columns(self, campaign_id: str, blocks: Iterable[CountColumns]) -> ImportResult:
        """``ingest_rows`` for a door that reads its counts in blocks, column by column (the
        CSV import): the same, without a tuple per row to take apart again."""
        added = present = 0
        with self.transaction() as db:
            for batch in _batches(blocks, INGEST_BATCH):
                if self._insert_new(db, campaign_id, batch):
                    added += len(batch[0])
                else:
                    rows = list(zip(*batch, strict=True))
                    a, p = self._ingest_checked(db, campaign_id, rows)
                    added, present = added + a, present + p
            db.execute("DROP TABLE IF EXISTS temp.incoming")
        return ImportResult(added=added, already_present=present)

    @staticmethod
    def _insert_new(db: sqlite3.Connection, campaign_id: str, batch: CountColumns) -> bool:
        """Insert a batch of counts that meet no stored one and repeat no moment (a first
        import, or counts after the last ones), straight into the table; if one does, insert
        nothing and say so (the primary key tells, without a lookup per row)."""
        targets, seconds, likes, followers, _lines = batch
        db.execute("SAVEPOINT new_counts")
        try:
            db.executemany(
                "INSERT INTO observations VALUES (?, ?, ?, ?, ?)",
                zip(repeat(campaign_id), targets, seconds, likes, followers),
            )
        except sqlite3.IntegrityError:
            db.execute("ROLLBACK TO new_counts")
            db.execute("RELEASE new_counts")
            return False
        # Any other failure (a full disk) leaves the savepoint to the transaction's rollback.
        db.execute("RELEASE new_counts")
        first, last = min(seconds), max(seconds)
        _note_changes(db, campaign_id, first, last)
        _note_shapes(db, campaign_id, batch, first, last)
        return True

    def _ingest_checked(
        self, db: sqlite3.Connection, campaign_id: str, batch: list[CountRow]
    ) -> tuple[int, int]:
        """A batch that repeats a moment, of its own or of the store: the same count again is
        already present; another count at that moment is a conflict, naming the first line."""
        present = 0
        seen: dict[tuple[str, int], CountRow] = {}
        unique: list[CountRow] = []
        for row in batch:
            key = (row[0], row[1])
            earlier = seen.get(key)
            if earlier is None:
                seen[key] = row
                unique.append(row)
            elif earlier[2:4] != row[2:4]:
                # An earlier row of this batch may already meet a stored count: the first
                # line at fault is named, whichever kind it is.
                self._load_incoming(db, unique)
                stored = self._stored_conflict(db, campaign_id)
                if stored is not None and stored.line < row[4]:
                    raise stored
                moment = from_epoch(row[1])
                raise ConflictingObservationError(
                    Observation(row[0], moment, earlier[2], earlier[3]),
                    Observation(row[0], moment, row[2], row[3]),
                    row[4],
                    earlier[4],
                )
            else:
                present += 1  # the same count twice in the file
        added, already = self._ingest_batch(db, campaign_id, unique)
        return added, present + already

    @staticmethod
    def _load_incoming(db: sqlite3.Connection, batch: list[CountRow]) -> None:
        db.execute(
            """CREATE TEMP TABLE IF NOT EXISTS incoming (
                 target TEXT, at INTEGER, likes INTEGER, followers INTEGER, line INTEGER)"""
        )
        db.execute("DELETE FROM incoming")
        db.executemany("INSERT INTO incoming VALUES (?, ?, ?, ?, ?)", batch)

    @staticmethod
    def _stored_conflict(
        db: sqlite3.Connection, campaign_id: str
    ) -> ConflictingObservationError | None:
        """The first row of ``incoming`` at a stored moment with other figures, if any."""
        conflict = db.execute(
            """SELECT i.line, i.target, i.at, o.likes, o.followers, i.likes, i.followers
               FROM incoming i JOIN observations o
                 ON o.campaign = ? AND o.target = i.target AND o.observed_at = i.at
               WHERE (o.likes, o.followers) IS NOT (i.likes, i.followers)
               ORDER BY i.line LIMIT 1""",
            (campaign_id,),
        ).fetchone()
        if conflict is None:
            return None
        line, target, at, likes, followers, new_likes, new_followers = conflict
        moment = from_epoch(at)
        return ConflictingObservationError(
            Observation(target, moment, likes, followers),
            Observation(target, moment, new_likes, new_followers),
            line,
        )

    def _ingest_batch(
        self, db: sqlite3.Connection, campaign_id: str, batch: list[CountRow], replace=False
    ) -> tuple[int, int]:
        """One batch: every door's way into ``observations``. ``replace``: a count given again
        with other figures is a correction (the feed's)."""
        self._load_incoming(db, batch)
        before = db.total_changes
        if replace:
            db.execute(
                """INSERT INTO observations SELECT ?, target, at, likes, followers FROM incoming
                   WHERE true ON CONFLICT (campaign, target, observed_at) DO UPDATE SET
                     likes = excluded.likes, followers = excluded.followers
                   WHERE (likes, followers) IS NOT (excluded.likes, excluded.followers)""",
                (campaign_id,),
            )
        else:
            conflict = self._stored_conflict(db, campaign_id)
            if conflict is not None:
                raise conflict
            db.execute(
                """INSERT INTO observations SELECT ?, target, at, likes, followers FROM incoming
                   WHERE true ON CONFLICT (campaign, target, observed_at) DO NOTHING""",
                (campaign_id,),
            )
        changed = db.total_changes - before
        if changed:
            _note_changes(
                db, campaign_id, *db.execute("SELECT min(at), max(at) FROM incoming").fetchone()
            )
            db.execute(
                f"""INSERT INTO count_shapes SELECT ?, target, {_SHAPE}, min(at), max(at)
                    FROM incoming WHERE true GROUP BY target, {_SHAPE} {_SHAPE_BOUNDS}""",
                (campaign_id,),
            )
        return changed, len(batch) - changed

    def observations(self, *keys: str) -> Iterator[Observation]:
        """The counts kept under ``keys`` (a campaign's id, a feed's key), by page and time; at
        an instant kept under several, the first key's."""
        if len(keys) == 1:
            yield from self._observations(keys[0])
            return
        seen: tuple[str, int] | None = None
        merged = heapq.merge(*(self._observations(key) for key in keys), key=Observation.key)
        for obs in merged:  # heapq.merge is stable: the first key's comes first
            if obs.key() != seen:
                seen = obs.key()
                yield obs

    def _observations(self, campaign_id: str) -> Iterator[Observation]:
        self._log_invalid_observations(campaign_id)
        rows = self._db.execute(
            f"""SELECT target, observed_at, likes, followers FROM observations
                WHERE campaign = ? AND {_VALID_OBSERVATION} ORDER BY target, observed_at""",
            (campaign_id,),
        )
        for target, at, likes, followers in rows:
            yield Observation(target, from_epoch(at), likes, followers)

    def page_counts(self, keys: str | Sequence[str], target: str) -> PageCounts:
        """A page's readings (likes and followers) as arrays, oldest first, from the counts kept
        under ``keys``; at an instant kept under several, the first's."""
        if isinstance(keys, str):
            keys = (keys,)
        return first_key_wins([self._page_counts(key, target) for key in keys])

    def page_counts_between(
        self, keys: str | Sequence[str], target: str, first: int, last: int
    ) -> PageCounts:
        """``page_counts`` from ``first`` to ``last`` (seconds since the epoch, both included),
        read by the primary key: the counts a sync brought, without the rest of the series."""
        if isinstance(keys, str):
            keys = (keys,)
        return first_key_wins([self._page_counts(key, target, (first, last)) for key in keys])

    def _page_counts(
        self, campaign_id: str, target: str, span: tuple[int, int] | None = None
    ) -> PageCounts:
        first, last = span or (limits.EARLIEST_EPOCH, limits.LATEST_EPOCH)
        # The span's bounds come first: SQLite bounds the key's range with the first it is given.
        cursor = self._db.execute(
            f"""SELECT observed_at, ifnull(likes, {ABSENT}), ifnull(followers, {ABSENT})
                FROM observations
                WHERE campaign = ? AND target = ? AND observed_at >= ? AND observed_at <= ?
                AND {_VALID_OBSERVATION} ORDER BY observed_at""",
            (campaign_id, target, first, last),
        )
        blocks: list[np.ndarray] = []
        while rows := cursor.fetchmany(65536):
            blocks.append(np.array(rows, dtype=np.int64))
        if not blocks:
            return no_counts()
        table = np.concatenate(blocks) if len(blocks) > 1 else blocks[0]
        return PageCounts(table[:, 0].copy(), table[:, 1].copy(), table[:, 2].copy())

    def page_count_ends(self, keys: str | Sequence[str], target: str, since: int) -> PageCounts:
        """The few of ``page_counts(keys, target)`` that the latest figure of each of a page's
        lines depends on: for likes and for followers, the first reading that carries it, the
        last at or before ``since`` (the baseline) and the latest; and the latest reading that
        lacks it. Merged across ``keys`` as ``page_counts`` does. One query, each lookup bounded
        by the page's ``count_shapes`` (a figure no reading carries is not looked for)."""
        if isinstance(keys, str):
            keys = (keys,)
        # SQLite bounds the key's range with the first bound it is given: the lookup's own
        # bound comes before the valid range's, or a lookup walks from the wrong end.
        query = f"""SELECT * FROM (SELECT ? AS rank, observed_at, ifnull(likes, {ABSENT}),
            ifnull(followers, {ABSENT}) FROM observations
            WHERE campaign = ? AND target = ? AND observed_at >= ? AND observed_at <= ?
            AND {{column}} IS {{given}} AND {_VALID_OBSERVATION}
            ORDER BY observed_at {{order}} LIMIT 1)"""
        seq, shapes_seq = self._db.execute("SELECT seq, shapes_seq FROM store_identity").fetchone()
        parts: list[str] = []
        params: list[object] = []
        for rank, key in enumerate(keys):
            shapes = self._count_shapes(key, target, trusted=seq == shapes_seq)
            for column in MEASURES:
                for given, among in (("NOT NULL", _CARRY[column]), ("NULL", _LACK[column])):
                    bounds = [shapes[s] for s in among if s in shapes]
                    if not bounds:
                        continue  # no reading of this key carries (or lacks) it
                    first = min(b[0] for b in bounds)
                    last = max(b[1] for b in bounds)
                    lookups = [(first, last, "DESC")]  # the latest
                    if given == "NOT NULL":
                        lookups += [(first, last, "ASC"), (first, min(last, since), "DESC")]
                    for low, high, order in lookups:
                        if low <= high:
                            parts.append(query.format(column=column, given=given, order=order))
                            params += [rank, key, target, low, high]
        if not parts:
            return no_counts()
        # Each key's ends are among its own readings. A reading kept under an earlier key at
        # the same instant hides a later key's (``page_counts``): where it gives the same
        # figures, the end is still one, with the earlier key's counts; where it gives others,
        # the merged page's ends may lie elsewhere, and all its readings are read.
        found: dict[int, tuple[int, int]] = {}  # instant -> (likes, followers)
        for rank, at, likes, followers in sorted(
            self._db.execute(" UNION ALL ".join(parts), params)
        ):
            earlier = self._first_of(keys[:rank], target, at) if rank else None
            if earlier is not None:
                if (earlier[0] == ABSENT, earlier[1] == ABSENT) != (
                    likes == ABSENT,
                    followers == ABSENT,
                ):
                    return self.page_counts(keys, target)
                likes, followers = earlier
            found.setdefault(at, (likes, followers))
        times = sorted(found)
        return PageCounts(
            np.array(times, np.int64),
            np.array([found[t][0] for t in times], np.int64),
            np.array([found[t][1] for t in times], np.int64),
        )

    def _first_of(self, keys: Sequence[str], target: str, at: int) -> tuple[int, int] | None:
        """The figures of the first of ``keys`` holding a valid reading of ``target`` at ``at``."""
        for key in keys:
            row = self._db.execute(
                f"""SELECT ifnull(likes, {ABSENT}), ifnull(followers, {ABSENT}) FROM observations
                    WHERE campaign = ? AND target = ? AND observed_at = ?
                    AND {_VALID_OBSERVATION}""",
                (key, target, at),
            ).fetchone()
            if row is not None:
                return row
        return None

    def _count_shapes(
        self, key: str, target: str, trusted: bool = True
    ) -> dict[int, tuple[int, int]]:
        """A page's shapes under ``key`` and their bounds (``count_shapes``). They are read from
        the readings themselves (slower, never wrong) where they are not ``trusted`` (an older
        copy of the app wrote counts without them), or where the page's first or last valid
        reading lies outside them (rows written by hand)."""
        shapes = {
            shape: (first, last)
            for shape, first, last in self._db.execute(
                """SELECT shape, first_at, last_at FROM count_shapes
                   WHERE campaign = ? AND target = ?""",
                (key, target),
            )
        }
        ends = [
            self._db.execute(
                f"""SELECT observed_at FROM observations WHERE campaign = ? AND target = ?
                    AND {_VALID_OBSERVATION} ORDER BY observed_at {order} LIMIT 1""",
                (key, target),
            ).fetchone()
            for order in ("ASC", "DESC")
        ]
        if ends[0] is None or ends[1] is None:
            return {}
        held = shapes and min(b[0] for b in shapes.values()) <= ends[0][0]
        if trusted and held and ends[1][0] <= max(b[1] for b in shapes.values()):
            return shapes
        log.info("count shapes of %s/%s read from its readings", key, target)
        return {
            shape: (first, last)
            for shape, first, last in self._db.execute(
                f"""SELECT {_SHAPE}, min(observed_at), max(observed_at) FROM observations
                    WHERE campaign = ? AND target = ? AND {_VALID_OBSERVATION}
                    GROUP BY {_SHAPE}""",
                (key, target),
            )
        }

    def rebuild_count_shapes(self) -> None:
        """``count_shapes`` afresh from every stored reading (after rows were written without
        the store: a test's, or a recovery's)."""
        with self.transaction() as db:
            db.execute("DELETE FROM count_shapes")
            db.execute(_SHAPES_FROM_OBSERVATIONS)
            db.execute(_SHAPES_TRUSTED)

    def _log_invalid_observations(self, campaign_id: str) -> None:
        bad = self._db.execute(
            f"SELECT count(*) FROM observations WHERE campaign = ? AND NOT ({_VALID_OBSERVATION})",
            (campaign_id,),
        ).fetchone()[0]
        if bad:
            log.warning(
                "%s: %d stored like counts are out of range and are not shown", self.path, bad
            )

    def count_observations(self, campaign_id: str) -> int:
        return self._db.execute(
            "SELECT count(*) FROM observations WHERE campaign = ?", (campaign_id,)
        ).fetchone()[0]

    # -- what a publish reads ------------------------------------------------------------------

    def count_rows(
        self, keys: Sequence[str], targets: Iterable[str], start: int, end: int
    ) -> list[tuple[str, int, int | None, int | None]]:
        """The counts of ``targets`` read in [start, end) seconds, kept under ``keys`` (at an
        instant kept under several, the first key's), by page and time."""
        found: dict[tuple[str, int], tuple[str, int, int | None, int | None]] = {}
        for key in keys:
            for target in sorted(targets):
                for row in self._db.execute(
                    """SELECT target, observed_at, likes, followers FROM observations
                       WHERE campaign = ? AND target = ? AND observed_at >= ? AND observed_at < ?
                       ORDER BY observed_at""",
                    (key, target, start, end),
                ):
                    found.setdefault((row[0], row[1]), row)
        return [found[k] for k in sorted(found)]

    def change_marker(self) -> tuple[str, int, str]:
        """Where this store's counts stand: its id, the number of its last write of counts and
        that write's token (random: a copy of the store that wrote on its own has another)."""
        store_id, seq = self._db.execute("SELECT id, seq FROM store_identity").fetchone()
        row = self._db.execute("SELECT token FROM count_writes WHERE seq = ?", (seq,)).fetchone()
        return str(store_id), int(seq), str(row[0]) if row else ""

    def changed_days(self, keys: Sequence[str], since: tuple[str, int, str]) -> set[int] | None:
        """The UTC days (their first second) of counts kept under ``keys`` written after the
        marker ``since``; None if ``since`` is not a point of this store's history (another
        store, a backup restored, a copy that wrote on its own, a write too long ago)."""
        store_id, last, _token = self.change_marker()
        if since[0] != store_id or not 0 <= since[1] <= last:
            return None
        if since[1] > 0:
            row = self._db.execute(
                "SELECT token FROM count_writes WHERE seq = ?", (since[1],)
            ).fetchone()
            if row is None or row[0] != since[2]:
                return None
        days: set[int] = set()
        for key in keys:
            days.update(
                day
                for (day,) in self._db.execute(
                    "SELECT day FROM count_changes WHERE campaign = ? AND seq > ?",
                    (key, since[1]),
                )
            )
        return days

    def count_days(self, keys: Sequence[str], targets: Iterable[str], before: int) -> set[int]:
        """Every UTC day (its first second) with counts of ``targets`` before ``before``."""
        days: set[int] = set()
        for key in keys:
            for target in sorted(targets):
                days.update(
                    day * 86_400
                    for (day,) in self._db.execute(
                        """SELECT DISTINCT observed_at / 86400 FROM observations
                           WHERE campaign = ? AND target = ? AND observed_at < ?""",
                        (key, target, before),
                    )
                )
        return days

    def counts_not_published(
        self, keys: Sequence[str], targets: Collection[str], after: int
    ) -> tuple[dict[str, int], int]:
        """How many counts of pages not in ``targets`` are kept under ``keys`` (page → count),
        and how many of ``targets`` read after ``after``. The pages kept are found by seeking
        from one to the next in the primary key, not by reading every count."""
        left_out: dict[str, int] = {}
        future = 0
        for key in keys:
            page = ""
            while row := self._db.execute(
                """SELECT target FROM observations WHERE campaign = ? AND target > ?
                   ORDER BY target LIMIT 1""",
                (key, page),
            ).fetchone():
                page = row[0]
                query = "SELECT count(*) FROM observations WHERE campaign = ? AND target = ?"
                if page in targets:
                    future += self._db.execute(
                        query + " AND observed_at > ?", (key, page, after)
                    ).fetchone()[0]
                else:
                    n = self._db.execute(query, (key, page)).fetchone()[0]
                    left_out[page] = left_out.get(page, 0) + n
        return left_out, future

    # -- the campaign document and the feed ------------------------------------------------------

    def stored_campaign(self, feed: str) -> StoredCampaign | None:
        """The campaign document the feed ``feed`` last gave (feed keys: ``feed.trust``)."""
        row = self._db.execute(
            "SELECT document, origin, stored_at FROM campaigns WHERE id = ?", (feed,)
        ).fetchone()
        if row is None:
            return None
        document, origin, stored_at = row
        if (
            not isinstance(document, bytes)
            or len(document) > limits.MAX_CAMPAIGN_BYTES
            or not isinstance(stored_at, int)
            or not limits.epoch_in_range(stored_at)
        ):
            log.warning("%s: the stored campaign %s is not readable", self.path, feed)
            return None
        return StoredCampaign(bytes(document), str(origin), from_epoch(stored_at))

    def merged_chunks(self, feed: str) -> dict[str, str]:
        """The feed's counts files already merged: name → content id (a quarter's SHA-256, a
        compacted file's id of its parts: ``feed.windows``)."""
        return dict(
            self._db.execute("SELECT name, sha256 FROM feed_chunks WHERE campaign = ?", (feed,))
        )

    def trusted_feed(self, feed: str) -> TrustedFeed:
        """The feed's trusted metadata and validator, as its last accepted sync left them."""
        metadata = {
            str(name): bytes(data)
            for name, data in self._db.execute(
                "SELECT name, data FROM feed_metadata WHERE feed = ?", (feed,)
            )
            if isinstance(data, bytes) and len(data) <= MAX_METADATA_BYTES
        }
        row = self._db.execute(
            "SELECT etag_url, etag FROM feed_status WHERE campaign = ?", (feed,)
        ).fetchone()
        valid = row is not None and all(isinstance(v, str) and v for v in row)
        stored = self.stored_campaign(feed)
        document = stored.document if stored is not None else b""
        return TrustedFeed(metadata, (row[0], row[1]) if valid else None, document)

    def merge_feed(
        self,
        feed: str,
        campaign: Campaign,
        document: bytes,
        chunks: Mapping[str, tuple[str, CountColumns]],
        *,
        trusted: TrustedFeed,
        mirror: str,
        fresh_until: datetime | None,
        when: datetime,
        forget: Iterable[str] = (),
    ) -> FeedMerge:
        """A verified feed update, in one transaction: the campaign, the counts, what was merged
        and the trusted metadata that vouches for them (never one without the others). A count
        the feed gives again with other figures is the feed's correction. Everything is kept
        under ``feed``, the key that binds it to the root that signed it. ``forget``: merged
        files now inside one of ``chunks``, no longer remembered. ``spans`` says where the
        counts that changed something are, so that only those are read again: one window for
        every page alike (a scan of each batch, where a window per page would sort it)."""
        changed = 0
        spans: Spans = {}
        with self.transaction() as db:
            kept = db.execute(
                "SELECT data FROM feed_metadata WHERE feed = ? AND name = 'timestamp'", (feed,)
            ).fetchone()
            if _version(kept[0] if kept else None) > _version(trusted.metadata.get("timestamp")):
                # Another copy of the app merged a newer feed meanwhile: this older update
                # would move TUF's trusted versions back. Nothing is written.
                log.info("feed update older than the one another copy stored: not merged")
                return FeedMerge(counts=0, chunks=0, campaign_changed=False)
            db.execute(
                """INSERT INTO campaigns VALUES (?, ?, 'feed', ?)
                   ON CONFLICT (id) DO UPDATE SET document = excluded.document,
                     origin = excluded.origin, stored_at = excluded.stored_at
                   WHERE (document, origin) IS NOT (excluded.document, excluded.origin)""",
                (feed, document, to_epoch(when)),
            )
            for name, (sha256, given) in chunks.items():
                columns = tuple(given)  # each column read once (a feed's are numpy's until now)
                size = len(columns[0])
                if size and self._insert_new(db, feed, columns):
                    changed += size
                    first, last = min(columns[1]), max(columns[1])
                    _widen(spans, ((t.id, first, last) for t in campaign.targets))
                elif size:
                    rows = list(zip(*columns, strict=True))
                    if added := self._ingest_batch(db, feed, rows, replace=True)[0]:
                        changed += added
                        first, last = db.execute(_INCOMING_SPAN).fetchone()
                        _widen(spans, ((t.id, first, last) for t in campaign.targets))
                db.execute(
                    """INSERT INTO feed_chunks VALUES (?, ?, ?, ?)
                       ON CONFLICT (campaign, name) DO UPDATE SET
                         sha256 = excluded.sha256, merged_at = excluded.merged_at""",
                    (feed, name, sha256, to_epoch(when)),
                )
            db.executemany(
                "DELETE FROM feed_chunks WHERE campaign = ? AND name = ?",
                [(feed, name) for name in forget],
            )
            # Only what changed is written: a sync that found nothing new rewrites nothing.
            kept = db.execute("SELECT name FROM feed_metadata WHERE feed = ?", (feed,)).fetchall()
            for (name,) in kept:
                if name not in trusted.metadata:
                    db.execute(
                        "DELETE FROM feed_metadata WHERE feed = ? AND name = ?", (feed, name)
                    )
            db.executemany(
                """INSERT INTO feed_metadata VALUES (?, ?, ?)
                   ON CONFLICT (feed, name) DO UPDATE SET data = excluded.data
                   WHERE data IS NOT excluded.data""",
                [(feed, name, data) for name, data in trusted.metadata.items()],
            )
            etag_url, etag = trusted.validator or (None, None)
            db.execute(
                """INSERT INTO feed_status VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (campaign) DO UPDATE SET last_success = excluded.last_success,
                     fresh_until = excluded.fresh_until, mirror = excluded.mirror,
                     etag_url = excluded.etag_url, etag = excluded.etag""",
                (
                    feed,
                    to_epoch(when),
                    None if fresh_until is None else to_epoch(fresh_until),
                    mirror[: limits.MAX_URL],
                    etag_url,
                    etag,
                ),
            )
        return FeedMerge(counts=changed, chunks=len(chunks), campaign_changed=False, spans=spans)

    def feed_status(self, campaign_id: str) -> FeedStatus:
        row = self._db.execute(
            "SELECT last_success, fresh_until, mirror FROM feed_status WHERE campaign = ?",
            (campaign_id,),
        ).fetchone()
        if row is None:
            return FeedStatus()

        def moment(value: object) -> datetime | None:
            ok = isinstance(value, int) and limits.epoch_in_range(value)
            return from_epoch(value) if ok else None

        success, fresh, mirror = row
        return FeedStatus(
            last_success=moment(success),
            fresh_until=moment(fresh),
            mirror=mirror if isinstance(mirror, str) else "",
        )

    # -- the user's own marks --------------------------------------------------------------------

    def set_unliked(self, campaign_id: str, target: str, unliked: bool, when: datetime) -> None:
        with self.transaction() as db:
            if unliked:
                db.execute(
                    """INSERT INTO page_marks VALUES (?, ?, ?)
                       ON CONFLICT (campaign, target) DO NOTHING""",
                    (campaign_id, target, to_epoch(when)),
                )
            else:
                db.execute(
                    "DELETE FROM page_marks WHERE campaign = ? AND target = ?",
                    (campaign_id, target),
                )

    def unliked_targets(self, campaign_id: str) -> set[str]:
        rows = self._db.execute("SELECT target FROM page_marks WHERE campaign = ?", (campaign_id,))
        return {row[0] for row in rows}

    # -- the user's own action days and their reminders ------------------------------------------

    def user_days(self, campaign_id: str) -> list[ActionDay]:
        rows = self._db.execute(
            """SELECT id, kind, start_day, end_day, title, details FROM user_days
               WHERE campaign = ? ORDER BY start_day, id""",
            (campaign_id,),
        )
        found = []
        for row in rows:
            try:
                found.append(_user_day(row))
            except (TypeError, ValueError) as exc:
                log.warning("skipped a stored action day that is not valid: %r (%s)", row[0], exc)
        return found

    def save_user_day(self, campaign_id: str, day: ActionDay) -> None:
        """Add or replace one of the user's own days; one the app could not show is refused."""
        title = next(iter(day.title.values()), "")
        details = next(iter(day.details.values()), "") if day.details else ""
        problems = day_problems(title, day.start, day.end, details)
        if day.kind not in ACTION_KINDS or len(day.id) > limits.MAX_SHORT_TEXT:
            problems.append(_("This action day cannot be saved."))
        if problems:
            raise StoreError("\n".join(problems), detail=f"user day {day.id!r} refused: {problems}")
        with self.transaction() as db:
            db.execute(
                """INSERT INTO user_days VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (campaign, id) DO UPDATE SET kind = excluded.kind,
                     start_day = excluded.start_day, end_day = excluded.end_day,
                     title = excluded.title, details = excluded.details""",
                (
                    campaign_id,
                    day.id,
                    day.kind,
                    day.start.isoformat(),
                    day.end.isoformat(),
                    title,
                    details,
                ),
            )

    def user_day_ids(self, campaign_id: str) -> set[str]:
        """Every id the user's days use, shown or not: a new day must never take one."""
        rows = self._db.execute("SELECT id FROM user_days WHERE campaign = ?", (campaign_id,))
        return {row[0] for row in rows}

    def delete_user_day(self, campaign_id: str, day_id: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM user_days WHERE campaign = ? AND id = ?", (campaign_id, day_id))
            db.execute(
                "DELETE FROM day_reminders WHERE campaign = ? AND day_id = ?",
                (campaign_id, day_id),
            )

    def set_day_reminders(self, campaign_id: str, day_id: str, enabled: bool) -> None:
        with self.transaction() as db:
            db.execute(
                """INSERT INTO day_reminders VALUES (?, ?, ?)
                   ON CONFLICT (campaign, day_id) DO UPDATE SET enabled = excluded.enabled""",
                (campaign_id, day_id, int(enabled)),
            )

    def days_without_reminders(self, campaign_id: str) -> set[str]:
        rows = self._db.execute(
            "SELECT day_id FROM day_reminders WHERE campaign = ? AND enabled = 0", (campaign_id,)
        )
        return {row[0] for row in rows}

    def delivered_reminders(self, campaign_id: str) -> set[str]:
        rows = self._db.execute(
            "SELECT key FROM delivered_reminders WHERE campaign = ?", (campaign_id,)
        )
        return {row[0] for row in rows}

    def mark_delivered(self, campaign_id: str, keys: Iterable[str], when: datetime) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO delivered_reminders VALUES (?, ?, ?)",
                [(campaign_id, key, to_epoch(when)) for key in keys],
            )


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


def _version(metadata: object) -> int:
    """The version of TUF metadata as kept (0 if there is none, or it cannot be read)."""
    try:
        version = json.loads(metadata)["signed"]["version"]  # type: ignore[arg-type]
    except (TypeError, ValueError, KeyError, RecursionError):
        return 0
    return version if type(version) is int else 0


def _note_changes(db: sqlite3.Connection, campaign_id: str, first: int, last: int) -> None:
    """The days of ``campaign_id``'s counts just written (every day from the first count's to
    the last's: a day noted without a change is only read again), under a new change number."""
    seq, shapes_seq = db.execute("SELECT seq, shapes_seq FROM store_identity").fetchone()
    if shapes_seq != seq:  # an older copy wrote counts without their shapes: built again
        log.warning("count shapes built again: counts were written without them")
        db.execute("DELETE FROM count_shapes")
        db.execute(_SHAPES_FROM_OBSERVATIONS)
    # The shapes of this write are noted in the same transaction (``_note_shapes``).
    (seq,) = db.execute(
        "UPDATE store_identity SET seq = seq + 1, shapes_seq = seq + 1 RETURNING seq"
    ).fetchone()
    db.execute("INSERT INTO count_writes VALUES (?, lower(hex(randomblob(8))))", (seq,))
    db.execute("DELETE FROM count_writes WHERE seq <= ?", (seq - KEPT_WRITES,))
    db.executemany(
        """INSERT INTO count_changes VALUES (?, ?, ?)
           ON CONFLICT (campaign, day) DO UPDATE SET seq = excluded.seq""",
        [(campaign_id, day, seq) for day in range(first - first % 86_400, last + 1, 86_400)],
    )


def _note_shapes(
    db: sqlite3.Connection, campaign_id: str, batch: CountColumns, first: int, last: int
) -> None:
    """Widen ``count_shapes`` by a batch just inserted, spanning ``first`` to ``last``. A batch
    of one shape (the usual: every reading gives the same figures) is told from its columns at
    C speed, each page's bounds widened to the batch's (a bound need only hold, not be tight);
    a batch of mixed shapes is read back, page by page, over its span."""
    targets, _seconds, likes, followers, _lines = batch
    n = len(likes)
    no_likes, no_followers = likes.count(None), followers.count(None)
    pages = set(targets)
    if no_likes in (0, n) and no_followers in (0, n):
        shape = (no_likes == 0) + 2 * (no_followers == 0)
        db.executemany(
            f"INSERT INTO count_shapes VALUES (?, ?, ?, ?, ?) {_SHAPE_BOUNDS}",
            [(campaign_id, target, shape, first, last) for target in pages],
        )
        return
    for target in pages:  # each page's range: the key's order, not a scan
        db.execute(
            f"""INSERT INTO count_shapes SELECT campaign, target, {_SHAPE}, min(observed_at),
                max(observed_at) FROM observations WHERE campaign = ? AND target = ?
                AND observed_at >= ? AND observed_at <= ? AND {_VALID_OBSERVATION}
                GROUP BY {_SHAPE} {_SHAPE_BOUNDS}""",
            (campaign_id, target, first, last),
        )


def count_columns(rows: Sequence[CountRow]) -> CountColumns:
    """Rows as columns (at least one row)."""
    targets, seconds, likes, followers, lines = zip(*rows, strict=True)
    return targets, seconds, likes, followers, lines


def _batches(blocks: Iterable[CountColumns], size: int) -> Iterator[CountColumns]:
    """Blocks of any size as batches of ``size`` counts (the last one shorter)."""
    pending: list[list] = [[], [], [], [], []]
    for block in blocks:
        for column, values in zip(pending, block, strict=True):
            column += values
        while len(pending[0]) >= size:
            yield tuple(column[:size] for column in pending)
            for column in pending:
                del column[:size]
    if pending[0]:
        yield tuple(pending)


def spans_of(observations: Iterable[Observation]) -> Spans:
    """Per page, the first and last moment of ``observations``."""
    spans: Spans = {}
    _widen(
        spans, ((o.target, to_epoch(o.observed_at), to_epoch(o.observed_at)) for o in observations)
    )
    return spans


_INCOMING_SPAN = "SELECT min(at), max(at) FROM temp.incoming"


def _widen(spans: Spans, found: Iterable[tuple[str, int, int]]) -> None:
    """Widen each page's span to take in ``found`` (target, first, last)."""
    for target, first, last in found:
        low, high = spans.get(target, (first, last))
        spans[target] = (min(low, first), max(high, last))


def _readable_rows(db: sqlite3.Connection, query: str) -> Iterator[tuple]:
    """The rows of ``query`` up to the first one that cannot be read."""
    try:
        yield from db.execute(query)
    except sqlite3.Error as exc:
        log.warning("stopped reading at a damaged page (%s): %s", query, exc)


def _statements(script: str) -> list[str]:
    """Split a migration script into statements, so they run inside our own transaction."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return [s for s in statements if s]


def _day(text: object) -> date:
    if not isinstance(text, str):
        raise TypeError(f"not a date: {text!r}")
    day = date.fromisoformat(text)
    if not limits.day_in_range(day):
        raise ValueError(f"day out of range: {day}")
    return day


def _text(value: object, longest: int) -> str:
    if not isinstance(value, str) or len(value) > longest:
        raise ValueError("not a text of a valid length")
    return value


def _report(row: Sequence) -> Report:
    report_id, target, start, end, loss, percent, qualifier, sources, note = row
    if loss is not None and (not isinstance(loss, int) or not limits.count_in_range(loss)):
        raise ValueError(f"loss out of range: {loss!r}")
    if percent is not None and (
        not isinstance(percent, float | int) or not 0 <= percent <= limits.MAX_PERCENT
    ):
        raise ValueError(f"percentage out of range: {percent!r}")
    if qualifier not in QUALIFIERS:
        raise ValueError(f"unknown qualifier {qualifier!r}")
    notes = json.loads(note)
    if not isinstance(notes, dict) or not all(
        lang in LANGUAGES and isinstance(text, str) for lang, text in notes.items()
    ):
        raise ValueError("note is not a text per language")
    start_day, end_day = _day(start), _day(end)
    if end_day < start_day:
        raise ValueError("ends before it starts")
    return Report(
        id=_text(report_id, limits.MAX_SHORT_TEXT),
        target=_text(target, limits.MAX_SHORT_TEXT),
        start=start_day,
        end=end_day,
        loss=loss,
        loss_percent=None if percent is None else float(percent),
        qualifier=qualifier,
        sources=tuple(_source(s) for s in json.loads(sources)),
        note=notes,
    )


def _source(stored: dict) -> Source:
    """A report's source as stored: its date, via, article and title are optional (newer)."""
    title = stored.get("title") or {}
    if not isinstance(title, dict) or not all(
        lang in LANGUAGES and isinstance(text, str) for lang, text in title.items()
    ):
        raise ValueError("source title is not a text per language")
    published = stored.get("date")
    return Source(
        name=_text(stored["name"], limits.MAX_SHORT_TEXT),
        url=_text(stored.get("url") or "", limits.MAX_URL),
        published=None if published is None else _day(published),
        via=_text(stored.get("via", ""), limits.MAX_SHORT_TEXT),
        article=_text(stored.get("article", ""), limits.MAX_SHORT_TEXT),
        title=title,
    )


def _user_day(row: Sequence) -> ActionDay:
    day_id, kind, start, end, title, details = row
    start_day, end_day = _day(start), _day(end)
    if end_day < start_day:
        raise ValueError("ends before it starts")
    title = _text(title, limits.MAX_SHORT_TEXT)
    details = _text(details, limits.MAX_LONG_TEXT)
    return ActionDay(
        id=_text(day_id, limits.MAX_SHORT_TEXT),
        kind=kind if kind in ACTION_KINDS else "other",
        start=start_day,
        end=end_day,
        title=dict.fromkeys(LANGUAGES, title),
        details=dict.fromkeys(LANGUAGES, details) if details else {},
        own=True,
    )


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
        raise StoreError(_read_only_message(path), detail=f"{path}: not writable")


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
