"""The counts of one window of time as a feed file, and the checks it passes before anything is
stored.

A chunk is JSON, by columns, each page's series in deltas (small numbers that compress well)::

    {"format": "campaign-gui-counts", "version": 2, "campaign": id, "from": 1796515200,
     "to": 1796601600, "series": [[target, times, likes, followers], ...]}

``times`` holds the first reading's time (seconds since 1970, UTC, within [from, to)) and then
the seconds from each reading to the next (all above zero). ``likes`` and ``followers`` hold the
first count and then the change from the previous count given; ``null`` for a count the page
did not give (the next one is then relative to the last one given), or ``null`` for the whole
column. Its hash is signed in the feed's metadata, but the content is checked as any door's is:
the campaign and window it claims, known targets, every value within ``limits``, the columns at
once (numpy) rather than row by row.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

import numpy as np

from .. import limits
from ..store import to_epoch
from .windows import Window

FORMAT = "campaign-gui-counts"
VERSION = 2
# A JSON true or false anywhere a value may stand (ids cannot hold "[", "," or ":"): numpy
# would take it for 1 or 0.
_BOOLEAN = re.compile(rb"[\[,:]\s*(?:true|false)\b")

Row = tuple[str, int, int | None, int | None]  # target, seconds, likes, followers


class ChunkError(ValueError):
    """A chunk that is not what it says; the message is the exact cause, for the log (the user
    is told that the campaign's data failed its checks)."""

    @property
    def detail(self) -> str:
        return str(self)


def _deltas(values: list[int | None]) -> list[int | None] | None:
    if all(v is None for v in values):
        return None
    out: list[int | None] = []
    last = 0
    for value in values:
        if value is None:
            out.append(None)
        else:
            out.append(value - last)
            last = value
    return out


def encode_chunk(campaign_id: str, window: Window, rows: Iterable[Row]) -> bytes:
    """The file for ``window`` holding ``rows``; the same rows always give the same bytes (a
    participant who has them recognises the file by its hash)."""
    by_target: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_target[row[0]].append(row)
    series = []
    for target in sorted(by_target):
        readings = sorted(by_target[target], key=lambda r: r[1])
        times = [r[1] for r in readings]
        steps = [times[0]] + [b - a for a, b in itertools.pairwise(times)]
        series.append(
            [
                target,
                steps,
                _deltas([r[2] for r in readings]),
                _deltas([r[3] for r in readings]),
            ]
        )
    document = {
        "format": FORMAT,
        "version": VERSION,
        "campaign": campaign_id,
        "from": window.start,
        "to": window.end,
        "series": series,
    }
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _integers(values: object, n: int | None, what: str) -> np.ndarray:
    """``values`` (a JSON list of integers, ``n`` long if given) as int64, or ChunkError."""
    if not isinstance(values, list) or not values or (n is not None and len(values) != n):
        raise ChunkError(f"{what}: not a list of {n or 'some'} numbers")
    try:
        column = np.array(values) if None not in values else None
    except (ValueError, TypeError, OverflowError):  # ragged or nested lists
        column = None
    if column is None or column.dtype != np.int64 or column.ndim != 1:
        raise ChunkError(f"{what}: not whole numbers")
    return column


def _counts(values: object, n: int, what: str) -> tuple[np.ndarray, np.ndarray]:
    """A count column: the counts (0 where missing) and which are given."""
    if values is None:
        return np.zeros(n, np.int64), np.zeros(n, bool)
    if not isinstance(values, list) or len(values) != n:
        raise ChunkError(f"{what}: not a list of {n} counts")
    given = np.ones(n, bool)
    if None in values:
        given = np.fromiter((v is not None for v in values), bool, n)
        values = [0 if v is None else v for v in values]
    steps = _integers(values, n, what)
    if np.abs(steps).max(initial=0) > limits.MAX_COUNT:
        raise ChunkError(f"{what}: a change larger than any count")
    # Each step is at most MAX_COUNT and each running total is checked below: a total could only
    # wrap around int64 after one far out of range, which is refused.
    totals = np.cumsum(steps)
    bad = given & ((totals < 0) | (totals > limits.MAX_COUNT))
    if bad.any():
        raise ChunkError(f"{what}: count {int(totals[bad.argmax()])} out of range")
    return totals, given


def decode_chunk(
    raw: bytes, *, campaign_id: str, window: Window, targets: Collection[str], now: datetime
) -> DecodedCounts:
    """The counts of a chunk named for ``window`` as the store takes them, by columns (targets,
    seconds, likes, followers, row numbers), or ``ChunkError`` naming the first problem."""
    try:
        return _decode(raw, campaign_id, window, targets, now)
    except ChunkError as exc:
        raise ChunkError(f"chunk {window.name}: {exc}") from None


def _decode(
    raw: bytes, campaign_id: str, window: Window, targets: Collection[str], now: datetime
) -> DecodedCounts:
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ChunkError(f"not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise ChunkError("not an object")
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise ChunkError(f"format {document.get('format')!r} version {document.get('version')!r}")
    if document.get("campaign") != campaign_id:
        raise ChunkError(f"campaign {str(document.get('campaign'))[:100]!r}")
    if document.get("from") != window.start or document.get("to") != window.end:
        raise ChunkError(f"window {str(document.get('from'))[:20]}-{str(document.get('to'))[:20]}")
    series = document.get("series")
    if not isinstance(series, list) or len(series) > len(targets):
        raise ChunkError("series is not a list of the campaign's pages")
    # The pattern needs a "true" or a "false": a chunk without either (the usual) is not scanned.
    if (b"true" in raw or b"false" in raw) and _BOOLEAN.search(raw):
        raise ChunkError("true or false where a number is expected")
    latest = min(to_epoch(limits.latest_observation(now)) + 1, window.end)
    runs: list[tuple[str, int]] = []
    columns: list[list[np.ndarray]] = [[], [], [], [], []]  # seconds, likes, given, followers…
    seen: set[str] = set()
    for number, entry in enumerate(series, 1):
        if not isinstance(entry, list) or len(entry) != 4:
            raise ChunkError(f"series {number} is not [target, times, likes, followers]")
        target, times, likes, followers = entry
        if not isinstance(target, str) or target not in targets or target in seen:
            raise ChunkError(f"series {number}: unknown or repeated target {str(target)[:100]!r}")
        seen.add(target)
        steps = _integers(times, None, f"{target} times")
        n = len(steps)
        if not window.start <= steps[0] < window.end:
            raise ChunkError(f"{target}: first time {int(steps[0])} outside the window")
        if n > 1 and (steps[1:].min() <= 0 or steps[1:].max() >= window.end - window.start):
            raise ChunkError(f"{target}: times not in order")
        at = np.cumsum(steps)
        if at[-1] >= latest:
            raise ChunkError(f"{target}: time {int(at[-1])} outside the window or in the future")
        like_counts, has_likes = _counts(likes, n, f"{target} likes")
        follower_counts, has_followers = _counts(followers, n, f"{target} followers")
        if not (has_likes | has_followers).all():
            raise ChunkError(f"{target}: a reading with neither likes nor followers")
        runs.append((target, n))
        for column, values in zip(
            columns, (at, like_counts, has_likes, follower_counts, has_followers), strict=True
        ):
            column.append(values)
    joined = [np.concatenate(c) if c else np.empty(0, np.int64) for c in columns]
    return DecodedCounts(runs, *joined)


class DecodedCounts(Sequence):
    """A chunk's counts by columns, as the store takes them (``CountColumns``: targets, seconds,
    likes, followers, row numbers), kept as numpy arrays until the store asks for a column:
    a year of counts waits for its merge in a tenth of the memory of Python lists."""

    def __init__(
        self,
        runs: list[tuple[str, int]],
        seconds: np.ndarray,
        likes: np.ndarray,
        has_likes: np.ndarray,
        followers: np.ndarray,
        has_followers: np.ndarray,
    ) -> None:
        self._runs, self._seconds = runs, seconds
        self._likes, self._followers = (likes, has_likes), (followers, has_followers)

    def __len__(self) -> int:
        return 5

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(5)[index]]
        if index < 0:
            index += 5
        if index == 0:
            return list(
                itertools.chain.from_iterable(itertools.repeat(t, n) for t, n in self._runs)
            )
        if index == 1:
            return self._seconds.tolist()
        if index in (2, 3):
            values, given = self._likes if index == 2 else self._followers
            if given.all():
                return values.tolist()
            # None where no count was given (an object array): numpy's stubs take no None here
            return np.where(given, values, None).tolist()  # type: ignore[call-overload]
        if index == 4:
            return range(1, len(self._seconds) + 1)
        raise IndexError(index)
