"""Which counts files a publish lists, and their bytes: only what changed is read and encoded.

A closed day is read from the organiser's store only when counts of it were written since the
last publish (the store numbers its writes; the folder's ``.publish-state.json`` keeps the number
it saw), or when it closed since then; otherwise its content id is the one remembered, and the
file already listed for it (or for its month) is listed again as it is. So a publish every 15
minutes reads the open day's counts and a short list of changed days, not the year.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from ..store import Observation, Store, to_epoch
from . import windows
from .chunks import Row, encode_chunk
from .windows import Window, window_of

# The longest time between two publishes that still reads only what changed (a folder left for
# longer is read whole).
MAX_MEMORY_GAP = 400 * 86_400


class CountSource(Protocol):
    """The organiser's counts of the campaign's pages, read at or before the publish."""

    def marker(self) -> tuple[str, int, str] | None:
        """Where the counts stand now (``Store.change_marker``), or None for counts that cannot
        say: every publish then reads every day."""
        ...

    def changed_days(self, since: tuple[str, int, str]) -> set[int] | None:
        """The UTC days (their first second) written after ``since`` (a ``marker``), or None if
        ``since`` is not a marker of these counts."""
        ...

    def days(self, before: int) -> set[int]:
        """Every UTC day with counts before ``before``."""
        ...

    def rows(self, start: int, end: int) -> list[Row]:
        """The counts read in [start, end), by page and time."""
        ...

    # Counts not published, as participants would refuse them: page id -> how many (pages the
    # campaign no longer lists), and how many were read after the publish. Read-only here, so a
    # source may keep them in a dict.
    @property
    def left_out(self) -> Mapping[str, int]: ...

    @property
    def future(self) -> int: ...


@dataclass(frozen=True)
class CountFile:
    window: Window
    parts: str | None  # the content id of a compacted file; None for a quarter
    data: bytes | None = None  # None: the file already listed is listed again as it is


@dataclass
class Plan:
    files: dict[str, CountFile] = field(default_factory=dict)
    days: dict[str, str] = field(default_factory=dict)  # to remember: closed day -> content id
    open_day: int = 0  # the first day not closed (its first second)


@dataclass
class Remembered:
    """What the last publish into the folder left for the next one."""

    days: Mapping[str, str] = field(default_factory=dict)  # closed day's name -> content id
    marker: tuple[str, int, str] | None = None  # the source's marker when it read
    open_day: int | None = None  # the first day that was not closed
    pages: str = ""  # the campaign and its pages they were read for (``pages_id``)


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


class _Reader:
    """The source's rows of a window, each window read once per publish, sorted by time."""

    def __init__(self, source: CountSource) -> None:
        self._source = source
        self._read: dict[tuple[int, int], list[Row]] = {}

    def __call__(self, start: int, end: int) -> list[Row]:
        if (start, end) not in self._read:
            self._read[start, end] = _sorted_by_time(self._source.rows(start, end))
        return self._read[start, end]


def _day_id(campaign_id: str, read: _Reader, day: Window) -> str | None:
    rows = read(day.start, day.end)
    hours = {}
    for hour in day.children():
        hour_id = windows.combine(
            _quarter_ids(campaign_id, _slice(rows, hour), hour.start, hour.end)
        )
        if hour_id is not None:  # an hour with counts
            hours[hour.name] = hour_id
    return windows.combine(hours)


