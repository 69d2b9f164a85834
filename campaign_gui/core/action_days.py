"""Which action days are still to come and which are past."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .campaign import ActionDay
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


def day_problems(title: str, start: date, end: date) -> list[str]:
    """What is wrong with a day the user is adding or editing, in their language."""
    problems = []
    if not title.strip():
        problems.append(_("Give the day a title."))
    if end < start:
        problems.append(_("The last day cannot be before the first."))
    return problems
