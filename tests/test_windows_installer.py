"""The Windows setup program, compiled by ``packaging/build.py``'s own NSIS step and run for real
under Wine, silently (``/S``): per-user install, the Start menu shortcut and the uninstall entry,
an upgrade that keeps the user's data, a setup started while the app still runs, a folder chosen
with other files in it, and an uninstaller that removes exactly what was installed. Then the
update's handover as the app does it: the same command, under Wine, starts the new setup over the
running old version, which quits; the setup's pages, on a virtual screen, are gone through with
the keyboard; the new version is installed, the data kept, and the new version starts.

The payload is a stand-in for the frozen folder: two small Windows programs compiled with NSIS
(``tests/windows/standin-app.nsi``, which runs until told to quit) and a few files in
``_internal``. ``.ci/run`` installs Wine (``wine64``, ``wine32``), NSIS, Xvfb and xdotool."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from campaign_gui.core.updates.update_client import Update, check_for_update

from .conftest import offscreen_env
from .feed_host import FeedHost
from .release_repo import FAST, NOTES, NOW, Keys

ROOT = Path(__file__).resolve().parents[1]
WINE = shutil.which("wine")
MAKENSIS = shutil.which("makensis")

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(
        not (WINE and MAKENSIS and shutil.which("wineserver")),
        reason="needs Wine and NSIS (Debian: wine64 wine32 nsis; .ci/run installs them)",
    ),
]

UNINSTALL_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\CampaignCompanion"
RUN_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run"
ABORTED = 2  # NSIS's exit code when the script stops the setup


@dataclass
class Wine:
    prefix: Path
    env: dict[str, str]

    def run(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(WINE), *args],
            env=self.env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
        )
        self.wait()
        return result

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [str(WINE), *args],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def wait(self) -> None:
        """Until every Windows program in the prefix has ended (the uninstaller runs a copy of
        itself from %TEMP% and returns at once)."""
        subprocess.run(["wineserver", "-w"], env=self.env, timeout=300, check=True)

    @property
    def user(self) -> Path:
        (home,) = (p for p in (self.prefix / "drive_c" / "users").iterdir() if p.name != "Public")
        return home

    @property
    def local(self) -> Path:
        return self.user / "AppData" / "Local"

    @property
    def temp(self) -> Path:
        """%TEMP%: Wine's is C:\\users\\<name>\\Temp."""
        return self.user / "Temp"

    def windows_path(self, path: Path) -> str:
        if path.is_relative_to(self.prefix / "drive_c"):
            return "C:\\" + "\\".join(path.relative_to(self.prefix / "drive_c").parts)
        return "Z:" + str(path).replace("/", "\\")

    def registry(self, key: str) -> dict[str, str] | None:
        """The values of a registry key, read with ``reg query``; None if there is no key."""
        result = self.run("reg", "query", key)
        if result.returncode != 0:
            return None
        values = {}
        for line in result.stdout.splitlines():
            parts = line.strip().split(None, 2)
            if len(parts) == 3 and parts[1].startswith("REG_"):
                values[parts[0]] = parts[2]
        return values


@dataclass
class Setups:
    old: Path  # version 0.1.0
    new: Path  # version 0.2.0


@pytest.fixture(scope="module")
def wine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wine]:
    base = tmp_path_factory.mktemp("wine")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(
        WINEPREFIX=str(base / "prefix"),
        WINEDEBUG="-all",
        WINEDLLOVERRIDES="mscoree,mshtml=",  # no Mono or Gecko to install
        HOME=str(base / "home"),
        LANG="C.UTF-8",
    )
    env.pop("LC_ALL", None)
    (base / "home").mkdir()
    subprocess.run(
        [str(WINE), "wineboot", "--init"], env=env, capture_output=True, timeout=600, check=True
    )
    prefix = Wine(base / "prefix", env)
    prefix.wait()
    yield prefix
    subprocess.run(["wineserver", "-k"], env=env, timeout=60, check=False)


def _payload(folder: Path, app: Path, version: str) -> Path:
    """A stand-in for the frozen folder of ``version``."""
    internal = folder / "_internal"
    (internal / "PySide6" / "plugins").mkdir(parents=True)
    shutil.copy(app, folder / "campaign-gui.exe")
    shutil.copy(app, folder / "campaign-gui-cli.exe")
    (internal / "version.txt").write_text(version, encoding="utf-8")
    (internal / f"only-in-{version}.txt").write_text(version, encoding="utf-8")
    (internal / "PySide6" / "plugins" / "qwindows.dll").write_bytes(b"MZ" + version.encode())
    return folder


