"""Every dialog's standard buttons speak the app's catalog (not Qt's formal Arabic) and show no
stock icon (floppy disk, red cross)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QWidget

from campaign_gui.core.i18n import pseudo
from campaign_gui.core.settings import Settings
from campaign_gui.ui import dialog_buttons, single_instance, target_cards
from campaign_gui.ui.about_dialog import AboutDialog
from campaign_gui.ui.action_day_dialog import ActionDayDialog
from campaign_gui.ui.language import apply_language
from campaign_gui.ui.reminder_settings import ReminderSettingsDialog


def buttons_of(dialog: QWidget) -> dict[str, tuple[str, bool]]:
    """Each standard button of a dialog: its name → (text shown, whether it has an icon)."""
    box = dialog if isinstance(dialog, QDialogButtonBox) else dialog.findChild(QDialogButtonBox)
    assert box is not None
    return {box.standardButton(b).name: (b.text(), not b.icon().isNull()) for b in box.buttons()}


def ours(*names: str) -> dict[str, tuple[str, bool]]:
    return {name: (pseudo(dialog_buttons.BUTTON_TEXTS[name]), False) for name in names}


@pytest.fixture
def qps_window(open_window):
    return open_window("qps")


def _visible(window: QWidget, kind: type) -> list:
    return [w for w in window.findChildren(kind) if w.isVisible()]


def _answer_next_modal(seen: list, button: QMessageBox.StandardButton) -> None:
    """Read the buttons of the modal box about to open, then press ``button``."""

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, read_and_close)
            return
        seen.append(buttons_of(box))
        box.button(button).click()

    QTimer.singleShot(0, read_and_close)


def test_message_boxes_use_our_texts_and_no_icons(qps_window, qtbot, monkeypatch):
    window = qps_window
    window.show_about()
    qtbot.waitUntil(lambda: bool(_visible(window, AboutDialog)))
    (about,) = _visible(window, AboutDialog)
    assert buttons_of(about) == ours("Ok")
    about.close()

    window._inform("Warning", "Something")
    qtbot.waitUntil(lambda: bool(_visible(window, QMessageBox)))
    (warning,) = _visible(window, QMessageBox)
    assert buttons_of(warning) == ours("Ok")
    warning.close()

    monkeypatch.setattr(target_cards, "open_page", lambda target: False)
    window.cards["inwi"].open_page()
    qtbot.waitUntil(lambda: bool(_visible(window, QMessageBox)))
    (page,) = _visible(window, QMessageBox)
    assert buttons_of(page) == ours("Ok")
    page.close()


def test_the_delete_question_and_the_no_answer_warning_use_our_texts(qps_window, qtbot):
    seen: list = []
    _answer_next_modal(seen, QMessageBox.StandardButton.No)
    assert not dialog_buttons.ask(qps_window, "Delete", "Delete it?")
    assert seen == [ours("Yes", "No")]

    _answer_next_modal(seen, QMessageBox.StandardButton.Ok)
    assert single_instance.tell_no_answer() == 1
    assert seen[1] == ours("Ok")


def test_dialogs_use_our_texts_and_no_icons(qps_window, qtbot):
    window = qps_window
    window.add_day()
    qtbot.waitUntil(lambda: bool(_visible(window, ActionDayDialog)))
    (day,) = _visible(window, ActionDayDialog)
    assert buttons_of(day) == ours("Save", "Cancel")
    day.reject()

    window.edit_reminders()
    qtbot.waitUntil(lambda: bool(_visible(window, ReminderSettingsDialog)))
    (reminders,) = _visible(window, ReminderSettingsDialog)
    assert buttons_of(reminders) == ours("Save", "Cancel")
    reminders.reject()


def test_an_open_dialog_keeps_our_texts_through_a_language_switch(qtbot):
    dialog = ReminderSettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.show()
    assert buttons_of(dialog) == {"Save": ("Save", False), "Cancel": ("Cancel", False)}
    try:
        apply_language("ary")  # Qt resets its buttons to its own catalog: "احفظ", "ألغِ"
        qtbot.waitUntil(lambda: buttons_of(dialog)["Save"][0] == "سجّل")
        assert buttons_of(dialog) == {"Save": ("سجّل", False), "Cancel": ("لغي", False)}
        apply_language("fr")
        qtbot.waitUntil(lambda: buttons_of(dialog)["Save"][0] == "Enregistrer")
        assert buttons_of(dialog)["Cancel"] == ("Annuler", False)
    finally:
        apply_language("en")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ary", {"Ok": "واخا", "Save": "سجّل", "Cancel": "لغي", "Yes": "إيه", "No": "لا"}),
        ("fr", {"Ok": "OK", "Save": "Enregistrer", "Cancel": "Annuler", "Yes": "Oui", "No": "Non"}),
    ],
)
def test_the_buttons_read_as_the_language_speaks(qtbot, language, expected):
    apply_language(language)
    try:
        box = dialog_buttons.message_box(
            QMessageBox.Icon.Question,
            "",
            "",
            QMessageBox.StandardButton.Yes
            | QMessageBox.StandardButton.No
            | QMessageBox.StandardButton.Ok
            | QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Cancel,
        )
        qtbot.addWidget(box)
        assert {name: text for name, (text, _icon) in buttons_of(box).items()} == expected
    finally:
        apply_language("en")
