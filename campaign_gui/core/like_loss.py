"""Like-loss series: how many likes each page lost since the campaign started.

A series mixes two kinds of points: figures the press reported (known to the day, with their
sources) and losses computed from like counts (``baseline - likes``). The baseline is the last count
at or before the campaign's start (noon of its first day in the campaign's zone), or the first count
when none is that early. The campaign's start itself is a point at zero: the loss is zero by
definition there, which is not an invented figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from .campaign import Campaign, Report, Source

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


@dataclass
class LossSeries:
    target: str
    times: np.ndarray  # float64 seconds since the epoch, oldest first
    losses: np.ndarray  # float64
    info: dict[int, PointInfo]  # index in the arrays -> what is known about that point
    percent_only: list[PointInfo] = field(default_factory=list)
    baseline: int | None = None  # the count the losses are counted from (None: no counts)

    def __len__(self) -> int:
        return len(self.times)

    def latest(self) -> tuple[float, float, PointInfo | None] | None:
        """The most recent point that is not the campaign's start: (time, loss, info)."""
        for i in range(len(self.times) - 1, -1, -1):
            info = self.info.get(i)
            if info is None or info.kind != "start":
                return float(self.times[i]), float(self.losses[i]), info
        return None

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


def build_series(
    campaign: Campaign,
    reports: Iterable[Report],
    counts: Mapping[str, tuple[np.ndarray, np.ndarray]],
) -> dict[str, LossSeries]:
    """One series per target (in the campaign's order), plus one for figures covering all of them.

    ``counts`` maps a target to its like counts as (seconds since the epoch, likes), oldest first.
    The all-targets series is present only when some report covers every target.
    """
    start_at = campaign.start_instant().timestamp()
    start_info = PointInfo(
        kind="start", start=campaign.start, end=campaign.start, note=campaign.start_note
    )
    by_target: dict[str, list[Report]] = {t.id: [] for t in campaign.targets}
    for report in reports:
        by_target.setdefault(report.target, []).append(report)

    series: dict[str, LossSeries] = {}
    for target, target_reports in by_target.items():
        if target == ALL_TARGETS and not target_reports:
            continue
        times = [start_at]
        losses = [0.0]
        infos: list[PointInfo | None] = [start_info]
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
            )
            if r.loss is None:
                percent_only.append(info)
                continue
            midpoint = r.start + (r.end - r.start) / 2
            times.append(campaign.local_noon(midpoint).timestamp())
            losses.append(float(r.loss))
            infos.append(info)

        count_times, likes = counts.get(target, (np.empty(0), np.empty(0)))
        baseline = _baseline(count_times, likes, start_at)
        all_times, all_losses, positions = _merged(times, losses, count_times, likes, baseline)
        del count_times, likes  # once merged, a page's raw counts are let go
        series[target] = LossSeries(
            target=target,
            times=all_times,
            losses=all_losses,
            info={positions[i]: point for i, point in enumerate(infos) if point is not None},
            percent_only=percent_only,
            baseline=baseline,
        )
    return series


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


def counts_baseline(campaign: Campaign, times: np.ndarray, likes: np.ndarray) -> int | None:
    """The count a page's losses are counted from, among its counts (or the few of them that
    hold it: ``Store.like_count_ends``)."""
    return _baseline(times, likes, campaign.start_instant().timestamp())


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
    return LossSeries(
        target=series.target,
        times=np.concatenate([series.times[:lo], span_times[order], series.times[hi:]]),
        losses=np.concatenate([series.losses[:lo], span_losses[order], series.losses[hi:]]),
        info=info,
        percent_only=series.percent_only,
        baseline=series.baseline,
    )


def _baseline(times: np.ndarray, likes: np.ndarray, start_at: float) -> int | None:
    """The last count at or before the start, else the first (None: no counts)."""
    if len(likes) == 0:
        return None
    before = np.searchsorted(times, start_at, side="right") - 1
    return int(likes[before] if before >= 0 else likes[0])


def _losses(likes: np.ndarray, baseline: int | None) -> np.ndarray:
    if baseline is None:
        return np.empty(0, np.float64)
    return (baseline - likes).astype(np.float64)