@pytest.fixture(scope="module")
def setups(tmp_path_factory: pytest.TempPathFactory) -> Setups:
    work = tmp_path_factory.mktemp("setups")
    app = work / "standin.exe"
    subprocess.run(
        [str(MAKENSIS), "-V2", f"-DOUTFILE={app}", str(ROOT / "tests/windows/standin-app.nsi")],
        check=True,
        capture_output=True,
    )
    icons = work / "icons"
    subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "icons.py"), str(icons)],
        check=True,
        capture_output=True,
        env=offscreen_env(),
    )
    build = _release_build()
    made = {}
    for version in ("0.1.0", "0.2.0"):
        payload = _payload(work / version / "campaign-gui", app, version)
        outfile = work / f"campaign-gui-{version}-setup.exe"
        assert build.nsis(version, payload, outfile, icons=icons, work=work / version / "nsis")
        made[version] = outfile
    return Setups(old=made["0.1.0"], new=made["0.2.0"])


def _release_build() -> ModuleType:
    """packaging/build.py, the release's own NSIS step (by its path: PyPI's ``build`` may be
    imported already under that name)."""
    packaging = str(ROOT / "packaging")
    spec = importlib.util.spec_from_file_location("release_build", ROOT / "packaging/build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, packaging)  # its neighbours: metadata, trim, installer_texts
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(packaging)
    return module


def _installed(wine: Wine) -> Path:
    return wine.local / "Programs" / "Campaign Companion"


def _start_menu(wine: Wine) -> Path:
    return (
        wine.user / "AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Campaign Companion.lnk"
    )


def _data(wine: Wine) -> Path:
    """The app's data folder on Windows: platformdirs' user_data_dir("CampaignCompanion",
    "CampaignCompanion", roaming=False)."""
    return wine.local / "CampaignCompanion" / "CampaignCompanion"


def _files(folder: Path) -> set[str]:
    return (
        {p.relative_to(folder).as_posix() for p in folder.rglob("*")} if folder.exists() else set()
    )


def _uninstall(wine: Wine, folder: Path) -> None:
    result = wine.run(wine.windows_path(folder / "uninstall.exe"), "/S")
    assert result.returncode == 0, result.stderr[-2000:]


def test_install_upgrade_and_uninstall(wine: Wine, setups: Setups) -> None:
    result = wine.run(str(setups.old), "/S")
    assert result.returncode == 0, result.stderr[-2000:]

    # Per user, under %LOCALAPPDATA%\Programs, with its Start menu shortcut and uninstall entry.
    folder = _installed(wine)
    assert (folder / "campaign-gui.exe").is_file()
    assert (folder / "campaign-gui-cli.exe").is_file()
    assert (folder / "uninstall.exe").is_file()
    assert (folder / "_internal" / "version.txt").read_text(encoding="utf-8") == "0.1.0"
    assert _start_menu(wine).is_file()
    entry = wine.registry(UNINSTALL_KEY)
    assert entry is not None
    assert entry["DisplayName"] == "Campaign Companion"
    assert entry["DisplayVersion"] == "0.1.0"
    assert entry["InstallLocation"] == wine.windows_path(folder)
    assert entry["UninstallString"] == f'"{wine.windows_path(folder)}\\uninstall.exe"'
    assert entry["QuietUninstallString"].endswith('uninstall.exe" /S')
    # Starting at login is the user's choice: a first install leaves it off.
    assert "CampaignCompanion" not in (wine.registry(RUN_KEY) or {})

    # The user's data, and a file of the user's in the program's folder.
    data = _data(wine)
    data.mkdir(parents=True)
    (data / "campaign.sqlite3").write_bytes(b"SQLite format 3\x00the user's counts")
    (folder / "my notes.txt").write_text("mine", encoding="utf-8")

    # An upgrade replaces the program (0.1.0's own files go) and keeps the data.
    result = wine.run(str(setups.new), "/S")
    assert result.returncode == 0, result.stderr[-2000:]
    assert (folder / "_internal" / "version.txt").read_text(encoding="utf-8") == "0.2.0"
    assert not (folder / "_internal" / "only-in-0.1.0.txt").exists()
    assert (folder / "_internal" / "only-in-0.2.0.txt").is_file()
    assert (folder / "_internal/PySide6/plugins/qwindows.dll").read_bytes() == b"MZ0.2.0"
    assert (folder / "my notes.txt").read_text(encoding="utf-8") == "mine"
    assert (data / "campaign.sqlite3").read_bytes().endswith(b"the user's counts")
    assert _start_menu(wine).is_file()
    entry = wine.registry(UNINSTALL_KEY)
    assert entry is not None
    assert entry["DisplayVersion"] == "0.2.0"

    # The silent uninstaller removes what was installed, and only that.
    _uninstall(wine, folder)
    assert _files(folder) == {"my notes.txt"}
    assert not _start_menu(wine).exists()
    assert wine.registry(UNINSTALL_KEY) is None
    assert (data / "campaign.sqlite3").read_bytes().endswith(b"the user's counts")
    shutil.rmtree(folder)  # the user's turn: the next test starts from a clean account
    shutil.rmtree(data.parent)


def test_a_setup_started_while_the_app_runs_changes_nothing(wine: Wine, setups: Setups) -> None:
    result = wine.run(str(setups.old), "/S")
    assert result.returncode == 0, result.stderr[-2000:]
    folder = _installed(wine)
    before = _files(folder)

    app = wine.start(wine.windows_path(folder / "campaign-gui.exe"))
    try:
        started = wine.temp / "campaign-gui-standin.started"
        for _ in range(600):  # until the stand-in has started (at most a minute)
            if started.exists() or app.poll() is not None:
                break
            time.sleep(0.1)
        assert started.exists()

        # A silent setup cannot ask the user to quit the app: it stops, and the installed
        # version is untouched.
        result = subprocess.run(
            [str(WINE), str(setups.new), "/S"], env=wine.env, capture_output=True, timeout=300
        )
        assert result.returncode == ABORTED
        assert _files(folder) == before
        assert (folder / "_internal" / "version.txt").read_text(encoding="utf-8") == "0.1.0"
        assert app.poll() is None  # the app was not killed either
    finally:
        (wine.temp / "campaign-gui-standin.quit").write_text("", encoding="utf-8")
        app.wait(timeout=120)
    wine.wait()
    entry = wine.registry(UNINSTALL_KEY)
    assert entry is not None
    assert entry["DisplayVersion"] == "0.1.0"

    # Once the app has quit, the same setup upgrades it.
    result = wine.run(str(setups.new), "/S")
    assert result.returncode == 0, result.stderr[-2000:]
    assert (folder / "_internal" / "version.txt").read_text(encoding="utf-8") == "0.2.0"
    _uninstall(wine, folder)
    assert not folder.exists()


def test_a_chosen_folder_keeps_the_files_it_already_held(wine: Wine, setups: Setups) -> None:
    folder = wine.prefix / "drive_c" / "Tools and things"
    (folder / "other").mkdir(parents=True)
    (folder / "readme.txt").write_text("someone else's", encoding="utf-8")
    (folder / "other" / "keep.dat").write_bytes(b"keep")
    theirs = _files(folder)

    # /D= takes the rest of the command line as it is, spaces included, never quoted: through
    # cmd, which passes the line on untouched.
    line = f"{wine.windows_path(setups.old)} /S /D={wine.windows_path(folder)}"
    result = wine.run("cmd", "/c", line)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (folder / "campaign-gui.exe").is_file()
    assert not _installed(wine).exists()
    entry = wine.registry(UNINSTALL_KEY)
    assert entry is not None
    assert entry["InstallLocation"] == wine.windows_path(folder)

    # The upgrade finds the folder by itself.
    result = wine.run(str(setups.new), "/S")
    assert result.returncode == 0, result.stderr[-2000:]
    assert (folder / "_internal" / "version.txt").read_text(encoding="utf-8") == "0.2.0"
    assert theirs <= _files(folder)

    _uninstall(wine, folder)
    assert _files(folder) == theirs
    assert (folder / "other" / "keep.dat").read_bytes() == b"keep"
    assert wine.registry(UNINSTALL_KEY) is None


# -- the update's handover, as the app does it ------------------------------------------------


@pytest.fixture(scope="module")
def on_screen(wine: Wine) -> Iterator[Wine]:
    """The prefix on a virtual screen, for the setup's pages (Wine picks its display driver
    when its server starts: the server of the tests before, without a screen, is ended)."""
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        pytest.skip("needs Xvfb and xdotool (Debian: xvfb xdotool; .ci/run installs them)")
    display = f":{70 + os.getpid() % 200}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    subprocess.run(["wineserver", "-k"], env=wine.env, timeout=60, check=False)
    try:
        yield Wine(wine.prefix, {**wine.env, "DISPLAY": display})
    finally:
        subprocess.run(["wineserver", "-k"], env=wine.env, timeout=60, check=False)
        server.terminate()
        server.wait(timeout=60)


def _until(condition: Callable[[], bool], what: str) -> None:
    for _ in range(1200):  # a tenth of a second each: two minutes at most
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within two minutes")


def _downloaded(setup: Path, tmp_path: Path) -> tuple[Update, Path]:
    """``setup`` published as 0.2.0 for Windows by the release workflow's code on 127.0.0.1,
    then found by 0.1.0 and downloaded, verified, where the app downloads it."""
    from campaign_gui.core.updates.installer_download import download_installer
    from campaign_gui.core.updates.release_publish import publish_release
    from campaign_gui.core.updates.update_client import download_folder

    keys = Keys()
    repo = tmp_path / "releases"
    publish_release(
        repo,
        version="0.2.0",
        day=NOW.date(),
        notes=NOTES,
        installers={"windows-x86_64": setup},
        roots=[keys.root_bytes],
        online=keys.online,
        now=NOW,
    )
    host = FeedHost(repo)
    try:
        update = check_for_update(
            tmp_path / "data",
            now=NOW,
            running="0.1.0",
            mirrors=[host.url],
            trusted_root=keys.root_bytes,
            platform_name="windows-x86_64",
            deadlines=FAST,
        )
        assert update is not None
        return update, download_installer(
            update, download_folder(tmp_path / "data"), deadlines=FAST
        )
    finally:
        host.close()


def test_the_handover_runs_the_new_setup_over_the_running_app(
    on_screen: Wine, setups: Setups, tmp_path: Path
) -> None:
    from campaign_gui.core.updates.handover import hand_over, handover_for

    wine = on_screen
    result = wine.run(str(setups.old), "/S")
    assert result.returncode == 0, result.stderr[-2000:]
    folder = _installed(wine)
    data = _data(wine)
    data.mkdir(parents=True)
    (data / "campaign.sqlite3").write_bytes(b"SQLite format 3\x00the user's counts")
    started = wine.temp / "campaign-gui-standin.started"
    app = wine.start(wine.windows_path(folder / "campaign-gui.exe"))
    _until(started.exists, "the old version starts")

    # The new setup, published by the release workflow's code on 127.0.0.1, found, downloaded
    # and verified as the app does; then the same command the app runs, under Wine (the only
    # difference), on the screen where the setup shows its pages.
    update, downloaded = _downloaded(setups.new, tmp_path)
    handover = handover_for(downloaded, update.platform)
    assert handover.argv == (str(downloaded),)  # no /S: the user sees the setup's pages
    hand_over(handover, env=wine.env, through=(str(WINE),))

    # The app quits once it has handed over (the setup would wait for it, then ask).
    (wine.temp / "campaign-gui-standin.quit").write_text("", encoding="utf-8")
    app.wait(timeout=120)
    assert not started.exists()

    # The user goes through the pages with Enter (Next, Next, Install, Next, Finish): the
    # finish page's "Start Campaign Companion" is ticked, so the new version starts.
    def finished() -> bool:
        subprocess.run(["xdotool", "key", "Return"], env=wine.env, check=False)
        return started.exists()

    _until(finished, "the setup is gone through and the new version starts")
    assert (folder / "_internal" / "version.txt").read_text(encoding="utf-8") == "0.2.0"
    assert not (folder / "_internal" / "only-in-0.1.0.txt").exists()
    assert (data / "campaign.sqlite3").read_bytes().endswith(b"the user's counts")
    (wine.temp / "campaign-gui-standin.quit").write_text("", encoding="utf-8")
    wine.wait()
    entry = wine.registry(UNINSTALL_KEY)
    assert entry is not None
    assert entry["DisplayVersion"] == "0.2.0"
    _uninstall(wine, folder)
    assert not folder.exists()
    shutil.rmtree(data.parent)
