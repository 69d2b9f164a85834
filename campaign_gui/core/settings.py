"""The user's settings, declared once with their types, defaults and valid values, in one JSON file.

The file is written atomically (a temporary file renamed over the old one), so a crash mid-write
never leaves half a file. Reading never fails: a file that cannot be read at all (not JSON, not an
object, too big, nested too deep, not UTF-8, NUL bytes, not a regular file) is kept aside as
``settings.json.broken-<UTC time>`` and the defaults are used; a single value of the wrong type or
out of range falls back to that setting's default, and the others are kept. Each is logged.
"""

from __future__ import annotations

import json
import logging
import os
import re
import stat
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, time
from pathlib import Path
from typing import Any

from .addresses import is_base_address
from .atomic_file import write_atomically
from .clock import Clock, SystemClock
from .errors import UserError
from .i18n import LANGUAGES
from .limits import MAX_GEOMETRY_TEXT, MAX_SCREEN_COORDINATE, MAX_SETTINGS_BYTES
from .reminders import ReminderTimes
from .set_aside import Identity, identity, set_aside

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"

_HH_MM = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]")
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


def _language(value: str) -> bool:
    return value == "" or value in LANGUAGES


def _hh_mm(value: str) -> bool:
    return _HH_MM.fullmatch(value) is not None


def _geometry(value: str) -> bool:
    return len(value) <= MAX_GEOMETRY_TEXT and _BASE64.fullmatch(value) is not None


def _on_screen(value: int) -> bool:
    return -MAX_SCREEN_COORDINATE <= value <= MAX_SCREEN_COORDINATE  # -1 (never placed) is in it


def _minutes(least: int) -> Callable[[int], bool]:
    return lambda value: least <= value <= 24 * 60


def _graph_version(value: str) -> bool:
    return re.fullmatch(r"v\d{1,2}\.\d", value) is not None


def _address_or_empty(value: str) -> bool:
    return value == "" or is_base_address(value)


def _setting(default: Any, valid: Callable[[Any], bool] | None = None) -> Any:
    """A setting's default and, beyond its exact type (the default's), the values it may take."""
    return field(default=default, metadata={"valid": valid})


@dataclass
class Settings:
    language: str = _setting("", _language)  # "" follows the system
    window_geometry: str = _setting("", _geometry)  # Qt's saveGeometry(), base64
    reminders: bool = _setting(True)
    remind_evening_before: bool = _setting(True)
    evening_time: str = _setting("20:00", _hh_mm)
    remind_morning_of: bool = _setting(True)
    morning_time: str = _setting("09:00", _hh_mm)
    widget_pinned: bool = _setting(False)
    widget_x: int = _setting(-1, _on_screen)
    widget_y: int = _setting(-1, _on_screen)
    start_at_login: bool = _setting(False)
    told_about_tray: bool = _setting(False)
    # The campaign's live data: how often to look for news, and another address than the
    # campaign's mirrors (a mirror a participant was told about); what it serves is still
    # checked against the campaign file's root.
    feed_sync: bool = _setting(True)
    feed_interval_minutes: int = _setting(15, _minutes(5))
    feed_url: str = _setting("", _address_or_empty)
    # The app's own updates: whether it checks once a day, and another address of the release
    # index than the app's (what it serves is still checked against the root the app carries).
    update_checks: bool = _setting(True)
    release_url: str = _setting("", _address_or_empty)
    # Organisers: tracking the operators' pages with the Graph API (never more often than every
    # 5 minutes: Meta throttles, and a page's count barely moves in less).
    tracking: bool = _setting(False)
    track_interval_minutes: int = _setting(10, _minutes(5))
    graph_api_version: str = _setting("v23.0", _graph_version)

    def __post_init__(self) -> None:
        # Not a setting (not a field: never saved): where an unreadable settings file was kept,
        # so the window can tell the user once. Each Settings its own.
        self.kept_aside: Path | None = None
        # Read with ``keep_aside=False`` from a file that cannot be read: defaults until it is
        # read again to be kept aside.
        self.unreadable = False

    def reminder_times(self) -> ReminderTimes:
        return ReminderTimes(
            evening_before=_clock(self.evening_time, time(20))
            if self.remind_evening_before
            else None,
            morning_of=_clock(self.morning_time, time(9)) if self.remind_morning_of else None,
            enabled=self.reminders,
        )


def _clock(text: str, default: time) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        log.warning("reminder time %r is not HH:MM; using %s", text, default)
        return default


class _UnreadableError(Exception):
    """The settings file cannot be read at all; the message says why, for the log."""


