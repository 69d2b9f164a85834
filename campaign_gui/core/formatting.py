"""Numbers, dates and like-loss figures written the way the user's language writes them."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from babel.dates import format_date, format_datetime, format_interval
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_format_percent

from .i18n import _, babel_locale


def format_number(value: float) -> str:
    return format_decimal(round(value), locale=babel_locale())


def format_percent(value: float) -> str:
    """``value`` in percent (5.62 -> "5.62%")."""
    return babel_format_percent(value / 100, format="#,##0.00%", locale=babel_locale())


def format_day(day: date, width: str = "long") -> str:
    return format_date(day, width, locale=babel_locale())


def format_day_span(start: date, end: date) -> str:
    if start == end:
        return format_day(start, "medium")
    return format_interval(start, end, "yMMMd", locale=babel_locale())


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
