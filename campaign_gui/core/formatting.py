"""Numbers, dates and like-loss figures written the way the user's language writes them."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from babel.dates import format_date, format_datetime, format_interval, format_skeleton
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_format_percent

from .i18n import N_, _, babel_locale, ngettext

if TYPE_CHECKING:
    from .like_loss import LossSeries, PointInfo


def format_number(value: float) -> str:
    return format_decimal(round(value), locale=babel_locale())


def format_percent(value: float) -> str:
    """``value`` in percent (5.62 -> "5.62%")."""
    return babel_format_percent(value / 100, format="#,##0.00%", locale=babel_locale())


def format_day(day: date, width: str = "long") -> str:
    return format_date(day, width, locale=babel_locale())


def format_day_span(start: date, end: date) -> str:
    """A day or a span of days: "Feb 27, 2016", "27 فبراير 2016", "1–10 mars 2016"."""
    if start == end:
        return format_skeleton("yMMMd", start, locale=babel_locale())
    return format_interval(start, end, "yMMMd", locale=babel_locale())


def format_relative_day(day: date, today: date) -> str:
    """How far a day is from today: "today", "in 3 days", "2 months ago", "10 years ago"."""
    delta = (day - today).days
    if delta == 0:
        return _("today")
    if delta == 1:
        return _("tomorrow")
    if delta == -1:
        return _("yesterday")
    later, earlier = (day, today) if delta > 0 else (today, day)
    n = abs(delta)
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    if n < 45 or months < 1:
        if delta > 0:
            return ngettext("in {n} day", "in {n} days", n).format(n=n)
        return ngettext("{n} day ago", "{n} days ago", n).format(n=n)
    if months < 12:
        if delta > 0:
            return ngettext("in {n} month", "in {n} months", months).format(n=months)
        return ngettext("{n} month ago", "{n} months ago", months).format(n=months)
    years = months // 12
    if delta > 0:
        return ngettext("in {n} year", "in {n} years", years).format(n=years)
    return ngettext("{n} year ago", "{n} years ago", years).format(n=years)


def format_moment(moment: datetime, zone: tzinfo) -> str:
    return format_datetime(moment.astimezone(zone), "medium", locale=babel_locale())


def format_loss(qualifier: str, loss: float) -> str:
    """A reported figure with its qualifier: "more than 60,000", "about 137,500", "94,282"."""
    number = format_number(loss)
    if qualifier == "more_than":
        return _("more than {number}").format(number=number)
    if qualifier == "about":
        return _("about {number}").format(number=number)
    return number


DAY = 86_400

_KIND_LABELS = {
    "phone_shutdown": N_("Phones switched off"),
    "unlike_wave": N_("Unlike wave"),
    "boycott": N_("Boycott"),
    "protest": N_("Protest"),
    "legal_action": N_("Legal action"),
    "other": N_("Other action"),
}


def action_kind_label(kind: str) -> str:
    return _(_KIND_LABELS.get(kind, _KIND_LABELS["other"]))


def format_axis_tick(
    seconds: float, spacing: float, zone: tzinfo, language: str | None = None
) -> str:
    """A date axis label, as detailed as the distance between ticks calls for."""
    moment = datetime.fromtimestamp(seconds, zone)
    if spacing >= 300 * DAY:
        skeleton = "y"
    elif spacing >= 27 * DAY:
        skeleton = "MMMy"
    elif spacing >= DAY:
        skeleton = "MMMd"
    else:
        skeleton = "Hm"
    return format_skeleton(skeleton, moment, locale=babel_locale(language))


def figure_and_when(
    at: float, loss: float, qualifier: str | None, span: tuple[date, date] | None, zone: tzinfo
) -> tuple[str, str]:
    """A like-loss point as words: ("about 200,000", "Mar 1 – 10, 2016").

    A reported figure is known to the day (``span``); a count to the minute (``at``, in ``zone``).
    """
    if span is None:
        return format_loss("exact", loss), format_moment(datetime.fromtimestamp(at, zone), zone)
    return format_loss(qualifier or "exact", loss), format_day_span(*span)


def format_countdown(start: date, end: date, now: datetime, zone: tzinfo) -> str:
    """Time left until an action day begins (midnight, campaign time): "in 3 days", "in 5 hours"."""
    local_now = now.astimezone(zone)
    if start <= local_now.date() <= end:
        return _("under way today")
    if local_now.date() > end:
        return format_relative_day(end, local_now.date())
    begins = datetime.combine(start, datetime.min.time(), zone)
    left = begins - local_now
    hours = int(left.total_seconds() // 3600)
    if hours >= 48:
        return format_relative_day(start, local_now.date())
    if hours >= 1:
        return ngettext("in {n} hour", "in {n} hours", hours).format(n=hours)
    minutes = max(1, int(left.total_seconds() // 60))
    return ngettext("in {n} minute", "in {n} minutes", minutes).format(n=minutes)


def describe_latest(series: LossSeries, zone: tzinfo) -> tuple[str, str, PointInfo | None] | None:
    """The latest figure of a series in words: (figure, when, info), or None if it has none."""
    latest = series.latest()
    if latest is None:
        return None
    at, loss, info = latest
    span = (info.start, info.end) if info is not None else None
    figure, when = figure_and_when(at, loss, info.qualifier if info else None, span, zone)
    return figure, when, info
