"""Start at login: the Linux XDG entry written and removed; the Windows and macOS entries."""

from __future__ import annotations

import plistlib
import sys

from campaign_gui.core import autostart


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


def test_the_windows_run_value_is_one_quoted_command_line():
    argv = [r"C:\Program Files\Campaign Companion\pythonw.exe", "-m", "campaign_gui", "--minimized"]
    assert autostart.windows_run_value(argv) == (
        r'"C:\Program Files\Campaign Companion\pythonw.exe" -m campaign_gui --minimized'
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


def test_the_command_starts_this_install_in_the_tray():
    argv = autostart.command()
    assert argv[0] == sys.executable
    assert argv[-3:] == ["-m", "campaign_gui", "--minimized"]
