"""What the app remembers about updates, app-wide (not a campaign's): when it last checked (it
checks at most once a day on its own), the versions it already announced (a tray notice once
per version) and the version the last check found (a restart shows it again, once
``update_client.kept_update`` has verified it anew from the trusted metadata on disk; a check
that finds the app up to date forgets it).

A small JSON file in the data dir (``updates/state.json``), written whole by ``atomic_file``:
the store is a campaign's SQLite file, which the command line's ``update check`` has no reason
to open, and which a campaign change would leave behind. The file is read once, checked here;
an unreadable one is as if none were there (the worst outcome: one check, one notice again).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from .. import limits
from ..atomic_file import write_atomically
from .release_index import ReleaseIndexError, Version
from .update_client import UPDATES_FOLDER

log = logging.getLogger(__name__)

STATE_FILE = "state.json"
CHECK_EVERY = timedelta(days=1)
_MAX_ANNOUNCED = 100


@dataclass(frozen=True)
class UpdateState:
    last_check: datetime | None = None
    announced: tuple[str, ...] = ()  # versions, oldest first
    found: str | None = None  # the version the last check found; None: up to date

    def check_due(self, now: datetime) -> bool:
        """Whether the app checks on its own now: never checked, a day since, or a clock that
        went back (the last check later than now)."""
        last = self.last_check
        return last is None or not timedelta(0) <= now - last < CHECK_EVERY

    def due_in(self, now: datetime) -> timedelta:
        """How long until the app checks on its own (nothing when a check is due now)."""
        if self.last_check is None or self.check_due(now):
            return timedelta(0)
        return self.last_check + CHECK_EVERY - now

    def checked(self, now: datetime, found: Version | None) -> UpdateState:
        """After a check at ``now`` that found ``found`` (None: the app is up to date)."""
        return replace(self, last_check=now, found=None if found is None else str(found))

    def should_announce(self, version: Version) -> bool:
        return str(version) not in self.announced

    def announce(self, version: Version) -> UpdateState:
        if not self.should_announce(version):
            return self
        return replace(self, announced=(*self.announced, str(version))[-_MAX_ANNOUNCED:])


def state_path(data_dir: Path) -> Path:
    return data_dir / UPDATES_FOLDER / STATE_FILE


def load_update_state(data_dir: Path) -> UpdateState:
    """The state kept in ``data_dir``; never raises (what is not valid is left out, and logged)."""
    path = state_path(data_dir)
    try:
        with path.open("rb") as file:
            raw = json.loads(file.read(limits.MAX_SETTINGS_BYTES + 1).decode("utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not an object")
    except FileNotFoundError:
        return UpdateState()
    except (OSError, ValueError, RecursionError) as exc:
        log.warning("%s cannot be read (%s): as if never checked", path, exc)
        return UpdateState()
    last = None
    seconds = raw.get("last_check")
    if isinstance(seconds, int | float) and limits.epoch_in_range(seconds):
        last = datetime.fromtimestamp(seconds, limits.EARLIEST.tzinfo)
    elif seconds is not None:
        log.warning("%s: last_check %r is out of range", path, str(seconds)[:40])
    announced = []
    for version in raw.get("announced", []) if isinstance(raw.get("announced"), list) else []:
        try:
            announced.append(str(Version.parse(version)))
        except ReleaseIndexError:
            log.warning("%s: announced %r is not a version", path, str(version)[:40])
    found = None
    if raw.get("found") is not None:
        try:
            found = str(Version.parse(raw["found"]))
        except ReleaseIndexError:
            log.warning("%s: found %r is not a version", path, str(raw["found"])[:40])
    return UpdateState(last, tuple(announced[-_MAX_ANNOUNCED:]), found)


def save_update_state(data_dir: Path, state: UpdateState) -> None:
    """Write ``state`` whole (a ``UserError`` if it cannot be written)."""
    document = {
        "last_check": int(state.last_check.timestamp()) if state.last_check else None,
        "announced": list(state.announced),
        "found": state.found,
    }
    path = state_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, lambda out: json.dump(document, out, indent=1))
