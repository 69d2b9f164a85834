"""What the shared picture of the graph says, decided without Qt: its texts, figures and axes.

``ui/share_image.py`` draws a ``ShareCard``; keeping the choice of texts here lets tests check them
(in the pseudo-language, every sentence must come from the catalog) without drawing anything.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

import numpy as np

from .campaign import Campaign
from .errors import UserError
from .formatting import DAY, format_axis_tick, format_number
from .i18n import _, is_right_to_left, pick
from .like_loss import LossSeries, graph_measure, headline, reports_apart
from .loss_words import describe_line

# Sizes social networks show without cropping: a wide post (X, Facebook, LinkedIn) and a square one.
SHARE_SIZES: dict[str, tuple[int, int]] = {"1200x675": (1200, 675), "1080x1080": (1080, 1080)}
DEFAULT_SHARE_SIZE = "1200x675"


def parse_share_size(text: str) -> tuple[int, int]:
    """``"1200x675"`` (or ``1200×675``) as (width, height); only the sizes in SHARE_SIZES."""
    key = re.sub(r"\s+", "", text).lower().replace("×", "x")
    if key not in SHARE_SIZES:
        raise UserError(
            _("The picture can be {wide} or {square} pixels, not {size}.").format(
                wide="1200x675", square="1080x1080", size=text
            ),
            detail=f"share image size {text!r}",
        )
    return SHARE_SIZES[key]


@dataclass(frozen=True)
class CardFigure:
    """One operator's latest figure, as its card in the window shows it."""

    target_id: str
    index: int  # the operator's place in the campaign: its colour and marker
    name: str
    figure: str  # "about 200,000", or "No figures yet"
    unit: str  # "likes lost": a figure alone says nothing, so it is drawn in strong type too
    caption: str  # when: "Mar 1 – 10, 2016", or ""

    @property
    def headline(self) -> str:
        """The figure and its unit as one phrase: "about 200,000 likes lost"."""
        if not self.unit:
            return self.figure
        return _("{figure} {unit}").format(figure=self.figure, unit=self.unit)


@dataclass(frozen=True)
class CardCurve:
    target_id: str
    index: int
    times: np.ndarray  # the line: seconds since the epoch, oldest first
    losses: np.ndarray
    mark_times: (
        np.ndarray
    )  # where a marker goes: the reported figures (every point of a short line)
    mark_losses: np.ndarray
    # per marker: a figure whose report gives no date (``Report.date_given``), drawn hollow
    mark_undated: tuple[bool, ...] = ()


@dataclass(frozen=True)
class Tick:
    value: float
    label: str


@dataclass(frozen=True)
class ShareCard:
    title: str
    subtitle: str
    figures: tuple[CardFigure, ...]
    curves: tuple[CardCurve, ...]
    time_range: tuple[float, float]
    loss_range: tuple[float, float]
    sources_label: str  # "Sources:"
    sources: tuple[str, ...]  # the sources' names, as written
    hashtags: tuple[str, ...]  # as the campaign writes them
    credit: str
    call_to_action: str  # "Unlike them too!"
    zone: tzinfo
    right_to_left: bool

    def texts(self) -> list[str]:
        """Every sentence the picture shows (names and figures included; not the dates, which
        Babel writes), for checks."""
        texts = [self.title, self.subtitle, self.sources_label, self.credit, self.call_to_action]
        for figure in self.figures:
            texts += [figure.name, figure.figure, figure.unit]
        return [text for text in texts if text]


MAX_PAGES = 6
MAX_SOURCES = 12
MAX_HASHTAGS = 12


def subtitle(measure: str) -> str:
    if measure == "followers":
        return _("Followers lost since the campaign started")
    if measure == "both":
        return _("Likes and followers lost since the campaign started")
    return _("Likes lost since the campaign started")


