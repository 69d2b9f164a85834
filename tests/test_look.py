"""The look: fonts per language, light and dark, names for screen readers, crisp icons, and the
action days and tray widget as a user sees them."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QAccessible, QColor, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QTreeWidgetItem, QWidget

from campaign_gui.core.campaign import ActionDay
from campaign_gui.core.i18n import _, current_language
from campaign_gui.ui.action_day_dialog import ActionDayDialog
from campaign_gui.ui.action_days_list import ActionDaysView
from campaign_gui.ui.language import apply_language
from campaign_gui.ui.reminder_settings import ReminderSettingsDialog
from campaign_gui.ui.theme import ARABIC_FAMILIES, DARK, LIGHT, ensure_theme, svg_icon
from campaign_gui.ui.tray_widget import TrayWidget

from .conftest import app_command, new_app, offscreen_env
from .probes import contrast

ARABIC = set(ARABIC_FAMILIES["other"]) | set(ARABIC_FAMILIES["win32"])


@pytest.fixture
def window(open_window):
    yield open_window("en")
    ensure_theme().follow_scheme(Qt.ColorScheme.Light)


@pytest.fixture
def theme(qapp):
    theme = ensure_theme()
    yield theme
    theme.follow_scheme(Qt.ColorScheme.Light)


def _first_family(widget: QWidget) -> str:
    return widget.font().families()[0]


def test_darija_is_drawn_in_an_arabic_ui_font_and_switching_back_drops_it(window, qtbot):
    installed = ARABIC & set(QFontDatabase.families())
    if not installed:
        pytest.skip("no Arabic UI font here (Debian: fonts-noto-core)")
    card = next(iter(window.cards.values()))
    widgets = [window.campaign_title, card.name, card.open_button, window.days.next_day]
    apply_language("ary")
    qtbot.waitUntil(lambda: current_language() == "ary")
    QApplication.processEvents()
    assert [_first_family(w) for w in widgets] == [_first_family(widgets[0])] * len(widgets)
    assert _first_family(window.campaign_title) in installed
    # Latin words and digits fall through to the system's family, listed after
    assert len(window.campaign_title.font().families()) > 1
    apply_language("fr")
    QApplication.processEvents()
    assert all(_first_family(w) not in ARABIC for w in widgets)


def test_the_type_scale_gives_the_title_more_room_than_body_text(window):
    body = window.font().pointSizeF()
    assert 10 <= body <= 11.5
    assert window.campaign_title.font().pointSizeF() > body * 1.3
    card = next(iter(window.cards.values()))
    # how to unlike is body text: Arabic at caption size read too small on a card
    assert card.hint.font().pointSizeF() == body


def test_a_ticked_card_says_it_is_done_and_no_longer_calls_to_act(window, qtbot):
    card = next(iter(window.cards.values()))
    assert card.hint.isVisible() and not card.done.isVisible()
    assert card.open_button.objectName() == "accentButton"
    accent = card.open_button.palette().color(card.open_button.backgroundRole())
    card.unliked.click()
    assert card.done.isVisible() and card.done.text() == "✓ Done, thank you."
    assert not card.hint.isVisible()
    assert card.open_button.text() == "Open the page again"
    assert card.open_button.objectName() != "accentButton"
    assert card.open_button.grab().toImage().pixelColor(8, 8) != accent
    card.unliked.click()  # untick: the call to act again
    assert card.hint.isVisible() and not card.done.isVisible()
    assert card.open_button.text() == "Open the page to unlike it"


def test_the_window_follows_the_system_into_dark_and_back(window, qtbot):
    theme = ensure_theme()
    schemes = []
    window.plot.apply_color_scheme = schemes.append  # the graph's own colours follow too
    theme.follow_scheme(Qt.ColorScheme.Dark)
    QApplication.processEvents()
    palette = window.palette()
    assert palette.color(QPalette.ColorRole.Window).lightness() < 60
    assert palette.color(QPalette.ColorRole.WindowText).lightness() > 200
    assert schemes == [True]
    theme.follow_scheme(Qt.ColorScheme.Light)
    QApplication.processEvents()
    palette = window.palette()
    assert palette.color(QPalette.ColorRole.Window).lightness() > 200
    assert palette.color(QPalette.ColorRole.WindowText).lightness() < 60
    assert schemes == [True, False]


def test_the_campaign_name_heads_the_window_and_the_status_bar_only_passes(window):
    assert window.campaign_title.text() == window.snapshot.campaign.name["en"]
    bar = window.statusBar()
    assert bar.currentMessage() == ""
    assert not bar.isVisible()
    bar.showMessage("Exported 3 page counts.")
    assert bar.isVisible()
    bar.clearMessage()
    assert not bar.isVisible()


def _unnamed_controls(top: QWidget) -> list[str]:
    """Every control the keyboard can reach in ``top`` that a screen reader could not name."""
    unnamed = []
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisibleTo(top) and widget is not top:
            continue
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if widget.focusProxy() is not None:
            continue  # its focus goes to another control (a date field's text: the field)
        face = QAccessible.queryAccessibleInterface(widget)
        if face is None or not face.text(QAccessible.Text.Name).strip():
            parent = type(widget.parent()).__name__
            unnamed.append(f"{type(widget).__name__} {widget.objectName()!r} in {parent}")
    return unnamed


@pytest.mark.parametrize("language", ["en", "ary"])
def test_screen_readers_get_a_name_for_every_control(window, qtbot, clock, language):
    apply_language(language)
    QApplication.processEvents()
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
        assert _unnamed_controls(window) == []
    dialogs = [
        ActionDayDialog("mine", date(2028, 10, 18), parent=window),
        ReminderSettingsDialog(window.settings, window),
    ]
    for dialog in dialogs:
        dialog.show()
        QApplication.processEvents()
        assert _unnamed_controls(dialog) == []
        dialog.close()
    widget = TrayWidget()
    qtbot.addWidget(widget)
    for pinned in (False, True):
        widget.set_pinned(pinned)
        widget.show_at(QPoint(40, 40))
        QApplication.processEvents()
        assert _unnamed_controls(widget) == []
    widget.close_widget()


def test_icons_are_drawn_for_the_screen_at_200_percent(qapp):
    pixmap = svg_icon("pinned", "#000000").pixmap(QSize(16, 16), 2.0)
    assert pixmap.devicePixelRatio() == 2.0
    assert (pixmap.width(), pixmap.height()) == (32, 32)  # drawn at 32 px, not 16 px enlarged


def test_the_tray_widget_shows_its_pin_state_and_closes_with_its_cross(qtbot, theme):
    widget = TrayWidget()
    qtbot.addWidget(widget)
    widget.show_at(QPoint(40, 40))
    assert widget.close_button.isHidden()  # a popup: a click elsewhere closes it
    unpinned = widget.pin.icon().pixmap(QSize(16, 16)).toImage()
    widget.pin.click()
    assert widget.pinned and widget.isVisible()
    assert not widget.close_button.isHidden()
    assert widget.pin.icon().pixmap(QSize(16, 16)).toImage() != unpinned
    assert widget.pin.accessibleName() == "Unpin"
    with qtbot.waitSignal(widget.pinned_changed) as changed:
        widget.close_button.click()
    assert changed.args[0] is False  # closed: it does not come back pinned at the next start
    assert not widget.isVisible() and not widget.pinned


def test_the_tray_widget_is_a_rounded_card_with_a_shadow(qtbot, theme):
    widget = TrayWidget()
    qtbot.addWidget(widget)
    widget.show_at(QPoint(40, 40))
    image = widget.grab().toImage()
    assert image.hasAlphaChannel()
    assert image.pixelColor(0, 0).alpha() == 0  # outside the rounded card: see-through
    assert widget.card.graphicsEffect() is not None


def _texts(view: ActionDaysView) -> list[str]:
    texts = [label.text() for label in view.findChildren(QLabel) if label.isVisibleTo(view)]
    items: list[QTreeWidgetItem] = []
    for i in range(view.tree.topLevelItemCount()):
        group = view.tree.topLevelItem(i)
        items += [group] + [group.child(j) for j in range(group.childCount())]
    return texts + [item.text(c) for item in items for c in range(3)]


@pytest.mark.parametrize("language", ["fr", "en", "ary"])
def test_with_no_day_to_come_the_view_says_so_once(qtbot, campaign, clock, language):
    apply_language(language)
    try:
        view = ActionDaysView(clock=clock)  # 2028: every campaign day is past
        qtbot.addWidget(view)
        view.set_days(campaign, list(campaign.action_days))
        view.show()
        sentence = _("No action day is planned yet.")
        assert sum(sentence in text for text in _texts(view)) == 1
        assert view.next_day.text().startswith(sentence)
    finally:
        apply_language("en")


def test_days_show_their_kind_in_colour_and_why_they_cannot_be_changed(qtbot, campaign, clock):
    today = clock.today(campaign.zone)
    mine = ActionDay("mine-1", "protest", today, today, {"en": "Sit-in"}, {}, own=True)
    view = ActionDaysView(clock=clock)
    qtbot.addWidget(view)
    view.set_days(campaign, [mine, *campaign.action_days])
    view.show()
    upcoming, past = view.tree.topLevelItem(0), view.tree.topLevelItem(1)
    chips = {upcoming.child(0).icon(1).cacheKey(), past.child(0).icon(1).cacheKey()}
    assert not upcoming.child(0).icon(1).isNull()
    assert len(chips) == 2  # a protest and a campaign day of another kind
    view.tree.setCurrentItem(past.child(0))  # the campaign's own day
    assert not view.edit_button.isEnabled()
    assert view.why_disabled.isVisibleTo(view)
    assert view.why_disabled.text() == "Only your own days can be changed."
    view.tree.setCurrentItem(upcoming.child(0))  # the user's
    assert view.edit_button.isEnabled() and not view.why_disabled.isVisibleTo(view)
    assert view.details_title.text() == "Sit-in"
    assert view.details_title.font().bold() or view.details_title.font().weight() >= 600


def test_enter_and_delete_work_on_ones_own_day_from_the_keyboard(qtbot, campaign, clock):
    today = clock.today(campaign.zone)
    mine = ActionDay("mine-1", "protest", today, today, {"en": "Sit-in"}, {}, own=True)
    view = ActionDaysView(clock=clock)
    qtbot.addWidget(view)
    view.set_days(campaign, [mine, *campaign.action_days])
    view.show()
    view.tree.setFocus()
    view.tree.setCurrentItem(view.tree.topLevelItem(0).child(0))
    with qtbot.waitSignal(view.edit_requested) as edited:
        qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    assert edited.args[0].id == "mine-1"
    with qtbot.waitSignal(view.delete_requested) as deleted:
        qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    assert deleted.args[0].id == "mine-1"


def test_the_operator_cards_put_their_one_accent_on_the_button(window):
    card = next(iter(window.cards.values()))
    assert card.objectName() == "card"
    button: QPushButton = card.open_button
    accent = ensure_theme().colours.accent
    image = button.grab().toImage()
    middle = image.pixelColor(4, image.height() // 2).name()
    assert middle.lower() == accent.lower()


def test_a_name_with_no_spaces_never_widens_the_window(qtbot, paths, clock, tmp_path):
    """A campaign name of 500 letters with no space (the most a file may hold): the window stays
    the size it was given, and the legend shortens the page's name."""
    import json
    from importlib import resources

    from campaign_gui.core.settings import load_settings

    document = json.loads(
        (resources.files("campaign_gui") / "resources" / "campaign-2016.json").read_bytes()
    )
    document["name"] = {"en": "x" * 500, "fr": "x" * 500, "ary": "x" * 500}
    document["targets"][0]["name"] = {"en": "y" * 400, "fr": "y" * 400, "ary": "y" * 400}
    campaign_file = tmp_path / "long.json"
    campaign_file.write_text(json.dumps(document), encoding="utf-8")
    app = new_app(paths, load_settings(paths.config_dir), campaign_file, clock=clock)
    window = app.window
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=15000):
        window.start_loading()
    qtbot.wait(50)
    assert window.width() <= 1000
    assert window.minimumSizeHint().width() < 1000
    legend = [label.text for _sample, label in window.plot.legend.items]
    assert all(len(text) < 100 for text in legend)
    window.service.close()


