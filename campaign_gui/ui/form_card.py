"""The app's form dialogs drawn as its cards: the fields on a card, each label above its field,
the card's spacing, and Save in the accent."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLayout,
    QVBoxLayout,
    QWidget,
)

CARD_PADDING_PX = 16  # as the page cards
DIALOG_MARGIN_PX = 16
ROW_GAP_PX = 12  # between one field and the next label
SECTION_GAP_PX = 12  # between the card, the error text and the buttons


def card(layout: QLayout) -> QFrame:
    """A card (the theme's ``QFrame#card``) holding ``layout``, with the card's padding."""
    frame = QFrame()
    frame.setObjectName("card")
    layout.setContentsMargins(CARD_PADDING_PX, CARD_PADDING_PX, CARD_PADDING_PX, CARD_PADDING_PX)
    frame.setLayout(layout)
    return frame


def form_layout() -> QFormLayout:
    """A form whose labels stand above their fields: no column of labels to fit beside long
    Darija or French words, and the fields as wide as the card."""
    form = QFormLayout()
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setVerticalSpacing(ROW_GAP_PX)
    return form


def dialog_layout(dialog: QDialog, *parts: QWidget | QLayout) -> QVBoxLayout:
    """The dialog's column: ``parts`` top to bottom, with the card's margins and spacing."""
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(
        DIALOG_MARGIN_PX, DIALOG_MARGIN_PX, DIALOG_MARGIN_PX, DIALOG_MARGIN_PX
    )
    layout.setSpacing(SECTION_GAP_PX)
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    return layout


def accent_save(buttons: QDialogButtonBox) -> None:
    """Save drawn as the app's main action (the theme's ``accentButton``)."""
    save = buttons.button(QDialogButtonBox.StandardButton.Save)
    if save is not None:
        save.setObjectName("accentButton")