def compose(campaign: Campaign, series: dict[str, LossSeries]) -> ShareCard:
    """The picture of ``series`` in the current language: what the window's graph and cards show."""
    figures = []
    curves = []
    sources: list[str] = []
    counted = False
    measures: set[str] = set()
    shown: dict[str, LossSeries] = {}
    # A picture read on a phone holds a few pages: the campaign's first ones (as many as the
    # graph has colours), and at most a line of hashtags and of sources.
    for index, target in enumerate(campaign.targets[:MAX_PAGES]):
        line = headline(series, target.id)
        if line is not None:
            shown[target.id] = line  # what the picture shows of the page: its subtitle's measure
        latest = describe_line(line, campaign.zone) if line is not None else None
        if latest is None:
            figures.append(
                CardFigure(target.id, index, target.display_name(), _("No figures yet"), "", "")
            )
        else:
            figure, unit, when, _info = latest
            figures.append(CardFigure(target.id, index, target.display_name(), figure, unit, when))
        if line is None or not len(line):
            continue
        apart = reports_apart(line)
        times, losses = line.line_through(apart) if apart else (line.times, line.losses)
        reported = sorted(i for i, p in line.info.items() if p.kind == "report")
        marked = np.array(reported if len(line) > 60 else range(len(line)), np.int64)
        undated = tuple(
            not info.date_given if (info := line.info.get(int(i))) else False for i in marked
        )
        curves.append(
            CardCurve(
                target.id, index, times, losses, line.times[marked], line.losses[marked], undated
            )
        )
        for i in sorted(line.info):
            for source in line.info[i].sources:
                if source.display_name() not in sources:
                    sources.append(source.display_name())
        counted = counted or len(line) > len(line.info)
        if len(line) > len(line.info):
            measures.add(line.measure)
    if counted:
        if measures == {"followers"}:
            sources.append(_("the pages' own follower counts"))
        else:
            sources.append(_("the pages' own like counts"))
    points = [c for c in curves if len(c.times)]
    if points:
        low = min(float(c.times[0]) for c in points)
        high = max(float(c.times[-1]) for c in points)
        most = max(float(np.nanmax(c.losses)) for c in points)
        least = min(0.0, *(float(np.nanmin(c.losses)) for c in points))
    else:
        start = campaign.start_instant().timestamp()
        low, high, most, least = start, start, 0.0, 0.0
    if high - low < DAY:
        low, high = low - DAY, high + DAY
    pad = (high - low) * 0.04
    measure = graph_measure(shown)
    return ShareCard(
        title=pick(campaign.name),
        subtitle=subtitle(measure),
        figures=tuple(figures),
        curves=tuple(curves),
        time_range=(low - pad, high + pad),
        loss_range=(least, most if most > least else least + 1000),
        sources_label=_("Sources:") if sources else "",
        sources=tuple(sources[:MAX_SOURCES]),
        hashtags=tuple(h for h in campaign.hashtags if h)[:MAX_HASHTAGS],
        credit=_("Campaign Companion"),
        call_to_action=_("Unfollow them too!") if measure == "followers" else _("Unlike them too!"),
        zone=campaign.zone,
        right_to_left=is_right_to_left(),
    )


def number_ticks(low: float, high: float, most: int = 5) -> tuple[list[Tick], float]:
    """Round numbers from ``low`` (at most 0) to at least ``high``; and the axis's top value."""
    span = max(high - low, 1.0)
    raw = span / max(most - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    top = math.ceil(high * 1.05 / step) * step
    count = round((top - first) / step)
    values = [first + i * step for i in range(count + 1)]
    return [Tick(v, format_number(v)) for v in values], top


_DAY_STEPS = (1, 2, 3, 7, 14)
_MONTH_STEPS = (1, 2, 3, 6, 12)


def date_ticks(low: float, high: float, zone: tzinfo, most: int = 6) -> list[Tick]:
    """Midnights (or first days of months) between ``low`` and ``high``, at most ``most`` of them,
    labelled as the window's date axis labels them."""
    start = datetime.fromtimestamp(low, zone)
    end = datetime.fromtimestamp(high, zone)
    days = (end - start).total_seconds() / DAY
    for step in _DAY_STEPS:
        if days / step <= most:
            first = datetime.combine(start.date() + timedelta(days=1), datetime.min.time(), zone)
            moments = []
            day = first
            while day <= end:
                moments.append(day)
                day = datetime.combine(day.date() + timedelta(days=step), datetime.min.time(), zone)
            return _labelled(moments, step * DAY, zone)
    months = (end.year - start.year) * 12 + end.month - start.month
    step = next((m for m in _MONTH_STEPS if months / m <= most), 12 * math.ceil(months / 12 / most))
    moments = []
    index = start.year * 12 + start.month  # the month after the start's
    while True:
        year, month = divmod(index, 12)
        moment = datetime(year, month + 1, 1, tzinfo=zone)
        if moment > end:
            break
        if moment >= start and (month % step == 0 or step == 1):
            moments.append(moment)
        index += 1
    return _labelled(moments, step * 30 * DAY, zone)


def _labelled(moments: list[datetime], spacing: float, zone: tzinfo) -> list[Tick]:
    return [Tick(m.timestamp(), format_axis_tick(m.timestamp(), spacing, zone)) for m in moments]
