"""One round of the organisers' tracker: each page's counts read now, and what to do next.

Rules only: which page name to ask for, which errors stop tracking (a token or a permission
only a person can fix), which wait (throttling, as long as Meta says), which are one page's
problem. The command line and the window run rounds on their own schedule and store the counts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from urllib.parse import urlsplit

from .campaign import FOLLOWERS, LIKES, Campaign, Target
from .formatting import format_time_of_day, format_wait, format_whole_percent
from .graph_api.client import PAGE_PATTERN, GraphApiError, GraphClient, PageCounts
from .graph_api.throttle import Problem, Quota, SlowDown, slow_down
from .i18n import N_, _
from .retry import backoff, next_wait
from .store import Observation

MIN_INTERVAL = timedelta(minutes=5)


@dataclass
class Round:
    counts: list[Observation] = field(default_factory=list)
    # What the organiser is told, in their language; the exact causes are logged by the caller.
    notes: list[str] = field(default_factory=list)
    errors: list[GraphApiError] = field(default_factory=list)
    stop: bool = False  # a person must act (new token, Meta's permission) before trying again
    wait: timedelta = timedelta(0)  # at least this long before the next round
    slow_down: SlowDown | None = None  # Meta asked to slow down: the round ended there
    unread: int = 0  # pages the round did not ask for, because Meta asked to slow down
    # What Facebook gave for each page it answered for: (page id, gave likes, gave followers).
    readings: list[tuple[str, bool, bool]] = field(default_factory=list)


def page_name(target: Target) -> str:
    """The Graph API name of a page: its ``graph_page_id``, or the page address's first part."""
    if target.graph_page_id:
        return target.graph_page_id
    path = urlsplit(target.page_url).path.strip("/")
    first = path.split("/")[0] if path else ""
    return first if PAGE_PATTERN.fullmatch(first) else ""


def track_round(
    client: GraphClient,
    campaign: Campaign,
    now: datetime,
    failures: int = 0,
    rng: random.Random | None = None,
) -> Round:
    """Read every page's counts once. ``failures``: rounds in a row that reached nobody.

    After every answer its usage headers are read: one at the limit ends the round there (every
    further request would be refused, and would count against the app), the pages not read
    are left for the next round.
    """
    rng = rng or random.Random()
    result = Round()
    reached = False
    pages = [(target, page_name(target)) for target in campaign.targets]
    for index, (target, page) in enumerate(pages):
        if not page:
            result.notes.append(
                _("{target} has no Graph API page name in the campaign file.").format(
                    target=target.display_name()
                )
            )
            continue
        try:
            counts = client.page_counts(page)
        except GraphApiError as exc:
            problem = exc.verdict.problem
            if problem is Problem.THROTTLED:
                result.slow_down = slow_down(exc.usage, exc.code, failures, rng, exc.detail)
                result.unread = len(pages) - index
                break
            result.errors.append(exc)
            if problem in (Problem.TOKEN, Problem.PERMISSION):
                result.stop = True
                return result
            if problem is not Problem.SERVER:
                reached = True  # the API answered: this page's problem only
        else:
            reached = True
            _keep(result, target, counts, now)
        usage = client.last_usage
        if usage is not None and usage.wait:
            cause = f"after {page}: {usage.quota} at {usage.percent} %, wait {usage.wait:.0f} s"
            result.slow_down = slow_down(usage, None, failures, rng, cause)
            result.unread = len(pages) - index - 1
            break
    if result.slow_down is not None:
        result.wait = result.slow_down.wait
    elif not reached and result.errors:
        result.wait = timedelta(seconds=backoff(failures + 1, rng))
    return result


def _keep(result: Round, target: Target, counts: PageCounts, now: datetime) -> None:
    """A page's counts into the round, and what Facebook gave for it."""
    result.readings.append((target.id, counts.likes is not None, counts.followers is not None))
    if counts.likes is None and counts.followers is None:
        return
    result.counts.append(Observation(target.id, now, counts.likes, counts.followers))


# What Facebook gave for a page (likes, followers) and what the campaign counts, as the
# organiser is told it.
_READINGS = {
    (False, False, "likes"): N_(
        "{page}: Facebook gave neither likes nor followers; nothing was recorded. "
        "The page may hide them, or the token may not see them."
    ),
    (True, True, "followers"): N_(
        "{page}: Facebook gave likes and followers; the graph counts followers."
    ),
    (True, True, "likes"): N_("{page}: Facebook gave likes and followers; the graph counts likes."),
    (False, True, "followers"): N_("{page}: Facebook gave followers only; the graph counts them."),
    (False, True, "likes"): N_(
        "{page}: Facebook gave followers only; this campaign counts likes, so the "
        "graph shows the followers on a line of their own."
    ),
    (True, False, "likes"): N_("{page}: Facebook gave likes only; the graph counts them."),
    (True, False, "followers"): N_(
        "{page}: Facebook gave likes only; this campaign counts followers, so the "
        "graph shows the likes on a line of their own."
    ),
}
_READINGS[False, False, "followers"] = _READINGS[False, False, "likes"]


def reading_lines(campaign: Campaign, result: Round) -> list[str]:
    """For the organiser, a line a page: which figures Facebook gave, and what the graph makes
    of them (the campaign's measure; where it names none, likes when given, else followers)."""
    lines = []
    for target_id, likes, followers in result.readings:
        target = campaign.target(target_id)
        name = target.display_name() if target else target_id
        measure = campaign.measure or (LIKES if likes else FOLLOWERS)
        lines.append(_(_READINGS[likes, followers, measure]).format(page=name))
    return lines


def next_delay(result: Round, interval: timedelta) -> timedelta:
    """How long until the next round: the interval, or longer if Meta asks; at most a day.

    Never sooner than the interval, even after failures (Meta counts every call): rounds that
    reached nobody lengthen the round's own ``wait`` (``track_round``) instead."""
    return next_wait(interval, asked=result.wait)


def _reason(slow: SlowDown) -> str:
    usage = slow.usage
    if usage is None or not usage.percent:
        if slow.code is None:
            return _("too many calls")
        return _("too many calls, error {code}").format(code=slow.code)
    percent = format_whole_percent(usage.percent)
    if usage.quota is Quota.APP_CALLS:
        return _("your Meta app used {percent} of the calls it is allowed").format(percent=percent)
    if usage.quota is Quota.APP_TIME:
        return _("your Meta app used {percent} of the computing time it is allowed").format(
            percent=percent
        )
    return _("the calls about the pages used {percent} of what Meta allows").format(percent=percent)


def slow_down_message(
    slow: SlowDown,
    now: datetime,
    delay: timedelta,
    zone: tzinfo | None,
    *,
    once: bool,
    unread: int = 1,
) -> str:
    """What the organiser is told when Meta asks to slow down: why, and when tracking reads the
    pages again (``once``: a one-shot run, which nothing continues; it says when to try again,
    and whether pages were left unread)."""
    at = format_time_of_day(now + delay, now, zone)
    wait = format_wait(delay)
    if once and not unread:
        return _(
            "Meta asks to slow down ({reason}): every page was read, but run it again no "
            "sooner than {time}, {wait}."
        ).format(reason=_reason(slow), time=at, wait=wait)
    if once:
        return _(
            "Meta asks to slow down ({reason}): the pages not read yet are left for another "
            "run; the app will not read them on its own. Try again at {time}, {wait}."
        ).format(reason=_reason(slow), time=at, wait=wait)
    return _("Meta asks to slow down ({reason}): the next round is at {time}, {wait}.").format(
        reason=_reason(slow), time=at, wait=wait
    )
