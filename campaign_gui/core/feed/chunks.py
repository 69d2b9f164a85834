"""One day of like counts as a feed file, and the checks it passes before anything is stored.

A chunk is JSON: ``{"format": "campaign-gui-counts", "version": 1, "campaign": id, "day":
"2026-11-29", "counts": [[target, epoch seconds UTC, likes, followers], ...]}``, where likes or
followers (not both) may be null. Its
hash is signed in the feed's targets metadata, but the content is checked as any door's is: the
campaign and day it claims, known targets, every value within ``limits``.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from datetime import UTC, date, datetime

from .. import limits
from ..store import CountRow, Observation, to_epoch

FORMAT = "campaign-gui-counts"
VERSION = 1


class ChunkError(ValueError):
    """A chunk that is not what it says; the message is the exact cause, for the log (the user
    is told that the campaign's data failed its checks)."""

    @property
    def detail(self) -> str:
        return str(self)


def encode_chunk(campaign_id: str, day: date, observations: Iterable[Observation]) -> bytes:
    rows = sorted([o.target, to_epoch(o.observed_at), o.likes, o.followers] for o in observations)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "campaign": campaign_id,
        "day": day.isoformat(),
        "counts": rows,
    }
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _count(value: object, optional: bool) -> bool:
    if value is None:
        return optional
    return not isinstance(value, bool) and isinstance(value, int) and limits.count_in_range(value)


def decode_chunk(
    raw: bytes, *, campaign_id: str, day: date, targets: Collection[str], now: datetime
) -> list[CountRow]:
    """The counts of a chunk named for ``day`` as the store takes them (target, seconds, likes,
    followers, row number), or ``ChunkError`` naming the first problem."""

    def refuse(problem: str) -> ChunkError:
        return ChunkError(f"chunk {day}: {problem}")

    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise refuse(f"not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise refuse("not an object")
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise refuse(f"format {document.get('format')!r} version {document.get('version')!r}")
    if document.get("campaign") != campaign_id:
        raise refuse(f"campaign {str(document.get('campaign'))[:100]!r}")
    if document.get("day") != day.isoformat():
        raise refuse(f"day {str(document.get('day'))[:20]!r}")
    rows = document.get("counts")
    if not isinstance(rows, list):
        raise refuse("counts is not a list")
    latest = to_epoch(limits.latest_observation(now))
    first = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
    rows_read: list[CountRow] = []
    for number, row in enumerate(rows, 1):
        if not isinstance(row, list) or len(row) != 4:
            raise refuse(f"row {number} is not [target, time, likes, followers]")
        target, at, likes, followers = row
        if not isinstance(target, str) or target not in targets:
            raise refuse(f"row {number}: unknown target {str(target)[:100]!r}")
        if isinstance(at, bool) or not isinstance(at, int):
            raise refuse(f"row {number}: time {str(at)[:40]!r}")
        if not (first <= at < first + 86_400) or not limits.epoch_in_range(at) or at > latest:
            raise refuse(f"row {number}: time {at} is not on {day} or is in the future")
        both_missing = likes is None and followers is None
        if both_missing or not _count(likes, optional=True) or not _count(followers, optional=True):
            raise refuse(f"row {number}: counts {str(likes)[:40]!r}, {str(followers)[:40]!r}")
        rows_read.append((target, at, likes, followers, number))
    return rows_read
