"""The operator pages: latest figure, a button to the page, and an "I've unliked it" tick."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6 import QtGui
from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..core.campaign import FOLLOWERS, Campaign, Target, is_facebook_page_url
from ..core.i18n import _
from ..core.loss_words import figure_text
from .dialog_buttons import message_box
from .theme import set_role

if TYPE_CHECKING:
    from ..core.like_loss import LossSeries

log = logging.getLogger(__name__)


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as written. Qt shows a tooltip as markup whenever it guesses
    it is some (``&lt;`` in an address is enough): then the text is escaped inside markup."""
    return QtGui.Qt.convertFromPlainText(text) if QtGui.Qt.mightBeRichText(text) else text


def open_page(target: Target) -> bool:
    """Open the operator's page in the default browser; only https Facebook addresses are opened.

    False when the address is refused, when Qt's strict parser cannot read it, or when the
    system did not open it (no browser, say): the caller tells the user.
    """
    if not is_facebook_page_url(target.page_url):
        log.warning(
            "refused to open %r for %s: not an https Facebook page", target.page_url, target.id
        )
        return False
    url = QUrl(target.page_url, QUrl.ParsingMode.StrictMode)
    if not url.isValid():
        log.warning("could not read %r for %s: %s", target.page_url, target.id, url.errorString())
        return False
    if not QDesktopServices.openUrl(url):
        log.warning("the system did not open %r for %s", target.page_url, target.id)
        return False
    return True


class TargetCard(QFrame):
    """One operator's page as a flat card: its name, its latest loss in the accent colour, the
    button that opens it (the card's one accent button), how to unlike, and the tick."""

    unliked_toggled = Signal(str, bool)

    def __init__(self, target: Target, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self.setObjectName("card")  # the style sheet draws it: rounded, flat, bordered
        self.name = QLabel()
        set_role(self.name, "section")
        self.name.setWordWrap(True)
        self.name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.figure = QLabel()
        self.figure.setObjectName("figure")
        self.figure.setWordWrap(True)
        self.open_button = QPushButton()
        self.open_button.setObjectName("accentButton")
        self.open_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.open_button.clicked.connect(self.open_page)
        self.hint = QLabel()  # body size, not a caption: Arabic reads small at caption size
        self.hint.setWordWrap(True)
        self.done = QLabel()  # said once the page is unliked, instead of how to do it
        self.done.setObjectName("done")
        self.done.setWordWrap(True)
        self.done.hide()
        for label in (self.name, self.figure, self.hint, self.done):
            label.setTextFormat(Qt.TextFormat.PlainText)  # names come from files: never markup
        self.unliked = QCheckBox()
        self.unliked.toggled.connect(self._show_done)
        self.unliked.toggled.connect(lambda on: self.unliked_toggled.emit(self.target.id, on))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        for widget in (
            self.name,
            self.figure,
            self.open_button,
            self.hint,
            self.done,
            self.unliked,
        ):
            layout.addWidget(widget)
        self._series: LossSeries | None = None
        self._campaign: Campaign | None = None
        self.retranslate()

    def open_page(self) -> None:
        """Open the page; if it cannot be, say so and give the address to copy."""
        if open_page(self.target):
            return
        box = message_box(
            QMessageBox.Icon.Warning,
            _("Campaign Companion"),
            _("The page could not be opened. Its address is:\n{url}").format(
                url=self.target.page_url
            ),
            parent=self.window(),
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def set_figure(self, series: LossSeries | None, campaign: Campaign) -> None:
        self._series = series
        self._campaign = campaign
        self.retranslate()  # the verbs follow what the page's figure counts

    def _follows(self) -> bool:
        """Whether the page is followed, not liked (a campaign that counts followers)."""
        if self._series is not None:
            return self._series.measure == FOLLOWERS
        return self._campaign is not None and self._campaign.measure == FOLLOWERS

    def _show_figure(self) -> None:
        series, campaign = self._series, self._campaign
        latest = figure_text(series, campaign.zone) if series and campaign else None
        if latest is None:
            self.figure.setText(_("No figures yet"))
            return
        figure, when, _info = latest
        self.figure.setText(_("{figure} ({when})").format(figure=figure, when=when))

    def set_unliked(self, unliked: bool) -> None:
        self.unliked.blockSignals(True)
        self.unliked.setChecked(unliked)
        self.unliked.blockSignals(False)
        self._show_done(unliked)

    def _show_done(self, done: bool) -> None:
        """A page unliked: the card says it is done, its button is no longer the call to act."""
        self.done.setVisible(done)
        self.hint.setVisible(not done)
        self.setProperty("done", done)
        self.open_button.setObjectName("" if done else "accentButton")
        for widget in (self, self.open_button):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self.retranslate()

    def retranslate(self) -> None:
        name = self.target.display_name()
        self.name.setText(name)
        self.open_button.setToolTip(plain_tooltip(self.target.page_url))
        self.open_button.setAccessibleName(_("Open {name}'s Facebook page").format(name=name))
        self.done.setText(_("✓ Done, thank you."))
        follows = self._follows()
        if self.unliked.isChecked():
            self.open_button.setText(_("Open the page again"))
        elif follows:
            self.open_button.setText(_("Open the page to unfollow it"))
        else:
            self.open_button.setText(_("Open the page to unlike it"))
        if follows:
            self.hint.setText(_("On the page, click “Following” then “Unfollow”."))
            self.unliked.setText(_("I've unfollowed it"))
            self.unliked.setAccessibleName(_("I've unfollowed {name}'s page").format(name=name))
        else:
            self.hint.setText(
                _("On the page, click “Liked” then “Unlike” (or “Following” then “Unfollow”).")
            )
            self.unliked.setText(_("I've unliked it"))
            self.unliked.setAccessibleName(_("I've unliked {name}'s page").format(name=name))
        self._show_figure()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
