"""Qt's own words where the app shows them (the menu of a text field, Qt's file dialog) come
from our catalogs: Darija, not Qt's formal Arabic; French; never English in either."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QLabel, QLineEdit, QPlainTextEdit, QToolButton

from campaign_gui.ui.language import apply_language


@pytest.fixture
def language(qapp):
    def use(name: str) -> None:
        apply_language(name)

    yield use
    apply_language("en")


def menu_texts(widget) -> list[str]:
    menu = widget.createStandardContextMenu()
    texts = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
    menu.deleteLater()
    return texts


def test_every_other_qt_text_is_left_to_qts_own_catalog(language):
    from PySide6.QtCore import QCoreApplication

    language("ary")
    details = QCoreApplication.translate("QMessageBox", "Show Details...")
    assert details and details != "Show Details..."  # Qt's Arabic, not blank, not English
    assert QCoreApplication.translate("QShortcut", "Ctrl") == "Ctrl"
    assert QCoreApplication.translate("QFileDialog", "Back") == "رجع"  # ours


def test_a_text_fields_menu_speaks_darija_and_french(language, qtbot):
    field, notes = QLineEdit(), QPlainTextEdit()
    qtbot.addWidget(field)
    qtbot.addWidget(notes)
    language("ary")
    darija = [
        "رجّع",
        "عاود دير",
        "قص",
        "كوبي",
        "كولي",
        "مسح",
        "ختار كلشي",
    ]  # no "&": Darija has none
    assert menu_texts(field) == darija
    assert menu_texts(notes) == darija
    language("fr")
    assert menu_texts(field)[:5] == ["&Annuler", "&Rétablir", "Co&uper", "&Copier", "Co&ller"]
    language("en")
    assert menu_texts(field)[0] == "&Undo"


@pytest.mark.parametrize(
    ("name", "look_in", "file_type", "parent"),
    [
        ("ary", "الدوسي:", "نوع الملفات:", "الدوسي اللي فوق"),
        ("fr", "&Dossier\u00a0:", "&Type de fichier\u00a0:", "Dossier parent"),
    ],
)
def test_qts_own_file_dialog_is_in_the_apps_words(
    language, qtbot, name, look_in, file_type, parent
):
    language(name)
    dialog = QFileDialog()
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
    assert labels["lookInLabel"] == look_in
    assert labels["fileTypeLabel"] == file_type
    buttons = {b.objectName(): b.toolTip() for b in dialog.findChildren(QToolButton)}
    assert buttons["toParentButton"] == parent
    shown = " ".join([*labels.values(), *buttons.values()])
    assert not any(word in shown for word in ("Look in", "Files of", "Parent Directory"))


def test_the_date_picker_is_as_narrow_in_darija_as_in_french_and_its_weekends_are_not_red(
    language, qtbot
):
    from datetime import date

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QCalendarWidget

    from campaign_gui.ui.action_day_dialog import ActionDayDialog
    from campaign_gui.ui.theme import ensure_theme

    ensure_theme()  # the app's fonts: Darija in its Arabic family
    widths = {}
    for name in ("fr", "ary"):
        language(name)
        dialog = ActionDayDialog("mine", date(2016, 3, 20))
        qtbot.addWidget(dialog)
        calendar = dialog.start.calendarWidget()
        widths[name] = calendar.sizeHint().width()
        assert (
            calendar.horizontalHeaderFormat()
            == QCalendarWidget.HorizontalHeaderFormat.SingleLetterDayNames
        )
        for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            colour = calendar.weekdayTextFormat(day).foreground().color()
            assert colour != QColor(Qt.GlobalColor.red), (name, day)
    assert widths["ary"] <= widths["fr"] * 1.3, widths  # it was 784 px against 310


def test_qts_own_file_dialog_writes_paths_left_to_right_and_its_buttons_plainly(language, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox, QWidget

    from campaign_gui.ui.file_dialogs import make_file_dialog

    language("ary")
    dialog = make_file_dialog(None, "سجّل", "/tmp/page-counts.csv", "CSV (*.csv)", save=True)
    qtbot.addWidget(dialog)
    for name in ("lookInCombo", "fileNameEdit"):
        field = dialog.findChild(QWidget, name)
        assert field is not None and field.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert dialog.isRightToLeft()  # the rest of the dialog reads from the right
    buttons = dialog.findChild(QDialogButtonBox).buttons()
    assert buttons and all(button.icon().isNull() for button in buttons)
    assert "لغي" in [button.text() for button in buttons]
