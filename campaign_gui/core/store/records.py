"""The plain values the store takes in and hands out, and the checks of a value read back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from .. import limits


@dataclass(frozen=True)
class Observation:
    target: str
    observed_at: datetime  # aware, UTC
    likes: int | None  # None: the page gave only its followers
    followers: int | None = None

    def key(self) -> tuple[str, int]:
        return self.target, to_epoch(self.observed_at)


@dataclass(frozen=True)
class ImportResult:
    added: int
    already_present: int


# Per page, the first and last moment (seconds since the epoch) of the counts that arrived.
Spans = dict[str, tuple[int, int]]


class ConflictingObservationError(Exception):
    """An observation at the same instant as a stored one, with other figures."""

    def __init__(
        self, stored: Observation, incoming: Observation, line: int = 0, earlier_line: int = 0
    ) -> None:
        super().__init__(stored)
        self.stored = stored
        self.incoming = incoming
        self.line = line  # where the incoming row came from (a CSV line), if known
        # Where the other count came from when it is an earlier row of the same file (it is
        # then not stored, only read); 0 when it is stored.
        self.earlier_line = earlier_line


# A count as a door reads it: (target, seconds since the epoch, likes, followers, line).
CountRow = tuple[str, int, int | None, int | None, int]
# Counts read in a block, the same five as columns.
CountColumns = tuple[
    Sequence[str], Sequence[int], Sequence[int | None], Sequence[int | None], Sequence[int]
]
# The same five columns, read one index at a time: ``tuple()`` of it is a CountColumns (a feed's
# decoded chunk keeps its counts as numpy arrays until then).
LazyCountColumns = Sequence[Sequence[Any]]


def to_epoch(moment: datetime) -> int:
    """Whole seconds since the epoch (a count is kept to the second)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return int(moment.timestamp() // 1)


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def stored_day(text: object) -> date:
    if not isinstance(text, str):
        raise TypeError(f"not a date: {text!r}")
    day = date.fromisoformat(text)
    if not limits.day_in_range(day):
        raise ValueError(f"day out of range: {day}")
    return day


def stored_text(value: object, longest: int) -> str:
    if not isinstance(value, str) or len(value) > longest:
        raise ValueError("not a text of a valid length")
    return value
