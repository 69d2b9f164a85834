"""Start at login, per user: a Run key on Windows, a LaunchAgent on macOS, an XDG autostart entry
on Linux. Started that way the app opens in the tray, without its window."""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from pathlib import Path

ENTRY_NAME = "CampaignCompanion"
LAUNCH_AGENT_LABEL = "org.campaigncompanion.campaign-gui"
MINIMIZED = "--minimized"


def command() -> list[str]:
    """How to start this very install, in the tray."""
    if getattr(sys, "frozen", False):  # a PyInstaller bundle: the executable is the app
        argv = [sys.executable]
    else:
        python = Path(sys.executable)
        windowless = python.with_name("pythonw.exe")
        if sys.platform == "win32" and windowless.exists():
            python = windowless
        argv = [str(python), "-m", "campaign_gui"]
    return [*argv, MINIMIZED]


def xdg_entry(argv: list[str]) -> str:
    exec_line = " ".join(_desktop_quote(a) for a in argv)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Campaign Companion\n"
        f"Exec={exec_line}\n"
        "Icon=campaign-gui\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def _desktop_quote(arg: str) -> str:
    if not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
        return arg
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    return f'"{escaped}"'


def launch_agent(argv: list[str]) -> bytes:
    return plistlib.dumps(
        {
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": argv,
            "RunAtLoad": True,
            "ProcessType": "Interactive",
        }
    )


def windows_run_value(argv: list[str]) -> str:
    return subprocess.list2cmdline(argv)


def xdg_path() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "autostart" / "campaign-gui.desktop"


def launch_agent_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"


RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


def enable(argv: list[str], platform: str = sys.platform) -> None:
    if platform == "win32":
        import winreg

        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
            winreg.SetValueEx(key, ENTRY_NAME, 0, winreg.REG_SZ, windows_run_value(argv))
    elif platform == "darwin":
        path = launch_agent_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(launch_agent(argv))
    else:
        path = xdg_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(xdg_entry(argv), encoding="utf-8")


def disable(platform: str = sys.platform) -> None:
    if platform == "win32":
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, ENTRY_NAME)
        except FileNotFoundError:
            pass
    elif platform == "darwin":
        launch_agent_path().unlink(missing_ok=True)
    else:
        xdg_path().unlink(missing_ok=True)


def is_enabled(platform: str = sys.platform) -> bool:
    if platform == "win32":
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                winreg.QueryValueEx(key, ENTRY_NAME)
            return True
        except FileNotFoundError:
            return False
    if platform == "darwin":
        return launch_agent_path().exists()
    return xdg_path().exists()
