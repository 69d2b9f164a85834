"""The app as a wheel: resources found when installed, not only from the source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import offscreen_env

pytestmark = pytest.mark.packaging  # builds and installs the wheel

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("campaign_gui-*.whl")
    return built


def test_the_wheel_carries_the_bundled_campaign_and_icons(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "campaign_gui/resources/campaign-2016.json" in names
    assert "campaign_gui/resources/icons/app.svg" in names
    assert "campaign_gui/locale/ary/LC_MESSAGES/campaign_gui.mo" in names
    assert "campaign_gui/locale/fr/LC_MESSAGES/campaign_gui.mo" in names
    assert not any(name.startswith("tests/") for name in names)


def test_installed_from_the_wheel_it_runs_from_another_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = offscreen_env(PYTHONPATH=str(target))
    common = ["--data-dir", str(tmp_path / "d"), "--config-dir", str(tmp_path / "c")]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )

    where = run("-c", "import campaign_gui; print(campaign_gui.__file__)")
    assert Path(where.stdout.strip()).is_relative_to(target)
    status = run("-m", "campaign_gui", *common, "--lang", "en", "status")
    assert status.returncode == 0, status.stderr
    assert "Maroc Telecom: about 200,000 likes lost" in status.stdout
    darija = run("-m", "campaign_gui", *common, "--lang", "ary", "status")
    assert "اتصالات المغرب: تقريبا 200.000 لايك تحيدو" in darija.stdout
    shown = run(str(ROOT / "tests" / "show_window_once.py"), *common)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == ["curves=4", "maroc-telecom=200000"]