def test_a_check_box_stands_out_on_a_dark_card(window, qtbot):
    """Fusion drew it as a Base-coloured box with a faint edge: all but invisible in dark."""
    from PySide6.QtWidgets import QCheckBox

    theme = ensure_theme()
    if not theme.managed_palette:
        pytest.skip("the native style draws its own check boxes")
    theme.follow_scheme(Qt.ColorScheme.Dark)
    box = next(iter(window.cards.values())).findChild(QCheckBox)
    qtbot.wait(50)
    image = box.grab().toImage()
    indicator = box.style().subElementRect(
        box.style().SubElement.SE_CheckBoxIndicator, _check_box_option(box), box
    )
    edge = max(
        image.pixelColor(x, y).lightness()
        for x in range(indicator.left(), indicator.right() + 1)
        for y in range(indicator.top(), indicator.bottom() + 1)
    )
    assert edge > 120  # the outline, against a card of lightness about 40


def _check_box_option(box):
    from PySide6.QtWidgets import QStyleOptionButton

    option = QStyleOptionButton()
    option.initFrom(box)
    return option


@pytest.mark.parametrize("language", ["ary", "fr", "en"])
def test_a_moment_is_never_broken_across_lines(language):
    """A page card says when its latest count was read: Qt may wrap the sentence, never inside
    the moment (the Darija date "10/03/2016، 18:00:00" broke after a slash)."""
    from datetime import UTC, datetime

    from PySide6.QtCore import QTextBoundaryFinder

    from campaign_gui.core.formatting import format_moment

    apply_language(language)
    try:
        text = format_moment(datetime(2016, 3, 10, 18, 0, tzinfo=UTC), UTC)
    finally:
        apply_language("en")
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, text)
    breaks = []
    while (at := finder.toNextBoundary()) != -1:
        breaks.append(at)
    assert breaks == [len(text)], (text, breaks)


