"""What a publish remembers in the feed's folder between two publishes, and the pruning of files
no longer listed.

``.publish-state.json`` holds the content id of each closed day, where the organiser's counts
stood when they were read (``count_files.CountSource.marker``) and the first day still open, so
the next publish reads only the days written or closed since; and when each file stopped being
listed. A file is removed ``layout.PRUNE_AFTER`` after that: a participant who started a sync
with the metadata that named it, or a mirror still serving that metadata (it holds for a day),
can still download it. Losing the file costs one full publish, nothing else. Nothing in it is
secret: it describes counts the feed publishes anyway.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from .. import limits
from ..atomic_file import write_atomically
from ..store import to_epoch
from . import layout, windows
from .count_files import Remembered

log = logging.getLogger(__name__)

STATE_FILE = ".publish-state.json"
# The only files prune ever removes: those publish writes (a copy beside each as ".gz").
_FEED_FILE = re.compile(
    r"metadata/(\d+\.)?(root|timestamp|snapshot|targets|months|days|hours|quarters)\.json"
    r"|targets/[0-9a-f]{64}\.campaign\.json"
    r"|targets/counts/[0-9a-f]{64}\.\d{4}-\d{2}(-\d{2}(T\d{2}(h\d{2})?)?)?\.json"
)
_FORMAT = 2
MAX_STATE_BYTES = 8 * 1024 * 1024  # a year is about 50 KB
_CONTENT_ID = re.compile(r"[0-9a-f]{64}")
_HEX = re.compile(r"[0-9a-f]{1,64}")


class FolderState:
    def __init__(self, out: Path) -> None:
        self.path = out / STATE_FILE
        self.remembered = Remembered()
        self.superseded: dict[str, int] = {}
        try:
            if self.path.stat().st_size > MAX_STATE_BYTES:
                raise ValueError(f"larger than {MAX_STATE_BYTES} bytes")
            data = json.loads(self.path.read_bytes())
            if not isinstance(data, dict) or data.get("format") != _FORMAT:
                raise ValueError("not this format")
            self.superseded = _superseded(data.get("superseded"))
            self.remembered = _remembered(data)
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError, AttributeError, RecursionError) as exc:
            # Anything else than what publish writes: every day is read again.
            log.warning("%s not used (%s): every day is read again", self.path, exc)

    def prune(self, out: Path, listed: Iterable[str], now: datetime) -> int:
        """Mark the feed's files in ``metadata/`` and ``targets/`` not in ``listed`` (paths
        relative to ``out``, with their ``.gz`` copies) as superseded now, and remove those
        superseded long enough ago; files of other names are never touched, nor links. Returns
        how many files were removed."""
        keep = set(listed)
        keep |= {name + ".gz" for name in keep}
        moment = to_epoch(now)
        present = set()
        removed = 0
        for folder in (layout.METADATA, layout.TARGETS):
            for path in sorted((out / folder).rglob("*")):
                if not path.is_file() or path.is_symlink():
                    continue
                name = path.relative_to(out).as_posix()
                if (
                    name in keep
                    or _root_version(name)
                    or not _FEED_FILE.fullmatch(name.removesuffix(".gz"))
                ):
                    continue
                since = self.superseded.setdefault(name, moment)
                if moment - since >= layout.PRUNE_AFTER.total_seconds():
                    path.unlink(missing_ok=True)
                    removed += 1
                else:
                    present.add(name)
        self.superseded = {k: v for k, v in self.superseded.items() if k in present}
        return removed

    def save(self) -> None:
        remembered = self.remembered
        data = {
            "format": _FORMAT,
            "days": dict(remembered.days),
            "marker": list(remembered.marker) if remembered.marker else None,
            "open_day": remembered.open_day,
            "pages": remembered.pages,
            "superseded": self.superseded,
        }
        text = json.dumps(data, separators=(",", ":"), sort_keys=True)
        write_atomically(self.path, lambda out: out.write(text))


def _superseded(found: object) -> dict[str, int]:
    if not isinstance(found, dict):
        raise ValueError("superseded is not an object")
    return {
        name: when
        for name, when in found.items()
        if isinstance(name, str)
        and _FEED_FILE.fullmatch(name.removesuffix(".gz"))
        and type(when) is int
        and limits.epoch_in_range(when)
    }


def _remembered(data: dict) -> Remembered:
    """What the last publish remembered, checked whole: one value out of place and none of it
    is used (a publish that reads everything is right; one that trusts a wrong id is not)."""
    days, marker, open_day, pages = (data.get(k) for k in ("days", "marker", "open_day", "pages"))
    if marker is None:
        return Remembered()  # counts that cannot say where they stand (``MemorySource``)
    if not isinstance(days, dict) or not all(
        isinstance(name, str)
        and (window := windows.parse_name(name)) is not None
        and window.level == windows.DAY
        and isinstance(day_id, str)
        and _CONTENT_ID.fullmatch(day_id)
        for name, day_id in days.items()
    ):
        raise ValueError("days")
    if not (
        isinstance(marker, list)
        and len(marker) == 3
        and isinstance(marker[0], str)
        and _HEX.fullmatch(marker[0])
        and type(marker[1]) is int
        and 0 <= marker[1] < 2**62
        and isinstance(marker[2], str)
        and (marker[2] == "" or _HEX.fullmatch(marker[2]))
    ):
        raise ValueError("marker")
    if not (type(open_day) is int and open_day % 86_400 == 0 and limits.epoch_in_range(open_day)):
        raise ValueError("open_day")
    if not (isinstance(pages, str) and _CONTENT_ID.fullmatch(pages)):
        raise ValueError("pages")
    return Remembered(days, (marker[0], marker[1], marker[2]), open_day, pages)


def _root_version(name: str) -> bool:
    """Every version of the root stays: a participant walks them all, one by one."""
    folder, _slash, base = name.rpartition("/")
    return folder == layout.METADATA and base.endswith(".root.json") and base[0].isdigit()
