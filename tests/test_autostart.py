"""Start at login: the Linux XDG entry written and removed, its Exec line read back as the Desktop
Entry Specification says; the Windows and macOS entries; the command keeps the folders in use."""

from __future__ import annotations

import json
import os
import plistlib
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from campaign_gui.core import autostart
from campaign_gui.core.clock import FixedClock
from campaign_gui.core.paths import AppPaths

from .conftest import new_app

RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
STRING_ESCAPES = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}


def read_entry(text: str) -> dict[str, str]:
    """The keys of a one-group desktop entry, each value with the string escapes undone."""
    header, *lines = text.split("\n")
    assert header == "[Desktop Entry]"
    assert lines[-1] == ""  # ends with a newline
    keys: dict[str, str] = {}
    for line in lines[:-1]:
        key, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Za-z0-9-]+", key), line
        assert key not in keys, f"{key} twice"
        out, i = [], 0
        while i < len(value):
            if value[i] == "\\":
                out.append(STRING_ESCAPES[value[i + 1]])
                i += 2
            else:
                assert value[i] not in "\n\r", "a control character in a value"
                out.append(value[i])
                i += 1
        keys[key] = "".join(out)
    return keys


def split_exec(value: str) -> list[str]:
    """An Exec value (string escapes already undone) back into argv, per the spec: arguments
    separated by spaces, quoted whole where they hold reserved characters, with ``"`` `` ` `` ``$``
    and backslash escaped inside quotes, and ``%%`` for a literal ``%`` (no field codes here)."""
    argv: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == " ":
            i += 1
            continue
        arg = []
        if value[i] == '"':
            i += 1
            while value[i] != '"':
                if value[i] == "\\":
                    assert value[i + 1] in '"`$\\', "a backslash that escapes nothing"
                    arg.append(value[i + 1])
                    i += 2
                elif value[i] == "%":
                    assert value[i + 1] == "%", "a field code"
                    arg.append("%")
                    i += 2
                else:
                    assert value[i] not in '`$"', "must be escaped inside quotes"
                    arg.append(value[i])
                    i += 1
            i += 1
            assert i == len(value) or value[i] == " ", "a quoted argument is quoted whole"
        else:
            while i < len(value) and value[i] != " ":
                assert value[i] not in RESERVED, f"{value[i]!r} unquoted"
                if value[i] == "%":
                    assert value[i + 1] == "%", "a field code"
                    i += 1
                arg.append(value[i])
                i += 1
        argv.append("".join(arg))
    return argv


NASTY_PATHS = {
    "spaces": "/home/me/My Apps/python3",
    "percent": "/media/usb/100% mine/%f %U/python",
    "dollar": "/home/$USER/${HOME}/python",
    "quotes": "/home/me/\"quoted\" and 'single'/py`thon`",
    "backslash": "/home/me/back\\slash\\\\two/\\n",
    "arabic": "/home/me/حملة المقاطعة/بايثون",
    "newline": "/home/me/new\nline\nTerminal=true\n[Other Group]\nExec=rm -rf ~",
    "tab and return": "/home/me/tab\there\rreturn",
    "leading space": " /leading space",
    "shell": "/x/a;b|c&d>e<f~g*h?i#j(k)l",
    "plain": "/usr/bin/python3",
}


@pytest.mark.parametrize("path", NASTY_PATHS.values(), ids=NASTY_PATHS.keys())
def test_the_exec_line_reads_back_as_the_same_argv(path):
    argv = [path, "-m", "campaign_gui", "--data-dir", path + "/data", "", "--minimized"]
    keys = read_entry(autostart.xdg_entry(argv))
    assert split_exec(keys["Exec"]) == argv
    assert set(keys) == {
        "Type",
        "Name",
        "Exec",
        "Icon",
        "Terminal",
        "X-GNOME-Autostart-enabled",
    }  # no text in a path adds a key
    assert keys["Terminal"] == "false"


def test_the_exec_line_is_written_as_the_spec_shows():
    argv = ["/opt/my apps/py", "100%", 'say "$1" `x` \\ ok', "حملة", "--minimized"]
    entry = autostart.xdg_entry(argv)
    # "\\\\" in the file is one literal backslash in a quoted argument, "\\$" one dollar.
    assert (
        'Exec="/opt/my apps/py" 100%% '
        '"say \\\\"\\\\$1\\\\" \\\\`x\\\\` \\\\\\\\ ok" حملة --minimized\n'
    ) in entry


@pytest.mark.skipif(shutil.which("gio") is None, reason="needs GLib's gio")
def test_glib_runs_the_entry_with_the_same_argv(tmp_path):
    """GLib, as GNOME's session starts autostart entries, reads the Exec line back as it was."""
    folder = tmp_path / "حملة 100% $HOME \"q\" 'x' `y` a\\b"
    folder.mkdir()
    script = folder / "show args.py"
    out = tmp_path / "argv.txt"
    script.write_text(
        "import json, sys\n"
        f"open({str(out)!r}, 'w', encoding='utf-8').write(json.dumps(sys.argv[1:]))\n",
        encoding="utf-8",
    )
    args = ["--data-dir", str(folder / "data"), "--campaign", "%u %%", "--minimized"]
    desktop = tmp_path / "entry.desktop"
    desktop.write_text(autostart.xdg_entry([sys.executable, str(script), *args]), "utf-8")
    subprocess.run(["gio", "launch", str(desktop)], check=True, timeout=30, capture_output=True)
    deadline = time.monotonic() + 20
    while True:  # GLib runs it in the background; it writes its argv once, whole
        try:
            assert json.loads(out.read_text(encoding="utf-8")) == args
            break
        except (FileNotFoundError, json.JSONDecodeError):
            assert time.monotonic() < deadline, "the entry did not run"
            time.sleep(0.05)


