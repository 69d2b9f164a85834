"""``--self-check``: every check does the real thing, and a missing part fails loudly."""

from __future__ import annotations

from datetime import UTC, datetime

from campaign_gui import cli
from campaign_gui.core import self_check
from campaign_gui.core.clock import FixedClock

from .conftest import run_app

NOW = datetime(2026, 11, 28, 21, 30, tzinfo=UTC)


def test_a_complete_install_passes_every_check_in_darija(tmp_path):
    result = run_app(tmp_path, "--lang", "ary", "--self-check")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 8  # seven checks and the verdict
    assert all(line.startswith("[") for line in lines[:7])
    assert "ما دازش" not in result.stdout  # "FAILED"
    assert "27 فبراير 2016" in result.stdout and "UTC+1" in result.stdout


def test_a_missing_catalog_fails_instead_of_falling_back_to_english(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(self_check, "locale_dir", lambda: str(tmp_path / "no-locale"))
    argv = ["--data-dir", str(tmp_path / "d"), "--config-dir", str(tmp_path / "c"), "--self-check"]
    assert cli.main(argv, clock=FixedClock(NOW)) == 1
    out, err = capsys.readouterr()
    assert "[FAILED] Every language's catalog is present" in out
    assert "1 check failed" in err


def test_a_check_that_breaks_is_reported_and_the_others_still_run():
    def broken_graph() -> str:
        raise ImportError("No module named 'PySide6.QtOpenGL'")

    checks = self_check.run_checks(FixedClock(NOW), broken_graph)
    assert [c.ok for c in checks] == [True] * 6 + [False]
    assert "QtOpenGL" in checks[-1].detail
