"""Page addresses: the check and Qt's strict parser, which opens them, agree; and when a page
cannot be opened the user is told, with an address they can copy."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from campaign_gui.core import limits
from campaign_gui.core.campaign import FACEBOOK_HOSTS, is_facebook_page_url
from campaign_gui.core.clock import FixedClock
from campaign_gui.ui.app_wiring import build_app
from campaign_gui.ui.main_window import MainWindow

STRICT = QUrl.ParsingMode.StrictMode
ENCODED = QUrl.ComponentFormattingOption.FullyEncoded


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://www.facebook.com/MarocTelecom", True),
        ("https://www.facebook.com/profile.php?id=100064", True),
        ("https://web.facebook.com/pages/Inwi/1234567890", True),
        ("https://www.facebook.com/ShareTheMeal", True),  # begins like "share", is a page
        ("https://www.facebook.com/caf%C3%A9.maroc", True),  # a percent-encoded path is fine
        ("https://www.facebook.com/inwi.ma#posts", True),
        ("https://www.facebook.com/\tinwi.ma", False),
        ("https://www.facebook.com/inwi.ma\t", False),
        (" https://www.facebook.com/inwi.ma", False),
        ("https://www.facebook.com/inwi.ma ", False),
        ("https://www.facebook.com/inwi\x00.ma", False),
        ("https://www.facebook.com/inwi\n.ma", False),
        ("https://www.facebook.com/<inwi>", False),
        ('https://www.facebook.com/inwi"', False),
        ("https://www.facebook.com/{inwi}", False),
        ("https://www.facebook.com/in|wi", False),
        ("https://www.facebook.com/in\\wi", False),
        ("https://www.facebook.com/in^wi", False),
        ("https://www.facebook.com/in`wi", False),
        ("https://www.facebook.com/in[wi]", False),
        ("https://www.facebook.com/café", False),  # non-ASCII: must be percent-encoded
        ("https://www.facebook.com/inwi%zz", False),  # not a percent escape
        ("https://www.facebook.com/x#a#b", False),
        ("https://www.facebook.com/l.php?u=https%3A%2F%2Fevil.example", False),
        ("https://www.facebook.com/L.PHP?u=https%3A%2F%2Fevil.example", False),
        ("https://www.facebook.com/%6C.php?u=https%3A%2F%2Fevil.example", False),
        ("https://m.facebook.com/l.php?u=https://evil.example", False),
        ("https://www.facebook.com/l/abc/evil.example", False),
        ("https://www.facebook.com/flx/warn/?u=https://evil.example", False),
        ("https://www.facebook.com/login/?next=https://evil.example", False),
        ("https://www.facebook.com/login.php?next=x", False),
        ("https://www.facebook.com/logout.php", False),
        ("https://www.facebook.com/dialog/share?href=x", False),
        ("https://www.facebook.com/sharer/sharer.php?u=x", False),
        ("https://www.facebook.com/sharer.php?u=x", False),
        ("https://www.facebook.com/share/p/abc/", False),
        ("https://www.facebook.com/plugins/page.php?href=x", False),
        ("https://www.facebook.com/inwi/../l.php?u=https://evil.example", False),
        ("https://www.facebook.com/inwi/%2e%2e/l.php?u=https://evil.example", False),
        ("https://www.facebook.com/%2Fl.php?u=https://evil.example", False),
        ("https://www.facebook.com//evil.example", False),
        ("https://www.facebook.com:abc/inwi.ma", False),
        ("https://www.facebook.com:443/inwi.ma", False),
        ("https://www.facebook.com:/inwi.ma", False),
        ("https://user:pw@www.facebook.com/inwi.ma", False),
        ("https://www.facebook.com./inwi.ma", False),
        ("https://www.facebook.com", False),
        ("https://www.facebook.com/", False),
        ("http://www.facebook.com/inwi.ma", False),
        ("javascript://www.facebook.com/%0aalert(1)", False),
        ("https://www.facebook.com/" + "a" * limits.MAX_URL, False),
        ("", False),
    ],
)
def test_only_strict_https_facebook_page_addresses_pass(url, ok):
    assert is_facebook_page_url(url) is ok
    if ok:
        assert QUrl(url, STRICT).isValid()


def test_an_address_as_long_as_allowed_passes():
    base = "https://www.facebook.com/"
    url = base + "a" * (limits.MAX_URL - len(base))
    assert len(url) == limits.MAX_URL
    assert is_facebook_page_url(url)


_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _normalized(url: str) -> str:
    """RFC 3986 section 6.2.2 normalisation, which gives an equivalent address: scheme and host
    in lower case, percent escapes in upper case, escaped unreserved characters decoded."""
    scheme, rest = url.split("://", 1)
    host, slash, path = rest.partition("/")
    out = []
    i = 0
    while i < len(path):
        if path[i] == "%":
            char = chr(int(path[i + 1 : i + 3], 16))
            out.append(char if char in _UNRESERVED else path[i : i + 3].upper())
            i += 3
        else:
            out.append(path[i])
            i += 1
    return f"{scheme.lower()}://{host.lower()}{slash}{''.join(out)}"


def _assert_qt_agrees(url: str) -> None:
    """What the check accepts, Qt opens as that very address: https, a Facebook host."""
    qurl = QUrl(url, STRICT)
    assert qurl.isValid(), (url, qurl.errorString())
    assert qurl.scheme() == "https"
    assert qurl.host() in FACEBOOK_HOSTS
    assert qurl.port() == -1 and not qurl.userInfo()
    # The same address, or an equivalent one (Qt normalises as RFC 3986 allows).
    encoded = qurl.toString(ENCODED)
    assert encoded in (url, _normalized(url)), (url, encoded)


@settings(max_examples=800, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80))
def test_any_text_that_passes_is_an_address_qt_opens_as_is(text):
    for candidate in (text, "https://www.facebook.com/" + text):
        if is_facebook_page_url(candidate):
            _assert_qt_agrees(candidate)


URLISH = st.sampled_from(
    [
        *(chr(c) for c in range(0x21, 0x7F)),  # every printable ASCII character
        " ",
        "\t",
        "\n",
        "\x00",
        "\x7f",
        "é",
        "ف",
        "\u202e",
        "%",
        "%2e",
        "%2F",
        "%41",
        "%7e",
        "%zz",
        "/",
        "//",
        "..",
        "l.php",
        "?u=",
        "#",
        ":",
        "@",
    ]
)


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(
    scheme=st.sampled_from(["https", "HTTPS", "http", "", "javascript", "https "]),
    host=st.sampled_from(
        [*sorted(FACEBOOK_HOSTS), "WWW.Facebook.com", "facebook.com.", "evil.example"]
    ),
    authority_extra=st.sampled_from(["", ":", ":443", ":abc", "@x", "user@"]),
    path=st.lists(URLISH, max_size=20).map("".join),
)
def test_facebook_like_addresses_that_pass_are_opened_as_checked(
    scheme, host, authority_extra, path
):
    for url in (
        f"{scheme}://{host}{authority_extra}/{path}",
        f"{scheme}://{authority_extra.lstrip(':@')}{'@' if authority_extra else ''}{host}/{path}",
    ):
        if is_facebook_page_url(url):
            _assert_qt_agrees(url)


# -- the window: a page that cannot be opened is reported ---------------------------------------


def _campaign_with_url(tmp_path: Path, url: str) -> Path:
    bundled = resources.files("campaign_gui") / "resources" / "campaign-2016.json"
    data = json.loads(bundled.read_text(encoding="utf-8"))
    data["targets"][2]["page_url"] = url
    path = tmp_path / "campaign.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def window_for(qtbot, paths):
    apps = []

    def open_window(campaign_file: Path) -> MainWindow:
        clock = FixedClock(datetime(2026, 1, 15, 10, tzinfo=UTC))
        app = build_app(paths, campaign_file, language="en", clock=clock, tray=False)
        window = app.window
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.loaded, timeout=15000):
            pass  # loading starts once the window has painted
        apps.append(app)
        return window

    yield open_window
    for app in apps:
        app.service.close()


def _visible_boxes(window) -> list[QMessageBox]:
    return [b for b in window.findChildren(QMessageBox) if b.isVisible()]


def test_a_page_the_system_cannot_open_is_reported_with_its_address(
    window_for, tmp_path, qtbot, monkeypatch
):
    url = "https://www.facebook.com/inwi.ma?ref=%C3%A9&x=1"
    window = window_for(_campaign_with_url(tmp_path, url))
    opened: list[str] = []

    def refuse(qurl: QUrl) -> bool:
        opened.append(qurl.toString(ENCODED))
        return False

    monkeypatch.setattr(QDesktopServices, "openUrl", refuse)
    assert _visible_boxes(window) == []
    window.cards["inwi"].open_button.click()
    assert opened == [url]
    qtbot.waitUntil(lambda: bool(_visible_boxes(window)))
    (box,) = _visible_boxes(window)
    assert box.text() == f"The page could not be opened. Its address is:\n{url}"
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.icon() == QMessageBox.Icon.Warning
    assert box.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse  # to copy
    box.close()


def test_a_page_that_opens_shows_no_message(window_for, tmp_path, qtbot, monkeypatch):
    window = window_for(_campaign_with_url(tmp_path, "https://www.facebook.com/inwi.ma"))
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda qurl: opened.append(qurl.toString()) or True
    )
    window.cards["inwi"].open_button.click()
    assert opened == ["https://www.facebook.com/inwi.ma"]
    qtbot.wait(50)
    assert _visible_boxes(window) == []