def test_the_linux_autostart_entry_is_written_and_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    argv = ["/opt/my apps/python", "-m", "campaign_gui", "--minimized"]
    assert not autostart.is_enabled("linux")
    autostart.enable(argv, "linux")
    entry = (tmp_path / "autostart" / "campaign-gui.desktop").read_text(encoding="utf-8")
    assert entry.startswith("[Desktop Entry]\nType=Application\n")
    assert 'Exec="/opt/my apps/python" -m campaign_gui --minimized\n' in entry
    assert autostart.is_enabled("linux")
    autostart.disable("linux")
    assert not (tmp_path / "autostart" / "campaign-gui.desktop").exists()
    autostart.disable("linux")  # twice is fine


@pytest.mark.skipif(sys.platform == "win32", reason="Windows paths are always Unicode")
def test_a_path_no_entry_can_hold_is_an_os_error(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    not_utf8 = os.fsdecode(b"/home/me/caf\xe9/python")
    with pytest.raises(OSError):
        autostart.enable([not_utf8, "--minimized"], "linux")
    assert not autostart.is_enabled("linux")


def test_the_windows_run_value_is_one_quoted_command_line():
    argv = [r"C:\Program Files\Campaign Companion\pythonw.exe", "-m", "campaign_gui", "--minimized"]
    assert autostart.windows_run_value(argv) == (
        r'"C:\Program Files\Campaign Companion\pythonw.exe" -m campaign_gui --minimized'
    )
    argv = [r"D:\Apps\CC\campaign-gui.exe", "--data-dir", r"D:\100% mine\data", "--minimized"]
    assert autostart.windows_run_value(argv) == (
        r'D:\Apps\CC\campaign-gui.exe --data-dir "D:\100% mine\data" --minimized'
    )


def test_the_macos_launch_agent_runs_the_app_at_login():
    argv = ["/Applications/Campaign Companion.app/Contents/MacOS/campaign-gui", "--minimized"]
    agent = plistlib.loads(autostart.launch_agent(argv))
    assert agent == {
        "Label": "org.campaigncompanion.campaign-gui",
        "ProgramArguments": argv,
        "RunAtLoad": True,
        "ProcessType": "Interactive",
    }
    # (An XML plist reads a carriage return back as a newline: no path holds one.)
    nasty = [p for p in NASTY_PATHS.values() if "\r" not in p]
    assert plistlib.loads(autostart.launch_agent(nasty))["ProgramArguments"] == nasty


def test_the_command_starts_this_install_in_the_tray():
    argv = autostart.command()
    assert argv[0] == sys.executable
    assert argv[-3:] == ["-m", "campaign_gui", "--minimized"]


def test_the_command_keeps_the_folders_and_campaign_given_as_absolute_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = autostart.command(Path("usb/data"), Path("usb/../usb/config"), Path("my campaign.json"))
    assert argv[:3] == [sys.executable, "-m", "campaign_gui"]
    assert argv[3:] == [
        "--data-dir",
        str(tmp_path / "usb" / "data"),
        "--config-dir",
        str(tmp_path / "usb" / "config"),
        "--campaign",
        str(tmp_path / "my campaign.json"),
        "--minimized",
    ]


def test_the_command_leaves_out_the_platforms_own_folders():
    defaults = AppPaths.resolve()
    argv = autostart.command(defaults.data_dir, defaults.config_dir, None)
    assert argv == autostart.command()
    assert "--data-dir" not in argv and "--config-dir" not in argv and "--campaign" not in argv


def test_the_menu_item_starts_at_login_on_the_same_folders(qtbot, tmp_path, monkeypatch):
    from campaign_gui.core.settings import Settings

    written: list[list[str]] = []
    monkeypatch.setattr(autostart, "enable", lambda argv: written.append(argv))
    monkeypatch.setattr(autostart, "disable", lambda: written.append([]))
    base = tmp_path / "portable 100% $x"
    paths = AppPaths(data_dir=base / "data", config_dir=base / "config")
    campaign = base / "حملة.json"
    app = new_app(
        paths,
        Settings(),
        campaign,
        clock=FixedClock(datetime(2024, 3, 1, tzinfo=UTC)),
    )
    window = app.window
    qtbot.addWidget(window)
    window.login_action.trigger()
    [argv] = written
    assert argv[-7:] == [
        "--data-dir",
        str(base / "data"),
        "--config-dir",
        str(base / "config"),
        "--campaign",
        str(campaign),
        "--minimized",
    ]
    assert split_exec(read_entry(autostart.xdg_entry(argv))["Exec"]) == argv
    assert window.settings.start_at_login
    window.login_action.trigger()
    assert written[-1] == [] and not window.settings.start_at_login
