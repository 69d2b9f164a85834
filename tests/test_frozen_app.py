"""The frozen app, as a participant gets it: built once with ``packaging/build.py``, moved to
another folder, then checked and used there in Darija and French."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import offscreen_env

pytestmark = pytest.mark.packaging  # builds the frozen app: half a minute

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip(
    "PyInstaller",
    reason="PyInstaller is not installed here (packaging/README.md, Building)",
)
if not sys.platform.startswith("linux"):
    pytest.skip(
        "the tests build the Linux folder; other systems build in CI", allow_module_level=True
    )


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The frozen folder, built in a copy of the sources and moved elsewhere: nothing it needs
    may come from the checkout or the virtual environment."""
    sources = tmp_path_factory.mktemp("sources")
    for part in ("campaign_gui", "packaging", "resources", "translations", "pyproject.toml"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, sources / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, sources / part)
    result = subprocess.run(
        [sys.executable, str(sources / "packaging" / "build.py"), "--no-installers", "--no-check"],
        cwd=sources,
        capture_output=True,
        text=True,
        timeout=1800,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1456617600"},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    moved = tmp_path_factory.mktemp("somewhere-else") / "campaign-gui"
    shutil.move(sources / "dist" / "campaign-gui", moved)
    shutil.rmtree(sources)
    return moved / "campaign-gui"


def _run(app: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = offscreen_env()
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(app), "--data-dir", str(tmp_path / "d"), "--config-dir", str(tmp_path / "c"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        timeout=180,
    )


@pytest.mark.parametrize(
    ("language", "verdict"), [("ary", "هاد التركيب فيه كلشي"), ("fr", "Cette installation a tout")]
)
def test_the_frozen_app_passes_its_self_check(frozen, tmp_path, language, verdict):
    result = _run(frozen, tmp_path, "--lang", language, "--self-check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert verdict in result.stdout


@pytest.mark.parametrize(
    ("language", "name", "figure"),
    [("ary", "اتصالات المغرب", "200.000"), ("fr", "Maroc Telecom", "200\u202f000")],
)
def test_the_frozen_app_reports_the_figures_in_each_language(
    frozen, tmp_path, language, name, figure
):
    result = _run(frozen, tmp_path, "--lang", language, "status")
    assert result.returncode == 0, result.stderr
    assert name in result.stdout and figure in result.stdout


def test_no_test_only_package_ships(frozen):
    """keyrings.alt would become the frozen app's keychain and keep tokens in a plain file."""
    folder = frozen.parent
    shipped = {p.name for p in folder.rglob("*") if p.is_dir()}
    test_only = {"keyrings", "pytest_httpserver", "werkzeug", "_pytest", "hypothesis"} & shipped
    assert not test_only
