"""Which action days are still to come and which are past."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .campaign import ActionDay


def split_days(days: Iterable[ActionDay], today: date) -> tuple[list[ActionDay], list[ActionDay]]:
    """(upcoming, soonest first; past, most recent first). A day under way counts as upcoming."""
    days = list(days)
    upcoming = sorted((d for d in days if d.end >= today), key=lambda d: d.start)
    past = sorted((d for d in days if d.end < today), key=lambda d: d.start, reverse=True)
    return upcoming, past
