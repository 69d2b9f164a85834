"""The main window, driven as a user would, on the offscreen platform."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QPoint, QPointF, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from campaign_gui.core.like_loss import ALL_TARGETS
from campaign_gui.core.settings import load_settings
from campaign_gui.core.store import STORE_FILE
from campaign_gui.ui.target_cards import open_page

from .conftest import new_app, offscreen_env
from .probes import readout_at


class UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def handle(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.fixture
def url_catcher():
    catcher = UrlCatcher()
    for scheme in ("https", "http", "file"):
        QDesktopServices.setUrlHandler(scheme, catcher, "handle")
    yield catcher
    for scheme in ("https", "http", "file"):
        QDesktopServices.unsetUrlHandler(scheme)


def test_the_graph_shows_one_curve_per_operator_from_the_bundled_data(open_window):
    window = open_window()
    curves = window.plot.curves
    assert set(curves) == {"maroc-telecom", "meditel", "inwi", ALL_TARGETS}
    _, ys = curves["maroc-telecom"].getData()
    # two sources for the first day: the line goes through the dated one (Arabi21); the
    # figure whose report gives no date (Sefroupress) is a mark of its own, never on the line
    assert list(ys) == [0, 60000, 60000, 137500, 200000]
    _, apart = window.plot.report_marks["maroc-telecom"].getData()
    assert list(apart) == [123380]
    assert curves["inwi"].name() == "inwi"
    assert "VoIP blocked on ADSL and Wi-Fi" in window.plot.event_labels()
    assert "ANRT lets the operators restore VoIP" in window.plot.event_labels()
    assert window.cards["maroc-telecom"].figure.text().startswith("about 200,000 likes lost")


def test_pointing_at_a_mark_reads_out_date_figure_and_source(open_window, qtbot):
    window = open_window()
    plot = window.plot
    series = window.snapshot.series["meditel"]
    view = plot.plot.getViewBox()
    index = 2  # Sefroupress, 94,282
    scene = view.mapViewToScene(QPointF(float(series.times[index]), float(series.losses[index])))
    text = readout_at(plot, scene + QPointF(3, -2))
    assert text is not None
    assert "Méditel" in text and "94,282" in text and "Sefroupress" in text
    assert "Feb\u00a027,\u00a02016" in text
    empty_corner = view.mapViewToScene(QPointF(float(series.times[-1]), 0.0))
    assert readout_at(plot, empty_corner) is None


def test_open_page_asks_qt_for_exactly_the_operators_page(open_window, qtbot, url_catcher):
    window = open_window()
    for card in window.cards.values():
        qtbot.mouseClick(card.open_button, Qt.MouseButton.LeftButton)
    assert url_catcher.urls == [
        "https://www.facebook.com/maroctelecom",
        "https://www.facebook.com/orangemaroc",
        "https://www.facebook.com/inwi.ma",
    ]


def test_a_page_address_that_is_not_https_facebook_is_never_opened(campaign, url_catcher):
    from dataclasses import replace

    target = replace(campaign.targets[0], page_url="https://phishing.example/maroctelecom")
    assert open_page(target) is False
    target = replace(campaign.targets[0], page_url="http://www.facebook.com/maroctelecom")
    assert open_page(target) is False
    assert url_catcher.urls == []


def test_the_unliked_tick_survives_a_restart(open_window, qtbot):
    window = open_window()
    window.cards["inwi"].unliked.click()
    assert window.cards["inwi"].unliked.isChecked()
    window.close()
    again = open_window()
    assert again.cards["inwi"].unliked.isChecked()
    assert not again.cards["maroc-telecom"].unliked.isChecked()
    again.cards["inwi"].unliked.click()
    again.close()
    assert not open_window().cards["inwi"].unliked.isChecked()


def test_window_size_and_position_are_remembered(open_window):
    window = open_window()
    window.resize(window.minimumSizeHint().width() + 10, 520)
    window.move(QPoint(40, 30))
    size = (window.width(), window.height())
    assert size != (1120, 720)
    window.close()
    assert load_settings(window.paths.config_dir).window_geometry
    again = open_window()
    assert (again.width(), again.height()) == size


def test_a_store_that_is_not_a_database_is_kept_and_the_user_told(open_window, paths, qtbot):
    paths.data_dir.mkdir(parents=True)
    (paths.data_dir / STORE_FILE).write_bytes(b"garbage" * 500)
    window = open_window()
    assert window.snapshot.moved_aside is not None
    assert window.snapshot.moved_aside.read_bytes() == b"garbage" * 500
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "could not be read" in boxes[0].text()
    assert str(window.snapshot.moved_aside) in boxes[0].text()
    assert set(window.plot.curves) >= {"maroc-telecom", "meditel", "inwi"}


def test_importing_counts_from_the_window_updates_the_graph(open_window, qtbot, tmp_path):
    window = open_window()
    source = tmp_path / "counts.csv"
    source.write_text(
        "inwi,2016-02-26T08:00:00Z,1470000\ninwi,2016-03-20T08:00:00Z,1200000\n", encoding="utf-8"
    )
    with qtbot.waitSignal(window.loaded, timeout=15000):
        window.service.import_csv(source)
    _, ys = window.plot.curves["inwi"].getData()
    assert 270000 in list(ys)


def test_a_bad_import_tells_the_user_and_changes_nothing(open_window, qtbot, tmp_path):
    window = open_window()
    source = tmp_path / "bad.csv"
    source.write_text("inwi,2016-02-26T08:00:00Z,1\ninwi,soon,2\n", encoding="utf-8")
    with qtbot.waitSignal(window.failed, timeout=15000) as blocker:
        window.service.import_csv(source)
    assert "Line 2" in blocker.args[0]
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert any("Line 2" in b.text() for b in boxes)
    _, ys = window.plot.curves["inwi"].getData()
    assert list(ys) == [0, 45000, 45000, 170000]


def test_a_broken_campaign_file_is_reported_in_the_window(qtbot, paths, tmp_path, clock):
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    app = new_app(paths, load_settings(paths.config_dir), broken, clock=clock)
    window = app.window
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.failed, timeout=15000) as blocker:
        window.start_loading()
    assert "broken.json" in blocker.args[0] and "not valid JSON" in blocker.args[0]
    qtbot.waitUntil(lambda: window.plot is not None)
    # no empty graph with meaningless axes: the place of the graph says what went wrong
    assert window.graph_area.currentWidget() is window.graph_placeholder
    assert "not valid JSON" in window.graph_placeholder.text()
    window.service.close()


@pytest.mark.clock_matrix
def test_action_days_are_listed_upcoming_then_past(paths, qtbot, clock):
    from datetime import date

    clock.set_local(date(2016, 2, 1))  # the matrix's hour and zone, on that day
    app = new_app(paths, load_settings(paths.config_dir), clock=clock)
    window = app.window
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=15000):
        window.start_loading()
    tree = window.days.tree
    upcoming, past = tree.topLevelItem(0), tree.topLevelItem(1)
    assert upcoming.text(0) == "Upcoming" and past.text(0) == "Past"
    assert [upcoming.child(i).text(2) for i in range(upcoming.childCount())] == [
        "Unlike the operators' pages",
        "Boycott of bill payments and top-ups",
    ]
    assert past.child(0).text(2) == "Phones switched off for two days"
    assert past.child(0).text(0) == "Jan\u00a016\u202f–\u2060\u202f17,\u00a02016"
    # the soonest upcoming day is chosen, and its details are shown without hovering
    assert tree.currentItem() is upcoming.child(0)
    details = window.days.details.text()
    assert "From Friday night, people withdrew their likes" in details
    assert (
        "Sources: Arabi21, TelQuel (Feb\u00a027,\u00a02016), labass.net (article 9348)" in details
    )
    tree.setCurrentItem(past.child(0))
    assert "16 and 17 January" in window.days.details.text()
    window.service.close()


def test_settings_that_could_not_be_read_are_kept_and_the_user_told(open_window, paths):
    paths.config_dir.mkdir(parents=True)
    (paths.config_dir / "settings.json").write_text("[" * 200_000, encoding="utf-8")
    window = open_window()  # reads the settings the way the app's start does
    kept = [p for p in paths.config_dir.iterdir() if ".broken-" in p.name]
    assert len(kept) == 1
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "settings could not be read" in boxes[0].text()
    assert str(kept[0]) in boxes[0].text()
    assert window.settings.kept_aside is None  # told once


def test_the_command_line_hands_the_settings_it_read_to_the_window(tmp_path):
    from campaign_gui.cli.parser import early_settings, settings_to_keep

    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text("not json", encoding="utf-8")
    language, settings = early_settings(["--config-dir", str(config), "--lang", "fr"], None)
    assert language == "fr"
    assert settings.kept_aside is None  # not yet: the command line may still be refused
    settings = settings_to_keep(settings, config, None)
    assert settings.kept_aside is not None and settings.kept_aside.exists()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_menu_gives_its_items_different_keys(open_window, language):
    """Alt and a letter opens one item: in French too, no two items of a menu share a key."""
    window = open_window(language)
    menus = [window.menuBar()] + [a.menu() for a in window.menuBar().actions() if a.menu()]
    for menu in menus:
        keys = [
            text[text.index("&") + 1].lower()
            for text in (a.text().replace("&&", "") for a in menu.actions())
            if "&" in text
        ]
        assert len(keys) == len(set(keys)), [a.text() for a in menu.actions()]


def test_the_first_paint_waits_for_nothing_the_window_does_not_show(tmp_path):
    """What the first window does not need loads after it is painted: the commands and
    their parsers, the start-at-login helper, the dialogs, the tray, the action days' tab, the
    campaign's module and Babel, and NumPy, the store and the graph (the store's thread starts
    once the window has painted)."""
    script = Path(__file__).with_name("first_paint_modules.py")
    base = tmp_path
    done = subprocess.run(
        [
            sys.executable,
            str(script),
            "--data-dir",
            str(base / "d"),
            "--config-dir",
            str(base / "c"),
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        env=offscreen_env(),
        timeout=120,
        cwd=base,
    )
    loaded = set(done.stdout.split())
    assert "campaign_gui.ui.main_window" in loaded  # the window was painted
    deferred = {
        "campaign_gui.cli.participant",
        "campaign_gui.cli.organiser",
        "campaign_gui.cli.shared",
        "campaign_gui.core.autostart",
        "campaign_gui.ui.action_day_dialog",
        "campaign_gui.ui.reminder_settings",
        "campaign_gui.core.workspace",
        "campaign_gui.core.store",
        "campaign_gui.ui.tray",
        "campaign_gui.ui.tray_widget",
        "campaign_gui.ui.action_days_list",
        "campaign_gui.ui.target_cards",
        "campaign_gui.core.campaign",
        "campaign_gui.core.campaign_model",
        "campaign_gui.core.snapshot",  # made on the store's thread
        "campaign_gui.ui.update_banner",  # the banners: made when first shown
        "campaign_gui.ui.reminder_banner",
        "babel",
        "numpy",
        "pyqtgraph",
        "PySide6.QtNetwork",  # the single instance listens once the window has painted
        "hashlib",
        "logging.handlers",  # with socket, pickle and queue: the log file rotates without it
        "socket",
        "pickle",
        "importlib.resources",  # the package's files are read from its folder
        "campaign_gui.ui.dialog_buttons",  # with the first message or file dialog
        "campaign_gui.ui.file_dialogs",
        "campaign_gui.ui.qt_texts",  # Qt's texts in our words: for Darija and French only
    }
    assert deferred.isdisjoint(loaded), deferred & loaded


def test_the_banners_come_between_the_header_and_the_tabs_update_first(open_window, qtbot):
    """The banners are made when first shown (after the first paint), in their places: a newer
    version's above a reminder's, whichever came first, both above the tabs."""
    window = open_window()
    assert not window.banner.isVisible()
    window.show_banner("Tomorrow: Sit-in", "Bring a sign.")
    window.update_banner.show()
    qtbot.waitUntil(lambda: window.update_banner.isVisible() and window.banner.isVisible())

    def top(widget) -> int:
        return widget.mapTo(window, QPoint(0, 0)).y()

    assert top(window.header) < top(window.update_banner) < top(window.banner) < top(window.tabs)
    # Tab goes through their buttons as they are drawn, then on to the tabs (the order runs
    # round: from the last card, Tab comes to the banners).
    tab_stops = []
    widget = window.nextInFocusChain()
    while widget is not window:
        if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            tab_stops.append(widget)
        widget = widget.nextInFocusChain()
    first = tab_stops.index(window.update_banner.download_button)
    from_download = tab_stops[first:] + tab_stops[:first]
    assert from_download[:4] == [
        window.update_banner.download_button,
        window.update_banner.later_button,
        window.banner.close_button,
        window.tabs,
    ]
    window.hide_update()
    assert not window.update_banner.isVisible() and window.banner.isVisible()
