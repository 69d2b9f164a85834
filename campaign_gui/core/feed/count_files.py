"""Which counts files a publish lists, and their bytes: only what changed is read and encoded.

A closed day is read from the organiser's store only when its fingerprint (a summary the store
computes without handing the rows over) differs from the one remembered for it in the folder's
``.publish-state.json``; otherwise its content id is the remembered one, and the file already
listed for it (or for its month) is listed again as it is. So a publish every 15 minutes reads
today's counts and a few fingerprints, not the year.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from ..store import Observation, Store, to_epoch
from . import windows
from .chunks import Row, encode_chunk
from .windows import Window, window_of


class CountSource(Protocol):
    """The organiser's counts of the campaign's pages, read at or before the publish."""

    def day_fingerprints(self, before: int) -> dict[int, str]:
        """Each UTC day (its first second) with counts before ``before``: a fingerprint of them."""
        ...

    def rows(self, start: int, end: int) -> list[Row]:
        """The counts read in [start, end), by page and time."""
        ...

    # Counts not published, as participants would refuse them: page id -> how many (pages the
    # campaign no longer lists), and how many were read after the publish.
    left_out: Mapping[str, int]
    future: int


@dataclass(frozen=True)
class CountFile:
    window: Window
    parts: str | None  # the content id of a compacted file; None for a quarter
    data: bytes | None = None  # None: the file already listed is listed again as it is


@dataclass
class Plan:
    files: dict[str, CountFile] = field(default_factory=dict)
    days: dict[str, list[str]] = field(default_factory=dict)  # remembered: day -> [print, id]


def _quarter_ids(campaign_id: str, rows: list[Row], start: int, end: int) -> dict[str, str]:
    """The content ids of the quarters with counts in [start, end)."""
    ids = {}
    times = [r[1] for r in rows]
    at = start
    while at < end:
        quarter = window_of(windows.QUARTER, at)
        lo, hi = bisect.bisect_left(times, quarter.start), bisect.bisect_left(times, quarter.end)
        if lo < hi:
            data = encode_chunk(campaign_id, quarter, rows[lo:hi])
            ids[quarter.name] = hashlib.sha256(data).hexdigest()
        at = quarter.end
    return ids


def _sorted_by_time(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (r[1], r[0]))


def _slice(rows: list[Row], window: Window) -> list[Row]:
    times = [r[1] for r in rows]
    return rows[bisect.bisect_left(times, window.start) : bisect.bisect_left(times, window.end)]


def plan(
    campaign_id: str,
    source: CountSource,
    now: datetime,
    remembered: Mapping[str, list[str]],
    listed: Callable[[str], str | None],
) -> Plan:
    """The files to list at a publish at ``now``. ``remembered``: day → [fingerprint, content
    id] from the last publish; ``listed``: a name's content id as the folder lists it now."""
    moment = to_epoch(now)
    cut = windows.closed_by(now)  # windows that ended by then are compacted
    open_day = window_of(windows.DAY, cut)
    open_month = window_of(windows.MONTH, cut)
    result = Plan()
    day_ids: dict[int, str] = {}
    for start, fingerprint in sorted(source.day_fingerprints(open_day.start).items()):
        day = window_of(windows.DAY, start)
        kept = remembered.get(day.name)
        if kept is not None and kept[0] == fingerprint:
            day_ids[day.start] = kept[1]
        else:
            rows = _sorted_by_time(source.rows(day.start, day.end))
            hours = {}
            for hour in day.children():
                ids = _quarter_ids(campaign_id, _slice(rows, hour), hour.start, hour.end)
                if ids:
                    hours[hour.name] = windows.combine(ids)
            day_id = windows.combine(hours)
            if day_id is None:
                continue
            day_ids[day.start] = day_id
        result.days[day.name] = [fingerprint, day_ids[day.start]]

    by_month: dict[Window, dict[str, str]] = defaultdict(dict)
    for start, day_id in day_ids.items():
        by_month[window_of(windows.MONTH, start)][window_of(windows.DAY, start).name] = day_id
    for month, parts in sorted(by_month.items()):
        if month.start < open_month.start:
            _compacted(result, campaign_id, source, month, windows.combine(parts), listed)
        else:
            for name, day_id in parts.items():
                day = windows.parse_name(name)
                assert day is not None
                _compacted(result, campaign_id, source, day, day_id, listed)

    # The open day's closed hours, then the quarters of the hours still open (up to now).
    rows = _sorted_by_time(source.rows(open_day.start, moment + 1))
    at = open_day.start
    while at <= moment:
        hour = window_of(windows.HOUR, at)
        at = hour.end
        in_hour = _slice(rows, hour)
        if not in_hour:
            continue
        if hour.end <= cut:
            hour_id = windows.combine(_quarter_ids(campaign_id, in_hour, hour.start, hour.end))
            data = (
                None if listed(hour.name) == hour_id else encode_chunk(campaign_id, hour, in_hour)
            )
            result.files[hour.name] = CountFile(hour, hour_id, data)
        else:
            for quarter in hour.children():
                in_quarter = _slice(in_hour, quarter)
                if in_quarter:
                    data = encode_chunk(campaign_id, quarter, in_quarter)
                    result.files[quarter.name] = CountFile(quarter, None, data)
    return result


def _compacted(
    result: Plan,
    campaign_id: str,
    source: CountSource,
    window: Window,
    parts: str | None,
    listed: Callable[[str], str | None],
) -> None:
    if parts is None:
        return
    data = None
    if listed(window.name) != parts:
        data = encode_chunk(
            campaign_id, window, _sorted_by_time(source.rows(window.start, window.end))
        )
    result.files[window.name] = CountFile(window, parts, data)


class MemorySource:
    """Counts given as a list (tests, and callers that hold them already)."""

    def __init__(self, observations: Iterable[Observation], targets: set[str], now: datetime):
        self.left_out: dict[str, int] = defaultdict(int)
        self.future = 0
        moment = to_epoch(now)
        rows = []
        for obs in observations:
            at = to_epoch(obs.observed_at)
            if obs.target not in targets:
                self.left_out[obs.target] += 1
            elif at > moment:
                self.future += 1
            else:
                rows.append((obs.target, at, obs.likes, obs.followers))
        self._rows = sorted(rows, key=lambda r: (r[1], r[0]))
        self._times = [r[1] for r in self._rows]

    def rows(self, start: int, end: int) -> list[Row]:
        lo, hi = bisect.bisect_left(self._times, start), bisect.bisect_left(self._times, end)
        return self._rows[lo:hi]

    def day_fingerprints(self, before: int) -> dict[int, str]:
        days: dict[int, Any] = {}  # hashlib's objects
        for row in self.rows(0, before):
            start = row[1] - row[1] % 86_400
            days.setdefault(start, hashlib.sha256()).update(repr(row).encode())
        return {start: digest.hexdigest() for start, digest in days.items()}


class StoreSource:
    """The organiser's counts as the store keeps them (their own keys), read as a publish needs."""

    def __init__(self, store: Store, keys: Sequence[str], targets: set[str], now: datetime):
        self._store, self._keys, self._targets = store, tuple(keys), targets
        self._end = to_epoch(now) + 1
        self.left_out, self.future = store.counts_not_published(
            keys, sorted(targets), self._end - 1
        )

    def rows(self, start: int, end: int) -> list[Row]:
        return self._store.count_rows(self._keys, self._targets, start, min(end, self._end))

    def day_fingerprints(self, before: int) -> dict[int, str]:
        return self._store.day_fingerprints(self._keys, self._targets, min(before, self._end))
