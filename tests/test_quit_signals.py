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


def _started(base: Path) -> subprocess.Popen[str]:
    """The app, as ``campaign-gui`` starts, once it shows the campaign."""
    command = app_command(base, "--lang", "en")
    command[1:3] = [str(WINDOW)]  # the script in place of ``-m campaign_gui``
    app = subprocess.Popen(
        command, env=offscreen_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert app.stdout is not None
    line = app.stdout.readline()
    if line.strip() != "loaded":
        app.kill()
        pytest.fail(f"the app ended before it loaded: {app.communicate(timeout=HANG_S)}")
    return app


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_quits_as_the_menu_does(tmp_path, number):
    app = _started(tmp_path)
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


def test_a_second_start_after_a_signal_takes_the_data_at_once(tmp_path):
    first = _started(tmp_path)
    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=HANG_S) == 0
    later = _started(tmp_path)  # its own window: the lock was released, nobody to hand over to
    later.send_signal(signal.SIGTERM)
    assert later.wait(timeout=HANG_S) == 0
