"""When the sync and the tracker try again: the interval after a run that worked, a back-off
after failures (about 1, 2, 4 … 60 minutes, jittered), never sooner than a server asks, never
more than a day. Drawn from a given random source, so every wait here is exact."""

from __future__ import annotations

import random
from datetime import timedelta

from campaign_gui.core.retry import MAX_WAIT, backoff, next_wait


class Highest(random.Random):
    """A random source that always draws the top of the range: the back-off's ceiling."""

    def uniform(self, a: float, b: float) -> float:
        return b


class Lowest(random.Random):
    def uniform(self, a: float, b: float) -> float:
        return a


def test_the_back_off_doubles_from_a_minute_up_to_an_hour():
    assert [backoff(n, Highest()) for n in range(1, 9)] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]
    assert backoff(10**6, Highest()) == 3600  # no overflow, however many failures
    assert backoff(0, Highest()) == 60  # no failure yet counts as the first


def test_the_back_off_is_drawn_between_half_and_all_of_its_ceiling():
    assert [backoff(n, Lowest()) for n in (1, 2, 7)] == [30, 60, 1800]
    rng = random.Random(7)
    first = [backoff(1, rng) for _ in range(50)]
    assert all(30 <= w <= 60 for w in first) and len(set(first)) > 40  # apps not in step


def test_after_a_run_that_worked_the_next_is_the_interval():
    assert next_wait(timedelta(minutes=15)) == timedelta(minutes=15)
    assert next_wait(timedelta(minutes=15), 0, Highest()) == timedelta(minutes=15)


def test_after_failures_the_back_off_replaces_the_interval():
    interval = timedelta(minutes=15)
    assert next_wait(interval, 1, Highest()) == timedelta(minutes=1)  # sooner than the interval
    assert next_wait(interval, 2, Highest()) == timedelta(minutes=2)
    assert next_wait(interval, 9, Highest()) == timedelta(hours=1)  # then less often
    assert next_wait(timedelta(hours=3), 9, Highest()) == timedelta(hours=1)


def test_the_same_random_source_draws_the_same_waits():
    one = [next_wait(timedelta(minutes=15), n, random.Random(3)) for n in range(1, 6)]
    two = [next_wait(timedelta(minutes=15), n, random.Random(3)) for n in range(1, 6)]
    assert one == two


def test_a_server_asking_for_longer_wins_but_never_beyond_a_day():
    interval = timedelta(minutes=10)
    assert next_wait(interval, asked=timedelta(minutes=2)) == interval
    assert next_wait(interval, asked=timedelta(minutes=40)) == timedelta(minutes=40)
    assert next_wait(interval, 1, Highest(), asked=timedelta(minutes=40)) == timedelta(minutes=40)
    assert next_wait(interval, asked=timedelta(days=30)) == MAX_WAIT == timedelta(days=1)
    assert next_wait(timedelta(days=3)) == MAX_WAIT