def plan(
    campaign_id: str,
    source: CountSource,
    now: datetime,
    remembered: Remembered,
    listed: Callable[[str], str | None],
    pages: str,
) -> Plan:
    """The files to list at a publish at ``now``; ``listed``: a name's content id as the
    folder lists it now (None: not listed, or not there); ``pages``: the campaign and its pages
    (``pages_id``): what was remembered for others is read again."""
    moment = to_epoch(now)
    cut = windows.closed_by(now)  # windows that ended by then are compacted
    open_day = window_of(windows.DAY, cut)
    open_month = window_of(windows.MONTH, cut)
    result = Plan(open_day=open_day.start)
    read = _Reader(source)
    changed = None
    if (
        remembered.marker is not None
        and remembered.open_day is not None
        and remembered.pages == pages
        and 0 <= open_day.start - remembered.open_day <= MAX_MEMORY_GAP
    ):
        changed = source.changed_days(remembered.marker)
    if changed is None or remembered.open_day is None:  # no usable memory: every day is read
        to_read = source.days(open_day.start)
        candidates = set(to_read)
    else:
        # Days written since, and days closed since (their counts were read open, not closed).
        closed_since = range(remembered.open_day, open_day.start, 86_400)
        to_read = {d for d in changed if d < open_day.start} | set(closed_since)
        known = {w.start for n in remembered.days if (w := windows.parse_name(n))}
        candidates = to_read | {d for d in known if d < open_day.start}
    day_ids: dict[int, str] = {}
    for start in sorted(candidates):
        day = window_of(windows.DAY, start)
        day_id = remembered.days.get(day.name) if start not in to_read else None
        if day_id is None and start in to_read:
            day_id = _day_id(campaign_id, read, day)
        if day_id is not None:
            day_ids[start] = day_id
            result.days[day.name] = day_id

    by_month: dict[Window, dict[str, str]] = defaultdict(dict)
    for start, day_id in day_ids.items():
        by_month[window_of(windows.MONTH, start)][window_of(windows.DAY, start).name] = day_id
    for month, parts in sorted(by_month.items()):
        if month.start < open_month.start:
            _compacted(result, campaign_id, read, month, windows.combine(parts), listed)
        else:
            for name, day_id in parts.items():
                named = windows.parse_name(name)
                assert named is not None
                _compacted(result, campaign_id, read, named, day_id, listed)

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
    read: _Reader,
    window: Window,
    parts: str | None,
    listed: Callable[[str], str | None],
) -> None:
    """The file of a closed day or month: listed again as it is when its content id is the one
    listed, else encoded from the counts, its id computed from them (never from memory)."""
    if parts is None:
        return
    data = None
    if listed(window.name) != parts:
        days = [window] if window.level == windows.DAY else window.children()
        read_ids = {day.name: _day_id(campaign_id, read, day) for day in days}
        ids = {name: day_id for name, day_id in read_ids.items() if day_id is not None}
        result.days.update(ids)
        parts = ids.get(window.name) if window.level == windows.DAY else windows.combine(ids)
        if parts is None:
            return
        data = encode_chunk(campaign_id, window, read(window.start, window.end))
    result.files[window.name] = CountFile(window, parts, data)


def pages_id(campaign_id: str, targets: Iterable[str]) -> str:
    """What the counts were read for: the campaign and its pages (a page removed leaves its
    counts in the store, and no longer in the feed)."""
    text = "\n".join([campaign_id, *sorted(targets)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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

    def marker(self) -> None:
        return None

    def changed_days(self, since: tuple[str, int, str]) -> None:
        return None

    def days(self, before: int) -> set[int]:
        return {row[1] - row[1] % 86_400 for row in self.rows(0, before)}


class StoreSource:
    """The organiser's counts as the store keeps them (their own keys), read as a publish needs."""

    def __init__(self, store: Store, keys: Sequence[str], targets: set[str], now: datetime):
        self._store, self._keys, self._targets = store, tuple(keys), targets
        self._end = to_epoch(now) + 1
        # First: a write while this publish reads is read at the next one.
        self._marker = store.change_marker()
        self.left_out, self.future = store.counts_not_published(
            keys, sorted(targets), self._end - 1
        )

    def rows(self, start: int, end: int) -> list[Row]:
        return self._store.count_rows(self._keys, self._targets, start, min(end, self._end))

    def marker(self) -> tuple[str, int, str]:
        return self._marker

    def changed_days(self, since: tuple[str, int, str]) -> set[int] | None:
        return self._store.changed_days(self._keys, since)

    def days(self, before: int) -> set[int]:
        return self._store.count_days(self._keys, self._targets, min(before, self._end))
