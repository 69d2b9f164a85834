"""Organisers: the Graph API token (kept in the system keychain, typed in a masked field) and
whether the app tracks the operators' pages, how often, with which Graph API version."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ..core.errors import UserError
from ..core.i18n import _
from ..core.secrets import GRAPH_TOKEN, Secrets
from ..core.settings import Settings
from .dialog_buttons import use_our_buttons
from .executors import NetworkExecutor
from .form_card import accent_save, card, dialog_layout, form_layout
from .theme import set_role

VERSION = re.compile(r"v\d{1,2}\.\d")


class OrganiserSettingsDialog(QDialog):
    token_known = Signal(bool)  # the keychain answered: whether a token is kept

    def __init__(
        self,
        settings: Settings,
        secrets: Secrets,
        parent: QWidget | None = None,
        readings: list[str] | None = None,
    ):
        """``readings``: the last tracking round's word on each page, if one ran."""
        super().__init__(parent)
        self._settings = settings
        self._secrets = secrets
        # A keychain may ask to be unlocked, or answer slowly: it is asked off the window's
        # thread, its answer shown when it comes (and dropped once the dialog has closed).
        self._keychain = NetworkExecutor(self)
        self.finished.connect(self._keychain.close)
        self.setWindowTitle(_("Organiser settings"))
        intro = QLabel(
            _(
                "For the campaign's organisers: the app reads each operator's page with the "
                "Graph API and keeps the counts. Participants need none of this."
            )
        )
        intro.setWordWrap(True)
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)  # never shown, never logged
        self.token.setPlaceholderText(_("Paste the Graph API token here"))
        self.token.setMinimumWidth(280)
        self.token.setAccessibleName(_("Graph API token"))
        self.save_token = QPushButton(_("Keep the token"))
        self.save_token.clicked.connect(lambda: self._keep_token())
        self.forget_token = QPushButton(_("Forget the token"))
        self.forget_token.clicked.connect(self._forget_token)
        self.token_state = QLabel()
        self.token_state.setTextFormat(Qt.TextFormat.PlainText)
        self.token_state.setWordWrap(True)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token, 1)
        token_row.addWidget(self.save_token)
        token_row.addWidget(self.forget_token)

        self.tracking = QCheckBox(_("Track the operators' pages"))
        self.tracking.setChecked(settings.tracking)
        self.interval = QSpinBox()
        self.interval.setRange(5, 24 * 60)
        self.interval.setValue(settings.track_interval_minutes)
        self.interval.setAccessibleName(_("Minutes between two readings"))
        self.version = QLineEdit(settings.graph_api_version)
        self.version.setMaxLength(6)
        self.version.setAccessibleName(_("Graph API version"))
        self.problem = QLabel()
        self.problem.setObjectName("problems")
        self.problem.setWordWrap(True)
        # What Facebook gave for each page at the last reading: the data is the page's, shown
        # as plain text.
        self.readings = QLabel(
            "\n".join([_("At the last reading:"), *readings])
            if readings
            else _("No reading yet in this session.")
        )
        self.readings.setTextFormat(Qt.TextFormat.PlainText)
        self.readings.setWordWrap(True)
        self.readings.setAccessibleName(_("What Facebook gave at the last reading"))

        form = form_layout()
        form.addRow(_("Token"), token_row)
        form.addRow(self.token_state)
        form.addRow(self.tracking)
        form.addRow(_("Minutes between two readings"), self.interval)
        form.addRow(_("Graph API version"), self.version)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        use_our_buttons(buttons)
        accent_save(buttons)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        set_role(self.readings, "caption")
        dialog_layout(self, intro, card(form), self.readings, self.problem, buttons)
        self.setMinimumWidth(600)  # the intro wraps on two or three lines, not more
        self._show_token_state()

    def _wait_for_keychain(self) -> None:
        for button in (self.save_token, self.forget_token):
            button.setEnabled(False)
        self.token_state.setText(_("Looking in the keychain…"))

    def _ask_keychain(self, name: str, work: Callable[[], object], done: Callable) -> None:
        """``work`` on the keychain off the window's thread; the token's buttons wait for it."""
        self._wait_for_keychain()

        def failed(error: UserError) -> None:
            self.problem.setText(error.message)
            self._show_token_state()

        self._keychain.submit(name, lambda _cancelled: work(), done, failed, thread_name="keychain")

    def _show_token_state(self) -> None:
        def shown(known: object) -> None:
            if self._secrets.session_only:
                text = _(
                    "No system keychain works on this computer: the token is kept only until "
                    "the app quits."
                )
            elif known:
                text = _("A token is kept {where}.").format(where=self._secrets.where())
            else:
                text = _("No token is set.")
            self.token_state.setText(text)
            self.save_token.setEnabled(True)
            self.forget_token.setEnabled(bool(known))
            self.token_known.emit(bool(known))

        def failed(error: UserError) -> None:
            self.token_state.setText(error.message)
            self.save_token.setEnabled(True)
            self.token_known.emit(False)

        self._wait_for_keychain()
        self._keychain.submit(
            "read the token",
            lambda _cancelled: self._secrets.get(GRAPH_TOKEN) is not None,
            shown,
            failed,
            thread_name="keychain",
        )

    def _keep_token(self, then: Callable[[], None] | None = None) -> None:
        token = self.token.text()

        def kept(_result: object) -> None:
            self.token.clear()
            self.problem.clear()
            self._show_token_state()
            if then is not None:
                then()

        self._ask_keychain("keep the token", lambda: self._secrets.set(GRAPH_TOKEN, token), kept)

    def _forget_token(self) -> None:
        self._ask_keychain(
            "forget the token",
            lambda: self._secrets.clear(GRAPH_TOKEN),
            lambda _result: self._show_token_state(),
        )

    def _save(self) -> None:
        version = self.version.text().strip()
        if not VERSION.fullmatch(version):
            self.problem.setText(
                _("The Graph API version must look like v23.0 (got {version}).").format(
                    version=version[:20]
                )
            )
            return
        if self.token.text().strip():  # typed but not kept yet: kept first, then the rest
            self._keep_token(then=lambda: self._finish_save(version))
            return
        self._finish_save(version)

    def _finish_save(self, version: str) -> None:
        self._settings.tracking = self.tracking.isChecked()
        self._settings.track_interval_minutes = self.interval.value()
        self._settings.graph_api_version = version
        self.accept()