_STARTED = """
import gc, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from campaign_gui import cli
from campaign_gui.ui import app as app_module
from campaign_gui.ui.theme import current_theme

built_by_the_app = app_module.build_app

def watched(*args, **kwargs):
    built = built_by_the_app(*args, **kwargs)
    print("built", gc.isenabled(), flush=True)
    QTimer.singleShot(100, lambda: report(built))
    return built

def report(built):
    QApplication.instance().setStyleSheet("")  # the style under the app's style sheet
    style = QApplication.style().name()
    print("running", gc.isenabled(), style, current_theme().managed_palette, flush=True)
    built.quit()

app_module.build_app = watched
code = cli.main(sys.argv[1:])
print("ended", gc.isenabled(), code, flush=True)
"""


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="Fusion is the style on Linux")
def test_a_start_is_made_in_fusion_and_the_collector_runs_once_the_window_is_up(tmp_path):
    """The window's start runs with Python's collector paused and the style given as the app is
    made (both for the first paint's time); once the loop runs, collection is back and the app
    is in Fusion with the theme's palettes, as a style set afterwards gave it."""
    result = subprocess.run(
        [sys.executable, "-c", _STARTED, *app_command(tmp_path, "--lang", "en")[3:]],
        env=offscreen_env(QT_STYLE_OVERRIDE="Windows"),  # Qt's choice, were it not ours
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [
        line
        for line in result.stdout.splitlines()
        if line.split()[0] in ("built", "running", "ended")
    ]
    assert lines == ["built False", "running True fusion True", "ended True 0"], result.stderr


@pytest.mark.parametrize("colours", [LIGHT, DARK], ids=["light", "dark"])
def test_every_text_colour_of_each_theme_reads_at_wcag_aa(colours):
    """WCAG AA: 4.5:1 for text, on every background text is drawn on."""
    pairs = [
        (text, ground)
        for text in (colours.text, colours.muted, colours.link, colours.error, colours.accent)
        for ground in (colours.window, colours.surface, colours.base, colours.alternate)
    ]
    pairs += [
        (colours.on_accent, colours.accent),
        (colours.on_accent, colours.accent_hover),
        (colours.on_highlight, colours.highlight),
        (colours.text, colours.banner),
        (colours.text, colours.button),
    ]
    low = [(t, g, round(contrast(t, g), 2)) for t, g in pairs if contrast(t, g) < 4.5]
    assert low == []


def test_the_day_dialogs_error_is_in_the_themes_error_colour_light_and_dark(window, qtbot):
    theme = ensure_theme()
    for dark, colours in ((False, LIGHT), (True, DARK)):
        theme.set_dark(dark)
        dialog = ActionDayDialog("mine", date(2016, 3, 20), parent=window)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.accept()  # no title: the dialog says what is missing
        assert dialog.problems.isVisible()
        shown = dialog.problems.palette().color(dialog.problems.foregroundRole())
        assert shown == QColor(colours.error), (dark, shown.name())
        dialog.close()
    theme.set_dark(False)


@pytest.mark.parametrize("language", ["fr", "ary"])
def test_at_960_by_600_a_days_details_and_sources_show_without_scrolling(
    open_window, qtbot, language
):
    window = open_window(language)
    window.resize(960, 600)
    window.tabs.setCurrentIndex(1)
    view = window.days
    qtbot.waitUntil(lambda: view.splitter.orientation() == Qt.Orientation.Horizontal)
    QApplication.processEvents()
    assert "badil.info" in view.details.text()  # the day chosen shows its sources
    bar = view.details_scroll.verticalScrollBar()
    if language == "fr":
        assert bar.maximum() == 0  # all of it in view
    else:  # Arabic lines are taller: at most a little to scroll, never most of the text
        assert bar.maximum() <= bar.pageStep() // 2
    window.resize(700, 900)  # tall and narrow: one above the other again
    qtbot.waitUntil(lambda: view.splitter.orientation() == Qt.Orientation.Vertical)


@pytest.mark.parametrize("colours", [LIGHT, DARK], ids=["light", "dark"])
def test_text_fields_have_an_edge_seen_on_every_ground(colours):
    """WCAG's 3:1 for a control's edge: the day dialog's fields had none to see in dark mode."""
    for ground in (colours.window, colours.surface, colours.base, colours.alternate):
        assert contrast(colours.field, ground) >= 3, (colours.field, ground)


def _grab(widget: QWidget) -> QColor:
    image = widget.grab().toImage()
    return image.pixelColor(image.width() // 2, 0)  # the top edge, halfway along


@pytest.mark.parametrize("language", ["ary", "fr"])
def test_the_day_dialog_is_a_card_with_labels_above_fields_and_save_in_the_accent(
    window, qtbot, language
):
    theme = ensure_theme()
    apply_language(language)
    for dark, colours in ((False, LIGHT), (True, DARK)):
        theme.set_dark(dark)
        dialog = ActionDayDialog("mine", date(2016, 3, 20), parent=window)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        for field in (dialog.title, dialog.kind, dialog.start, dialog.end, dialog.details):
            assert _grab(field) == QColor(colours.field), (language, dark, field)
            label = next(w for w in dialog.findChildren(QLabel) if w.buddy() is field)
            top_of_field = field.mapTo(dialog, QPoint(0, 0)).y()
            assert label.mapTo(dialog, QPoint(0, label.height())).y() <= top_of_field
        save = next(b for b in dialog.findChildren(QPushButton) if b.text() == _("Save"))
        assert save.objectName() == "accentButton"
        dialog.close()
    theme.set_dark(False)


@pytest.mark.parametrize("language", ["ary", "fr"])
def test_wrapped_labels_keep_room_for_the_ends_of_arabic_lines(open_window, qtbot, language):
    """A final ت of a wrapped Darija line was cut at the About box's edge: every wrapped label
    of the About box, once styled and shown, keeps room on both sides of its text."""
    from campaign_gui.ui.about_dialog import AboutDialog
    from campaign_gui.ui.theme import WRAPPED_SIDE_PX

    window = open_window(language)
    window.show_about()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(AboutDialog)))
    (box,) = [d for d in window.findChildren(AboutDialog) if d.isVisible()]
    wrapped = [label for label in box.findChildren(QLabel) if label.wordWrap() and label.text()]
    assert box.purpose in wrapped
    for label in wrapped:
        inner, outer = label.contentsRect(), label.rect()
        assert inner.left() - outer.left() >= WRAPPED_SIDE_PX, label.text()
        assert outer.right() - inner.right() >= WRAPPED_SIDE_PX, label.text()
    box.close()
