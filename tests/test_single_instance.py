"""One instance: a second start brings the first forward (with its --lang) and exits with 0."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from campaign_gui.core.logs import LOG_FILE

from .conftest import app_command, offscreen_env


def _start(tmp_path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        app_command(tmp_path, *args),
        env=offscreen_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_a_second_start_hands_over_and_exits_at_once(tmp_path):
    log = tmp_path / "data" / "logs" / LOG_FILE
    first = _start(tmp_path, "--lang", "en")
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if log.exists() and "merged" in log.read_text(encoding="utf-8"):
                break
            assert first.poll() is None, first.stderr.read().decode()
            time.sleep(0.1)
        else:
            raise AssertionError("the first instance did not start")
        started = time.monotonic()
        second = _start(tmp_path, "--lang", "fr")
        assert second.wait(timeout=30) == 0
        assert time.monotonic() - started < 15
        deadline = time.monotonic() + 10
        while "a second start handed over" not in log.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.1)
        assert "'lang': 'fr'" in log.read_text(encoding="utf-8")
        assert first.poll() is None  # the first one is still running
    finally:
        first.terminate()
        first.wait(timeout=10)
