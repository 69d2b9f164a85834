"""The log file: it rotates at its size, keeping three old ones, and the newest lines stay in it."""

from __future__ import annotations

import logging

import pytest

from campaign_gui.core.logs import BACKUPS, LOG_FILE, MAX_BYTES, configure_logging


@pytest.mark.slow
def test_the_log_moves_aside_at_its_size_and_keeps_three_old_ones(tmp_path):
    root = logging.getLogger()
    before = list(root.handlers)
    log_file = configure_logging(tmp_path / "logs")
    try:
        log = logging.getLogger("campaign_gui.test")
        line = "x" * 1000
        for number in range(4500):  # about 4.5 MB of lines
            log.info("line %d %s", number, line)
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                handler.close()
                root.removeHandler(handler)
    folder = tmp_path / "logs"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [LOG_FILE] + [f"{LOG_FILE}.{n}" for n in range(1, BACKUPS + 1)]
    assert all((folder / name).stat().st_size < MAX_BYTES for name in names)
    newest = log_file.read_text(encoding="utf-8").splitlines()
    assert "line 4499 " in newest[-1]
    previous = (folder / f"{LOG_FILE}.1").read_text(encoding="utf-8").splitlines()
    first_kept = int(newest[0].split("line ")[1].split()[0])
    assert f"line {first_kept - 1} " in previous[-1]  # nothing lost between the two files
