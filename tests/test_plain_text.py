"""Text from files (names, titles, details, sources, notes, hashtags, the user's own days) shows
as written, everywhere: never read as markup, never as a format string, never as a shortcut."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QIcon, QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox, QToolTip

from campaign_gui.core.campaign import ActionDay, is_facebook_page_url
from campaign_gui.core.clock import FixedClock
from campaign_gui.core.glance import campaign_glance
from campaign_gui.core.i18n import set_language
from campaign_gui.ui import dialog_buttons
from campaign_gui.ui.about_dialog import AboutDialog
from campaign_gui.ui.app_wiring import build_app
from campaign_gui.ui.loss_plot import legend_text, line_label_format
from campaign_gui.ui.main_window import MainWindow
from campaign_gui.ui.reminder_banner import ReminderBanner
from campaign_gui.ui.target_cards import plain_tooltip
from campaign_gui.ui.tray import Tray, menu_text
from campaign_gui.ui.tray_widget import TrayWidget

BOLD = "<b>inwi</b><img src=x>"
LINK = '<a href="https://evil.example">x</a>'
FORMAT = "{value} {0} AT&T &lt;i&gt; &amp;"
EVENT = "<i>VoIP</i> {value} blocked"
DAY = "<u>Sit-in</u> & <a href='https://evil.example'>here</a>"
OWN = "<b>My</b> day & <script>x</script>"
NOTE = "<h1>huge</h1>"
SOURCE = "<a href=https://evil.example>Le360</a>"
HASHTAG = "#<marquee>OPEUnlike</marquee>"
CAMPAIGN = "<h1>Unlike</h1> & co"
NOW = datetime(2026, 1, 15, 10, tzinfo=UTC)


def everywhere(text: str) -> dict[str, str]:
    return {"en": text, "fr": text, "ary": text}


def hostile_campaign(tmp_path: Path) -> Path:
    bundled = resources.files("campaign_gui") / "resources" / "campaign-2016.json"
    data = json.loads(bundled.read_text(encoding="utf-8"))
    data["name"] = everywhere(CAMPAIGN)
    data["hashtags"] = [HASHTAG, "#خريتو"]
    names = {"inwi": BOLD, "meditel": LINK, "maroc-telecom": FORMAT}
    for target in data["targets"]:
        target["name"] = everywhere(names[target["id"]])
    for day in data["action_days"]:
        day["title"] = everywhere(DAY)
        day["details"] = everywhere(NOTE)
        day["sources"] = [{"name": SOURCE}]
    for event in data["events"]:
        event["title"] = everywhere(EVENT)
        event["sources"] = [{"name": SOURCE}]
    for report in data["reports"]:
        report["note"] = everywhere(NOTE)
        report["sources"] = [{"name": SOURCE}]
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def rendered(rich: str) -> str:
    """What the user reads of a text Qt shows as markup."""
    document = QTextDocument()
    document.setHtml(rich)
    return document.toPlainText()


def as_qt_shows(text: str) -> str:
    """A tooltip or an auto-format text as Qt shows it: markup if Qt guesses it is."""
    return rendered(text) if QtGui.Qt.mightBeRichText(text) else text


@pytest.fixture
def hostile_window(qtbot, paths, tmp_path):
    apps = []

    def open_window(language: str = "en") -> MainWindow:
        app = build_app(
            paths, hostile_campaign(tmp_path), language=language, clock=FixedClock(NOW), tray=False
        )
        window = app.window
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.loaded, timeout=15000):
            pass  # loading starts once the window has painted
        apps.append(app)
        when = date(2026, 2, 1)
        own = ActionDay(
            "mine-1", "protest", when, when, everywhere(OWN), everywhere(NOTE), own=True
        )
        with qtbot.waitSignal(window.loaded, timeout=15000):
            window.service.save_user_day(own)
        return window

    yield open_window
    for app in apps:
        app.service.close()
    set_language("en")


def visible_boxes(window) -> list[QMessageBox]:
    return [b for b in window.findChildren(QMessageBox) if b.isVisible()]


def test_every_label_in_the_window_is_plain_text(hostile_window):
    window = hostile_window()
    window.tabs.setCurrentIndex(1)
    labels = [label for label in window.findChildren(QLabel) if label.text()]
    assert len(labels) >= 8
    rich = [label.text() for label in labels if label.textFormat() != Qt.TextFormat.PlainText]
    assert rich == []


def test_operator_cards_show_names_as_written(hostile_window):
    window = hostile_window()
    assert window.cards["inwi"].name.text() == BOLD
    assert window.cards["meditel"].name.text() == LINK
    assert window.cards["maroc-telecom"].name.text() == FORMAT
    for card in window.cards.values():
        assert card.name.textFormat() == Qt.TextFormat.PlainText
        assert card.figure.textFormat() == Qt.TextFormat.PlainText
        assert as_qt_shows(card.open_button.toolTip()) == card.target.page_url
    assert window.cards["inwi"].open_button.accessibleName() == f"Open {BOLD}'s Facebook page"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.facebook.com/inwi.ma",
        "https://www.facebook.com/inwi.ma?a=&lt;b&gt;x",  # Qt would guess markup from "&lt;"
        "https://www.facebook.com/inwi.ma?a=&amp;",
    ],
)
def test_the_page_address_tooltip_shows_it_as_written(url):
    assert is_facebook_page_url(url)
    assert as_qt_shows(plain_tooltip(url)) == url


def test_the_graph_legend_and_event_labels_show_names_as_written(hostile_window):
    window = hostile_window()
    plot = window.plot
    shown = [label.item.toPlainText() for _sample, label in plot.legend.items]
    assert shown == [FORMAT, LINK, BOLD, "The three pages together (early count)"]
    assert [label.text for _sample, label in plot.legend.items][2] == html.escape(BOLD, False)
    assert plot.curves["inwi"].name() == BOLD
    assert set(plot.event_labels()) == {EVENT}  # "{value}" is not replaced by the position


def test_the_read_out_shows_names_notes_and_sources_as_written(hostile_window):
    window = hostile_window()
    plot = window.plot
    series = window.snapshot.series["meditel"]
    index = next(i for i, info in series.info.items() if info.kind == "report")
    text = plot.describe("meditel", index)
    assert LINK in text and NOTE in text and SOURCE in text
    view = plot.plot.getViewBox()
    at = QPointF(float(series.times[index]), float(series.losses[index]))
    plot.plot.scene().sigMouseMoved.emit(view.mapViewToScene(at))  # the mouse on the mark
    assert QToolTip.isVisible()
    # Rich text turns no-break spaces (inside dates) into spaces; everything else is as written.
    assert as_qt_shows(QToolTip.text()).replace("\xa0", " ") == text.replace("\xa0", " ")


def test_action_days_show_titles_details_and_sources_as_written(hostile_window):
    window = hostile_window()
    days = window.days
    window.tabs.setCurrentIndex(1)
    assert days.next_day.text().startswith(f"Next: {OWN}, ")
    assert days.next_day.textFormat() == Qt.TextFormat.PlainText
    upcoming = days.tree.topLevelItem(0)
    assert upcoming.child(0).text(2) == f"{OWN} (your day)"
    past = days.tree.topLevelItem(1)
    days.tree.setCurrentItem(past.child(0))
    assert past.child(0).text(2) == DAY
    assert days.details_title.textFormat() == Qt.TextFormat.PlainText
    assert days.details_title.text() == DAY
    assert days.details.textFormat() == Qt.TextFormat.PlainText
    assert NOTE in days.details.text() and f"Source: {SOURCE}" in days.details.text()


def test_the_header_shows_the_campaign_name_as_written(hostile_window):
    window = hostile_window()
    assert window.campaign_title.text() == CAMPAIGN
    assert window.campaign_title.textFormat() == Qt.TextFormat.PlainText


def test_the_about_box_shows_hashtags_as_written(hostile_window, qtbot):
    window = hostile_window()
    window.show_about()
    qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(AboutDialog)))
    (box,) = [b for b in window.findChildren(AboutDialog) if b.isVisible()]
    assert box.hashtags.textFormat() == Qt.TextFormat.PlainText
    assert f"\u200e{HASHTAG} \u2068#خريتو\u2069" in box.hashtags.text()  # each isolated
    box.close()


def test_messages_are_plain_text(hostile_window, qtbot):
    window = hostile_window()
    window._inform("Warning", f"Line 2: {BOLD}")
    qtbot.waitUntil(lambda: bool(visible_boxes(window)))
    (box,) = visible_boxes(window)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text() == f"Line 2: {BOLD}"
    box.close()


def test_deleting_a_day_asks_with_its_title_as_written(hostile_window, monkeypatch):
    window = hostile_window()
    asked = []

    def ask(parent, title, text):
        asked.append(text)
        return False

    monkeypatch.setattr(dialog_buttons, "ask", ask)
    own = next(d for d in window.snapshot.days if d.own)
    window.delete_day(own)
    (text,) = asked
    assert text == f"Delete “{OWN}”? This cannot be undone."  # ask() shows it as plain text


def test_the_graph_keeps_darija_direction_marks_and_escapes(hostile_window):
    window = hostile_window("ary")
    shown = [label.item.toPlainText() for _sample, label in window.plot.legend.items]
    assert f"\u202a{BOLD}\u202c" in shown  # no Arabic in it: its own direction, left to right
    set_language("ary")
    assert legend_text("اتصالات <المغرب>") == "\u202bاتصالات &lt;المغرب&gt;\u202c"
    assert line_label_format("{x}").format(value=1.0) == "\u202a{x}\u202c"


def test_the_tray_widget_banner_and_tray_show_names_as_written(hostile_window, qtbot):
    window = hostile_window()
    snapshot = window.snapshot
    glance = campaign_glance(snapshot.campaign, snapshot.days, snapshot.series, NOW)

    widget = TrayWidget()
    qtbot.addWidget(widget)
    widget.set_glance(glance)
    assert widget.title.text().startswith(f"Next: {OWN}, ")
    shown = {name.text() for name, _latest, _spark in widget.rows.values()}
    assert shown == {BOLD, LINK, FORMAT}
    labels = [label for label in widget.findChildren(QLabel) if label.text()]
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)

    banner = ReminderBanner()
    qtbot.addWidget(banner)
    banner.show_reminder(f"Tomorrow: {OWN}", DAY)
    assert banner.title.text() == f"Tomorrow: {OWN}" and banner.message.text() == DAY
    assert banner.title.textFormat() == banner.message.textFormat() == Qt.TextFormat.PlainText

    tray = Tray(QIcon())
    tray.set_summary(glance.next_day, glance.tooltip())
    tooltip = tray.icon.toolTip()
    assert BOLD in tooltip and LINK in tooltip
    assert as_qt_shows(tooltip) == tooltip  # the X11 tray shows it as a widget tooltip
    # "&" marks a shortcut letter in a menu: doubled, it shows as written.
    assert tray.next_day_action.text() == menu_text(glance.next_day)
    assert menu_text("AT&T") == "AT&&T"


def test_notifications_are_escaped_where_they_are_read_as_markup(monkeypatch):
    tray = Tray(QIcon())
    sent = []
    monkeypatch.setattr(tray.icon, "showMessage", lambda *args: sent.append(args[:2]))
    tray.markup_notifications = False  # Windows, macOS, the X11 balloon: plain text
    tray.notify(f"Tomorrow: {OWN}", DAY)
    tray.markup_notifications = True  # org.freedesktop.Notifications: markup
    tray.notify(f"Tomorrow: {OWN}", DAY)
    assert sent[0] == (f"Tomorrow: {OWN}", DAY)
    title, message = sent[1]
    assert rendered(message) == DAY
    assert title.replace("\u2060", "") == f"Tomorrow: {OWN}"
    assert not QtGui.Qt.mightBeRichText(title)


FAKE_WATCHER = textwrap.dedent(
    """
    import subprocess, sys
    from PySide6.QtCore import ClassInfo, Property, QCoreApplication, QObject
    from PySide6.QtDBus import QDBusConnection
    from campaign_gui.ui.tray import notifications_read_markup

    @ClassInfo({"D-Bus Interface": "org.kde.StatusNotifierWatcher"})
    class Watcher(QObject):
        IsStatusNotifierHostRegistered = Property(bool, lambda self: True)

    app = QCoreApplication([])
    bus = QDBusConnection.sessionBus()
    print("without", notifications_read_markup())
    watcher = Watcher()
    bus.registerObject(
        "/StatusNotifierWatcher", watcher, QDBusConnection.RegisterOption.ExportAllProperties
    )
    bus.registerService("org.kde.StatusNotifierWatcher")
    # Asked from another process, as Qt in the app would ask (this one would block on itself).
    child = subprocess.Popen(
        [sys.executable, "-c",
         "from PySide6.QtCore import QCoreApplication as A; a = A([]); "
         "from campaign_gui.ui.tray import notifications_read_markup as n; print('with', n())"],
    )
    while child.poll() is None:
        app.processEvents()
    # The same question without waiting, as the tray asks it when its icon is shown.
    child = subprocess.Popen(
        [sys.executable, "-c",
         "from PySide6.QtCore import QCoreApplication as A, QObject; a = A([]); "
         "from campaign_gui.ui.tray import ask_notifications_markup as ask; "
         "o = QObject(); said = []; ask(o, said.append); print('asked', said); "
         "[a.processEvents() for _ in iter(lambda: bool(said), True)]; print('answered', said)"],
    )
    while child.poll() is None:
        app.processEvents()
    """
)


@pytest.mark.skipif(
    sys.platform != "linux" or shutil.which("dbus-run-session") is None,
    reason="needs a D-Bus session bus",
)
def test_notifications_read_markup_where_a_status_notifier_host_is_registered(tmp_path):
    script = tmp_path / "watcher.py"
    script.write_text(FAKE_WATCHER, encoding="utf-8")
    done = subprocess.run(
        ["dbus-run-session", "--", sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parent.parent,
    )
    assert "without False" in done.stdout, done.stderr
    assert "with True" in done.stdout, done.stderr
    assert "asked []" in done.stdout, done.stderr  # nothing waited for the bus
    assert "answered [True]" in done.stdout, done.stderr
