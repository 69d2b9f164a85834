"""Every test runs offscreen, with its own temp data and config dirs; nothing touches real ones."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import date, datetime, tzinfo
from datetime import time as wall_time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from campaign_gui.core.campaign import Campaign, load_bundled_campaign
from campaign_gui.core.clock import FixedClock
from campaign_gui.core.i18n import set_language
from campaign_gui.core.paths import AppPaths
from campaign_gui.core.store import Store

# A laptop-sized offscreen screen (the plugin's default is 800 x 600);
# set before pytest-qt creates the QApplication.
_SCREEN = Path(__file__).with_name("offscreen-screen.json")
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")


def app_command(base: Path, *args: str) -> list[str]:
    """``campaign-gui`` with its data and settings in ``base``, as a test runs it."""
    return [
        sys.executable,
        "-m",
        "campaign_gui",
        "--data-dir",
        str(base / "data"),
        "--config-dir",
        str(base / "config"),
        *args,
    ]


def run_app(
    base: Path, *args: str, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """``campaign-gui`` run as a user runs it: its own process, no display, its output captured."""
    return subprocess.run(
        app_command(base, *args),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=offscreen_env(**env),
        cwd=base,
        input=stdin,
        timeout=120,
    )


def offscreen_env(**extra: str) -> dict[str, str]:
    """The environment for an app process started by a test: offscreen, never a real display."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("home")
    for variable in (
        "HOME",
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "XDG_CACHE_HOME",
        "XDG_STATE_HOME",
    ):
        monkeypatch.setenv(variable, str(home))
    for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    # Secrets go to keyrings.alt's plain file under this test's home (test-only), never to a
    # keychain of the machine running the tests.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths(data_dir=tmp_path / "data", config_dir=tmp_path / "config")


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    return load_bundled_campaign()


# -- the clock ------------------------------------------------------------------------------------
# Every test that needs the time takes the ``clock`` fixture, the app's one clock fixed at a known
# wall-clock time in a known zone: nothing may depend on the hour or the zone the suite runs in.
# The day is years away from any real date, so code that reads the computer's clock stands out.
CLOCK_DAY = date(2028, 10, 18)
CLOCK_TIME = wall_time(10, 30)
CLOCK_ZONE = "Africa/Casablanca"
# ``@pytest.mark.clock_matrix`` runs a test at each of these local times (early, either side of the
# 20:00 evening-before reminder, a minute before midnight) in Morocco, east and west of UTC.
CLOCK_MATRIX_TIMES = (wall_time(8), wall_time(19, 59), wall_time(20, 1), wall_time(23, 59))
CLOCK_MATRIX_ZONES = ("Africa/Casablanca", "Asia/Tokyo", "America/Los_Angeles")


class LocalClock(FixedClock):
    """A FixedClock set to a wall-clock time in the user's zone, which it remembers."""

    def __init__(self, day: date, at: wall_time, zone: tzinfo) -> None:
        super().__init__(datetime.combine(day, at, zone), zone)
        self.zone = zone
        self.wall_time = at

    def today(self, zone: tzinfo | None = None) -> date:
        """The date now in ``zone`` (the user's own unless given, e.g. the campaign's)."""
        return self.now().astimezone(zone or self.zone).date()

    def set_local(self, day: date, at: wall_time | None = None, zone: tzinfo | None = None) -> None:
        """Move to ``day`` at ``at`` (the same wall-clock time unless given) in ``zone``."""
        self.set(datetime.combine(day, at or self.wall_time, zone or self.zone))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "clock_matrix: run at 08:00, 19:59, 20:01 and 23:59 local time in Africa/Casablanca, "
        "Asia/Tokyo and America/Los_Angeles (the test takes the clock fixture)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "clock" in metafunc.fixturenames and metafunc.definition.get_closest_marker("clock_matrix"):
        cases = [(zone, at) for zone in CLOCK_MATRIX_ZONES for at in CLOCK_MATRIX_TIMES]
        ids = [f"{zone.rsplit('/', 1)[-1]}-{at:%H%M}" for zone, at in cases]
        metafunc.parametrize("clock", cases, ids=ids, indirect=True)


@pytest.fixture
def clock(request: pytest.FixtureRequest):
    """The app's clock for one test; the process's own time zone (TZ) is the clock's zone too."""
    zone_name, at = getattr(request, "param", (CLOCK_ZONE, CLOCK_TIME))
    saved = os.environ.get("TZ")
    _set_process_zone(zone_name)
    try:
        yield LocalClock(CLOCK_DAY, at, ZoneInfo(zone_name))
    finally:
        _set_process_zone(saved)


def _set_process_zone(name: str | None) -> None:
    if name is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = name
    if hasattr(time, "tzset"):  # not on Windows
        time.tzset()


