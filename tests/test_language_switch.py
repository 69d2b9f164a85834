"""Switching language in the running app: every open window, its texts and direction, at once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QLabel,
    QTabWidget,
    QTreeWidget,
)

from campaign_gui.core.i18n import PSEUDO_CLOSE, PSEUDO_OPEN, current_language
from campaign_gui.core.settings import load_settings
from campaign_gui.ui.language import apply_language
from campaign_gui.ui.main_window import MainWindow

from .conftest import new_app


@pytest.fixture
def window(open_window):
    return open_window("en")


def _choose(window: MainWindow, qtbot, language: str) -> None:
    window.language_actions[language].trigger()
    qtbot.waitUntil(lambda: window.tabs.tabText(1) != "" and current_language() == language)
    QApplication.processEvents()


def test_switching_to_darija_relays_out_every_window_right_to_left(window, qtbot, paths):
    second_app = new_app(paths, window.settings, clock=window.clock)  # another (it never loads)
    second = second_app.window
    qtbot.addWidget(second)
    second.show()
    _choose(window, qtbot, "ary")
    qtbot.waitUntil(lambda: window.windowTitle() == "رفيق الحملة")
    for w in (window, second):
        assert w.layoutDirection() == Qt.LayoutDirection.RightToLeft
        assert w.windowTitle() == "رفيق الحملة"
        assert w.tabs.tabText(1) == "أيام الحملة"
        assert w.language_menu.title() == "اللغة"
    card = window.cards["maroc-telecom"]
    assert card.open_button.text() == "حل الصفحة باش تحيد اللايك"
    assert card.name.text() == "اتصالات المغرب"
    assert card.figure.text() == "تقريبا 200.000 لايك تحيدو (1–\u206010\u00a0مارس\u00a02016)"
    plot = window.plot
    assert plot.title.text() == "اللايكات اللي تحيدو من نهار بدات الحملة"
    names = [label.text for _sample, label in plot.legend.items]
    assert any("اتصالات المغرب" in name for name in names)
    assert any("الصفحات التلاتة مجموعين (أول حساب)" in name for name in names)
    assert any("تبلوكاو المكالمات" in label for label in plot.event_labels())
    # the graph itself keeps time running left to right
    assert plot.plot_widget.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert window.days.tree.headerItem().text(0) == "التاريخ"
    assert window.language_actions["ary"].isChecked()
    second.service.close()


def test_switching_back_and_forth_keeps_the_zoom_and_is_remembered(window, qtbot, paths):
    view = window.plot.plot.getViewBox()
    view.setXRange(1_456_500_000, 1_456_800_000, padding=0)
    before = view.viewRange()
    _choose(window, qtbot, "fr")
    qtbot.waitUntil(lambda: window.windowTitle() == "Compagnon de campagne")
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert window.cards["inwi"].unliked.text() == "J’ai retiré mon «\u00a0J’aime\u00a0»"
    _choose(window, qtbot, "ary")
    _choose(window, qtbot, "en")
    qtbot.waitUntil(lambda: window.windowTitle() == "Campaign Companion")
    assert view.viewRange() == before
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert load_settings(paths.config_dir).language == "en"
    _choose(window, qtbot, "fr")
    assert load_settings(paths.config_dir).language == "fr"


@pytest.mark.parametrize(("language", "cancel"), [("fr", "Annuler"), ("ary", "لغي")])
def test_qt_standard_buttons_are_translated_too(qtbot, language, cancel):
    """Any standard button, even one no dialog of ours renames, is in the app's words (Qt's
    own Arabic says "ألغِ")."""
    apply_language(language)
    try:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        text = box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "")
        assert text == cancel
    finally:
        apply_language("en")


def _visible_texts(window: MainWindow) -> list[str]:
    texts = [window.windowTitle()]
    for menu_action in window.menuBar().actions():
        texts.append(menu_action.text())
        menu = menu_action.menu()
        texts += [a.text() for a in menu.actions() if not a.isSeparator()]
    for label in window.findChildren(QLabel):
        texts.append(label.text())
    for button in window.findChildren(QAbstractButton):
        texts += [button.text(), button.toolTip()]
    for tabs in window.findChildren(QTabWidget):
        texts += [tabs.tabText(i) for i in range(tabs.count())]
    for tree in window.findChildren(QTreeWidget):
        header = tree.headerItem()
        texts += [header.text(i) for i in range(header.columnCount())]
        for i in range(tree.topLevelItemCount()):
            group = tree.topLevelItem(i)
            texts.append(group.text(0))
            texts += [
                group.child(j).text(2) or group.child(j).text(0) for j in range(group.childCount())
            ]
    texts += [label.text for _sample, label in window.plot.legend.items]
    texts += window.plot.event_labels()
    texts.append(window.statusBar().currentMessage())
    return [t for t in texts if t and t.strip()]


def test_the_pseudo_translation_leaves_no_string_unmarked(window, qtbot):
    apply_language("qps")  # a developer's switch (--lang qps), not in the menu
    qtbot.waitUntil(lambda: window.windowTitle().startswith(PSEUDO_OPEN))
    # the language names stay in their own language, on purpose; the page address is data
    own_names = {a.text() for a in window.language_actions.values()}
    urls = {c.target.page_url for c in window.cards.values()}
    unmarked = [
        t
        for t in _visible_texts(window)
        if t not in own_names and t not in urls and not (PSEUDO_OPEN in t and PSEUDO_CLOSE in t)
    ]
    assert unmarked == []
