"""A page's stored counts as the loss series read them: three arrays, oldest first.

A reading may carry likes, followers or both (Facebook Pages today give followers only); an
absent figure is ``ABSENT`` in its array, so that a year of readings stays three int64 arrays.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .campaign import LIKES

ABSENT = -1  # a figure the reading does not carry (counts are never negative)


class PageCounts(NamedTuple):
    times: np.ndarray  # int64 seconds since the epoch, oldest first, each once
    likes: np.ndarray  # int64, ABSENT where the reading gave no like count
    followers: np.ndarray  # int64, ABSENT where the reading gave no follower count

    def column(self, measure: str) -> np.ndarray:
        return self.likes if measure == LIKES else self.followers


def no_counts() -> PageCounts:
    empty = np.empty(0, np.int64)
    return PageCounts(empty, empty, empty)


def first_key_wins(found: list[PageCounts]) -> PageCounts:
    """Counts read under several keys as one series: at an instant kept under several, the first
    key's reading (both its figures)."""
    found = [counts for counts in found if len(counts.times)]
    if len(found) <= 1:
        return found[0] if found else no_counts()
    times = np.concatenate([c.times for c in found])
    likes = np.concatenate([c.likes for c in found])
    followers = np.concatenate([c.followers for c in found])
    times, first = np.unique(times, return_index=True)  # sorted; the first key's at a tie
    return PageCounts(times, likes[first], followers[first])
