"""The user's own data: the pages they unliked, their own action days, which days they
want reminders of and which reminders were delivered."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime

from .. import limits
from ..action_days import day_problems
from ..campaign import ACTION_KINDS, ActionDay
from ..i18n import LANGUAGES, _
from .connection import StoreConnection
from .errors import StoreError
from .records import stored_day, stored_text, to_epoch

log = logging.getLogger(__name__)


class OwnData(StoreConnection):
    """What the user keeps of their own, apart from anything a campaign or a feed gives."""

    # -- the user's own marks --------------------------------------------------------------------

    def set_unliked(self, campaign_id: str, target: str, unliked: bool, when: datetime) -> None:
        with self.transaction() as db:
            if unliked:
                db.execute(
                    """INSERT INTO page_marks VALUES (?, ?, ?)
                       ON CONFLICT (campaign, target) DO NOTHING""",
                    (campaign_id, target, to_epoch(when)),
                )
            else:
                db.execute(
                    "DELETE FROM page_marks WHERE campaign = ? AND target = ?",
                    (campaign_id, target),
                )

    def unliked_targets(self, campaign_id: str) -> set[str]:
        rows = self._db.execute("SELECT target FROM page_marks WHERE campaign = ?", (campaign_id,))
        return {row[0] for row in rows}

    # -- the user's own action days and their reminders ------------------------------------------

    def user_days(self, campaign_id: str) -> list[ActionDay]:
        rows = self._db.execute(
            """SELECT id, kind, start_day, end_day, title, details FROM user_days
               WHERE campaign = ? ORDER BY start_day, id""",
            (campaign_id,),
        )
        found = []
        for row in rows:
            try:
                found.append(_user_day(row))
            except (TypeError, ValueError) as exc:
                log.warning("skipped a stored action day that is not valid: %r (%s)", row[0], exc)
        return found

    def save_user_day(self, campaign_id: str, day: ActionDay) -> None:
        """Add or replace one of the user's own days; one the app could not show is refused."""
        title = next(iter(day.title.values()), "")
        details = next(iter(day.details.values()), "") if day.details else ""
        problems = day_problems(title, day.start, day.end, details)
        if day.kind not in ACTION_KINDS or len(day.id) > limits.MAX_SHORT_TEXT:
            problems.append(_("This action day cannot be saved."))
        if problems:
            raise StoreError("\n".join(problems), detail=f"user day {day.id!r} refused: {problems}")
        with self.transaction() as db:
            db.execute(
                """INSERT INTO user_days VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (campaign, id) DO UPDATE SET kind = excluded.kind,
                     start_day = excluded.start_day, end_day = excluded.end_day,
                     title = excluded.title, details = excluded.details""",
                (
                    campaign_id,
                    day.id,
                    day.kind,
                    day.start.isoformat(),
                    day.end.isoformat(),
                    title,
                    details,
                ),
            )

    def user_day_ids(self, campaign_id: str) -> set[str]:
        """Every id the user's days use, shown or not: a new day must never take one."""
        rows = self._db.execute("SELECT id FROM user_days WHERE campaign = ?", (campaign_id,))
        return {row[0] for row in rows}

    def delete_user_day(self, campaign_id: str, day_id: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM user_days WHERE campaign = ? AND id = ?", (campaign_id, day_id))
            db.execute(
                "DELETE FROM day_reminders WHERE campaign = ? AND day_id = ?",
                (campaign_id, day_id),
            )

    def set_day_reminders(self, campaign_id: str, day_id: str, enabled: bool) -> None:
        with self.transaction() as db:
            db.execute(
                """INSERT INTO day_reminders VALUES (?, ?, ?)
                   ON CONFLICT (campaign, day_id) DO UPDATE SET enabled = excluded.enabled""",
                (campaign_id, day_id, int(enabled)),
            )

    def days_without_reminders(self, campaign_id: str) -> set[str]:
        rows = self._db.execute(
            "SELECT day_id FROM day_reminders WHERE campaign = ? AND enabled = 0", (campaign_id,)
        )
        return {row[0] for row in rows}

    def delivered_reminders(self, campaign_id: str) -> set[str]:
        rows = self._db.execute(
            "SELECT key FROM delivered_reminders WHERE campaign = ?", (campaign_id,)
        )
        return {row[0] for row in rows}

    def mark_delivered(self, campaign_id: str, keys: Iterable[str], when: datetime) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO delivered_reminders VALUES (?, ?, ?)",
                [(campaign_id, key, to_epoch(when)) for key in keys],
            )


def _user_day(row: Sequence) -> ActionDay:
    day_id, kind, start, end, title, details = row
    start_day, end_day = stored_day(start), stored_day(end)
    if end_day < start_day:
        raise ValueError("ends before it starts")
    title = stored_text(title, limits.MAX_SHORT_TEXT)
    details = stored_text(details, limits.MAX_LONG_TEXT)
    return ActionDay(
        id=stored_text(day_id, limits.MAX_SHORT_TEXT),
        kind=kind if kind in ACTION_KINDS else "other",
        start=start_day,
        end=end_day,
        title=dict.fromkeys(LANGUAGES, title),
        details=dict.fromkeys(LANGUAGES, details) if details else {},
        own=True,
    )
