"""Like counts in and out: CSV import (all or nothing), CSV and JSON export.

CSV columns: ``target,observed_at,likes[,followers]``; times are ISO 8601 with a UTC offset. A
header row is optional; a ``;`` delimiter (what a French spreadsheet writes), a UTF-8 byte order
mark and Arabic-Indic digits (in times and counts alike) are accepted. An error names the line, the
column and the problem, and nothing is stored.
"""

from __future__ import annotations

import csv
import functools
import json
import math
import re
import unicodedata
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import islice
from operator import attrgetter
from pathlib import Path
from typing import IO, Any

from . import limits
from .campaign import Campaign
from .errors import UserError
from .formatting import format_number
from .i18n import _
from .store import (
    ConflictingObservationError,
    CountColumns,
    CountRow,
    ImportResult,
    Observation,
    Store,
    count_columns,
    to_epoch,
)

COLUMNS = ("target", "observed_at", "likes", "followers")
REQUIRED = COLUMNS[:2]  # and a like count, a follower count or both


class CsvError(UserError):
    def __init__(self, line: int, column: str, problem: str, origin: str = "") -> None:
        if column:
            message = _("Line {line}, column “{column}”: {problem}").format(
                line=line, column=column, problem=problem
            )
        else:
            message = _("Line {line}: {problem}").format(line=line, problem=problem)
        super().__init__(message, detail=f"{origin}:{line}:{column}: {problem}")
        self.line = line
        self.column = column


BLOCK_LINES = 500  # lines read and checked at once while every line is a row
_CsvRows = Any  # csv.reader's rows, with their line_num (its type is private)
_TZINFO = attrgetter("tzinfo")
_MICROSECOND = attrgetter("microsecond")
_ABSENT = ()  # a count column the file does not have, or that is empty in every row of a block

_DIGITS = re.compile(r"[0-9٠-٩۰-۹]+")
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


