"""Which action days are still to come and which are past."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date

from . import limits
from .campaign import ActionDay
from .formatting import format_day, format_number
from .i18n import _


def split_days(days: Iterable[ActionDay], today: date) -> tuple[list[ActionDay], list[ActionDay]]:
    """(upcoming, soonest first; past, most recent first). A day under way counts as upcoming."""
    days = list(days)
    upcoming = sorted((d for d in days if d.end >= today), key=lambda d: d.start)
    past = sorted((d for d in days if d.end < today), key=lambda d: d.start, reverse=True)
    return upcoming, past


def next_action_day(days: Iterable[ActionDay], today: date) -> ActionDay | None:
    """The day under way or coming soonest, if any."""
    upcoming, _past = split_days(days, today)
    return upcoming[0] if upcoming else None


def new_day_id(existing: Iterable[str]) -> str:
    """An id for a user's own day that no other day uses."""
    taken = set(existing)
    n = 1
    while f"mine-{n}" in taken:
        n += 1
    return f"mine-{n}"


def _has_control(text: str, allowed: str) -> bool:
    """Control characters (ESC, BEL…, which would reach a terminal or a calendar as they are)
    and lone surrogates (which cannot be written as UTF-8)."""
    return any(unicodedata.category(c) in ("Cc", "Cs") and c not in allowed for c in text)


def day_problems(title: str, start: date, end: date, details: str = "") -> list[str]:
    """What is wrong with a day the user is adding or editing, in their language.

    The same check guards the store: a day it refuses here could never be shown later.
    """
    problems = []
    if not title.strip():
        problems.append(_("Give the day a title."))
    if len(title) > limits.MAX_SHORT_TEXT or len(details) > limits.MAX_LONG_TEXT:
        problems.append(
            _("The title or the text is too long (at most {title} and {text} characters).").format(
                title=format_number(limits.MAX_SHORT_TEXT), text=format_number(limits.MAX_LONG_TEXT)
            )
        )
    if _has_control(title, "") or _has_control(details, "\n\t"):
        problems.append(_("The title or the text holds a control character, which cannot be kept."))
    if not (limits.day_in_range(start) and limits.day_in_range(end)):
        problems.append(
            _("An action day must be between {earliest} and {latest}.").format(
                earliest=format_day(limits.EARLIEST_DAY), latest=format_day(limits.LATEST_DAY)
            )
        )
    if end < start:
        problems.append(_("The last day cannot be before the first."))
    return problems
