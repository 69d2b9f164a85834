"""The app's own updates in the window, against a release index published on 127.0.0.1 by the
release workflow's code: the check after the first paint shows a banner with what's new in the
user's language; Help → Check for updates… says so when the app is up to date, or why it could
not check; the download dialog shows its progress, stops on Cancel with no installer left, goes
on from there, and hands over on Install now (on Linux, the tarball installs in the test's HOME)
and quits; automatic checks off check nothing; the tray notice comes once per version across
runs; a restart within the day shows the version found again, with no request, until a check
finds the app up to date."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from campaign_gui import __version__
from campaign_gui.core.formatting import format_download
from campaign_gui.core.i18n import set_language
from campaign_gui.core.settings import load_settings
from campaign_gui.core.updates.release_index import current_platform
from campaign_gui.core.updates.release_publish import publish_release
from campaign_gui.core.updates.update_client import download_folder
from campaign_gui.core.updates.update_state import load_update_state
from campaign_gui.ui import app_wiring
from campaign_gui.ui.app_wiring import build_app
from campaign_gui.ui.language import apply_language
from campaign_gui.ui.tray import Tray

from .feed_host import FeedHost
from .release_repo import NOTES, Keys, installer
from .test_update_install import _linux_tarball

PLATFORM = current_platform()
pytestmark = pytest.mark.skipif(PLATFORM is None, reason="no installer for this system")


@pytest.fixture
def keys() -> Keys:
    return Keys()


@pytest.fixture
def release(tmp_path: Path, keys: Keys, clock):
    """Publishes a release into a folder served on 127.0.0.1, as the release workflow does."""
    repo = tmp_path / "releases"
    repo.mkdir()
    server = FeedHost(repo)

    def publish(version: str, path: Path | None = None, notes: dict[str, str] = NOTES):
        publish_release(
            repo,
            version=version,
            day=clock.now().date(),
            notes=notes,
            installers={PLATFORM: path or installer(tmp_path / "dist" / version, version)},
            roots=[keys.root_bytes],
            online=keys.online,
            now=clock.now(),
        )

    publish.host = server
    yield publish
    server.close()


@pytest.fixture
def runs(qtbot, paths, keys, release, clock):
    """Starts the app as ``run_gui`` does (``build_app``, shown, loading after its first paint),
    each call a new run with new objects, on this test's release index; ``end`` ends one as
    quitting does."""
    made = []

    def run(language: str = "en", *, checks: bool = True, tray: bool = False, address: bool = True):
        settings = load_settings(paths.config_dir)
        settings.release_url = release.host.url if address else ""
        settings.update_checks = checks
        app = build_app(
            paths,
            None,
            clock=clock,
            settings=settings,
            language=language,
            tray=tray,
            release_root=keys.root_bytes,
        )
        qtbot.addWidget(app.window)
        with qtbot.waitSignal(app.window.loaded, timeout=15000):
            pass
        made.append(app)
        return app

    def end(app) -> None:
        app.window.quit_app()  # File → Quit: the event loop would end, and then:
        app.closing()
        if app.widget is not None:
            app.widget.close()
        made.remove(app)

    run.end = end
    yield run
    for app in list(made):
        end(app)
    apply_language("en")


def message_shown(window) -> str:
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    return boxes[-1].text() if boxes else ""


def test_the_window_finds_an_update_and_shows_whats_new_in_darija_then_french(
    qtbot, runs, release, paths, clock
):
    release("99.0.0")
    app = runs("ary")
    banner = app.window.update_banner
    qtbot.waitUntil(banner.isVisible, timeout=20000)
    assert banner.title.text() == "كاينة نسخة جديدة \u206899.0.0\u2069"
    assert banner.notes.text() == NOTES["ary"]
    assert banner.download_button.text() == "حمّل"
    assert banner.later_button.text() == "من بعد"
    assert load_update_state(paths.data_dir).last_check == clock.now()
    # The next check is planned a day after this one, by one timer.
    assert timedelta(hours=23) < app.updates.next_in < timedelta(hours=25)
    app.window.choose_language("fr")  # Qt says so to every widget through the event loop
    qtbot.waitUntil(lambda: banner.title.text() == "La version 99.0.0 est disponible")
    assert banner.notes.text() == NOTES["fr"]
    assert banner.download_button.text() == "Télécharger"
    banner.later_button.click()
    assert not banner.isVisible()
    assert not list(download_folder(paths.data_dir).glob("*"))  # nothing without a click


def test_help_check_for_updates_says_up_to_date_or_why_it_could_not(qtbot, runs, release):
    release(__version__)
    app = runs("fr", checks=False)
    window = app.window
    window.check_updates_action.trigger()
    qtbot.waitUntil(lambda: bool(message_shown(window)), timeout=20000)
    assert message_shown(window) == f"Vous avez la dernière version ({__version__})."
    assert not window.update_banner.isVisible()
    for box in window.findChildren(QMessageBox):
        box.close()
    release.host.behaviour.status = 503
    window.check_updates_action.trigger()
    qtbot.waitUntil(lambda: bool(message_shown(window)), timeout=20000)
    assert message_shown(window).startswith("Impossible de chercher les mises à jour")


def test_with_automatic_checks_off_nothing_is_checked_until_turned_on(qtbot, runs, release, paths):
    release("99.0.0")
    app = runs(checks=False)
    window = app.window
    assert not window.update_checks_action.isChecked()
    qtbot.waitUntil(lambda: app.updates is not None)  # made after the first paint, and started
    assert not app.updates._busy
    assert release.host.requests == []
    assert app.updates.next_in is None
    assert not load_update_state(paths.data_dir).last_check
    window.update_checks_action.setChecked(True)  # Settings → Check for updates automatically
    qtbot.waitUntil(window.update_banner.isVisible, timeout=20000)
    assert load_settings(paths.config_dir).update_checks


def test_a_build_with_no_release_address_offers_no_checks_and_makes_none(qtbot, runs, release):
    """This build carries no release address (the release manager writes it with the real
    root): with none set either, the window offers no update check that could only fail, and
    none runs on its own."""
    release("99.0.0")
    app = runs(address=False)
    window = app.window
    assert not window.check_updates_action.isVisible()
    assert not window.update_checks_action.isVisible()
    visible = [a.text() for a in window.help_menu.actions() if a.isVisible()]
    assert visible == [window.about_action.text()]
    qtbot.waitUntil(lambda: app.updates is not None)
    assert not app.updates._busy and app.updates.next_in is None
    assert release.host.requests == []
    assert not window.update_banner.isVisible()


def test_the_download_shows_progress_stops_on_cancel_then_goes_on_and_offers_install(
    qtbot, runs, release, paths
):
    release("99.0.0")
    app = runs("fr")
    window = app.window
    qtbot.waitUntil(window.update_banner.isVisible, timeout=20000)
    host = release.host
    host.behaviour.dribble = 0.002  # the installer comes slowly: there is time to cancel
    window.update_banner.download_button.click()
    dialog = app.download_dialog
    assert dialog is not None and dialog.isVisible()
    total = app.updates.found.installer.length
    assert dialog.amount.text() == format_download(0, total) == "0,0 sur 0,3\u00a0Mo"
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=20000)
    assert re.fullmatch("0,[0-3] sur 0,3\u00a0Mo", dialog.amount.text())
    assert dialog.action.text() == "Annuler"
    dialog.action.click()
    assert dialog.status.text() == (
        "Téléchargement arrêté. Relancez-le pour reprendre là où il s’est arrêté."
    )
    folder = download_folder(paths.data_dir)
    name = app.updates.found.installer.name
    assert not (folder / name).exists()  # no installer but a verified one

    def kept() -> int:  # what the cancelled download left, for the next one to go on from
        return sum(part.stat().st_size for part in folder.glob(f"{name}.*part"))

    qtbot.waitUntil(lambda: kept() > 0, timeout=20000)
    host.behaviour.dribble = 0.0
    host.behaviour.ranges = True
    dialog.action.click()  # Télécharger: goes on from where it stopped
    qtbot.waitUntil(lambda: dialog.state == "ready", timeout=20000)
    assert dialog.action.text() == "Installer maintenant"
    assert dialog.bar.value() == dialog.bar.maximum()
    assert (folder / name).stat().st_size == total
    assert any(status == 206 for _path, status in host.requests)
    window.choose_language("ary")  # the dialog follows a switch, as the window does
    qtbot.waitUntil(lambda: dialog.action.text() == "ركّب دابا")
    assert dialog.heading.text() == "كاينة نسخة جديدة \u206899.0.0\u2069"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux tarball's install")
def test_install_now_installs_the_tarball_in_home_and_quits(qtbot, runs, release, tmp_path):
    import os

    release("99.0.0", _linux_tarball(tmp_path / "tarball", "99.0.0"))
    app = runs()
    window = app.window
    qtbot.waitUntil(window.update_banner.isVisible, timeout=20000)
    window.update_banner.download_button.click()
    dialog = app.download_dialog
    qtbot.waitUntil(lambda: dialog.state == "ready", timeout=20000)
    with qtbot.waitSignal(window.quit_requested, timeout=60000):
        dialog.action.click()  # Install now
    home = Path(os.environ["HOME"])  # the test's own (conftest)
    installed = home / ".local" / "lib" / "campaign-gui" / "campaign-gui"
    ran = subprocess.run([installed], capture_output=True, text=True, check=True)
    assert ran.stdout == "99.0.0\n"


def test_the_tray_notice_comes_once_per_version_across_runs(
    qtbot, runs, release, monkeypatch, clock
):
    monkeypatch.setattr(app_wiring, "tray_available", lambda: True)
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(Tray, "notify", lambda self, title, message: told.append((title, message)))
    release("99.0.0")
    first = runs(tray=True)
    qtbot.waitUntil(first.window.update_banner.isVisible, timeout=20000)
    assert told == [("Version 99.0.0 is available", NOTES["en"])]
    runs.end(first)

    clock.set(clock.now() + timedelta(days=1, minutes=1))  # the next day: a check is due
    second = runs(tray=True)
    qtbot.waitUntil(second.window.update_banner.isVisible, timeout=20000)
    assert len(told) == 1  # the same version: the banner again, no second notice
    runs.end(second)

    release("99.1.0")
    clock.set(clock.now() + timedelta(days=1, minutes=1))
    runs(tray=True)
    qtbot.waitUntil(lambda: len(told) == 2, timeout=20000)
    assert told[-1][0] == "Version 99.1.0 is available"
    set_language("en")


def test_the_tray_notice_gives_the_first_line_of_long_notes_the_banner_all_of_them(
    qtbot, runs, release, monkeypatch
):
    monkeypatch.setattr(app_wiring, "tray_available", lambda: True)
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(Tray, "notify", lambda self, title, message: told.append((title, message)))
    first = "شنو جديد: " + "الرسم ديال الأرقام ولّا أسرع، " * 12
    darija = (first + "\n\n" + "- إصلاح صغير.\n" * 600)[:10_000]
    release("99.0.0", notes={**NOTES, "ary": darija})
    app = runs("ary", tray=True)
    qtbot.waitUntil(lambda: bool(told), timeout=20000)
    ((title, message),) = told
    assert title == "كاينة نسخة جديدة \u206899.0.0\u2069"
    assert len(message) <= 200 and message.endswith("…")
    assert first.startswith(message[:-1]) and first[len(message) - 1] == " "
    assert app.window.update_banner.notes.text() == darija  # the whole notes in the window


def test_a_restart_within_the_day_shows_the_found_version_again_without_a_check(
    qtbot, runs, release, clock, paths
):
    release("99.0.0")
    first = runs()
    qtbot.waitUntil(first.window.update_banner.isVisible, timeout=20000)
    assert load_update_state(paths.data_dir).found == "99.0.0"
    runs.end(first)
    requests = len(release.host.requests)
    clock.set(clock.now() + timedelta(hours=20))

    # A new run, new objects: the banner again, verified from the trusted metadata on disk, with
    # no request; the next check planned for when the day has passed.
    second = runs("fr")
    banner = second.window.update_banner
    qtbot.waitUntil(banner.isVisible, timeout=20000)
    assert banner.title.text() == "La version 99.0.0 est disponible"
    assert banner.notes.text() == NOTES["fr"]
    assert timedelta(hours=3, minutes=59) < second.updates.next_in < timedelta(hours=4, minutes=1)
    assert len(release.host.requests) == requests
    assert second.updates.found is not None  # Download downloads it

    # A check that finds the app up to date (here, 99.0.0 installed) forgets it.
    second.updates.running = "99.0.0"
    second.window.check_updates_action.trigger()
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=20000)
    assert load_update_state(paths.data_dir).found is None
    runs.end(second)
    third = runs()
    qtbot.waitUntil(lambda: third.updates is not None and third.updates.next_in is not None)
    assert not third.window.update_banner.isVisible()  # nothing found to show again


def test_a_failed_download_is_said_in_darija_and_leaves_no_installer(qtbot, runs, release, paths):
    release("99.0.0")
    app = runs("ary")
    window = app.window
    qtbot.waitUntil(window.update_banner.isVisible, timeout=20000)
    release.host.behaviour.status = 503  # the host fails from now on
    window.update_banner.download_button.click()
    dialog = app.download_dialog
    qtbot.waitUntil(lambda: dialog.state == "stopped", timeout=20000)
    assert dialog.status.text().startswith("ما قدرناش نحمّلو الملف ديال التركيب")
    assert dialog.status.objectName() == "problems"  # in the theme's colour for problems
    assert dialog.action.text() == "حمّل"  # try again
    name = app.updates.found.installer.name
    assert not (download_folder(paths.data_dir) / name).exists()
    release.host.behaviour.status = None
    dialog.action.click()
    qtbot.waitUntil(lambda: dialog.state == "ready", timeout=20000)
    assert dialog.action.text() == "ركّب دابا"
