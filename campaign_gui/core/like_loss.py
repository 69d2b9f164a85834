"""Loss series: how many likes, or followers, each page lost since the campaign started.

A campaign has a measure (``Campaign.measure``): the 2016 campaign's press figures are likes, and
a campaign tracked today counts followers (Facebook Pages no longer show likes). A page's line
holds one measure only: its readings that carry the page's measure make its line, and readings
that carry only the other figure make a second line, never joined to the first.

A line mixes two kinds of points: figures the press reported (known to the day, with their
sources) and losses computed from counts (``baseline - count``). The baseline is the last count
at or before the campaign's start (noon of its first day in the campaign's zone); the start
itself is then a point at zero: the loss is zero by definition there, which is not an invented
figure. Where no count is that early, the line is the change since tracking began (``since``:
the first count, at zero), never joined to the press's figures, which count from the start.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from .campaign import FOLLOWERS, LIKES, Campaign, Report, Source
from .page_counts import ABSENT, PageCounts, no_counts

ALL_TARGETS = ""


@dataclass(frozen=True)
class PointInfo:
    """What the graph's read-out says about a point that is not a plain count."""

    kind: str  # "start" or "report"
    start: date
    end: date
    qualifier: str = "exact"
    sources: tuple[Source, ...] = ()
    note: Mapping[str, str] = field(default_factory=dict)
    loss_percent: float | None = None
    date_given: bool = True  # False: the report does not say which day (``Report.date_given``)


