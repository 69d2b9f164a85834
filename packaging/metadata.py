"""The names and numbers every package of the app carries, decided once.

Read by the spec, ``build.py`` and the templates in ``resources/``. The app's own code decides some
of them first (the desktop file name in ``ui/app.py``, the launch agent label and Run value name in
``core/autostart.py``, the data folder in ``core/paths.py``); they are repeated here, and
``check_app_agrees`` fails the build if the two ever differ.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

APP_NAME = "Campaign Companion"
PUBLISHER = "Campaign Companion"
DESCRIPTION = "Follow a consumer campaign's like losses and action days from the desktop"
LICENSE = "GPL-3.0-or-later"
COPYRIGHT = "Campaign Companion contributors"

# The frozen folder and its executables (the console one is built on Windows only).
DIST_NAME = "campaign-gui"
EXE_NAME = "campaign-gui"
CLI_EXE_NAME = "campaign-gui-cli"

# Linux: the desktop entry and the icon are named as ui/app.py's setDesktopFileName, so Wayland
# compositors match the window to its entry; AppStream wants a reverse-DNS component id.
DESKTOP_ID = "campaign-gui"
ICON_NAME = "campaign-gui"
APPSTREAM_ID = "org.campaigncompanion.campaign_gui"

# macOS: the bundle id is core/autostart.py's LaunchAgent label, so both name the same program.
BUNDLE_ID = "org.campaigncompanion.campaign-gui"
BUNDLE_NAME = f"{APP_NAME}.app"
# The lowest macOS the bundle claims; the spec raises it to what the collected binaries need.
MACOS_MINIMUM = "12.0"
LOCALIZATIONS = ("ar", "fr", "en")

# Windows: the Run value is core/autostart.py's ENTRY_NAME; the data folder is platformdirs'
# %LOCALAPPDATA%\<appauthor>\<appname> for core/paths.py's names.
RUN_VALUE = "CampaignCompanion"
DATA_FOLDER_WINDOWS = r"CampaignCompanion\CampaignCompanion"
UNINSTALL_KEY = "CampaignCompanion"


def version() -> str:
    """``campaign_gui.__version__``, read from the source so no app import is needed."""
    text = (ROOT / "campaign_gui" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if not match:
        raise SystemExit("campaign_gui/__init__.py: no __version__ found")
    return match.group(1)


def version_tuple(text: str | None = None) -> tuple[int, int, int, int]:
    """The version as Windows' four numbers: 0.1.0 -> (0, 1, 0, 0); 1.2.0rc1 -> (1, 2, 0, 0)."""
    numbers = [int(n) for n in re.findall(r"\d+", re.split(r"[^\d.]", text or version())[0])]
    return (*numbers, 0, 0, 0, 0)[:4]  # type: ignore[return-value]


def check_app_agrees() -> None:
    """Fail if the app's own sources name things differently from this file."""
    expected = (
        ("campaign_gui/ui/app.py", f'setDesktopFileName("{DESKTOP_ID}")'),
        ("campaign_gui/core/autostart.py", f'LAUNCH_AGENT_LABEL = "{BUNDLE_ID}"'),
        ("campaign_gui/core/autostart.py", f'ENTRY_NAME = "{RUN_VALUE}"'),
        ("campaign_gui/core/paths.py", 'APP_NAME = "CampaignCompanion"'),
        ("campaign_gui/core/paths.py", 'APP_AUTHOR = "CampaignCompanion"'),
    )
    for path, line in expected:
        if line not in (ROOT / path).read_text(encoding="utf-8"):
            raise SystemExit(f"{path} no longer has {line!r}: update packaging/metadata.py")
