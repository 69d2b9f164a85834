"""The action days' tab: the list of days, and the dialogs that add, edit, delete, export them."""

from __future__ import annotations

from datetime import UTC, date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ..core.clock import today_in
from ..core.i18n import _, ngettext, pick

if TYPE_CHECKING:
    from ..core.campaign import ActionDay
    from ..core.clock import Clock
    from ..core.snapshot import Snapshot
    from .action_days_list import ActionDaysView
    from .workspace_service import WorkspaceService


class DaysTab(QWidget):
    """Empty until ``fill`` (after the window's first paint: the list loads the campaign module
    and Babel); the user's changes go to the workspace service."""

    message = Signal(str)  # a passing message for the status bar

    def __init__(
        self, service: WorkspaceService, clock: Clock, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.clock = clock
        self.view: ActionDaysView | None = None
        self._snapshot: Snapshot | None = None
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self.service.calendar_exported.connect(self._calendar_exported)

    def fill(self) -> None:
        """Build the list of days, once."""
        if self.view is not None:
            return
        from .action_days_list import ActionDaysView

        self.view = ActionDaysView(clock=self.clock)
        self.view.add_requested.connect(self.add_day)
        self.view.edit_requested.connect(self.edit_day)
        self.view.delete_requested.connect(self.delete_day)
        self.view.reminders_toggled.connect(self.service.set_day_reminders)
        self.view.export_requested.connect(self.choose_calendar_export)
        self._column.addWidget(self.view)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        assert self.view is not None
        self.view.set_days(snapshot.campaign, snapshot.days, snapshot.days_without_reminders)

    def _today_in_campaign(self) -> date:
        snapshot = self._snapshot
        zone = snapshot.campaign.zone if snapshot else self.clock.local_zone() or UTC
        return today_in(zone, self.clock.now())

    def add_day(self) -> None:
        from ..core.action_days import new_day_id
        from .action_day_dialog import ActionDayDialog  # the dialogs load when first opened

        snapshot = self._snapshot
        if snapshot is None:
            return
        day_id = new_day_id({d.id for d in snapshot.days} | snapshot.taken_day_ids)
        dialog = ActionDayDialog(day_id, self._today_in_campaign(), parent=self.window())
        dialog.accepted.connect(lambda: self.service.save_user_day(dialog.action_day()))
        dialog.open()

    def edit_day(self, day: ActionDay) -> None:
        from .action_day_dialog import ActionDayDialog

        dialog = ActionDayDialog(day.id, self._today_in_campaign(), day, parent=self.window())
        dialog.accepted.connect(lambda: self.service.save_user_day(dialog.action_day()))
        dialog.open()

    def delete_day(self, day: ActionDay) -> None:
        from . import dialog_buttons  # the dialogs' Qt types: not before the first paint

        question = _("Delete “{title}”? This cannot be undone.").format(title=pick(day.title))
        if dialog_buttons.ask(self.window(), _("Delete the action day"), question):
            self.service.delete_user_day(day.id)

    def choose_calendar_export(self) -> None:
        from . import file_dialogs

        name = file_dialogs.save_file_name(
            self.window(),
            _("Add the action days to a calendar"),
            str(Path.home() / "action-days.ics"),
            _("Calendar files (*.ics)"),
        )
        if name:
            self.service.export_calendar(Path(name))

    def _calendar_exported(self, count: int) -> None:
        self.message.emit(
            ngettext(
                "Saved {count} action day. Open the file on your phone or computer to add it "
                "to your calendar.",
                "Saved {count} action days. Open the file on your phone or computer to add them "
                "to your calendar.",
                count,
            ).format(count=count)
        )
