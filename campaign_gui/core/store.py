"""The SQLite store: like counts, reported losses and the pages a user has unliked.

One file in the user data dir, WAL mode, schema version in ``PRAGMA user_version`` with forward
migrations, every write batch in one transaction. A file that is not a database is moved aside
(kept, renamed with a timestamp) and a fresh store is started; the caller is told so it can tell
the user.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

from .campaign import ActionDay, Campaign, Report, Source
from .errors import UserError
from .i18n import LANGUAGES, _

log = logging.getLogger(__name__)

STORE_FILE = "campaign.sqlite3"

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
)


class StoreError(UserError):
    pass


class _NotADatabaseError(Exception):
    pass


@dataclass(frozen=True)
class Observation:
    target: str
    observed_at: datetime  # aware, UTC
    likes: int
    followers: int | None = None

    def key(self) -> tuple[str, int]:
        return self.target, to_epoch(self.observed_at)


@dataclass(frozen=True)
class ImportResult:
    added: int
    already_present: int


class ConflictingObservationError(Exception):
    """An observation at the same instant as a stored one, with other figures."""

    def __init__(self, stored: Observation) -> None:
        super().__init__(stored)
        self.stored = stored


def to_epoch(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class Store:
    """One open store file. Use it from one thread at a time."""

    def __init__(self, path: Path, moved_aside: Path | None = None) -> None:
        self.path = path
        self.moved_aside = moved_aside
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA busy_timeout = 5000")

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        data_dir: Path,
        migrations: Sequence[str] = MIGRATIONS,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> Store:
        """Open (creating or migrating) the store in ``data_dir``.

        A file that is not a SQLite database is renamed ``<name>.broken-<UTC time>`` and a fresh
        store is created; ``Store.moved_aside`` then names the kept file.
        """
        data_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir / STORE_FILE
        store = cls(path)
        try:
            version = store._read_version()
        except _NotADatabaseError as exc:
            store.close()
            moved_aside = _move_aside(path, now())
            log.warning(
                "store %s is not a usable database (%s); moved to %s", path, exc, moved_aside
            )
            store = cls(path, moved_aside)
            version = store._read_version()
        try:
            store._migrate(version, migrations)
        except BaseException:
            store.close()
            raise
        return store

    def _read_version(self) -> int:
        try:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        except sqlite3.OperationalError as exc:
            raise StoreError(
                _("The data file cannot be opened. Close other copies of the app and try again."),
                detail=f"{self.path}: {exc}",
            ) from exc
        except sqlite3.DatabaseError as exc:
            raise _NotADatabaseError(str(exc)) from exc
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
                with self.transaction():
                    for statement in _statements(migrations[number]):
                        self._db.execute(statement)
                    self._db.execute(f"PRAGMA user_version = {number + 1}")
            except sqlite3.Error as exc:
                raise StoreError(
                    _("The data file could not be updated. Your data was left as it was."),
                    detail=f"{self.path}: migration to version {number + 1} failed: {exc}",
                ) from exc
            log.info("store %s migrated to schema version %d", self.path, number + 1)

    def close(self) -> None:
        self._db.close()

    @property
    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write batch: all of it is stored, or none of it."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")

    # -- campaign reports ------------------------------------------------------------------------

    def merge_reports(self, campaign: Campaign) -> int:
        """Store the campaign's reported losses; merging the same campaign again changes nothing."""
        rows = [
            (
                campaign.id,
                r.id,
                r.target,
                r.start.isoformat(),
                r.end.isoformat(),
                r.loss,
                r.loss_percent,
                r.qualifier,
                json.dumps([{"name": s.name, "url": s.url} for s in r.sources], ensure_ascii=False),
                json.dumps(dict(r.note), ensure_ascii=False, sort_keys=True),
            )
            for r in campaign.reports
        ]
        with self.transaction() as db:
            before = db.total_changes
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
        return [
            Report(
                id=row[0],
                target=row[1],
                start=date.fromisoformat(row[2]),
                end=date.fromisoformat(row[3]),
                loss=row[4],
                loss_percent=row[5],
                qualifier=row[6],
                sources=tuple(Source(s["name"], s.get("url", "")) for s in json.loads(row[7])),
                note=json.loads(row[8]),
            )
            for row in rows
        ]

    # -- observations ------------------------------------------------------------------------------

    def add_observations(
        self, campaign_id: str, observations: Iterable[Observation]
    ) -> ImportResult:
        """Add like counts in one transaction; an identical one already stored is skipped.

        An observation for the same page and instant with other figures raises
        ``ConflictingObservationError`` and nothing of the batch is stored.
        """
        added = present = 0
        insert = """INSERT INTO observations VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (campaign, target, observed_at) DO NOTHING"""
        with self.transaction() as db:
            for obs in observations:
                target, at = obs.key()
                cursor = db.execute(insert, (campaign_id, target, at, obs.likes, obs.followers))
                if cursor.rowcount:
                    added += 1
                    continue
                likes, followers = db.execute(
                    """SELECT likes, followers FROM observations
                       WHERE campaign = ? AND target = ? AND observed_at = ?""",
                    (campaign_id, target, at),
                ).fetchone()
                if (likes, followers) != (obs.likes, obs.followers):
                    raise ConflictingObservationError(
                        Observation(target, from_epoch(at), likes, followers)
                    )
                present += 1
        return ImportResult(added=added, already_present=present)

    def observations(self, campaign_id: str) -> Iterator[Observation]:
        rows = self._db.execute(
            """SELECT target, observed_at, likes, followers FROM observations
               WHERE campaign = ? ORDER BY target, observed_at""",
            (campaign_id,),
        )
        for target, at, likes, followers in rows:
            yield Observation(target, from_epoch(at), likes, followers)

    def like_counts(self, campaign_id: str, target: str) -> tuple[np.ndarray, np.ndarray]:
        """A page's like counts as two arrays (seconds since the epoch, likes), oldest first."""
        cursor = self._db.execute(
            """SELECT observed_at, likes FROM observations
               WHERE campaign = ? AND target = ? ORDER BY observed_at""",
            (campaign_id, target),
        )
        chunks_t: list[np.ndarray] = []
        chunks_l: list[np.ndarray] = []
        while rows := cursor.fetchmany(65536):
            block = np.array(rows, dtype=np.int64)
            chunks_t.append(block[:, 0])
            chunks_l.append(block[:, 1])
        if not chunks_t:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        return np.concatenate(chunks_t), np.concatenate(chunks_l)

    def count_observations(self, campaign_id: str) -> int:
        return self._db.execute(
            "SELECT count(*) FROM observations WHERE campaign = ?", (campaign_id,)
        ).fetchone()[0]

    # -- the user's own marks --------------------------------------------------------------------

    def set_unliked(
        self, campaign_id: str, target: str, unliked: bool, when: datetime | None = None
    ) -> None:
        with self.transaction() as db:
            if unliked:
                db.execute(
                    """INSERT INTO page_marks VALUES (?, ?, ?)
                       ON CONFLICT (campaign, target) DO NOTHING""",
                    (campaign_id, target, to_epoch(when or datetime.now(UTC))),
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
        return [
            ActionDay(
                id=row[0],
                kind=row[1],
                start=date.fromisoformat(row[2]),
                end=date.fromisoformat(row[3]),
                title=dict.fromkeys(LANGUAGES, row[4]),
                details=dict.fromkeys(LANGUAGES, row[5]) if row[5] else {},
                own=True,
            )
            for row in rows
        ]

    def save_user_day(self, campaign_id: str, day: ActionDay) -> None:
        """Add or replace one of the user's own days."""
        title = next(iter(day.title.values()), "")
        details = next(iter(day.details.values()), "") if day.details else ""
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


def _move_aside(path: Path, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.broken-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.broken-{stamp}-{n}")
    path.replace(target)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.replace(target.with_name(target.name + suffix))
    return target
