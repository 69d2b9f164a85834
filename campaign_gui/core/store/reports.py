"""The reported losses a campaign file gives, kept as the file has them."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence

from .. import limits
from ..campaign import QUALIFIERS, Campaign, Report, Source
from ..i18n import LANGUAGES, pick
from .connection import StoreConnection
from .records import stored_day, stored_text

log = logging.getLogger(__name__)

_COLUMNS = (
    "campaign, id, target, start_day, end_day, loss, loss_percent, qualifier, sources, note, "
    "date_given"
)


class CampaignReports(StoreConnection):
    """The campaign's reported losses."""

    def merge_reports(self, campaign: Campaign, key: str | None = None) -> int:
        """Make the stored reported losses the campaign's (under ``key``, its id unless given:
        a campaign bound to a feed keeps them under the feed's key); the same one again changes
        nothing."""
        key = key or campaign.id
        rows = [
            (
                key,
                r.id,
                r.target,
                r.start.isoformat(),
                r.end.isoformat(),
                r.loss,
                r.loss_percent,
                r.qualifier,
                json.dumps([s.as_document() for s in r.sources], ensure_ascii=False),
                json.dumps(dict(r.note), ensure_ascii=False, sort_keys=True),
                int(r.date_given),
            )
            for r in campaign.reports
        ]
        stored = set(
            self._db.execute(
                f"SELECT {_COLUMNS} FROM reports WHERE campaign = ?", (key,)
            ).fetchall()
        )
        if stored == set(rows):
            return 0  # nothing new: no write lock, so a start never waits on another copy
        with self.transaction() as db:
            before = db.total_changes
            # The reports are the campaign file's: one no longer in it (or from another file that
            # used the same campaign id) goes, so no figure outlives the file that gave it.
            kept = {row[1] for row in rows}
            for (report_id,) in db.execute(
                "SELECT id FROM reports WHERE campaign = ?", (key,)
            ).fetchall():
                if report_id not in kept:
                    db.execute(
                        "DELETE FROM reports WHERE campaign = ? AND id = ?",
                        (key, report_id),
                    )
            db.executemany(
                f"""INSERT INTO reports ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (campaign, id) DO UPDATE SET
                     target = excluded.target, start_day = excluded.start_day,
                     end_day = excluded.end_day, loss = excluded.loss,
                     loss_percent = excluded.loss_percent, qualifier = excluded.qualifier,
                     sources = excluded.sources, note = excluded.note,
                     date_given = excluded.date_given
                   WHERE (target, start_day, end_day, loss, loss_percent, qualifier, sources, note,
                          date_given)
                     IS NOT (excluded.target, excluded.start_day, excluded.end_day,
                             excluded.loss, excluded.loss_percent, excluded.qualifier,
                             excluded.sources, excluded.note, excluded.date_given)""",
                rows,
            )
            return db.total_changes - before

    def reports(self, campaign_id: str) -> list[Report]:
        rows = self._db.execute(
            """SELECT id, target, start_day, end_day, loss, loss_percent, qualifier, sources, note,
                      date_given
               FROM reports WHERE campaign = ? ORDER BY start_day, id""",
            (campaign_id,),
        )
        found = []
        for row in rows:
            try:
                found.append(_report(row))
            except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as exc:
                log.warning("skipped a stored report that is not valid: %r (%s)", row[0], exc)
        return found


def _report(row: Sequence) -> Report:
    report_id, target, start, end, loss, percent, qualifier, sources, note, date_given = row
    if loss is not None and (not isinstance(loss, int) or not limits.count_in_range(loss)):
        raise ValueError(f"loss out of range: {loss!r}")
    if percent is not None and (
        not isinstance(percent, float | int) or not 0 <= percent <= limits.MAX_PERCENT
    ):
        raise ValueError(f"percentage out of range: {percent!r}")
    if qualifier not in QUALIFIERS:
        raise ValueError(f"unknown qualifier {qualifier!r}")
    notes = json.loads(note)
    if not isinstance(notes, dict) or not all(
        lang in LANGUAGES and isinstance(text, str) for lang, text in notes.items()
    ):
        raise ValueError("note is not a text per language")
    start_day, end_day = stored_day(start), stored_day(end)
    if end_day < start_day:
        raise ValueError("ends before it starts")
    if date_given not in (0, 1) or isinstance(date_given, float):
        raise ValueError(f"date_given is not 0 or 1: {date_given!r}")
    return Report(
        id=stored_text(report_id, limits.MAX_SHORT_TEXT),
        target=stored_text(target, limits.MAX_SHORT_TEXT),
        start=start_day,
        end=end_day,
        loss=loss,
        loss_percent=None if percent is None else float(percent),
        qualifier=qualifier,
        sources=tuple(_source(s) for s in json.loads(sources)),
        note=notes,
        date_given=bool(date_given),
    )


def _source(stored: dict) -> Source:
    """A report's source as stored: its date, via, article and title are optional (newer)."""
    title = stored.get("title") or {}
    if not isinstance(title, dict) or not all(
        lang in LANGUAGES and isinstance(text, str) for lang, text in title.items()
    ):
        raise ValueError("source title is not a text per language")
    published = stored.get("date")
    name, names = stored["name"], {}
    if isinstance(name, dict):  # a name written in each language
        if not name or not all(
            lang in LANGUAGES and isinstance(text, str) for lang, text in name.items()
        ):
            raise ValueError("source name is not a text per language")
        names = {lang: stored_text(text, limits.MAX_SHORT_TEXT) for lang, text in name.items()}
        name = pick(names, "en")
    return Source(
        name=stored_text(name, limits.MAX_SHORT_TEXT),
        names=names,
        url=stored_text(stored.get("url") or "", limits.MAX_URL),
        published=None if published is None else stored_day(published),
        via=stored_text(stored.get("via", ""), limits.MAX_SHORT_TEXT),
        article=stored_text(stored.get("article", ""), limits.MAX_SHORT_TEXT),
        title=title,
    )
