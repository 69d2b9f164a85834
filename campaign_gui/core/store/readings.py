"""Counts out: a page's readings for the graph and its latest figures, and what a publish
reads (the counts of a window, the days written since the last one)."""

from __future__ import annotations

import heapq
import logging
from collections.abc import Collection, Iterable, Iterator, Sequence

import numpy as np

from .. import limits
from ..campaign import MEASURES
from ..page_counts import ABSENT, PageCounts, first_key_wins, no_counts
from .connection import StoreConnection
from .records import Observation, from_epoch
from .schema import SHAPE, VALID_OBSERVATION

log = logging.getLogger(__name__)

# The shapes a measure's lookups look among: those that carry it, and those that lack it.
_CARRY = {"likes": (1, 3), "followers": (2, 3)}
_LACK = {"likes": (2,), "followers": (1,)}


class CountReads(StoreConnection):
    """Reading counts back; a row outside the valid ranges is skipped (and logged)."""

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
                WHERE campaign = ? AND {VALID_OBSERVATION} ORDER BY target, observed_at""",
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
                AND {VALID_OBSERVATION} ORDER BY observed_at""",
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
            AND {{column}} IS {{given}} AND {VALID_OBSERVATION}
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
                    AND {VALID_OBSERVATION}""",
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
                    AND {VALID_OBSERVATION} ORDER BY observed_at {order} LIMIT 1""",
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
                f"""SELECT {SHAPE}, min(observed_at), max(observed_at) FROM observations
                    WHERE campaign = ? AND target = ? AND {VALID_OBSERVATION}
                    GROUP BY {SHAPE}""",
                (key, target),
            )
        }

    def _log_invalid_observations(self, campaign_id: str) -> None:
        bad = self._db.execute(
            f"SELECT count(*) FROM observations WHERE campaign = ? AND NOT ({VALID_OBSERVATION})",
            (campaign_id,),
        ).fetchone()[0]
        if bad:
            log.warning(
                "%s: %d stored like counts are out of range and are not shown", self.path, bad
            )

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
