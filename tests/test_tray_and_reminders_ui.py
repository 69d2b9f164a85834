"""The tray fallback, the pinned widget surviving a restart, reminders delivered in the window,
and the user's own action days, on the offscreen platform (which has no system tray)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from campaign_gui.core.campaign import ActionDay
from campaign_gui.core.clock import FixedClock
from campaign_gui.core.formatting import format_day_span
from campaign_gui.core.settings import load_settings
from campaign_gui.ui import app_wiring, dialog_buttons, settings_keeper
from campaign_gui.ui.action_day_dialog import ActionDayDialog
from campaign_gui.ui.app_wiring import build_app
from campaign_gui.ui.controller import AppController
from campaign_gui.ui.language import apply_language
from campaign_gui.ui.reminder_scheduler import LONGEST_WAIT, ReminderScheduler
from campaign_gui.ui.tray_widget import onto_screens

CASABLANCA = ZoneInfo("Africa/Casablanca")


@pytest.fixture
def companions(qtbot, paths, clock):
    made = []

    def make() -> AppController:
        companion = build_app(paths, None, language="en", clock=clock)
        qtbot.addWidget(companion.window)
        with qtbot.waitSignal(companion.window.loaded, timeout=15000):
            pass
        made.append(companion)
        return companion

    yield make
    for companion in made:
        companion.window.quit_app()
        if companion.widget is not None:
            companion.widget.close()
    apply_language("en")


def test_without_a_tray_the_window_is_the_app_and_closing_it_quits(companions):
    companion = companions()
    assert companion.tray is None and companion.widget is None
    assert not companion.window.keep_running_in_tray
    companion.window.close()
    assert not companion.window.isVisible()


@pytest.mark.clock_matrix
def test_without_a_tray_reminders_show_as_a_banner_in_the_window(companions, qtbot, clock):
    companion = companions()
    window = companion.window
    window.tabs.setCurrentIndex(1)
    # The day after tomorrow on the user's own clock: its evening-before reminder (20:00 tomorrow)
    # is still to come whatever the time is now.
    soon = clock.today() + timedelta(days=2)
    with qtbot.waitSignal(window.loaded, timeout=15000):
        window.service.save_user_day(
            ActionDay("mine-1", "protest", soon, soon, {"en": "Sit-in"}, {"en": "Bring a sign."})
        )
    assert not window.banner.isVisible()  # nothing is due yet
    # the clock reaches the evening before
    clock.set_local(soon - timedelta(days=1), time(20, 0, 5))
    companion.scheduler.check()
    assert window.banner.isVisible()
    assert window.banner.title.text() == "Tomorrow: Sit-in"
    assert window.banner.message.text() == "Bring a sign."
    window.banner.close_button.click()
    assert not window.banner.isVisible()


def _drag(widget, by: QPoint, moves: int) -> None:
    """Drag ``widget`` with the mouse by ``by``, in ``moves`` steps, as a user does."""
    start = QPointF(widget.mapToGlobal(QPoint(10, 10)))
    left = Qt.MouseButton.LeftButton

    def send(kind, at: QPointF, button) -> None:
        local = QPointF(widget.mapFromGlobal(at.toPoint()))
        event = QMouseEvent(kind, local, at, button, left, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(widget, event)

    send(QEvent.Type.MouseButtonPress, start, left)
    for i in range(1, moves + 1):
        send(QEvent.Type.MouseMove, start + QPointF(by) * i / moves, Qt.MouseButton.NoButton)
    send(QEvent.Type.MouseButtonRelease, start + QPointF(by), left)


def test_with_a_tray_the_pinned_widget_comes_back_where_it_was(companions, monkeypatch, paths):
    monkeypatch.setattr(app_wiring, "tray_available", lambda: True)
    first = companions()
    assert first.window.keep_running_in_tray
    first.toggle_widget()
    first.widget.set_pinned(True)
    first.widget.move(QPoint(100, 80))
    _drag(first.widget, QPoint(20, 10), moves=4)
    first.window.quit_app()
    first.widget.close()
    saved = load_settings(paths.config_dir)
    assert (saved.widget_pinned, saved.widget_x, saved.widget_y) == (True, 120, 90)

    second = companions()
    assert second.widget.pinned and second.widget.isVisible()
    assert second.widget.pos() == QPoint(120, 90)
    assert second.widget.pin.isChecked()
    assert "likes lost" in second.widget.rows["maroc-telecom"][1].text()


def test_dragging_the_pinned_widget_writes_its_place_once_and_keeps_it_at_quit(
    companions, monkeypatch, paths, qtbot
):
    """The settings are written (with an fsync) once a burst of drags is over, not at every
    mouse move nor at every drag; quitting before that keeps the last place all the same."""
    monkeypatch.setattr(app_wiring, "tray_available", lambda: True)
    writes: list[tuple[int, int]] = []
    real_save = settings_keeper.save_settings

    def counted(config_dir, settings) -> None:
        writes.append((settings.widget_x, settings.widget_y))
        real_save(config_dir, settings)

    monkeypatch.setattr(settings_keeper, "save_settings", counted)
    companion = companions()
    companion.toggle_widget()
    companion.widget.set_pinned(True)
    companion.widget.move(QPoint(100, 80))
    writes.clear()
    for _ in range(3):
        _drag(companion.widget, QPoint(10, 5), moves=25)
    assert companion.widget.pos() == QPoint(130, 95)
    qtbot.waitUntil(lambda: len(writes) > 0, timeout=10000)
    assert writes == [(130, 95)]  # 3 drags of 25 moves: one write
    saved = load_settings(paths.config_dir)
    assert (saved.widget_pinned, saved.widget_x, saved.widget_y) == (True, 130, 95)

    _drag(companion.widget, QPoint(-30, 20), moves=10)
    companion.window.quit_app()  # at once: the place is not lost
    saved = load_settings(paths.config_dir)
    assert (saved.widget_x, saved.widget_y) == (100, 115)


@pytest.mark.clock_matrix
def test_the_tray_countdown_counts_from_the_apps_clock(companions, monkeypatch, qtbot, clock):
    monkeypatch.setattr(app_wiring, "tray_available", lambda: True)
    companion = companions()
    start = clock.today(CASABLANCA) + timedelta(days=3)  # 48 to 72 hours away, at any hour
    with qtbot.waitSignal(companion.window.loaded, timeout=15000):
        companion.window.service.save_user_day(
            ActionDay("mine-1", "protest", start, start, {"en": "Sit-in"}, {}, own=True)
        )
    next_day = f"Next: Sit-in, {format_day_span(start, start)}"
    assert f"{next_day} (in 3 days)" in companion.tray.icon.toolTip()
    assert companion.widget.title.text() == next_day
    assert companion.widget.countdown.text() == "in 3 days"
    assert companion.window.days.next_day.text() == f"{next_day} (in 3 days)"


def test_with_a_tray_the_icon_comes_once_the_window_has_painted(companions, monkeypatch):
    monkeypatch.setattr(app_wiring, "tray_available", lambda: True)
    companion = companions()
    assert companion.tray is not None and companion.tray.icon.isVisible()
    assert companion.tray.window_action.text() == "Hide the window"
    companion.tray.quit_requested.emit()
    assert not companion.window.isVisible()  # the tray's Quit quits, window and all


def test_a_start_in_the_tray_shows_the_icon_and_no_window(qtbot, monkeypatch, paths, clock):
    monkeypatch.setattr(app_wiring, "tray_available", lambda: True)
    companion = build_app(paths, None, language="en", minimized=True, clock=clock)
    qtbot.addWidget(companion.window)
    try:
        with qtbot.waitSignal(companion.window.loaded, timeout=15000):
            pass
        assert not companion.window.isVisible()
        assert companion.tray is not None and companion.tray.icon.isVisible()
        assert companion.tray.window_action.text() == "Show the window"
        assert "Maroc Telecom" in companion.tray.icon.toolTip()
    finally:
        companion.window.quit_app()
        companion.widget.close()


def test_closing_the_window_with_a_tray_keeps_the_app_and_says_so_once(
    companions, monkeypatch, paths
):
    monkeypatch.setattr(app_wiring, "tray_available", lambda: True)
    companion = companions()
    told = []
    companion.tray.notify = lambda title, message: told.append(title)
    companion.window.close()
    assert not companion.window.isVisible()
    companion.window.bring_forward()
    companion.window.close()
    assert told == ["Campaign Companion is still running"]
    assert load_settings(paths.config_dir).told_about_tray


def test_a_widget_left_off_screen_comes_back_onto_one():
    screens = [QRect(0, 0, 1366, 768)]
    assert onto_screens(QRect(100, 100, 300, 200), screens) == QPoint(100, 100)
    assert onto_screens(QRect(3000, 900, 300, 200), screens) == QPoint(1066, 568)
    assert onto_screens(QRect(-500, -40, 300, 200), screens) == QPoint(0, 0)
    two = [QRect(0, 0, 1366, 768), QRect(1366, 0, 1920, 1080)]
    assert onto_screens(QRect(2000, 500, 300, 200), two) == QPoint(2000, 500)


def test_the_scheduler_sets_one_timer_to_the_next_reminder(qtbot, companions):
    companion = companions()
    snapshot = companion.window.snapshot
    day = ActionDay("x", "boycott", date(2030, 5, 2), date(2030, 5, 2), {"en": "X"}, {})
    evening = datetime(2030, 5, 1, 20, tzinfo=CASABLANCA).astimezone(UTC)
    clock = FixedClock(evening - timedelta(minutes=3), CASABLANCA)
    scheduler = ReminderScheduler(companion.window.settings.reminder_times, clock=clock)
    shown = []
    scheduler.remind.connect(lambda title, message: shown.append(title))
    scheduler.update(replace(snapshot, days=[day], delivered_reminders=set()))
    assert scheduler.timer.isActive()
    assert 3 * 60_000 <= scheduler.timer.interval() <= 3 * 60_000 + 1500
    clock.set(evening + timedelta(seconds=1))
    scheduler.check()
    assert shown == ["Tomorrow: X"]
    scheduler.check()
    assert shown == ["Tomorrow: X"]  # once
    assert scheduler.timer.interval() <= LONGEST_WAIT.total_seconds() * 1000 + 1500


def test_adding_editing_and_deleting_an_own_action_day(companions, qtbot, monkeypatch, clock):
    companion = companions()
    window = companion.window
    window.tabs.setCurrentIndex(1)
    window.days.add_button.click()
    dialog = window.findChild(ActionDayDialog)
    assert dialog is not None and dialog.isVisible()
    today = clock.today(CASABLANCA)  # a new day starts today in the campaign's zone
    assert dialog.start.date() == QDate(today.year, today.month, today.day)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert "Give the day a title." in dialog.problems.text()  # nothing saved without a title
    dialog.title.setText("Sit-in in front of the agency")
    dialog.start.setDate(QDate(2031, 3, 12))
    dialog.end.setDate(QDate(2031, 3, 11))
    assert dialog.end.date() == QDate(2031, 3, 11)
    with qtbot.waitSignal(window.loaded, timeout=15000):
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
        assert "before the first" in dialog.problems.text()
        dialog.end.setDate(QDate(2031, 3, 13))
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    upcoming = window.days.tree.topLevelItem(0)
    assert upcoming.child(0).text(2) == "Sit-in in front of the agency (your day)"
    assert window.days.next_day.text().startswith("Next: Sit-in in front of the agency")
    window.days.tree.setCurrentItem(upcoming.child(0))
    assert window.days.edit_button.isEnabled()
    assert not window.days.remind.isHidden() and window.days.remind.isChecked()
    with qtbot.waitSignal(window.loaded, timeout=15000):
        window.days.remind.setChecked(False)
    assert "mine-1" in window.snapshot.days_without_reminders

    monkeypatch.setattr(dialog_buttons, "ask", lambda *a, **k: True)
    window.days.tree.setCurrentItem(window.days.tree.topLevelItem(0).child(0))
    with qtbot.waitSignal(window.loaded, timeout=15000):
        window.days.delete_button.click()
    assert [d.id for d in window.snapshot.days if d.own] == []
    assert window.days.next_day.text() == (
        "No action day is planned yet. Add one to be reminded of it."
    )
    # the campaign's own days cannot be edited or deleted
    window.days.tree.setCurrentItem(window.days.tree.topLevelItem(1).child(0))
    assert not window.days.edit_button.isEnabled()
    assert not window.days.delete_button.isEnabled()
    assert window.days.remind.isHidden()  # no reminders for a day that is over


def test_reminders_follow_the_users_own_clock_abroad(companions):
    companion = companions()
    snapshot = companion.window.snapshot
    day = ActionDay("x", "boycott", date(2030, 5, 2), date(2030, 5, 2), {"en": "X"}, {})
    paris = ZoneInfo("Europe/Paris")
    evening_in_paris = datetime(2030, 5, 1, 20, tzinfo=paris).astimezone(UTC)
    clock = FixedClock(evening_in_paris - timedelta(seconds=1), paris)  # the user's zone: Paris
    scheduler = ReminderScheduler(companion.window.settings.reminder_times, clock=clock)
    shown = []
    scheduler.remind.connect(lambda title, message: shown.append(title))
    scheduler.update(replace(snapshot, days=[day], delivered_reminders=set()))
    assert shown == []
    clock.set(evening_in_paris + timedelta(seconds=1))
    scheduler.check()
    assert shown == ["Tomorrow: X"]


@pytest.mark.clock_matrix
def test_after_midnight_a_finished_day_moves_to_the_past(qtbot, campaign, clock):
    from campaign_gui.ui.action_days_list import ActionDaysView

    today = clock.today(campaign.zone)  # action days are dates in the campaign's zone
    mine = ActionDay("mine-1", "protest", today, today, {"en": "Sit-in"}, {}, own=True)
    view = ActionDaysView(clock=clock)
    qtbot.addWidget(view)
    view.set_days(campaign, [mine])
    view.show()
    assert view.tree.topLevelItem(0).child(0).text(2) == "Sit-in (your day)"
    assert view.next_day.text().endswith("(under way today)")
    clock.set_local(today + timedelta(days=1), time(0, 0, 30), campaign.zone)
    view.countdown_timer.timeout.emit()  # the minute tick after midnight
    assert view.tree.topLevelItem(0).child(0).text(0) == "None yet."
    assert view.tree.topLevelItem(1).child(0).text(2) == "Sit-in (your day)"


def test_times_and_dates_read_in_order_in_right_to_left_fields_in_darija(qtbot):
    """In a right-to-left window Qt reverses date and time patterns: 20:00 showed as 00:20.

    The fields stay right to left (their arrows on the left) and show the date in order."""
    from campaign_gui.core.settings import Settings
    from campaign_gui.ui.reminder_settings import ReminderSettingsDialog

    apply_language("ary")
    try:
        reminders = ReminderSettingsDialog(Settings())
        qtbot.addWidget(reminders)
        assert reminders.evening_time.text() == "20:00"
        assert reminders.morning_time.text() == "09:00"
        day = ActionDayDialog("mine-1", date(2026, 11, 28))
        qtbot.addWidget(day)
        assert day.start.text() == "28 نونبر 2026"  # Moroccan month names, read from the right
        assert day.start.isRightToLeft() and reminders.evening_time.isRightToLeft()
        changed = Settings()
        reminders.evening_time.setTime(reminders.evening_time.time().addSecs(-3600))
        reminders.apply_to(changed)
        assert changed.evening_time == "19:00"
    finally:
        apply_language("en")


def test_the_day_dialog_keeps_to_the_days_the_app_can_show(qtbot):
    dialog = ActionDayDialog("mine-1", date(2027, 5, 2))
    qtbot.addWidget(dialog)
    assert dialog.start.maximumDate() == QDate(2099, 12, 31)
    assert dialog.end.minimumDate() == QDate(2000, 1, 1)
    dialog.title.setText("Sit-in")
    dialog.details.setPlainText("x" * 10_001)
    dialog.accept()
    assert dialog.result() == 0 and "too long" in dialog.problems.text()


def test_file_quit_quits_even_with_a_tray(companions, qtbot):
    companion = companions()
    with qtbot.waitSignal(companion.window.quit_requested, timeout=5000):
        companion.window.quit_action.trigger()
