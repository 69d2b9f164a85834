"""The user's settings, declared once with their types and defaults, kept in one JSON file.

The file is written atomically (a temporary file renamed over the old one), so a crash mid-write
never leaves half a file. A file that cannot be read is kept aside and the defaults are used.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime, time
from pathlib import Path

from .atomic_file import write_atomically
from .errors import UserError
from .reminders import ReminderTimes

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"


@dataclass
class Settings:
    language: str = ""  # "" follows the system
    window_geometry: str = ""  # Qt's saveGeometry(), base64
    reminders: bool = True
    remind_evening_before: bool = True
    evening_time: str = "20:00"
    remind_morning_of: bool = True
    morning_time: str = "09:00"
    widget_pinned: bool = False
    widget_x: int = -1
    widget_y: int = -1
    start_at_login: bool = False
    told_about_tray: bool = False

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


def load_settings(config_dir: Path) -> Settings:
    path = config_dir / SETTINGS_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as exc:
        kept = path.with_name(f"{path.name}.broken-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
        log.warning("settings %s unreadable (%s); kept as %s, using defaults", path, exc, kept)
        try:
            path.replace(kept)
        except OSError:
            log.exception("could not keep %s aside", path)
        return Settings()
    settings = Settings()
    for f in fields(Settings):
        value = raw.get(f.name)
        if isinstance(value, type(getattr(settings, f.name))):
            setattr(settings, f.name, value)
        elif value is not None:
            log.warning("setting %s has a value of the wrong type; using the default", f.name)
    return settings


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
