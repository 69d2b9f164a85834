"""Start at login, per user: a Run key on Windows, a LaunchAgent on macOS, an XDG autostart entry
on Linux. Started that way the app opens in the tray, without its window."""

from __future__ import annotations

import errno
import os
import plistlib
import subprocess
import sys
from pathlib import Path

from .paths import AppPaths

ENTRY_NAME = "CampaignCompanion"
LAUNCH_AGENT_LABEL = "org.campaigncompanion.campaign-gui"
MINIMIZED = "--minimized"


def command(
    data_dir: Path | None = None,
    config_dir: Path | None = None,
    campaign: Path | None = None,
) -> list[str]:
    """How to start this very install in the tray, on the folders and campaign it runs with now.

    A folder that is the platform's default is left out (a start at login finds it by itself, as
    a start from the menu does); any other is kept, as an absolute path, so that a portable install
    started with ``--data-dir``/``--config-dir`` comes back on the same data at login.
    """
    if getattr(sys, "frozen", False):  # a PyInstaller bundle: the executable is the app
        argv = [sys.executable]
    else:
        python = Path(sys.executable)
        windowless = python.with_name("pythonw.exe")
        if sys.platform == "win32" and windowless.exists():
            python = windowless
        argv = [str(python), "-m", "campaign_gui"]
    defaults = AppPaths.resolve()
    for option, given, default in (
        ("--data-dir", data_dir, defaults.data_dir),
        ("--config-dir", config_dir, defaults.config_dir),
        ("--campaign", campaign, None),
    ):
        if given is not None and (default is None or _absolute(given) != _absolute(default)):
            argv += [option, str(_absolute(given))]
    return [*argv, MINIMIZED]


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))  # noqa: PTH100 - normalizes "..", unlike Path.absolute


def xdg_entry(argv: list[str]) -> str:
    """The XDG autostart entry that runs ``argv`` (Desktop Entry Specification 1.5)."""
    keys = {
        "Type": "Application",
        "Name": "Campaign Companion",
        "Exec": exec_value(argv),
        "Icon": "campaign-gui",
        "Terminal": "false",
        "X-GNOME-Autostart-enabled": "true",
    }
    return "[Desktop Entry]\n" + "".join(f"{k}={_string(v)}\n" for k, v in keys.items())


# What makes an Exec argument need quotes: the spec's "reserved characters".
_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
# What must be escaped with a backslash inside the quotes.
_ESCAPED_IN_QUOTES = frozenset('"`$\\')


def exec_value(argv: list[str]) -> str:
    """``argv`` as an Exec key's value (before the escapes of every string value, ``_string``).

    An argument with a reserved character (or none at all) is quoted, with ``"`` `` ` `` ``$`` and
    backslash escaped by a backslash inside the quotes; every ``%`` is doubled, since ``%`` starts
    a field code.
    """
    quoted = []
    for arg in argv:
        if arg and not _RESERVED.intersection(arg):
            quoted.append(arg.replace("%", "%%"))
        else:
            inner = "".join("\\" + c if c in _ESCAPED_IN_QUOTES else c for c in arg)
            quoted.append('"' + inner.replace("%", "%%") + '"')
    return " ".join(quoted)


_STRING_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _string(value: str) -> str:
    """A value of type string, escaped: it stays on its line, so no text can add a key."""
    escaped = "".join(_STRING_ESCAPES.get(c, c) for c in value)
    return "\\s" + escaped[1:] if escaped.startswith(" ") else escaped


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
        if sys.platform != "win32":  # as the import would; mypy checks the rest for Windows
            raise ModuleNotFoundError("No module named 'winreg'", name="winreg")
        import winreg

        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
            winreg.SetValueEx(key, ENTRY_NAME, 0, winreg.REG_SZ, windows_run_value(argv))
    elif platform == "darwin":
        path = launch_agent_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(launch_agent(argv))
    else:
        path = xdg_path()
        try:
            entry = xdg_entry(argv).encode("utf-8")
        except UnicodeEncodeError as exc:  # a path that is not UTF-8: no entry can hold it
            raise OSError(errno.EILSEQ, os.strerror(errno.EILSEQ), str(path)) from exc
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(entry)


def disable(platform: str = sys.platform) -> None:
    if platform == "win32":
        if sys.platform != "win32":  # as the import would; mypy checks the rest for Windows
            raise ModuleNotFoundError("No module named 'winreg'", name="winreg")
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
        if sys.platform != "win32":  # as the import would; mypy checks the rest for Windows
            raise ModuleNotFoundError("No module named 'winreg'", name="winreg")
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
