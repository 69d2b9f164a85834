"""Organisers in the window: the token typed in a masked field and kept in a real keyring
backend (keyrings.alt's file, test-only) or for the session only; the tracker run by the app
against a Graph API emulator on 127.0.0.1, stopping on an expired token."""

from __future__ import annotations

import json
import random
import threading

import keyring.backends.fail
import pytest
from keyrings.alt.file import PlaintextKeyring
from PySide6.QtWidgets import QApplication, QLineEdit
from werkzeug import Response

from campaign_gui.core.campaign import load_bundled_campaign
from campaign_gui.core.clock import FixedClock
from campaign_gui.core.i18n import set_language
from campaign_gui.core.secrets import ENVIRONMENT, GRAPH_TOKEN, Keychain, Secrets
from campaign_gui.core.settings import Settings
from campaign_gui.ui.organiser_settings import OrganiserSettingsDialog
from campaign_gui.ui.track_service import TrackService
from campaign_gui.ui.workspace_service import WorkspaceService

from .feed_host import NOW

TOKEN = "EAAOrganiserToken0123456789abcdef"


@pytest.fixture
def keychain(tmp_path):
    ring = PlaintextKeyring()
    ring.file_path = str(tmp_path / "keyring.cfg")
    return Secrets(Keychain(ring, ENVIRONMENT), session_only_fallback=True)


def _dialog(qtbot, settings, secrets) -> OrganiserSettingsDialog:
    """The dialog, once the keychain has said whether a token is kept (it is asked off the
    window's thread)."""
    dialog = OrganiserSettingsDialog(settings, secrets)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.token_state.text() != "Looking in the keychain…")
    return dialog


def test_the_token_is_typed_masked_and_kept_in_the_keychain(qtbot, keychain, tmp_path):
    settings = Settings()
    dialog = _dialog(qtbot, settings, keychain)
    assert dialog.token.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.token_state.text() == "No token is set."
    assert not dialog.forget_token.isEnabled()
    dialog.token.setText(TOKEN)
    with qtbot.waitSignal(dialog.token_known) as known:
        dialog.save_token.click()
    assert known.args == [True]
    assert keychain.get(GRAPH_TOKEN) == TOKEN
    assert dialog.token.text() == ""  # not left in the field
    assert dialog.token_state.text() == (
        "A token is kept in the keychain set by PYTHON_KEYRING_BACKEND: "
        f"keyrings.alt.file.PlaintextKeyring (a plain file, {tmp_path / 'keyring.cfg'})."
    )
    with qtbot.waitSignal(dialog.token_known):
        dialog.forget_token.click()
    assert keychain.get(GRAPH_TOKEN) is None
    assert dialog.token_state.text() == "No token is set."


class SlowKeychain(Secrets):
    """A keychain that waits to be unlocked (as one may ask its user): ``unlock`` lets it answer."""

    def __init__(self, inner: Secrets) -> None:
        self.__dict__.update(inner.__dict__)
        self.unlocked = threading.Event()

    def get(self, name):
        assert self.unlocked.wait(30), "never unlocked"
        return super().get(name)


def test_a_keychain_that_waits_to_be_unlocked_never_freezes_the_window(qtbot, keychain):
    slow = SlowKeychain(keychain)
    dialog = OrganiserSettingsDialog(Settings(), slow)  # returns at once: nothing waited for
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.token_state.text() == "Looking in the keychain…"
    assert not dialog.forget_token.isEnabled()
    QApplication.processEvents()  # the window goes on answering meanwhile
    with qtbot.waitSignal(dialog.token_known):
        slow.unlocked.set()
    assert dialog.token_state.text() == "No token is set."


def test_settings_are_checked_before_they_are_kept(qtbot, keychain):
    settings = Settings()
    dialog = _dialog(qtbot, settings, keychain)
    dialog.tracking.setChecked(True)
    dialog.interval.setValue(2)  # the box refuses less than 5
    dialog.version.setText("v23.0/../me")
    dialog._save()
    assert "must look like v23.0" in dialog.problem.text()
    assert settings.tracking is False
    dialog.version.setText("v24.0")
    dialog.token.setText(TOKEN)  # typed, not kept yet: kept on saving, then the rest
    with qtbot.waitSignal(dialog.accepted):
        dialog._save()
    assert keychain.get(GRAPH_TOKEN) == TOKEN
    assert (settings.tracking, settings.track_interval_minutes, settings.graph_api_version) == (
        True,
        5,
        "v24.0",
    )


def test_without_a_keychain_the_token_lasts_the_session_and_it_is_said(qtbot):
    secrets = Secrets(Keychain(keyring.backends.fail.Keyring()), session_only_fallback=True)
    dialog = _dialog(qtbot, Settings(), secrets)
    dialog.token.setText(TOKEN)
    with qtbot.waitSignal(dialog.token_known):
        dialog.save_token.click()
    assert secrets.get(GRAPH_TOKEN) == TOKEN
    assert "only until the app quits" in dialog.token_state.text()


@pytest.fixture
def tracker(qtbot, paths, keychain, httpserver):
    clock = FixedClock(NOW)
    service = WorkspaceService(paths, None, clock=clock)
    track = TrackService(
        service,
        Settings(tracking=True),
        keychain,
        clock=clock,
        api_base=httpserver.url_for("/"),
        rng=random.Random(3),
    )
    track.set_campaign(load_bundled_campaign())
    yield service, track
    track.stop()
    service.close()


