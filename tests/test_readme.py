"""The README's quick start stays true: CI runs the very test command it gives."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_the_quick_start_has_exactly_two_commands_and_ci_runs_the_second():
    commands = _quick_start_commands()
    assert len(commands) == 2
    start, test = commands
    assert start.endswith("campaign-gui")
    assert test.endswith("python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-1] == test


def test_both_commands_check_the_hashes_and_install_the_app_the_same_way():
    """The app from requirements.lock and its build backend; the tests from requirements-dev.lock,
    which holds the same versions of the app's packages (tests/test_locks.py); then the app itself,
    built with the backend just installed."""
    start, test = (command.split(" && ") for command in _quick_start_commands())
    assert start[0] == test[0] == "python3 -m venv .venv"
    assert start[1] == (
        ".venv/bin/pip install --require-hashes -r requirements.lock -r requirements-build.lock"
    )
    assert test[1] == ".venv/bin/pip install --require-hashes -r requirements-dev.lock"
    assert start[2] == test[2] == ".venv/bin/pip install --no-deps --no-build-isolation -e ."
    assert len(start) == len(test) == 4