def load_settings(
    config_dir: Path, now: datetime | Clock | None = None, *, keep_aside: bool = True
) -> Settings:
    """The saved settings, each one checked; never raises.

    ``now`` (a datetime or the app's clock; the computer's clock if None) names the file kept aside
    when the settings cannot be read; without ``keep_aside`` it is left where it is, and the
    defaults come back marked ``unreadable`` (the command line's first look, before it knows the
    run is not a mistake).
    """
    path = config_dir / SETTINGS_FILE
    found = identity(path)
    try:
        raw = _read_object(path)
    except _UnreadableError as exc:
        settings = Settings()
        if keep_aside:
            settings.kept_aside = _keep_aside(path, found, str(exc), now)
        else:
            settings.unreadable = True
        return settings
    settings = Settings()
    if raw is None:
        return settings
    for f in fields(Settings):
        if f.name not in raw:
            continue
        value = raw[f.name]
        valid = f.metadata["valid"]
        if type(value) is type(f.default) and (valid is None or valid(value)):
            setattr(settings, f.name, value)
        else:
            log.warning(
                "setting %s in %s: %s is not a valid value; using the default, %r",
                f.name,
                path,
                _shown(value),
                f.default,
            )
    return settings


def _read_object(path: Path) -> dict[str, Any] | None:
    """The JSON object in ``path``, None if there is none; ``_UnreadableError`` if unreadable."""
    try:
        # Never blocks, even on a pipe; the size is checked before anything is read.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise _UnreadableError(f"cannot be opened: {exc}") from exc
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise _UnreadableError("not a regular file")
        if status.st_size > MAX_SETTINGS_BYTES:
            raise _UnreadableError(f"{status.st_size} bytes, more than {MAX_SETTINGS_BYTES}")
        data = b""
        while len(data) <= MAX_SETTINGS_BYTES:
            chunk = os.read(fd, MAX_SETTINGS_BYTES + 1 - len(data))
            if not chunk:
                break
            data += chunk
    except OSError as exc:
        raise _UnreadableError(f"cannot be read: {exc}") from exc
    finally:
        os.close(fd)
    if len(data) > MAX_SETTINGS_BYTES:
        raise _UnreadableError(f"more than {MAX_SETTINGS_BYTES} bytes")
    if b"\0" in data:
        raise _UnreadableError("it contains NUL bytes")
    try:
        raw = json.loads(data.decode("utf-8-sig"))  # a byte order mark (Notepad) is fine
    except UnicodeDecodeError as exc:
        raise _UnreadableError(f"not UTF-8: {exc}") from exc
    except RecursionError as exc:
        raise _UnreadableError("nested too deeply") from exc
    except ValueError as exc:  # not JSON, or a number too long to read
        raise _UnreadableError(f"not JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise _UnreadableError("not a JSON object")
    return raw


def _shown(value: object) -> str:
    """A value for the log: short, and never the whole of a nested one."""
    if isinstance(value, list | dict):
        return "a JSON list" if isinstance(value, list) else "a JSON object"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _keep_aside(
    path: Path, found: Identity | None, cause: str, now: datetime | Clock | None
) -> Path | None:
    """Rename the unreadable file ``settings.json.broken-<UTC time>[-n]``, never over another.

    If another copy of the app has meanwhile replaced it (``found`` is the file that was read), the
    new file is left alone.
    """
    if found is None:  # nothing there to keep (the folder itself cannot be read, or is a file)
        log.warning("settings file %s cannot be read (%s); using the default settings", path, cause)
        return None
    moment = now if isinstance(now, datetime) else (now or SystemClock()).now()
    try:
        kept = set_aside(path, found, moment)
    except OSError as exc:
        log.warning(
            "settings file %s cannot be read (%s) nor kept aside (%s); using the default settings",
            path,
            cause,
            exc,
        )
        return None
    if kept is None:
        log.warning(
            "settings file %s could not be read (%s) but was replaced meanwhile; "
            "using the default settings",
            path,
            cause,
        )
    else:
        log.warning(
            "settings file %s cannot be read (%s); kept as %s, using the default settings",
            path,
            cause,
            kept,
        )
    return kept


def save_settings(config_dir: Path, settings: Settings) -> None:
    """Write the settings whole (never half a file); an OSError if the dir cannot be written."""
    config_dir.mkdir(parents=True, exist_ok=True)
    try:
        write_atomically(
            config_dir / SETTINGS_FILE,
            lambda out: json.dump(asdict(settings), out, ensure_ascii=False, indent=2),
        )
    except UserError as exc:
        raise OSError(exc.detail) from exc
