"""A loss line's figures in words, in the measure it counts: "about 200,000 likes lost",
"10,000 followers lost", "−10,000 followers since Dec 1, 2026".

Every view that shows a figure (the graph's read-out, the cards, the glance, the picture,
``status``) takes its words from here, so "likes" never names followers anywhere.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from .campaign import FOLLOWERS, Campaign
from .formatting import (
    describe_latest,
    figure_and_when,
    format_day_span,
    format_number,
    format_percent,
    sources_line,
)
from .i18n import _, is_right_to_left, pick
from .like_loss import LossSeries, PointInfo

MINUS = "\u2212"


def format_change(change: float) -> str:
    """A change in a count, with its sign: "−10,000", "+2,000", "0". In Darija the number is
    isolated left to right, so the sign stays in front of it."""
    number = format_number(abs(change))
    if round(change) == 0:
        return number
    signed = (MINUS if change < 0 else "+") + number
    return f"\u2066{signed}\u2069" if is_right_to_left() else signed


def _since_day(line: LossSeries, zone: tzinfo) -> str:
    assert line.since is not None
    day = datetime.fromtimestamp(line.since, zone).date()
    return format_day_span(day, day)


def lost_unit(line: LossSeries, zone: tzinfo) -> str:
    """What a line's figures count: "likes lost", "followers lost", "followers since Dec 1"."""
    followers = line.measure == FOLLOWERS
    if line.since is None:
        return _("followers lost") if followers else _("likes lost")
    day = _since_day(line, zone)
    if followers:
        return _("followers since {day}").format(day=day)
    return _("likes since {day}").format(day=day)


def line_figure(line: LossSeries, loss: float, figure: str | None = None) -> str:
    """A figure of ``line`` as its unit counts it: the loss (with its qualifier, ``figure``) on a
    line counted from the start, the signed change on a line counted since its first count."""
    if line.since is not None:
        return format_change(-loss)
    return figure if figure is not None else format_number(loss)


def describe_line(line: LossSeries, zone: tzinfo) -> tuple[str, str, str, PointInfo | None] | None:
    """A line's latest figure in words, with what it counts: (figure, unit, when, info), e.g.
    ("about 200,000", "likes lost", "Mar 1 – 10, 2016", info); None if it has no figure yet."""
    latest = describe_latest(line, zone)
    point = line.latest()
    if latest is None or point is None:
        return None
    figure, when, info = latest
    return line_figure(line, point[1], figure), lost_unit(line, zone), when, info


def figure_text(line: LossSeries, zone: tzinfo) -> tuple[str, str, PointInfo | None] | None:
    """A line's latest figure as one phrase, and when: ("about 200,000 likes lost", when, info),
    ("−10,000 followers since Dec 1, 2026", when, None); None if it has none."""
    described = describe_line(line, zone)
    if described is None:
        return None
    figure, unit, when, info = described
    return _("{figure} {unit}").format(figure=figure, unit=unit), when, info


def line_name(campaign: Campaign, line: LossSeries, own: bool, longest: int = 0) -> str:
    """A line's name in a legend: the page's; a page's other line says what it counts, in a
    word (its read-out says since when). With ``longest``, a name too long is shortened so
    that what the line counts is never the part cut."""
    target = campaign.target(line.target)
    name = target.display_name() if target else _("All pages together")
    if own:
        return name
    template = _("{name} (followers)") if line.measure == FOLLOWERS else _("{name} (likes)")
    whole = template.format(name=name)
    if longest and len(whole) > longest:
        keep = max(1, len(name) - (len(whole) - longest) - 1)
        whole = template.format(name=name[:keep].rstrip() + "…")
    return whole


def together_name(campaign: Campaign, together: LossSeries, pages: list[LossSeries]) -> str:
    """The name of the line of all the pages together, in a legend: how many pages it counts,
    and, when its figures all come before each page's own latest, that it is an early count (the
    2016 campaign's one such figure, ~100,000 on 28 Feb, sits below each page's later ones)."""
    latest = [float(line.times[-1]) for line in pages if len(line)]
    early = bool(len(together) and latest) and float(together.times[-1]) < min(latest)
    if len(campaign.targets) == 3:
        if early:
            return _("The three pages together (early count)")
        return _("The three pages together")
    return _("All pages together (early count)") if early else _("All pages together")


def describe_point(campaign: Campaign, line: LossSeries, index: int, zone: tzinfo) -> str:
    """What a point of the graph says, a line each: whose, when and how many lost (in the
    line's measure); the note; the sources."""
    target = campaign.target(line.target)
    name = target.display_name() if target else _("All pages together")
    info = line.info.get(index)
    loss = float(line.losses[index])
    if info is not None and info.kind == "start":
        when = format_day_span(info.start, info.end)
        if info.note:  # the note tells the start in its own words: not said twice
            return _("{name} — {when}: {note}").format(name=name, when=when, note=pick(info.note))
        return _("{name} — {when}: the campaign starts.").format(name=name, when=when)
    figure, when = figure_and_when(float(line.times[index]), loss, info, zone)
    phrase = _("{figure} {unit}").format(
        figure=line_figure(line, loss, figure), unit=lost_unit(line, zone)
    )
    if info is None:
        if line.measure == FOLLOWERS:
            return _("{name} — {when}: {phrase} (from the page's follower count)").format(
                name=name, when=when, phrase=phrase
            )
        return _("{name} — {when}: {phrase} (from the page's like count)").format(
            name=name, when=when, phrase=phrase
        )
    if info.loss_percent is not None:
        phrase += f" ({format_percent(-info.loss_percent)})"
    if info.date_given:
        header = _("{name} — reported for {when}: {phrase}")
    else:  # "when" says the date is not given, and where the figure is shown
        header = _("{name} — press figure ({when}): {phrase}")
    parts = [header.format(name=name, when=when, phrase=phrase)]
    if info.note:
        parts.append(pick(info.note))
    parts.append(sources_line(info.sources))
    return "\n".join(parts)