def test_the_app_tracks_the_pages_and_shows_the_counts(qtbot, tracker, keychain, httpserver):
    service, track = tracker
    keychain.set(GRAPH_TOKEN, TOKEN)
    for page, likes in {
        "maroctelecom": 2_450_000,
        "orangemaroc": 1_900_000,
        "inwi.ma": 1_800_000,
    }.items():
        httpserver.expect_request(
            f"/v23.0/{page}", headers={"Authorization": f"Bearer {TOKEN}"}
        ).respond_with_json({"fan_count": likes, "followers_count": likes + 5})
    with (
        qtbot.waitSignal(track.recorded, timeout=20000) as recorded,
        qtbot.waitSignal(service.loaded, timeout=20000) as loaded,
    ):
        track.start()
    assert recorded.args == [3]
    assert track.status == "3 new counts recorded."
    # Tracked long after the start, the count is the first of a line of its own: the change
    # since tracking began, beside the press's figures (which keep their line).
    series = loaded.args[0].series
    assert len(series["inwi:likes:since"]) == 1 and len(series["inwi"]) == 4  # start, reports
    assert track.next_in is not None and track.next_in.total_seconds() > 9 * 60
    # Settings → Organisers… says what Facebook gave for each page, and what the graph draws.
    dialog = OrganiserSettingsDialog(Settings(), keychain, readings=track.last_readings())
    qtbot.addWidget(dialog)
    assert dialog.readings.text().splitlines() == [
        "At the last reading:",
        "Maroc Telecom: Facebook gave likes and followers; the graph counts likes.",
        "Méditel (now Orange Maroc): Facebook gave likes and followers; the graph counts likes.",
        "inwi: Facebook gave likes and followers; the graph counts likes.",
    ]
    set_language("fr")  # said in the language of the moment the dialog opens
    try:
        assert track.last_readings()[0].startswith("Maroc Telecom\u00a0: Facebook a fourni")
    finally:
        set_language("en")


def test_an_expired_token_stops_tracking_and_says_so(qtbot, tracker, keychain, httpserver):
    _service, track = tracker
    keychain.set(GRAPH_TOKEN, TOKEN)
    httpserver.expect_request("/v23.0/maroctelecom").respond_with_response(
        Response(json.dumps({"error": {"code": 190, "message": "expired"}}), status=401)
    )
    with qtbot.waitSignal(track.status_changed, timeout=20000) as said:
        track.start()
    assert "token has expired" in said.args[0]
    assert track.next_in is None


def test_no_token_waits_and_says_so(qtbot, tracker):
    _service, track = tracker
    with qtbot.waitSignal(track.status_changed, timeout=5000) as said:
        track.start()
    assert "No Graph API token" in said.args[0]


def test_meta_asking_for_weeks_waits_a_day_at_most(qtbot, tracker, keychain, httpserver):
    """A wait longer than a timer holds (24 days) crashed the scheduling: a day, then look."""
    _service, track = tracker
    keychain.set(GRAPH_TOKEN, TOKEN)
    usage = {"1": [{"call_count": 100, "estimated_time_to_regain_access": 40000}]}
    httpserver.expect_request("/v23.0/maroctelecom").respond_with_response(
        Response(
            json.dumps({"error": {"code": 613, "message": "slow down"}}),
            status=400,
            headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
        )
    )
    with qtbot.waitSignal(track.status_changed, timeout=20000):
        track.start()
    qtbot.waitUntil(lambda: track.next_in is not None, timeout=5000)
    assert 23 * 3600 < track.next_in.total_seconds() < 25 * 3600


def test_a_round_that_fails_before_any_request_stops_and_can_start_again(qtbot, paths, keychain):
    keychain.set(GRAPH_TOKEN, TOKEN)
    clock = FixedClock(NOW)
    service = WorkspaceService(paths, None, clock=clock)
    track = TrackService(
        service, Settings(tracking=True), keychain, clock=clock, api_base="ftp://example.org"
    )
    track.set_campaign(load_bundled_campaign())
    try:
        with qtbot.waitSignal(track.stopped_because, timeout=20000) as stopped:
            track.start()
        assert "https://" in stopped.args[0]
        assert track.next_in is None
        with qtbot.waitSignal(track.stopped_because, timeout=20000):
            track.start()  # not stuck: it tries (and says) again
    finally:
        track.stop()
        service.close()


def test_the_window_says_how_long_meta_asks_to_wait_and_why(qtbot, tracker, keychain, httpserver):
    """The first answer says the app used all its calls: the round ends there, and the status
    says why and when the next round is (the rolling hour Meta counts usage over)."""
    _service, track = tracker
    keychain.set(GRAPH_TOKEN, TOKEN)
    for i, page in enumerate(("maroctelecom", "orangemaroc", "inwi.ma")):
        httpserver.expect_request(f"/v23.0/{page}").respond_with_response(
            Response(
                json.dumps({"fan_count": 2_450_000, "followers_count": 2_600_000}),
                content_type="application/json",
                headers={"X-App-Usage": '{"call_count": 100}'} if i == 0 else {},
            )
        )
    with qtbot.waitSignal(track.recorded, timeout=20000) as recorded:
        track.start()
    assert recorded.args == [1]
    assert len(httpserver.log) == 1  # the two other pages were not requested
    qtbot.waitUntil(lambda: "Meta" in track.status, timeout=5000)
    assert track.status.startswith(
        "1 new count recorded. Meta asks to slow down (your Meta app used 100% of the calls it "
        "is allowed): "
        "the next round is at "
    )
    assert track.status.endswith(", in 60 minutes.")
    assert 59 * 60 < track.next_in.total_seconds() < 61 * 60  # a coarse timer: about an hour
