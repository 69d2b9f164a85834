"""mypy, as configured in pyproject.toml, finds no type error in the app, on each system it runs
on: code behind a ``sys.platform`` check (the Windows registry) is checked for its own system."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.parametrize("platform", ["linux", "win32", "darwin"])
def test_mypy_finds_no_type_error(platform):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--platform",
            platform,
            "--cache-dir",
            os.devnull,  # a whole check every time, nothing written in the tree
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout, result.stdout + result.stderr