@dataclass
class LossSeries:
    target: str
    times: np.ndarray  # float64 seconds since the epoch, oldest first
    losses: np.ndarray  # float64
    info: dict[int, PointInfo]  # index in the arrays -> what is known about that point
    percent_only: list[PointInfo] = field(default_factory=list)
    baseline: int | None = None  # the count the losses are counted from (None: no counts)
    measure: str = LIKES  # what the line counts: likes or followers
    since: float | None = None  # no count before the start: the change since this first count

    def __len__(self) -> int:
        return len(self.times)

    def latest(self) -> tuple[float, float, PointInfo | None] | None:
        """The most recent point after the campaign's start: (time, loss, info). A count
        before the start is the baseline's side of it, never a figure of the campaign."""
        start = next((i for i, info in self.info.items() if info.kind == "start"), -1)
        last = len(self.times) - 1
        if last <= start:
            return None
        return float(self.times[last]), float(self.losses[last]), self.info.get(last)

    def line_through(self, skipped: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """The series as a line that does not go through the points at ``skipped`` (indices):
        from the first point kept to the last, and at a skipped point's instant where the kept
        points on either side put it, so the line drawn is the one through the kept points.

        The times are a view of the series' own and the values one copy: a year of counts is
        a million points, and the line is what the graph keeps of them besides the series."""
        skip = set(skipped)
        first, last = 0, len(self.times) - 1
        while first in skip:
            first += 1
        while last in skip:
            last -= 1
        values = self.losses[first : last + 1].copy()
        for i in skipped:
            if first < i < last:
                left, right = i - 1, i + 1
                while left in skip:
                    left -= 1
                while right in skip:
                    right += 1
                sides = [self.times[left], self.times[right]]
                between = np.interp(self.times[i], sides, [self.losses[left], self.losses[right]])
                values[i - first] = between
        return self.times[first : last + 1], values


def reports_apart(line: LossSeries) -> list[int]:
    """The points of a line drawn as marks of their own beside it, not joined by it (the
    window's graph and the shared picture alike): its reports, when it has counts too (a line
    through both would zigzag between a rounded report and an exact count); else the reports
    that do not say which day they are for (``date_given``: a line through one would pin it to
    the day it is shown at), and the reports of a moment that another report gives a higher
    figure for (two sources for the first day): the line goes through the highest, as a line
    joining them would read as a sudden jump."""
    reported = [i for i, info in line.info.items() if info.kind == "report"]
    if len(line) > len(line.info):
        return reported
    highest: dict[float, int] = {}
    for i in reported:
        moment = float(line.times[i])
        if not line.info[i].date_given:
            continue
        if moment not in highest or line.losses[i] > line.losses[highest[moment]]:
            highest[moment] = i
    return [i for i in reported if highest.get(float(line.times[i])) != i]


def reports_measure(campaign: Campaign) -> str:
    """What the campaign's reported figures count: its measure, likes when it names none."""
    return campaign.measure or LIKES


def page_measure(campaign: Campaign, counts: PageCounts) -> str:
    """The measure a page's line counts: the campaign's; where it names none, likes unless no
    reading of the page carries a like count (a page as Facebook counts it today). It changes
    only once, if ever: when a page of followers gives its first like count."""
    if campaign.measure:
        return campaign.measure
    if len(counts.times) and not (counts.likes != ABSENT).any():
        return FOLLOWERS
    return LIKES


def line_key(target: str, measure: str, own: str, apart: bool = False) -> str:
    """The key of a page's line: the page's id for the line of its own measure ``own`` (the
    reports' where it has reports, else the page's measure), "page:measure" for the other, and
    "page:measure:since" for counts of its own measure that begin after the start, kept apart
    from its reports (which count from the start)."""
    if measure != own:
        return f"{target}:{measure}"
    return f"{target}:{measure}:since" if apart else target


def page_lines(series: Mapping[str, LossSeries], target: str) -> list[LossSeries]:
    """A page's lines: its own first (the reports' measure), then its other counts' lines."""
    return [line for key, line in series.items() if key != ALL_TARGETS and line.target == target]


def headline(series: Mapping[str, LossSeries], target: str) -> LossSeries | None:
    """The line that speaks for a page where one figure is shown (cards, glance, picture): its
    own (the press's figures are never hidden by tracked counts), else its most recent."""
    own = series.get(target)
    if own is not None and own.latest() is not None:
        return own
    lines = page_lines(series, target)
    dated = [(at[0], line) for line in lines if (at := line.latest()) is not None]
    return max(dated, key=lambda pair: pair[0])[1] if dated else own


def graph_measure(series: Mapping[str, LossSeries]) -> str:
    """What a graph of ``series`` counts: "likes", "followers" or "both" (likes when empty),
    from the lines that have a figure."""
    measures = {line.measure for line in series.values() if line.latest() is not None}
    if measures == {FOLLOWERS}:
        return FOLLOWERS
    return "both" if len(measures) > 1 else LIKES


def build_series(
    campaign: Campaign,
    reports: Iterable[Report],
    counts: Mapping[str, PageCounts],
) -> dict[str, LossSeries]:
    """The lines of every page (in the campaign's order), plus one for figures covering them all.

    ``counts`` maps a page to its readings (``PageCounts``). Each page has its line keyed by its
    id (the reports' measure, with the start and the reports); its counts of the other measure,
    or of that one beginning after the start, are lines of their own (``line_key``). The
    all-pages line is present only when some report covers every page.
    """
    start_at = campaign.start_instant().timestamp()
    start_info = PointInfo(
        kind="start", start=campaign.start, end=campaign.start, note=campaign.start_note
    )
    by_target: dict[str, list[Report]] = {t.id: [] for t in campaign.targets}
    for report in reports:
        by_target.setdefault(report.target, []).append(report)
    reported = reports_measure(campaign)

    series: dict[str, LossSeries] = {}
    for target, target_reports in by_target.items():
        if target == ALL_TARGETS and not target_reports:
            continue
        points: list[tuple[float, float, PointInfo]] = []
        percent_only = []
        for r in target_reports:
            info = PointInfo(
                kind="report",
                start=r.start,
                end=r.end,
                qualifier=r.qualifier,
                sources=r.sources,
                note=r.note,
                loss_percent=r.loss_percent,
                date_given=r.date_given,
            )
            if r.loss is None:
                percent_only.append(info)
                continue
            midpoint = r.start + (r.end - r.start) / 2
            points.append((campaign.local_noon(midpoint).timestamp(), float(r.loss), info))
        start_point = (start_at, 0.0, start_info)
        page = counts.get(target, no_counts())
        main = page_measure(campaign, page)
        in_main = page.column(main) != ABSENT
        groups = [(main, in_main), (FOLLOWERS if main == LIKES else LIKES, ~in_main)]
        own = reported if points else main  # the measure of the line keyed by the page
        lines: dict[str, LossSeries] = {}
        for measure, chosen in groups:
            if not chosen.any():
                continue
            values = page.column(measure)
            baseline, since = _baseline(page.times, values, start_at)
            apart = measure == own and since is not None and bool(points)
            key = line_key(target, measure, own, apart)
            marked = [] if since is not None else [start_point]
            if key == target:
                marked += points
            if not chosen.all():  # a page's every reading, the usual: no copy of a year's
                values = values[chosen]
            times = page.times if chosen.all() else page.times[chosen]
            lines[key] = _line(target, measure, marked, times, values, baseline, since)
        if target not in lines:  # no counts of its own measure: the start and the reports
            lines = {target: _line(target, own, [start_point, *points]), **lines}
        lines[target].percent_only = percent_only
        series.update(lines)
        del page, in_main, groups  # once merged, a page's raw counts are let go
    return series


def _line(
    target: str,
    measure: str,
    marked: list[tuple[float, float, PointInfo]],
    count_times: np.ndarray | None = None,
    counts: np.ndarray | None = None,
    baseline: int | None = None,
    since: float | None = None,
) -> LossSeries:
    """One line: its marked points (the start, reports) and its counts, merged in time order."""
    if count_times is None or counts is None:
        count_times = counts = np.empty(0, np.int64)
    times, losses, positions = _merged(
        [m[0] for m in marked], [m[1] for m in marked], count_times, counts, baseline
    )
    return LossSeries(
        target=target,
        times=times,
        losses=losses,
        info={positions[i]: m[2] for i, m in enumerate(marked)},
        baseline=baseline,
        measure=measure,
        since=since,
    )


def _merged(
    times: list[float],
    losses: list[float],
    count_times: np.ndarray,
    likes: np.ndarray,
    baseline: int | None,
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """The few points given as lists and a page's counts (oldest first) in one order, by time
    and at the same instant by loss (a listed point before a count of the same loss), and where
    each listed point went.

    Written straight into the two arrays kept: a year of counts is a million points a page, and
    a sort of them, or any other array their size, would hold as much memory again."""
    order = sorted(range(len(times)), key=lambda i: (times[i], losses[i]))
    total = len(count_times) + len(order)
    out_times, out_losses = np.empty(total, np.float64), np.empty(total, np.float64)
    positions = [0] * len(order)
    baseline = baseline or 0  # no counts: only the listed points
    done = 0  # counts written so far
    for written, i in enumerate(order):
        cut = int(np.searchsorted(count_times, times[i], "left"))
        while (
            cut < len(count_times)
            and count_times[cut] == times[i]
            and baseline - likes[cut] < losses[i]
        ):
            cut += 1
        out_times[done + written : cut + written] = count_times[done:cut]
        np.subtract(baseline, likes[done:cut], out=out_losses[done + written : cut + written])
        positions[i] = cut + written
        out_times[cut + written], out_losses[cut + written] = times[i], losses[i]
        done = cut
    out_times[done + len(order) :] = count_times[done:]
    np.subtract(baseline, likes[done:], out=out_losses[done + len(order) :])
    return out_times, out_losses, positions


def splice_counts(
    series: LossSeries, first: int, last: int, times: np.ndarray, likes: np.ndarray
) -> LossSeries:
    """``series`` with its counts from ``first`` to ``last`` replaced by ``times``, ``likes``
    (the page's counts in that span, oldest first), as ``build_series`` would give it with all
    of them: only that span is sorted, the rest is copied. The baseline must be the same."""
    if series.baseline is None:
        raise ValueError("a series without counts is built, not spliced")
    lo = int(np.searchsorted(series.times, first, side="left"))
    hi = int(np.searchsorted(series.times, last, side="right"))
    # The span's marked points (the start, reports) stay; its counts go.
    marked = sorted(i for i in series.info if lo <= i < hi)
    span_times = np.concatenate([series.times[marked], times.astype(np.float64)])
    span_losses = np.concatenate([series.losses[marked], _losses(likes, series.baseline)])
    order = np.lexsort((span_losses, span_times))  # stable: marked points first at a tie
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    moved = len(order) - (hi - lo)
    info = {}
    for i, point in series.info.items():
        if i < lo:
            info[i] = point
        elif i >= hi:
            info[i + moved] = point
    for k, i in enumerate(marked):
        info[lo + int(position[k])] = series.info[i]
    return replace(
        series,
        times=np.concatenate([series.times[:lo], span_times[order], series.times[hi:]]),
        losses=np.concatenate([series.losses[:lo], span_losses[order], series.losses[hi:]]),
        info=info,
    )


def _baseline(
    times: np.ndarray, values: np.ndarray, start_at: float
) -> tuple[int | None, float | None]:
    """A line's baseline among a page's readings of one measure (``ABSENT`` where a reading
    lacks it): the last at or before the start, else the first, with its instant (the change
    is then counted since it). (None, None): no reading carries it."""
    given = np.flatnonzero(values != ABSENT)
    if len(given) == 0:
        return None, None
    before = int(np.searchsorted(times[given], start_at, side="right")) - 1
    if before >= 0:
        return int(values[given[before]]), None
    return int(values[given[0]]), float(times[given[0]])


def _losses(likes: np.ndarray, baseline: int | None) -> np.ndarray:
    if baseline is None:
        return np.empty(0, np.float64)
    return (baseline - likes).astype(np.float64)