@pytest.fixture
def store(tmp_path: Path, campaign: Campaign):
    """A real store in the test's data dir, holding the bundled campaign's reports."""
    s = Store.open(tmp_path / "data")
    s.merge_reports(campaign)
    yield s
    s.close()


@pytest.fixture
def signers():
    """A root key and an online key made for one test (never the keychain's)."""
    from securesystemslib.signer import CryptoSigner

    from campaign_gui.core.feed.keys import FeedSigners

    return FeedSigners(CryptoSigner.generate_ed25519(), CryptoSigner.generate_ed25519())


@pytest.fixture
def feed_dir(tmp_path: Path) -> Path:
    """The folder a feed is published into (and served from, by ``host``)."""
    folder = tmp_path / "feed"
    folder.mkdir()
    return folder


@pytest.fixture
def host(feed_dir: Path):
    """A feed host on 127.0.0.1 serving ``feed_dir``."""
    from .feed_host import FeedHost

    server = FeedHost(feed_dir)
    yield server
    server.close()


@pytest.fixture
def participant(tmp_path: Path, feed_dir: Path):
    """Opens a participant's workspace, in its own data dir, on the campaign file the feed in
    ``feed_dir`` gives participants (call it after publishing), as the app opens it at start;
    each call is a new start. Closed after the test."""
    from campaign_gui.core.feed import layout
    from campaign_gui.core.workspace import Workspace

    from .feed_host import NOW

    opened = []
    paths = AppPaths(tmp_path / "participant" / "data", tmp_path / "participant" / "config")

    def open_workspace(campaign_file: Path | None = None, now: datetime = NOW):
        file = campaign_file or feed_dir / layout.PARTICIPANT_FILE
        space = Workspace.open(paths, file, clock=FixedClock(now))
        opened.append(space)
        return space

    open_workspace.paths = paths
    yield open_workspace
    for space in opened:
        space.close()


@pytest.fixture
def open_window(qtbot, paths: AppPaths, clock):
    """Opens the main window in a language with the bundled campaign loaded; closes it after."""
    from campaign_gui.core.settings import load_settings
    from campaign_gui.ui.language import apply_language

    apps = []

    def open_in(language: str = "en"):
        app = new_app(paths, load_settings(paths.config_dir), clock=clock, language=language)
        window = app.window
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.loaded, timeout=15000):
            window.start_loading()
        apps.append(app)
        return window

    yield open_in
    for app in apps:
        app.service.close()
    apply_language("en")


def new_app(
    paths: AppPaths,
    settings,
    campaign_file: Path | None = None,
    *,
    clock,
    language: str | None = None,
):
    """The app as ``run_gui`` builds it (``build_app``: the window, its store service, the
    settings keeper, the reminders and the controller), in ``language`` (the current one if not
    given) and without a tray; nothing shown or loading yet, so that a test shows the window and
    starts the load it waits for. Keep it while its window is used: it owns the services."""
    from campaign_gui.core.i18n import current_language
    from campaign_gui.ui.app_wiring import build_app

    return build_app(
        paths,
        campaign_file,
        clock=clock,
        settings=settings,
        language=language or current_language(),
        tray=False,
        start=False,
    )


# -- after the whole suite: no token or secret key in any file the app wrote --------------------
_TOKEN_SHAPE = re.compile(rb"EAA[A-Za-z0-9]{16,}")
_KEYRING_FILES = {"keyring.cfg", "keyring_pass.cfg", "crypted_pass.cfg"}


def _written_by_the_app(path: Path) -> bool:
    """Stores, settings, logs and what the app exports or publishes (not the frozen app's own
    libraries, whose bytes may look like anything)."""
    name = path.name
    return path.stat().st_size < 20_000_000 and (
        name.startswith("campaign.sqlite3")
        or ".log" in name
        or name.startswith("settings.json")
        or path.suffix in {".json", ".csv", ".ics", ".txt"}
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Every file under this run's temp folders (stores, settings, logs, exports, feeds) is read:
    a Graph API token, or a secret that went through ``Secrets`` in this process, found in one
    (the keyring backend's own file aside) fails the run."""
    from campaign_gui.core import redaction

    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None:
        return
    base = factory.getbasetemp()
    known = [s.encode() for s in redaction._known]
    leaks = []
    for path in base.rglob("*"):
        if not path.is_file() or path.name in _KEYRING_FILES or not _written_by_the_app(path):
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if _TOKEN_SHAPE.search(data) or any(secret in data for secret in known):
            leaks.append(path)
    if leaks:
        session.config.get_terminal_writer().line(
            "secrets found in files the app wrote: " + ", ".join(map(str, leaks[:10])), red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
