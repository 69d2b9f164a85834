"""Ctrl+C and SIGTERM end the app through its quit path (ui/quit_signals.py)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from campaign_gui.core.paths import INSTANCE_LOCK
from campaign_gui.core.settings import SETTINGS_FILE
from campaign_gui.core.store import STORE_FILE

from .conftest import app_command, offscreen_env

HANG_S = 60  # a start that never ends: the test fails instead of hanging
WINDOW = Path(__file__).with_name("signalled_window.py")

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="no signal can be sent to another process on Windows"
)


@pytest.fixture
def started(tmp_path: Path):
    """Start the app on ``tmp_path``'s data, as ``campaign-gui`` starts, and wait until it shows
    the campaign; every one still running is stopped at the end."""
    apps: list[subprocess.Popen[str]] = []

    def start() -> subprocess.Popen[str]:
        command = app_command(tmp_path, "--lang", "en")
        command[1:3] = [str(WINDOW)]  # the script in place of ``-m campaign_gui``
        app = subprocess.Popen(
            command, env=offscreen_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        apps.append(app)
        assert app.stdout is not None
        if app.stdout.readline().strip() != "loaded":
            app.kill()
            pytest.fail(f"the app ended before it loaded: {app.communicate(timeout=HANG_S)}")
        return app

    yield start
    for app in apps:
        if app.poll() is None:
            app.kill()
        app.communicate(timeout=HANG_S)


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_quits_as_the_menu_does(started, tmp_path, number):
    app = started()
    data, config = tmp_path / "data", tmp_path / "config"
    assert (data / INSTANCE_LOCK).exists()
    assert not (config / SETTINGS_FILE).exists()  # nothing changed yet: nothing written
    app.send_signal(number)
    _out, errors = app.communicate(timeout=HANG_S)
    assert app.returncode == 0, errors
    assert "Traceback" not in errors and "KeyboardInterrupt" not in errors
    # What the quit path does: where the window was is saved, the store closed, the lock free.
    saved = json.loads((config / SETTINGS_FILE).read_text(encoding="utf-8"))
    assert saved["window_geometry"]
    assert (data / STORE_FILE).exists() and not (data / f"{STORE_FILE}-wal").exists()
    assert not (data / INSTANCE_LOCK).exists()


def test_a_second_start_after_a_signal_takes_the_data_at_once(started):
    first = started()
    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=HANG_S) == 0
    later = started()  # its own window: the lock was released, nobody to hand over to
    later.send_signal(signal.SIGTERM)
    assert later.wait(timeout=HANG_S) == 0