class _Lines:
    """The file's lines for the csv module, each row bounded in size (a 200 MB line is refused
    after reading 4 KB of it, not after holding it all in memory)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.row_size = 0  # of the row being read; the reader sets it back to 0 after each
        self._ahead: deque[str] = deque()  # read, not yet handed out
        # Each call reads one line, or its first MAX_CSV_LINE + 1 characters: enough to tell.
        self._readline = functools.partial(stream.readline, limits.MAX_CSV_LINE + 1)

    def _read(self) -> str:
        line = self._ahead.popleft() if self._ahead else self._readline()
        if len(line) > limits.MAX_CSV_LINE:
            raise _TooLongError
        return line

    def first(self) -> str:
        """The first line, read ahead (to tell the delimiter) but not yet handed out."""
        if not self._ahead:
            self._ahead.append(self._readline())
        return self._ahead[0]

    def take(self, count: int) -> list[str]:
        """Up to ``count`` lines, as read (the reader checks their length); then ``give_back``
        or not."""
        lines = list(self._ahead)
        self._ahead.clear()
        lines += islice(iter(self._readline, ""), count - len(lines))
        return lines

    def give_back(self, lines: list[str]) -> None:
        self._ahead.extendleft(reversed(lines))

    def __iter__(self) -> Iterator[str]:
        line = self._read()
        while line:
            self.row_size += len(line)
            if self.row_size > limits.MAX_CSV_LINE:
                raise _TooLongError
            yield line
            line = self._read()


class _TooLongError(Exception):
    pass


class _CsvReader:
    def __init__(self, stream: IO[str], campaign: Campaign, origin: str, now: datetime) -> None:
        self.campaign = campaign
        self.origin = origin
        self.latest = limits.latest_observation(now)
        self.targets = {t.id for t in campaign.targets}
        self.latest_epoch = self.latest.timestamp()
        self.lines = _Lines(stream)
        self.line = 0
        self.fractional_lines: set[int] = set()  # rows whose time had a fraction of a second
        self.columns: tuple[str, ...] = COLUMNS
        self.delimiter = ","
        self._started = False  # a header is the first row that is not blank, in any column order
        self._index = self._indexes(COLUMNS)

    def fail(self, column: str, problem: str, line: int | None = None) -> CsvError:
        return CsvError(self.line if line is None else line, column, problem, self.origin)

    @staticmethod
    def _indexes(columns: tuple[str, ...]) -> tuple[int, int, int | None, int | None]:
        def where(name: str) -> int | None:
            return columns.index(name) if name in columns else None

        return (
            columns.index("observed_at"),
            columns.index("target"),
            where("likes"),
            where("followers"),
        )

    def blocks(self) -> Iterator[CountColumns]:
        """The file's counts, checked, in blocks (column by column, as the store takes them)."""
        self.line = self.next_line = 1  # where the row being read starts
        try:
            first = self.lines.first()
            self.delimiter = ";" if first.count(";") > first.count(",") else ","
            yield from self._blocks()
            rows = self._each_row(self._csv(self.lines), self.next_line - 1)
            while block := list(islice(rows, BLOCK_LINES)):
                yield count_columns(block)
        except _TooLongError:
            self.line = self.next_line
            # self.line is where the row starts: a quotation mark left open there makes the rest
            # of the file one row.
            raise self.fail(
                "",
                _(
                    "this row is longer than {count} characters (is a quotation mark left open?); "
                    "is this the right file?"
                ).format(count=format_number(limits.MAX_CSV_LINE)),
            ) from None
        except csv.Error as exc:
            # The csv module's own words are English and name no place: say it in the user's
            # language, on the line where the row with the stray quotation mark starts.
            self.line = self.next_line
            problem = _(
                "a quotation mark is misplaced or never closed; values with a comma or a "
                "quotation mark must be written between quotation marks"
            )
            error = self.fail("", problem)
            error.detail += f" ({exc})"
            raise error from exc

    def _csv(self, lines: Iterable[str]) -> _CsvRows:
        return csv.reader(lines, delimiter=self.delimiter, strict=True)

    def _blocks(self) -> Iterator[CountColumns]:
        """The file's lines in blocks while no quotation mark and no overlong line is met:
        each line is then one row, and a block of the usual rows is checked column by column.
        The first block with one is given back, for the rest to be read row by row (a quoted
        value may span lines)."""
        while block := self.lines.take(BLOCK_LINES):
            if '"' in "".join(block) or max(map(len, block)) > limits.MAX_CSV_LINE:
                self.lines.give_back(block)
                return
            try:
                rows = list(self._csv(block))
            except csv.Error:  # said row by row, on its line
                self.lines.give_back(block)
                return
            start = self.next_line
            counted = self._usual_rows(rows, start) if self._started else None
            if counted is None:
                each = list(self._each_row(self._csv(block), start - 1))
                counted = count_columns(each) if each else None
            if counted is not None:
                yield counted
            self.line = self.next_line = start + len(block)

    def _each_row(self, rows: _CsvRows, before: int) -> Iterator[CountRow]:
        """Row by row, each checked (``before``: how many lines of the file came before)."""
        for row in rows:
            self.line, self.next_line = self.next_line, before + rows.line_num + 1
            self.lines.row_size = 0
            counted = self._usual_row(row) if self._started else None
            if counted is None:
                row = _without_trailing_blanks(row)
                if not row:
                    continue
                if not self._started:
                    self._started = True
                    if "target" in (cell.strip().lower() for cell in row):
                        self._header(row)
                        continue
                    if not any(map(_starts_with_a_digit, row)):
                        # a row of counts has a value that starts with a digit (its time, its
                        # count), whatever else is wrong with it: a header written in another
                        # language ("cible;date (UTC+1);j'aime")
                        raise self.fail(
                            "",
                            _(
                                "this first line reads as a header, but its columns are not "
                                "named as the app names them: {columns} (in English, whatever "
                                "the app's language)"
                            ).format(columns=", ".join(COLUMNS)),
                        )
                counted = self._count_row(row)
            yield counted
        self.line = self.next_line

    def _usual_rows(self, rows: list[list[str]], first_line: int) -> CountColumns | None:
        """A block of one-line rows read the short way, column by column, if every row is the
        usual (``_usual_row``); ``None`` if any is not, for ``_each_row`` to name it."""
        width = len(self.columns)
        if not rows or set(map(len, rows)) != {width}:
            return None
        columns = list(zip(*rows, strict=True))
        at, it, il, ifo = self._index
        targets, times = columns[it], columns[at]
        likes = _counts(columns[il]) if il is not None else _ABSENT
        followers = _counts(columns[ifo]) if ifo is not None else _ABSENT
        if (
            likes is None
            or followers is None
            or (likes is _ABSENT and followers is _ABSENT)
            or not self.targets.issuperset(targets)
        ):
            return None
        try:
            moments = list(map(datetime.fromisoformat, times))
            seconds = list(map(datetime.timestamp, moments))
        except (ValueError, OverflowError):
            return None
        if (
            None in map(_TZINFO, moments)
            or any(map(_MICROSECOND, moments))
            or min(seconds) < limits.EARLIEST_EPOCH
            or max(seconds) > self.latest_epoch
        ):
            return None
        absent = [None] * len(rows)
        return (
            targets,
            list(map(int, seconds)),
            absent if likes is _ABSENT else list(map(int, likes)),
            absent if followers is _ABSENT else list(map(int, followers)),
            range(first_line, first_line + len(rows)),
        )

    def _usual_row(self, row: list[str]) -> CountRow | None:
        """The row most files are made of, read the short way: every column there, nothing to
        trim, a time in range and plain digits. ``None`` for any other row, which
        ``_count_row`` reads with the checks that name what is wrong."""
        if len(row) != len(self.columns):
            return None
        at, it, il, ifo = self._index
        target, when = row[it], row[at]
        likes = row[il] if il is not None else ""
        followers = row[ifo] if ifo is not None else ""
        if (
            target not in self.targets
            or not (likes or followers)
            or (likes and not (likes.isdigit() and likes.isascii() and len(likes) <= 12))
            or (followers and not (followers.isdigit() and followers.isascii()))
            or len(followers) > 12
        ):
            return None
        try:
            moment = datetime.fromisoformat(when)
            seconds = moment.timestamp()
        except (ValueError, OverflowError):
            return None
        if (
            moment.tzinfo is None
            or moment.microsecond
            or not limits.EARLIEST_EPOCH <= seconds <= self.latest_epoch
        ):
            return None
        return (
            target,
            int(seconds),
            int(likes) if likes else None,
            int(followers) if followers else None,
            self.line,
        )

    def _header(self, row: list[str]) -> None:
        names = tuple(cell.strip().lower() for cell in row)
        for name in names:
            if name not in COLUMNS:
                raise self.fail(
                    name,
                    _("unknown column; the columns are {columns}").format(
                        columns=", ".join(COLUMNS)
                    ),
                )
        for name in REQUIRED:
            if name not in names:
                raise self.fail(name, _("this column is missing from the header"))
        if len(set(names)) != len(names):
            raise self.fail("", _("a column appears twice in the header"))
        self.columns = names
        self._index = self._indexes(names)

    def _count_row(self, row: list[str]) -> CountRow:
        """One row, checked: (target, seconds since the epoch, likes, followers, line). The
        common case takes a short path; anything unusual goes through the checks that name
        the problem."""
        if len(row) > len(self.columns):
            raise self.fail(
                "",
                _("{count} values where at most {expected} were expected").format(
                    count=len(row), expected=len(self.columns)
                ),
            )
        width = len(row)
        at, it, il, ifo = self._index
        target = row[it].strip() if it < width else ""
        when = row[at].strip() if at < width else ""
        likes_text = row[il].strip() if il is not None and il < width else ""
        followers_text = row[ifo].strip() if ifo is not None and ifo < width else ""
        if not target:
            raise self.fail("target", _("this value is missing"))
        if not when:
            raise self.fail("observed_at", _("this value is missing"))
        if target not in self.targets:
            raise self.fail(
                "target",
                _("“{target}” is not one of the campaign's pages ({targets})").format(
                    target=_clip(target), targets=", ".join(sorted(self.targets))
                ),
            )
        if not likes_text and not followers_text:
            raise self.fail("likes", _("a like count or a follower count is needed"))
        return (
            target,
            self._seconds(when),
            self._count("likes", likes_text) if likes_text else None,
            self._count("followers", followers_text) if followers_text else None,
            self.line,
        )

    def _seconds(self, text: str) -> int:
        """Seconds since the epoch (a count is kept to the second)."""
        try:
            moment = datetime.fromisoformat(western_digits(text))
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            try:
                seconds = moment.timestamp()
            except OverflowError:  # year 9999 with a negative offset: the checks below say so
                seconds = math.inf
            if limits.EARLIEST_EPOCH <= seconds <= self.latest_epoch:
                if moment.microsecond:
                    self.fractional_lines.add(self.line)
                return int(seconds // 1)
        return to_epoch(self._moment(text))  # the message naming what is wrong

    def _moment(self, text: str) -> datetime:
        try:
            moment = datetime.fromisoformat(western_digits(text))
        except ValueError:
            raise self.fail(
                "observed_at",
                _("“{value}” is not a date and time like 2016-02-27T09:30:00+01:00").format(
                    value=_clip(text)
                ),
            ) from None
        if moment.tzinfo is None:
            raise self.fail(
                "observed_at",
                _("“{value}” has no UTC offset; add one, like +01:00 or Z").format(
                    value=_clip(text)
                ),
            )
        try:
            moment = moment.astimezone(UTC)
        except OverflowError:
            moment = limits.LATEST  # year 9999 with an offset: past any valid instant
        if not limits.EARLIEST <= moment <= self.latest:
            raise self.fail(
                "observed_at",
                _(
                    "“{value}” is outside the times a page count can have "
                    "(from {earliest} until now)"
                ).format(value=_clip(text), earliest=limits.EARLIEST.date().isoformat()),
            )
        return moment

    def _count(self, column: str, text: str) -> int:
        if text.isascii() and text.isdigit() and len(text) <= 12:  # the usual: 0 … 10^12 - 1
            return int(text)
        if text.startswith("-") and text[1:].isdigit():
            raise self.fail(column, _("cannot be negative"))
        # Western digits, or the Arabic ones a Darija spreadsheet may use (٣٠٠ is 300); leading
        # zeros are fine; a number of more than 30 digits is too large before it is read.
        if not _DIGITS.fullmatch(text):
            raise self.fail(column, _("“{value}” is not a whole number").format(value=_clip(text)))
        if len(text) > 30:
            raise self._too_large(column)
        value = int(western_digits(text))
        if not limits.count_in_range(value):
            raise self._too_large(column)
        return value

    def _too_large(self, column: str) -> CsvError:
        return self.fail(
            column,
            _("is too large (at most {count})").format(count=format_number(limits.MAX_COUNT)),
        )


def western_digits(text: str) -> str:
    """``text`` with its Arabic-Indic digits (٠-٩, and the Eastern ۰-۹ of Persian keyboards) as
    0-9, in a date as in a count: a Darija spreadsheet may write either, and a file is read the
    same whichever it uses. Other scripts' digits are left as they are (and refused)."""
    return text if text.isascii() else text.translate(_ARABIC_DIGITS)


def _starts_with_a_digit(cell: str) -> bool:
    return bool(_DIGITS.match(cell.strip().lstrip("+-")))


def _clip(text: str, longest: int = 40) -> str:
    """A value quoted back to the user: cut short if it is long, control characters shown as
    escapes (an ESC from a file must not reach the user's terminal)."""
    text = text if len(text) <= longest else text[: longest - 1] + "…"
    return "".join(f"\\x{ord(c):02x}" if unicodedata.category(c) == "Cc" else c for c in text)


def _counts(column: tuple[str, ...]) -> tuple[str, ...] | None:
    """A count column of a block read the short way: ``_ABSENT`` if empty in every row, the
    column if every value is plain digits (at most 12), ``None`` otherwise (a row to check)."""
    if not any(column):
        return _ABSENT
    joined = "".join(column)
    if "" in column or not (joined.isdigit() and joined.isascii()):
        return None
    return column if max(map(len, column)) <= 12 else None


def _without_trailing_blanks(row: list[str]) -> list[str]:
    """A spreadsheet adds empty columns at the end of rows: they are not values."""
    while row and not row[-1].strip():
        row = row[:-1]
    return row


def import_csv(store: Store, campaign: Campaign, path: Path, now: datetime) -> ImportResult:
    """Import a CSV of like counts into ``store``: every row, or none if any row is wrong.

    ``now`` bounds the times: a like count cannot have been read in the future.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            return read_csv_into(store, campaign, stream, str(path), now)
    except UnicodeDecodeError as exc:
        raise UserError(
            _("{path} is not UTF-8 text. Save it as “CSV UTF-8” and try again.").format(path=path),
            detail=f"{path}: {exc.reason} at byte {exc.start}",  # not the bytes themselves
        ) from exc
    except FileNotFoundError as exc:
        raise UserError(
            _("{path} does not exist.").format(path=path), detail=f"{path}: {exc!r}"
        ) from exc
    except OSError as exc:
        raise UserError(
            _("Cannot read {path}.").format(path=path), detail=f"{path}: {exc!r}"
        ) from exc


def read_csv_into(
    store: Store, campaign: Campaign, stream: IO[str], origin: str, now: datetime
) -> ImportResult:
    reader = _CsvReader(stream, campaign, origin, now)
    try:
        return store.ingest_columns(campaign.id, reader.blocks())
    except ConflictingObservationError as exc:
        other = exc.stored
        counted = (
            _("{likes} likes").format(likes=format_number(other.likes))
            if other.likes is not None
            else _("{followers} followers").format(followers=format_number(other.followers or 0))
        )
        # In the campaign's zone, as its participants write their times (not in UTC).
        moment = other.observed_at.astimezone(campaign.zone).isoformat()
        if exc.earlier_line:
            problem = _(
                "line {line} gives a different count for {target} at the same moment "
                "({counted}); nothing was imported"
            ).format(line=exc.earlier_line, target=other.target, counted=counted)
        else:
            problem = _(
                "a different count for {target} at {moment} is already stored "
                "({counted}); nothing was imported"
            ).format(target=other.target, moment=moment, counted=counted)
        if {exc.line, exc.earlier_line} & reader.fractional_lines:
            problem += " " + _(
                "(times are kept to the second, so two rows in the same second are the same moment)"
            )
        column = "likes" if other.likes != exc.incoming.likes else "followers"
        raise reader.fail(column, problem, exc.line) from exc


def _campaign_counts(
    store: Store, campaign: Campaign, keys: Sequence[str] | None
) -> Iterator[Observation]:
    """The stored counts of the campaign's own pages, as shown (``Workspace.shown_keys``, its
    own counts only unless given): what an import of the export accepts."""
    pages = {t.id for t in campaign.targets}
    return (obs for obs in store.observations(*(keys or (campaign.id,))) if obs.target in pages)


def write_csv(
    store: Store, campaign: Campaign, out: IO[str], keys: Sequence[str] | None = None
) -> int:
    """Write every like count as CSV that ``import_csv`` reads back unchanged."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    n = 0
    for obs in _campaign_counts(store, campaign, keys):
        writer.writerow(
            (
                obs.target,
                obs.observed_at.isoformat(),
                "" if obs.likes is None else obs.likes,
                "" if obs.followers is None else obs.followers,
            )
        )
        n += 1
    return n


