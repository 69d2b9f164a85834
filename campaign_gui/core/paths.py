"""Where the app keeps its data, settings and log: the platform's user dirs, or the ones given."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import platformdirs

APP_NAME = "CampaignCompanion"
APP_AUTHOR = "CampaignCompanion"
# In the data dir, held by the running copy of the app (ui/single_instance.py).
INSTANCE_LOCK = "instance.lock"


class AppPaths(NamedTuple):
    """The app's folders. A named tuple, as the other records read before every first paint:
    a frozen dataclass costs about half a millisecond more to define."""

    data_dir: Path
    config_dir: Path

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @classmethod
    def resolve(cls, data_dir: Path | None = None, config_dir: Path | None = None) -> AppPaths:
        """The user's dirs (``platformdirs``), each replaced by the one given, if any."""
        dirs = platformdirs.PlatformDirs(APP_NAME, APP_AUTHOR, roaming=False)
        return cls(
            data_dir=Path(data_dir) if data_dir else Path(dirs.user_data_dir),
            config_dir=Path(config_dir) if config_dir else Path(dirs.user_config_dir),
        )
