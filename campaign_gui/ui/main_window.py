"""The main window: the like-loss graph, the operator pages and the action days."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..core.clock import Clock
from ..core.errors import UserError
from ..core.i18n import LANGUAGE_NAMES, LANGUAGES, _, current_language, pick
from ..core.paths import AppPaths
from ..core.settings import Settings
from ..core.updates.release_address import release_addresses
from .cards_column import CardsColumn
from .days_tab import DaysTab
from .language import apply_language
from .page_header import PageHeader
from .theme import ensure_theme
from .workspace_service import WorkspaceService

if TYPE_CHECKING:
    from ..core.campaign import ActionDay
    from ..core.snapshot import Snapshot
    from ..core.store import ImportResult
    from .action_days_list import ActionDaysView
    from .loss_plot import LossPlot
    from .reminder_banner import ReminderBanner
    from .target_cards import TargetCard
    from .update_banner import UpdateBanner

log = logging.getLogger(__name__)

PASSING_MS = 10_000  # how long a passing message stays in the status bar


class MainWindow(QMainWindow):
    loaded = Signal()
    failed = Signal(str)
    hidden_to_tray = Signal()
    visibility_changed = Signal(bool)
    settings_changed = Signal()  # the settings object was changed: whoever keeps them saves
    quit_requested = Signal()
    first_painted = Signal()  # just after the first paint, or at once if the window starts hidden
    download_update_clicked = Signal()  # the update banner's Download

    def __init__(
        self,
        paths: AppPaths,
        settings: Settings,
        service: WorkspaceService,
        *,
        clock: Clock,
    ) -> None:
        """Shows what ``service`` loads and forwards the user's actions to it; ``settings``
        and ``service`` belong to the app controller (``ui/controller.py``), which saves and closes
        them."""
        super().__init__()
        self.paths = paths
        self.settings = settings
        self.clock = clock  # the app's one clock, made at its root
        self.snapshot: Snapshot | None = None
        self.keep_running_in_tray = False  # set when a tray icon holds the app
        self._quitting = False
        self._told_moved_aside = False
        self._load_error: UserError | None = None

        self.service = service
        self.service.loaded.connect(self._show_snapshot)
        self.service.load_failed.connect(self._load_failed)
        self.service.imported.connect(self._imported)
        self.service.exported.connect(self._exported)
        self.service.operation_failed.connect(self._operation_failed)

        # The graph (and pyqtgraph, the slowest import) is built right after the first paint,
        # so the window appears at once; a placeholder holds its place until then.
        self.plot: LossPlot | None = None
        self._load_when_painted = False
        self.graph_area = QStackedWidget()
        self.graph_area.setContentsMargins(12, 12, 4, 12)
        self.graph_placeholder = QLabel()
        self.graph_placeholder.setTextFormat(Qt.TextFormat.PlainText)
        self.graph_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.graph_area.addWidget(self.graph_placeholder)
        self.cards_column = CardsColumn()
        self.cards_column.unliked_toggled.connect(self.service.set_unliked)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.graph_area)
        splitter.addWidget(self.cards_column)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        # The action days' tab (not the one the window opens on) is filled in once it has
        # painted: its view loads the campaign module and Babel.
        self.days_tab = DaysTab(self.service, clock)
        self.days_tab.message.connect(lambda text: self.statusBar().showMessage(text, PASSING_MS))

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(splitter, "")
        self.tabs.addTab(self.days_tab, "")
        # The banners (a new version, a reminder where there is no tray) are made when first
        # shown, after the first paint: hidden, they cost 3 ms of every start.
        self._update_banner: UpdateBanner | None = None
        self._reminder_banner: ReminderBanner | None = None
        self.banners = QVBoxLayout()
        self.banners.setContentsMargins(0, 0, 0, 0)
        self.banners.setSpacing(0)
        self.header = PageHeader()
        self.campaign_title = self.header.title
        self.live_status = self.header.live_status
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.header)
        central_layout.addLayout(self.banners)
        central_layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        status = self.statusBar()
        status.setSizeGripEnabled(False)
        status.messageChanged.connect(lambda message: status.setVisible(bool(message)))
        self._build_menus()
        self.theme = ensure_theme()
        if self.theme is not None:
            self.theme.changed.connect(self._scheme_changed)
        self.retranslate()
        self.resize(1120, 720)
        if settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(settings.window_geometry.encode("ascii")))
        status.showMessage(_("Loading the campaign…"))

    @property
    def update_banner(self) -> UpdateBanner:
        """A newer version's banner (the app controller fills it in), above the reminder's."""
        if self._update_banner is None:
            from .update_banner import UpdateBanner

            self._update_banner = UpdateBanner()
            self._update_banner.download_clicked.connect(self.download_update_clicked)
            self.banners.insertWidget(0, self._update_banner)
            # Qt puts a widget made later last in the Tab order, which runs round from the cards
            # to the tabs; the banners' buttons go in it as they are drawn: this one's first.
            if self._reminder_banner is not None:
                QWidget.setTabOrder(
                    self._update_banner.later_button, self._reminder_banner.close_button
                )
        return self._update_banner

    def hide_update(self) -> None:
        """No newer version to offer (any found earlier may have been installed)."""
        if self._update_banner is not None:
            self._update_banner.hide()

    @property
    def banner(self) -> ReminderBanner:
        """The reminder's banner, below a newer version's."""
        if self._reminder_banner is None:
            from .reminder_banner import ReminderBanner

            self._reminder_banner = ReminderBanner()
            self.banners.addWidget(self._reminder_banner)
        return self._reminder_banner

    @property
    def cards(self) -> dict[str, TargetCard]:
        """The operator pages' cards, by page id."""
        return self.cards_column.cards

    @property
    def days(self) -> ActionDaysView | None:
        """The action days' list, once the tab is filled in."""
        return self.days_tab.view

    # -- menus ---------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.import_action = QAction(self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.choose_import)
        self.export_action = QAction(self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.choose_export)
        self.share_action = QAction(self)
        self.share_action.triggered.connect(self.share_graph)
        # The live data: the app controller runs the sync (enabled once a campaign has a feed).
        self.sync_now_action = QAction(self)
        self.sync_now_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.sync_now_action.setEnabled(False)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.quit_app)  # quits, even with a tray icon
        self.file_menu.addAction(self.import_action)
        self.file_menu.addAction(self.export_action)
        self.file_menu.addAction(self.share_action)
        self.file_menu.addAction(self.sync_now_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.language_menu = self.menuBar().addMenu("")
        self.language_group = QActionGroup(self)
        self.language_group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for language in LANGUAGES:
            action = QAction(LANGUAGE_NAMES[language], self)  # each named in its own language
            action.setCheckable(True)
            action.setData(language)
            action.triggered.connect(lambda _checked, lang=language: self.choose_language(lang))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[language] = action
        self.settings_menu = self.menuBar().addMenu("")
        self.reminders_action = QAction(self)
        self.reminders_action.triggered.connect(self.edit_reminders)
        self.login_action = QAction(self)
        self.login_action.setCheckable(True)
        self.login_action.setChecked(self.settings.start_at_login)
        self.login_action.toggled.connect(self.set_start_at_login)
        self.live_sync_action = QAction(self)
        self.live_sync_action.setCheckable(True)
        self.live_sync_action.setChecked(self.settings.feed_sync)
        self.live_sync_action.setEnabled(False)
        # The app's own updates: the app controller checks (after the first paint).
        self.update_checks_action = QAction(self)
        self.update_checks_action.setCheckable(True)
        self.update_checks_action.setChecked(self.settings.update_checks)
        self.check_updates_action = QAction(self)
        # A build that carries no release address, with none set, has nowhere to look.
        has_address = bool(release_addresses(self.settings.release_url))
        self.update_checks_action.setVisible(has_address)
        self.check_updates_action.setVisible(has_address)
        # Organisers only; the app controller opens it (the keychain is the controller's).
        self.organiser_action = QAction(self)
        self.settings_menu.addAction(self.reminders_action)
        self.settings_menu.addAction(self.login_action)
        self.settings_menu.addAction(self.live_sync_action)
        self.settings_menu.addAction(self.update_checks_action)
        self.settings_menu.addSeparator()
        self.settings_menu.addAction(self.organiser_action)
        self.help_menu = self.menuBar().addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.check_updates_action)
        self.help_menu.addAction(self.about_action)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Campaign Companion"))
        self.file_menu.setTitle(_("&File"))
        self.import_action.setText(_("&Import page counts…"))
        self.export_action.setText(_("&Export page counts…"))
        self.share_action.setText(_("S&hare the graph…"))
        self.sync_now_action.setText(_("&Update the live data now"))
        self.quit_action.setText(_("&Quit"))
        self.language_menu.setTitle(_("&Language"))
        for language, action in self.language_actions.items():
            action.setChecked(language == current_language())
        self.settings_menu.setTitle(_("&Settings"))
        self.reminders_action.setText(_("&Reminders…"))
        self.login_action.setText(_("Start at &login"))
        self.live_sync_action.setText(_("Update the live data &automatically"))
        self.update_checks_action.setText(_("Check for u&pdates automatically"))
        self.organiser_action.setText(_("&Organisers…"))
        self.help_menu.setTitle(_("&Help"))
        self.check_updates_action.setText(_("Check for &updates…"))
        self.about_action.setText(_("&About Campaign Companion"))
        self.tabs.setTabText(1, _("Action days"))
        self.cards_column.retranslate()
        if self._load_error is None:
            self.graph_placeholder.setText(_("Loading the graph…"))
        self.campaign_title.setText(
            pick(self.snapshot.campaign.name) if self.snapshot else _("Campaign Companion")
        )
        self._measure_texts()
        QTimer.singleShot(0, self.cards_column.fit_width)  # once the cards have their new texts

    def _measure_texts(self) -> None:
        """The graph's tab and names say what its figures count."""
        measure = self._measure()
        if measure == "followers":
            self.tabs.setTabText(0, _("Followers lost"))
            self.tabs.setAccessibleName(_("Followers lost and action days"))
        elif measure == "both":
            self.tabs.setTabText(0, _("Likes and followers lost"))
            self.tabs.setAccessibleName(_("Likes and followers lost, and action days"))
        else:
            self.tabs.setTabText(0, _("Likes lost"))
            self.tabs.setAccessibleName(_("Likes lost and action days"))
        self._name_graph()

    def _measure(self) -> str:
        """What the shown figures count: "likes", "followers" or "both" (likes before any)."""
        if self.snapshot is None:
            return "likes"
        from ..core.like_loss import graph_measure  # numpy: after the first paint

        return graph_measure(self.snapshot.series)

    def _name_graph(self) -> None:
        """A name for screen readers on the graph and on whichever of its parts takes focus."""
        if self.plot is None:
            return
        measure = self._measure()
        if measure == "followers":
            name = _("Graph of the followers lost")
        elif measure == "both":
            name = _("Graph of the likes and followers lost")
        else:
            name = _("Graph of the likes lost")
        self.plot.setAccessibleName(name)
        for part in self.plot.findChildren(QWidget):
            if part.focusPolicy() & Qt.FocusPolicy.TabFocus and not isinstance(
                part, QAbstractButton
            ):
                part.setAccessibleName(name)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()  # the child widgets get the same event and retranslate themselves
        super().changeEvent(event)

    def choose_language(self, language: str) -> None:
        """Switch the whole app now, and remember the choice for the next start."""
        apply_language(language)
        self.settings.language = language
        self.settings_changed.emit()

    # -- loading -------------------------------------------------------------------------------

    def load_after_first_paint(self) -> None:
        """Start loading once the window has painted, or at once if it is not shown (a start in
        the tray): the store's thread imports NumPy, which would hold up the first paint."""
        self.first_painted.connect(self.start_loading)
        if self.isVisible():
            self._load_when_painted = True
        else:
            QTimer.singleShot(0, self.first_painted.emit)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self._load_when_painted:
            self._load_when_painted = False
            QTimer.singleShot(0, self.first_painted.emit)

    def start_loading(self) -> None:
        """Load the campaign in the background and build the graph and the action days' view;
        called after the first paint."""
        self.days_tab.fill()
        self.service.load()
        QTimer.singleShot(0, self._ensure_plot)

    def _ensure_plot(self) -> LossPlot:
        if self.plot is None:
            from .loss_plot import LossPlot

            self.plot = LossPlot()
            self._name_graph()
            if self.theme is not None and self.theme.dark:
                self._scheme_changed(True)
            self.graph_area.addWidget(self.plot)
            if self._load_error is None:
                self.graph_area.setCurrentWidget(self.plot)
        return self.plot

    def _show_snapshot(self, snapshot: Snapshot) -> None:
        shown, self.snapshot = self.snapshot, snapshot
        self._load_error = None
        campaign = snapshot.campaign
        plot = self.plot
        if snapshot.counts_only and shown is not None and plot is not None:
            plot.add_counts(snapshot.series)  # the new points only, the zoom kept
        else:
            plot = self._ensure_plot()
            plot.set_series(campaign, snapshot.series)
        self.graph_area.setCurrentWidget(plot)
        self._measure_texts()  # the tab and the graph's names say what it counts
        self.cards_column.show_pages(campaign, snapshot.series, snapshot.unliked)
        self.days_tab.show_snapshot(snapshot)
        self.campaign_title.setText(pick(campaign.name))
        self.statusBar().clearMessage()
        QTimer.singleShot(0, self.cards_column.fit_width)  # new cards are styled when shown
        if self.settings.kept_aside is not None:
            kept, self.settings.kept_aside = self.settings.kept_aside, None
            self._inform(
                "Warning",
                _(
                    "Your settings could not be read, so the usual ones are used. "
                    "The old file was kept as:\n{path}"
                ).format(path=kept),
            )
        if snapshot.moved_aside is not None and not self._told_moved_aside:
            self._told_moved_aside = True
            text = _(
                "Your data file could not be read, so a new one was started. "
                "The old file was kept as:\n{path}"
            ).format(path=snapshot.moved_aside)
            if snapshot.recovered:
                from ..core.store import recovered_text

                text += "\n\n" + recovered_text(snapshot.recovered)
            self._inform("Warning", text)
        self.loaded.emit()

    def _load_failed(self, error: UserError) -> None:
        self._load_error = error
        # No campaign, no graph: an empty plot with meaningless axes would look like data.
        self.graph_placeholder.setText(error.message)
        self.graph_placeholder.setWordWrap(True)
        self.graph_area.setCurrentWidget(self.graph_placeholder)
        self.statusBar().showMessage(error.message)
        self._inform("Critical", error.message)
        self.failed.emit(error.message)

    # -- import / export -------------------------------------------------------------------------

    def choose_import(self) -> None:
        from . import file_dialogs  # with the dialogs' Qt types: not before the first paint

        name = file_dialogs.open_file_name(
            self, _("Import page counts"), str(Path.home()), _("CSV files (*.csv);;All files (*)")
        )
        if name:
            self.statusBar().showMessage(_("Importing…"))
            self.service.import_csv(Path(name))

    def choose_export(self) -> None:
        from . import file_dialogs

        name = file_dialogs.save_file_name(
            self,
            _("Export page counts"),
            str(Path.home() / "page-counts.csv"),
            _("CSV files (*.csv)"),
        )
        if name:
            self.service.export_csv(Path(name))

    def share_graph(self) -> None:
        """A picture of the graph for social posts: previewed, saved to a file and copied."""
        if self.snapshot is None:
            return
        from .share_image import ShareDialog

        guard = self.service.export_guard()
        dialog = ShareDialog(self.snapshot.campaign, self.snapshot.series, guard, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.statusBar().showMessage(
                _("Saved the picture to {path} and copied it: paste it in a post.").format(
                    path=dialog.saved_to
                )
            )
        )
        dialog.open()

    def _imported(self, result: ImportResult) -> None:
        from ..core.results import import_sentences  # said after an import, never at the start

        text = " ".join(import_sentences(result.added, result.already_present))
        self.statusBar().showMessage(text, PASSING_MS)

    def _exported(self, count: int) -> None:
        from ..core.results import exported_text

        self.statusBar().showMessage(exported_text(count), PASSING_MS)

    def _operation_failed(self, error: UserError) -> None:
        self.statusBar().showMessage(error.message, PASSING_MS)
        self._inform("Warning", error.message)
        self.failed.emit(error.message)
        if self.snapshot is not None:
            self.service.load()  # show what is really stored (a tick that was not saved, say)

    # -- the rest ---------------------------------------------------------------------------------

    def show_live_status(self, text: str) -> None:
        """What the sync says (last update, or the failure in the user's language)."""
        self.header.show_live_status(text)

    def _scheme_changed(self, dark: bool) -> None:
        """Light or dark: the widgets follow the palette; the graph draws its own colours."""
        if self.plot is not None:
            self.plot.apply_color_scheme(dark)

    def _inform(self, icon: Literal["Warning", "Critical"], text: str) -> None:
        # The message box's Qt types load with the first message, never before the first paint.
        from PySide6.QtWidgets import QMessageBox

        from . import dialog_buttons

        # Plain text: messages quote names, values and paths.
        box = dialog_buttons.message_box(
            QMessageBox.Icon[icon], _("Campaign Companion"), text, parent=self
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_about(self) -> None:
        from ..core.formatting import format_hashtags  # Babel: not before the first paint
        from .about_dialog import AboutDialog

        # Each hashtag isolated: side by side, "#خريتو" and "#OPEUnlike" keep their "#" in front.
        hashtags = format_hashtags(self.snapshot.campaign.hashtags) if self.snapshot else ""
        purpose = (
            _(
                "Follow the campaign: the followers the operators' pages lost, the action days, "
                "and the pages to unfollow."
            )
            if self._measure() == "followers"
            else _(
                "Follow the campaign: the likes the operators' pages lost, the action days, and "
                "the pages to unlike."
            )
        )
        folders = [
            (_("Open the data folder"), self.paths.data_dir),
            (_("Open the log folder"), self.paths.log_dir),
        ]
        box = AboutDialog(__version__, purpose, hashtags, folders, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def keep_geometry(self) -> None:
        """Where the window is, in the settings, for the next start."""
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        self.settings_changed.emit()

    def quit_app(self) -> None:
        """Quit for real, even with a tray icon: the app controller closes everything."""
        self._quitting = True
        self.close()
        self.quit_requested.emit()

    def bring_forward(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.keep_geometry()
        if self.keep_running_in_tray and not self._quitting:
            event.ignore()
            self.hide()
            self.hidden_to_tray.emit()
            return
        super().closeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.visibility_changed.emit(True)
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.visibility_changed.emit(False)
        super().hideEvent(event)

    # -- action days (the tab's), reminders, start at login ----------------------------------------

    # The action days' tab does the work; the window keeps its entry points for its callers.
    def add_day(self) -> None:
        self.days_tab.add_day()

    def edit_day(self, day: ActionDay) -> None:
        self.days_tab.edit_day(day)

    def delete_day(self, day: ActionDay) -> None:
        self.days_tab.delete_day(day)

    def choose_calendar_export(self) -> None:
        self.days_tab.choose_calendar_export()

    def edit_reminders(self) -> None:
        from .reminder_settings import ReminderSettingsDialog

        dialog = ReminderSettingsDialog(self.settings, self)

        def saved() -> None:
            dialog.apply_to(self.settings)
            self.settings_changed.emit()

        dialog.accepted.connect(saved)
        dialog.open()

    def set_start_at_login(self, on: bool) -> None:
        from ..core import autostart  # only when the setting changes (it loads subprocess)

        try:
            if on:
                autostart.enable(
                    autostart.command(
                        self.paths.data_dir, self.paths.config_dir, self.service.campaign_file
                    )
                )
            else:
                autostart.disable()
        except OSError as exc:
            log.exception("start at login")
            self._inform(
                "Warning",
                _("The start at login setting could not be changed ({reason}).").format(
                    reason=exc.strerror or exc
                ),
            )
            self.login_action.blockSignals(True)
            self.login_action.setChecked(not on)
            self.login_action.blockSignals(False)
            return
        self.settings.start_at_login = on
        self.settings_changed.emit()

    def show_banner(self, title: str, message: str) -> None:
        """A reminder shown in the window, where the system has no tray to notify from."""
        self.banner.show_reminder(title, message)
        QApplication.alert(self)
