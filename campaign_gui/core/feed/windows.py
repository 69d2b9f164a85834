"""The windows of time the feed's counts are published in, and their file names.

Counts go in the smallest file that is still open and the largest that is closed, judged at the
moment of the publish (UTC): quarter-hours of the current hour, hours of today, days of this
month, whole months before. A participant who syncs every 15 minutes downloads one small file per
publish; one who arrives a year late downloads a dozen month files. When a window closes, its
counts move into one file of the level above (compaction). Each compacted file is signed with the
*content id* of its parts (``combine``), so a participant who already merged those parts records
it without downloading it.

    month    counts/2026-11.json
    day      counts/2026-11-29.json
    hour     counts/2026-11-29T10.json
    quarter  counts/2026-11-29T10h15.json
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

MONTH, DAY, HOUR, QUARTER = "month", "day", "hour", "quarter"
LEVELS = (MONTH, DAY, HOUR, QUARTER)  # from the largest
# The delegated TUF role that lists each level's files, and the paths it may list (fnmatch: the
# patterns have different lengths, so a name matches one role only).
ROLES = {MONTH: "months", DAY: "days", HOUR: "hours", QUARTER: "quarters"}
ROLE_PATHS = {
    "months": "counts/????-??.json",
    "days": "counts/????-??-??.json",
    "hours": "counts/????-??-??T??.json",
    "quarters": "counts/????-??-??T??h??.json",
}
_NAME = re.compile(
    r"counts/(?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2})(?:T(?P<h>\d{2})(?:h(?P<q>\d{2}))?)?)?\.json"
)
_QUARTER = 900
COMPACT_AFTER = 1800  # seconds: two publishes of a tracker that publishes every 15 minutes
_HOUR = 3600
_DAY = 86_400


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@dataclass(frozen=True, order=True)
class Window:
    start: int  # seconds since 1970 UTC, included
    end: int  # excluded
    level: str

    @property
    def name(self) -> str:
        at = _utc(self.start)
        if self.level == MONTH:
            return f"counts/{at:%Y-%m}.json"
        if self.level == DAY:
            return f"counts/{at:%Y-%m-%d}.json"
        if self.level == HOUR:
            return f"counts/{at:%Y-%m-%dT%H}.json"
        return f"counts/{at:%Y-%m-%dT%Hh%M}.json"

    @property
    def prefix(self) -> str:
        """What the names of the windows inside this one begin with."""
        return self.name.removesuffix(".json") + (
            "-" if self.level == MONTH else "T" if self.level == DAY else "h"
        )

    @property
    def role(self) -> str:
        return ROLES[self.level]

    def children(self) -> list[Window]:
        """The windows of the level below that make this one (none for a quarter)."""
        if self.level == QUARTER:
            return []
        below = LEVELS[LEVELS.index(self.level) + 1]
        out, at = [], self.start
        while at < self.end:
            child = window_of(below, at)
            out.append(child)
            at = child.end
        return out


def window_of(level: str, seconds: int) -> Window:
    """The window of ``level`` holding the instant ``seconds``."""
    if level == MONTH:
        at = _utc(seconds)
        first = datetime(at.year, at.month, 1, tzinfo=UTC)
        after = datetime(at.year + at.month // 12, at.month % 12 + 1, 1, tzinfo=UTC)
        return Window(_epoch(first), _epoch(after), MONTH)
    size = {DAY: _DAY, HOUR: _HOUR, QUARTER: _QUARTER}[level]
    start = seconds - seconds % size
    return Window(start, start + size, level)


def parse_name(name: str) -> Window | None:
    """The window a counts file's name stands for, or None for a name that is not one."""
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    y, m, d, h, q = (match[k] for k in ("y", "m", "d", "h", "q"))
    try:
        at = datetime(int(y), int(m), int(d or 1), int(h or 0), int(q or 0), tzinfo=UTC)
    except ValueError:
        return None
    if q is not None and int(q) % 15:
        return None
    level = QUARTER if q is not None else HOUR if h is not None else DAY if d else MONTH
    return window_of(level, _epoch(at))


def closed_by(now: datetime) -> int:
    """Windows that ended by this instant (seconds) are compacted at a publish at ``now``: a
    while after their end, so that a participant syncing every 15 minutes has had the chance to
    take the last version of their last quarter, and records the compacted file from its parts
    rather than downloading it."""
    return _epoch(now) - COMPACT_AFTER


def combine(parts: Mapping[str, str]) -> str | None:
    """A compacted window's content id from its parts' (name → content id); None without
    parts. A quarter's content id is its file's SHA-256."""
    if not parts:
        return None
    text = "\n".join(f"{name} {parts[name]}" for name in sorted(parts))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_id(window: Window, known: Callable[[str], str | None]) -> str | None:
    """``window``'s content id from what ``known`` gives for a file name (its content id, or
    None): a file's own if known, else its parts' combined, down to the quarters."""
    own = known(window.name)
    if own is not None or window.level == QUARTER:
        return own
    parts = {}
    for child in window.children():
        part = content_id(child, known)
        if part is not None:
            parts[child.name] = part
    return combine(parts)


def inside(window: Window, names: Iterable[str]) -> list[str]:
    """The names among ``names`` of windows strictly inside ``window``."""
    return [name for name in names if name.startswith(window.prefix)]
