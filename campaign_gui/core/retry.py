"""When to try again: the one back-off and interval policy of the feed's sync and the tracker.

Pure rules, no clock: the caller says how many runs in a row failed and gives the random source,
so a test draws the same waits every time.
"""

from __future__ import annotations

import random
from datetime import timedelta

MAX_BACKOFF = 60 * 60.0  # seconds: after many failures, an attempt an hour
# However long a server asks, look again after a day (the next answer says what is left); a
# longer sleep would outlast the user's attention, and a Qt timer's range (about 24.8 days).
MAX_WAIT = timedelta(days=1)


def backoff(failures: int, rng: random.Random) -> float:
    """Seconds before trying again after ``failures`` failures in a row: about 1, 2, 4 … up to
    60 minutes, each drawn between half and all of that so many apps do not retry in step."""
    ceiling = min(MAX_BACKOFF, 60.0 * 2 ** max(0, min(failures - 1, 16)))
    return rng.uniform(ceiling / 2, ceiling)


def next_wait(
    interval: timedelta,
    failures: int = 0,
    rng: random.Random | None = None,
    *,
    asked: timedelta = timedelta(0),
) -> timedelta:
    """How long until the next run.

    After a run that worked (``failures`` 0): the interval. After ``failures`` in a row: the
    back-off instead, so a short outage is tried again sooner than a long interval, and a long
    one less and less often. Never sooner than a server ``asked``; never more than a day.
    """
    if failures > 0:
        wait = timedelta(seconds=backoff(failures, rng or random.Random()))
    else:
        wait = interval
    return min(max(wait, asked), MAX_WAIT)