def write_json(
    store: Store, campaign: Campaign, out: IO[str], keys: Sequence[str] | None = None
) -> int:
    """The campaign's reported losses (in its measure) and its pages' counts (likes and
    followers) as one JSON document."""
    reports = [
        {
            "id": r.id,
            "target": r.target or None,
            "start": r.start.isoformat(),
            "end": r.end.isoformat(),
            "loss": r.loss,
            "loss_percent": r.loss_percent,
            "qualifier": r.qualifier,
            "sources": [{**s.as_document(), "url": s.url or None} for s in r.sources],
            "note": dict(r.note),
            "date_given": r.date_given,
        }
        for r in campaign.reports
    ]
    out.write('{"format": "campaign-companion/observations", "version": 1, ')
    # What the reports' losses count: the campaign's measure (likes where it names none).
    measure = campaign.measure or "likes"
    out.write(f'"campaign": {json.dumps(campaign.id)}, "measure": {json.dumps(measure)}, ')
    out.write('"reports": ')
    out.write(json.dumps(reports, ensure_ascii=False))
    out.write(', "observations": [')
    n = 0
    for obs in _campaign_counts(store, campaign, keys):
        out.write(",\n" if n else "\n")
        record = {
            "target": obs.target,
            "observed_at": obs.observed_at.isoformat(),
            "likes": obs.likes,
            "followers": obs.followers,
        }
        out.write(json.dumps(record))
        n += 1
    out.write("\n]}\n")
    return n
