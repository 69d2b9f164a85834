"""Counts in: every door's way into ``observations`` (files, the tracker, a feed), with the
days and shapes each write leaves for the readers and the next publish."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from itertools import chain, groupby, islice

from .connection import StoreConnection
from .records import (
    ConflictingObservationError,
    CountColumns,
    CountRow,
    ImportResult,
    Observation,
    Spans,
    from_epoch,
    to_epoch,
)
from .schema import SHAPE, SHAPE_BOUNDS, SHAPES_FROM_OBSERVATIONS, VALID_OBSERVATION

log = logging.getLogger(__name__)

INGEST_BATCH = 50_000
# How many writes of counts keep their token: a publish whose folder saw an older one reads
# everything again (a tracker writes once a round: about two months of rounds every 5 minutes).
KEPT_WRITES = 20_000
# The most counts one INSERT statement takes (a multi-row VALUES): a statement's step, and the
# work of binding it, are shared by that many counts instead of paid for each one.
INSERT_ROWS = 512
# Counts of one page in a row from which the page is bound once for them, not with each count.
_LONG_RUN = 16


class CountIngest(StoreConnection):
    """Adding counts: all of a batch or none of it, a conflict named by its line."""

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
        seconds = batch[1]
        db.execute("SAVEPOINT new_counts")
        try:
            _insert_rows(db, campaign_id, batch)
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
                f"""INSERT INTO count_shapes SELECT ?, target, {SHAPE}, min(at), max(at)
                    FROM incoming WHERE true GROUP BY target, {SHAPE} {SHAPE_BOUNDS}""",
                (campaign_id,),
            )
        return changed, len(batch) - changed


def _insert_rows(db: sqlite3.Connection, campaign_id: str, batch: CountColumns) -> None:
    """Insert a batch into ``observations`` a few hundred counts per statement (the table's key
    and checks as for any insert). What is the same for many counts is given once: a page's
    name for each run of its counts (a feed's, most files'), a figure none gives as NULL."""
    targets, seconds, likes, followers, _lines = batch
    n = len(seconds)
    runs: list[tuple[str | None, int]] = [(t, len(list(run))) for t, run in groupby(targets)]
    columns: list[Sequence] = [seconds]
    if len(runs) * _LONG_RUN > n:  # pages taking turns: each count's page is bound with it
        runs, columns = [(None, n)], [targets, seconds]
    given = [values.count(None) != n for values in (likes, followers)]
    columns += [values for values, kept in zip((likes, followers), given, strict=True) if kept]
    width = len(columns)
    flat = list(chain.from_iterable(zip(*columns, strict=True)))
    most = min(INSERT_ROWS, (db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - 2) // width)
    start = 0
    for target, count in runs:
        end = start + count
        head = (campaign_id,) if target is None else (campaign_id, target)
        while start < end:
            # Full statements, then the rest in halves: a few texts, each prepared once.
            size = most if end - start >= most else 1 << ((end - start).bit_length() - 1)
            db.execute(
                _insert_sql(size, target is not None, *given),
                (*head, *flat[start * width : (start + size) * width]),
            )
            start += size


@cache
def _insert_sql(rows: int, one_page: bool, likes: bool, followers: bool) -> str:
    """The INSERT of ``rows`` counts, binding the campaign, the page (``one_page``: once, else
    each count's), then each count's time and the figures given (``likes``, ``followers``)."""
    columns = ("target", not one_page), ("at", True), ("likes", likes), ("followers", followers)
    bound = [name for name, kept in columns if kept]
    names = ["?2" if one_page else "column1"]
    for name in ("at", "likes", "followers"):
        names.append(f"column{bound.index(name) + 1}" if name in bound else "NULL")
    row = "(" + ", ".join(["?"] * len(bound)) + ")"
    return (
        f"INSERT INTO observations SELECT ?1, {', '.join(names)} "
        f"FROM (VALUES {', '.join([row] * rows)})"
    )


def _note_changes(db: sqlite3.Connection, campaign_id: str, first: int, last: int) -> None:
    """The days of ``campaign_id``'s counts just written (every day from the first count's to
    the last's: a day noted without a change is only read again), under a new change number."""
    seq, shapes_seq = db.execute("SELECT seq, shapes_seq FROM store_identity").fetchone()
    if shapes_seq != seq:  # an older copy wrote counts without their shapes: built again
        log.warning("count shapes built again: counts were written without them")
        db.execute("DELETE FROM count_shapes")
        db.execute(SHAPES_FROM_OBSERVATIONS)
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
            f"INSERT INTO count_shapes VALUES (?, ?, ?, ?, ?) {SHAPE_BOUNDS}",
            [(campaign_id, target, shape, first, last) for target in pages],
        )
        return
    for target in pages:  # each page's range: the key's order, not a scan
        db.execute(
            f"""INSERT INTO count_shapes SELECT campaign, target, {SHAPE}, min(observed_at),
                max(observed_at) FROM observations WHERE campaign = ? AND target = ?
                AND observed_at >= ? AND observed_at <= ? AND {VALID_OBSERVATION}
                GROUP BY {SHAPE} {SHAPE_BOUNDS}""",
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
            targets, seconds, likes, followers, lines = (column[:size] for column in pending)
            yield targets, seconds, likes, followers, lines
            for column in pending:
                del column[:size]
    if pending[0]:
        targets, seconds, likes, followers, lines = pending
        yield targets, seconds, likes, followers, lines


def spans_of(observations: Iterable[Observation]) -> Spans:
    """Per page, the first and last moment of ``observations``."""
    spans: Spans = {}
    widen_spans(
        spans, ((o.target, to_epoch(o.observed_at), to_epoch(o.observed_at)) for o in observations)
    )
    return spans


INCOMING_SPAN = "SELECT min(at), max(at) FROM temp.incoming"


def widen_spans(spans: Spans, found: Iterable[tuple[str, int, int]]) -> None:
    """Widen each page's span to take in ``found`` (target, first, last)."""
    for target, first, last in found:
        low, high = spans.get(target, (first, last))
        spans[target] = (min(low, first), max(high, last))
