"""The operators' pages beside the graph: a card per page, in a column that scrolls up and down."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from ..core.i18n import _
from .theme import set_role

if TYPE_CHECKING:
    from ..core.campaign import Campaign
    from ..core.like_loss import LossSeries
    from .target_cards import TargetCard

CARDS_MIN_WIDTH = 280


class CardsColumn(QScrollArea):
    """A heading and a card per operator page. Long names wrap instead of hiding behind a
    sideways scroll bar, so the column grows as wide as its widest card needs."""

    unliked_toggled = Signal(str, bool)  # a card's "I unliked it" box: page id, checked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards: dict[str, TargetCard] = {}
        self.box = QWidget()
        self.box_layout = QVBoxLayout(self.box)
        self.box_layout.setContentsMargins(12, 12, 12, 12)
        self.box_layout.setSpacing(12)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        set_role(self.heading, "section")
        self.heading.setWordWrap(True)
        self.box_layout.addWidget(self.heading)
        self.box_layout.addStretch(1)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(self.box)
        self.setMinimumWidth(CARDS_MIN_WIDTH)

    def show_pages(
        self, campaign: Campaign, series: Mapping[str, LossSeries], unliked: set[str]
    ) -> None:
        """A card for each of the campaign's pages (made afresh when the pages change), with
        its headline figure and whether the user unliked it."""
        if set(self.cards) != {t.id for t in campaign.targets}:
            for card in self.cards.values():
                card.deleteLater()
            self.cards = {}
            from .target_cards import TargetCard  # the campaign module: after the first paint

            for target in campaign.targets:
                card = TargetCard(target)
                card.unliked_toggled.connect(self.unliked_toggled)
                self.box_layout.insertWidget(self.box_layout.count() - 1, card)
                self.cards[target.id] = card
        from ..core.like_loss import headline  # numpy: after the first paint

        for target_id, card in self.cards.items():
            card.set_figure(headline(series, target_id), campaign)
            card.set_unliked(target_id in unliked)

    def fit_width(self) -> None:
        """Keep the column as wide as its widest button needs: no sideways scroll bar here, so
        a wider column is the only way nothing gets cut."""
        needed = self.box.minimumSizeHint().width()
        bar = self.verticalScrollBar().sizeHint().width()
        self.setMinimumWidth(max(CARDS_MIN_WIDTH, needed + bar))

    def retranslate(self) -> None:
        """The heading in the current language. The window calls it with its own texts, after
        its theme is in place: set any earlier, the heading made the column's first width in
        Darija wider than the window has always opened with."""
        self.heading.setText(_("The operators' pages"))
        self.setAccessibleName(_("The operators' pages"))
