"""Every test runs offscreen, with its own temp data and config dirs; nothing touches real ones."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from campaign_gui.core.campaign import Campaign, load_bundled_campaign
from campaign_gui.core.i18n import set_language
from campaign_gui.core.paths import AppPaths

# A laptop-sized offscreen screen (the plugin's default is 800 x 600);
# set before pytest-qt creates the QApplication.
_SCREEN = Path(__file__).with_name("offscreen-screen.json")
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")


def app_command(base: Path, *args: str) -> list[str]:
    """``campaign-gui`` with its data and settings in ``base``, as a test runs it."""
    return [
        sys.executable,
        "-m",
        "campaign_gui",
        "--data-dir",
        str(base / "data"),
        "--config-dir",
        str(base / "config"),
        *args,
    ]


def offscreen_env(**extra: str) -> dict[str, str]:
    """The environment for an app process started by a test: offscreen, never a real display."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("home")
    for variable in (
        "HOME",
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "XDG_CACHE_HOME",
        "XDG_STATE_HOME",
    ):
        monkeypatch.setenv(variable, str(home))
    for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths(data_dir=tmp_path / "data", config_dir=tmp_path / "config")


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    return load_bundled_campaign()
