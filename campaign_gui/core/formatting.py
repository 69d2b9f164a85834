"""Numbers, dates and like-loss figures written the way the user's language writes them."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from babel import Locale
from babel.dates import (
    format_date,
    format_datetime,
    format_interval,
    format_skeleton,
    format_time,
    get_datetime_format,
)
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_format_percent

from .i18n import N_, _, babel_locale, current_language, is_right_to_left, ngettext, pick

if TYPE_CHECKING:
    from .campaign import Source
    from .like_loss import LossSeries, PointInfo

# Unicode's directional isolates: FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE.
FSI, PDI = "\u2068", "\u2069"
NBSP, NNBSP, WORD_JOINER = "\u00a0", "\u202f", "\u2060"
LRM, RLM = "\u200e", "\u200f"  # invisible marks of a direction
_UNBREAKABLE = str.maketrans(
    {" ": NBSP, "\u2009": NNBSP, "\u2013": "\u2013" + WORD_JOINER, "/": "/" + WORD_JOINER}
)


def isolated(text: str) -> str:
    """``text`` set apart from the text around it, in its own direction, where that differs.

    A Latin name inside Darija, or an Arabic hashtag inside French, otherwise borrows its
    neighbours' direction and its punctuation lands on the wrong side ("#OPEUnlike #ضمير_مواطن#").
    Text in the language's own direction is left as it is (no invisible marks in English files).
    """
    foreign = ("L",) if is_right_to_left() else ("R", "AL")
    if any(unicodedata.bidirectional(c) in foreign for c in text):
        return f"{FSI}{text}{PDI}"
    return text


def unbreakable(text: str) -> str:
    """``text`` kept on one line: no-break spaces, and no break after a dash ("1–10 mars 2016")
    or a slash (the Darija date "10/03/2016")."""
    return text.translate(_UNBREAKABLE)


NOTICE_MOST = 200  # characters of a notice's text, "…" included


def first_line_excerpt(text: str, most: int = NOTICE_MOST) -> str:
    """``text``'s first line that is not blank, at most ``most`` characters: where it is cut, or
    more lines follow, it ends with "…", after a whole word (a word longer than the room left
    is cut where the room ends). A tray notice of release notes that may run to 10,000
    characters; the window shows them whole."""
    lines = [line.strip() for line in text.strip().splitlines()]
    first = lines[0] if lines else ""
    more = any(lines[1:])
    if len(first) <= most and not more:
        return first
    if len(first) < most:
        return first + "…"
    room = first[: most - 1]
    # A cut inside a word goes back to the space before it (unless the word fills the room).
    if not first[most - 1].isspace():
        before, space, _word = room.rpartition(" ")
        room = before if space and before.strip() else room
    return room.rstrip() + "…"


def join_list(items: Iterable[str]) -> str:
    """Items joined the way the language lists them: "a, b, c"; "a، b، c" in Darija."""
    joined = ""
    for item in items:
        joined = _("{list}, {item}").format(list=joined, item=item) if joined else item
    return joined


def format_number(value: float) -> str:
    return format_decimal(round(value), locale=babel_locale())


def format_download(done: int, total: int) -> str:
    """How much of a download has come, in megabytes to one decimal, as the language writes
    numbers: "12.5 of 150.0 MB", "12,5 sur 150,0 Mo"."""
    mega = 1_000_000

    def shown(count: int) -> str:
        return format_decimal(count / mega, format="#,##0.0", locale=babel_locale())

    return _("{done} of {total} MB").format(done=shown(done), total=shown(total))


def format_percent(value: float) -> str:
    """``value`` in percent to two decimals, as the language writes it, on one line: "5.62%",
    "−5,62 %" (a minus sign, a no-break space). In Darija it is isolated left to right, so its
    sign and "%" stay where they are written inside the Arabic ("(−5,62%)", not "(%5,62-)")."""
    pattern = Locale.parse(babel_locale()).percent_formats[None].pattern
    decimals = pattern.replace("#,##0", "#,##0.00", 1)
    text = babel_format_percent(value / 100, format=decimals, locale=babel_locale())
    text = unbreakable(text.replace("-", "\u2212"))
    return f"\u2066{text}\u2069" if is_right_to_left() else text


def _first_of_month(text: str) -> str:
    """French writes the first of a month "1er" ("1er mars", "1er–10 mars"); CLDR does not."""
    if current_language() != "fr":
        return text
    return re.sub(r"(?<!\d)1(?=[ \u00a0\u202f\u2013])", "1er", text)


def format_day(day: date, width: str = "long") -> str:
    return unbreakable(_first_of_month(format_date(day, width, locale=babel_locale())))


def format_day_span(start: date, end: date) -> str:
    """A day or a span of days, on one line: "Feb 27, 2016", "1er–10 mars 2016"."""
    if start == end:
        text = format_skeleton("yMMMd", start, locale=babel_locale())
    else:
        text = format_interval(start, end, "yMMMd", locale=babel_locale())
    return unbreakable(_first_of_month(text))


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


def format_moment(moment: datetime, zone: tzinfo | None) -> str:
    """``moment``'s date and time in ``zone`` (None: the computer's, when its zone is unknown),
    to the minute: "Dec 3, 2026, 11:00 AM" (seconds mean nothing to a reader here)."""
    local = moment.astimezone(zone)
    locale = babel_locale()
    # The day as every other date of the graph writes it (``format_day_span``): Darija's
    # medium date is numeric ("27/02/2016") beside "27 فبراير 2016".
    day = _first_of_month(format_skeleton("yMMMd", local, locale=locale))
    time = format_time(local, "short", locale=locale)
    pattern = str(get_datetime_format("medium", locale=locale))  # "{1}, {0}": date, time
    return unbreakable(pattern.replace("{1}", day).replace("{0}", time))


def format_whole_percent(value: float) -> str:
    """A share in whole percent, as the language writes it: "100%", "100 %"."""
    return unbreakable(babel_format_percent(round(value) / 100, locale=babel_locale()))


def format_time_of_day(moment: datetime, now: datetime, zone: tzinfo | None) -> str:
    """When ``moment`` is, in ``zone`` (None: the computer's): the time alone if it is today,
    else the date and the time ("2:05 PM"; "10/19/28, 6:30 AM")."""
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    if local.date() == today:
        return unbreakable(format_time(local, "short", locale=babel_locale()))
    return unbreakable(format_datetime(local, "short", locale=babel_locale()))


def format_wait(wait: timedelta) -> str:
    """How long a wait is, rounded up: "in 60 minutes" up to two hours, then "in 5 hours"."""
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    if minutes <= 120:
        return ngettext("in {n} minute", "in {n} minutes", minutes).format(n=minutes)
    hours = round(minutes / 60)
    return ngettext("in {n} hour", "in {n} hours", hours).format(n=hours)


def format_loss(qualifier: str, loss: float) -> str:
    """A reported figure with its qualifier: "more than 60,000", "about 137,500", "94,282"."""
    number = format_number(loss)
    if qualifier == "more_than":
        return _("more than {number}").format(number=number)
    if qualifier == "about":
        return _("about {number}").format(number=number)
    return number


def format_source(source: Source) -> str:
    """A source as the language cites it: "Febrayer.com via Maghress (article 331497)",
    "TelQuel (27 févr. 2016)", "ufecasablanca.com (كرونولوجيا الأحداث، 5 نونبر 2016)".

    Names and numbers are isolated, so a Latin name keeps its punctuation inside Darija text.
    """
    text = isolated(source.display_name())
    if source.via:
        text = _("{source} via {via}").format(source=text, via=isolated(source.via))
    details = []
    if source.title:
        details.append(pick(source.title))
    if source.article:
        details.append(_("article {number}").format(number=isolated(source.article)))
    if source.published is not None:
        details.append(format_day_span(source.published, source.published))
    if details:
        text = _("{source} ({details})").format(source=text, details=join_list(details))
    return text


def format_sources(sources: Iterable[Source]) -> str:
    """Sources listed in the language's way: "Arabi21, TelQuel (27 Feb 2016)"."""
    return join_list(format_source(source) for source in sources)


def sources_line(sources: Sequence[Source]) -> str:
    """ "Source: …" for one, "Sources: …" for several (a label, not a count: no plural forms)."""
    listed = format_sources(sources)
    if len(sources) == 1:
        return _("Source: {sources}").format(sources=listed)
    return _("Sources: {sources}").format(sources=listed)


def format_hashtags(hashtags: Iterable[str]) -> str:
    """Hashtags side by side, each isolated so that "#خريتو" keeps its "#" in front of it.

    The line starts with the language's direction mark: a line that begins with a Latin hashtag
    would otherwise run left to right in Darija.
    """
    mark = RLM if is_right_to_left() else LRM
    return mark + " ".join(isolated(tag) for tag in hashtags)


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


def report_day(info: PointInfo) -> str:
    """When a reported figure is for: "Mar 1 – 10, 2016". A report that does not say which day
    says so, with the day it is shown at: "date not given — published Feb 27, 2016" when a
    source gives the day it was published, else "date not given — shown at Feb 27, 2016"."""
    day = format_day_span(info.start, info.end)
    if info.date_given:
        return day
    published = next((s.published for s in info.sources if s.published is not None), None)
    if published is not None:
        return _("date not given — published {day}").format(
            day=format_day_span(published, published)
        )
    return _("date not given — shown at {day}").format(day=day)


def figure_and_when(
    at: float, loss: float, info: PointInfo | None, zone: tzinfo
) -> tuple[str, str]:
    """A like-loss point as words: ("about 200,000", "Mar 1 – 10, 2016").

    A reported figure (``info``) is known to the day at best (``report_day``); a count to the
    minute (``at``, in ``zone``).
    """
    if info is None:
        return format_loss("exact", loss), format_moment(datetime.fromtimestamp(at, zone), zone)
    return format_loss(info.qualifier, loss), report_day(info)


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
    figure, when = figure_and_when(at, loss, info, zone)
    return figure, when, info
