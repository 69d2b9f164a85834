"""The tray icon: tooltip with the countdown and the latest losses, and the app's menu.

Where the system has no tray (some Linux desktops, the offscreen platform) there is no icon: the
window stays the app's only face, closing it quits, and reminders show as a banner in it.
"""

from __future__ import annotations

import html
import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from .. import PACKAGE_DIR
from ..core.i18n import LANGUAGE_NAMES, LANGUAGES, _, current_language

log = logging.getLogger(__name__)


def notifications_read_markup() -> bool:
    """Whether a notification's message will be read as markup.

    On Windows and macOS it is plain text, and so it is in the balloon Qt draws itself next to
    an old X11 tray. But where a StatusNotifier host is registered on the session bus (KDE,
    GNOME with the AppIndicator extension, recent XFCE), Qt hands the message to
    org.freedesktop.Notifications, whose servers show ``<b>``, ``<a href>`` and ``<img>`` in it.
    Asked the way Qt decides which of the two it uses.
    """
    question = _status_notifier_question()
    if question is None:
        return False
    from PySide6.QtDBus import QDBus

    bus, call = question
    return _host_registered(bus.call(call, QDBus.CallMode.Block, 2000))


def ask_notifications_markup(parent: QObject, answer: Callable[[bool], None]) -> None:
    """``notifications_read_markup`` asked without waiting: ``answer`` is called with it when
    the bus replies (at once where there is no bus), so the window never waits on D-Bus."""
    question = _status_notifier_question()
    if question is None:
        answer(False)
        return
    from PySide6.QtDBus import QDBusPendingCallWatcher

    bus, call = question
    watcher = QDBusPendingCallWatcher(bus.asyncCall(call, 2000), parent)

    def replied(done: QDBusPendingCallWatcher) -> None:
        answer(_host_registered(done.reply()))
        done.deleteLater()

    watcher.finished.connect(replied)


def _status_notifier_question():
    """The session bus and the question Qt asks it to choose how notifications are shown; None
    where there is no such bus (Windows, macOS, a Qt without D-Bus, no session)."""
    if sys.platform in ("win32", "darwin"):
        return None
    try:
        from PySide6.QtDBus import QDBusConnection, QDBusMessage
    except ImportError:  # a Qt built without D-Bus has only the X11 tray
        return None
    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        return None
    call = QDBusMessage.createMethodCall(
        "org.kde.StatusNotifierWatcher",
        "/StatusNotifierWatcher",
        "org.freedesktop.DBus.Properties",
        "Get",
    )
    call.setArguments(["org.kde.StatusNotifierWatcher", "IsStatusNotifierHostRegistered"])
    return bus, call


def _host_registered(reply) -> bool:
    from PySide6.QtDBus import QDBusMessage

    arguments = reply.arguments()
    if reply.type() != QDBusMessage.MessageType.ReplyMessage or not arguments:
        return False
    value = arguments[0]
    return bool(value.variant() if hasattr(value, "variant") else value)


def menu_text(text: str) -> str:
    """Text shown as written in a menu: ``&`` marks a shortcut letter there, so it is doubled."""
    return text.replace("&", "&&")


class Tray(QObject):
    toggle_window = Signal()
    toggle_widget = Signal()
    language_chosen = Signal(str)
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if sys.platform == "darwin":
            # A template image: macOS colours it for light and dark menu bars.
            icon = QIcon(str(PACKAGE_DIR / "resources" / "icons" / "tray-mask.svg"))
            icon.setIsMask(True)
        self.icon = QSystemTrayIcon(icon, self)
        self._markup_notifications: bool | None = None  # asked at the first notification
        self.menu = QMenu()
        self.window_action = QAction(self)
        self.window_action.triggered.connect(self.toggle_window)
        self.next_day_action = QAction(self)
        self.next_day_action.setEnabled(False)
        self.widget_action = QAction(self)
        self.widget_action.triggered.connect(self.toggle_widget)
        self.language_menu = QMenu()
        self.language_actions: dict[str, QAction] = {}
        for language in LANGUAGES:
            action = QAction(LANGUAGE_NAMES[language], self)
            action.setCheckable(True)
            action.triggered.connect(lambda _c, lang=language: self.language_chosen.emit(lang))
            self.language_menu.addAction(action)
            self.language_actions[language] = action
        self.quit_action = QAction(self)
        self.quit_action.triggered.connect(self.quit_requested)
        for item in (self.window_action, self.next_day_action, self.widget_action):
            self.menu.addAction(item)
        self.menu.addMenu(self.language_menu)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self._window_shown = True
        self._next_day = ""
        self._tooltip = ""
        self.menu.installEventFilter(self)
        self.retranslate()

    def show(self) -> None:
        self.icon.show()
        if self._markup_notifications is None:  # asked now, answered long before a reminder
            ask_notifications_markup(self, self._markup_known)

    def _markup_known(self, markup: bool) -> None:
        if self._markup_notifications is None:
            self._markup_notifications = markup
            log.debug("notification messages read as markup: %s", markup)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.toggle_widget.emit()

    def set_window_shown(self, shown: bool) -> None:
        self._window_shown = shown
        self.retranslate()

    def set_summary(self, next_day: str, tooltip: str) -> None:
        """The next action day for the menu, the countdown and latest losses for the tooltip."""
        self._next_day = next_day
        self._tooltip = tooltip
        self.retranslate()

    @property
    def markup_notifications(self) -> bool:
        """Whether notifications are read as markup here: asked of D-Bus without waiting when
        the icon is shown; asked and waited for only if a notification comes before the
        answer."""
        if self._markup_notifications is None:
            self._markup_notifications = notifications_read_markup()
            log.debug("notification messages read as markup: %s", self._markup_notifications)
        return self._markup_notifications

    @markup_notifications.setter
    def markup_notifications(self, value: bool) -> None:
        self._markup_notifications = value

    def notify(self, title: str, message: str) -> None:
        """A notification; day titles in it come from files and are shown as written.

        Where the message would be read as markup it is escaped. The title is plain text by
        the notification spec, but Qt also puts it in the tray icon's tooltip while the
        notification shows, which a host may read as markup if it looks like some: an invisible
        word joiner after each ``<`` keeps it from looking like a tag."""
        if self.markup_notifications:
            title = title.replace("<", "<\u2060")
            message = html.escape(message, quote=False)
        self.icon.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 15000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def retranslate(self) -> None:
        self.window_action.setText(
            _("Hide the window") if self._window_shown else _("Show the window")
        )
        self.next_day_action.setText(menu_text(self._next_day) or _("No action day planned"))
        self.widget_action.setText(_("Campaign at a glance"))
        self.language_menu.setTitle(_("Language"))
        for language, action in self.language_actions.items():
            action.setChecked(language == current_language())
        self.quit_action.setText(_("Quit Campaign Companion"))
        # Plain on every system: where Qt shows it as a widget tooltip (the X11 tray) it would
        # guess markup only from the first line, which is the app's name (see Glance.tooltip).
        self.icon.setToolTip(self._tooltip or _("Campaign Companion"))
