"""One round of the organisers' tracker: each page's counts read now, and what to do next.

Rules only: which page name to ask for, which errors stop tracking (a token or a permission
only a person can fix), which wait (throttling, as long as Meta says), which are one page's
problem. The command line and the window run rounds on their own schedule and store the counts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from .campaign import Campaign, Target
from .graph_api.client import PAGE_PATTERN, GraphApiError, GraphClient
from .graph_api.throttle import Problem, backoff
from .i18n import _
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
    """Read every page's counts once. ``failures``: rounds in a row that reached nobody."""
    rng = rng or random.Random()
    result = Round()
    reached = False
    for target in campaign.targets:
        page = page_name(target)
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
            result.errors.append(exc)
            problem = exc.verdict.problem
            if problem in (Problem.TOKEN, Problem.PERMISSION):
                result.stop = True
                return result
            if problem is Problem.THROTTLED:
                result.wait = max(
                    result.wait, timedelta(seconds=exc.wait_seconds or backoff(failures + 1, rng))
                )
                return result  # every further request would be throttled too
            if problem is Problem.SERVER:
                continue
            reached = True  # the API answered: this page's problem only
            continue
        reached = True
        if counts.likes is None and counts.followers is None:
            result.notes.append(
                _("Facebook gave neither likes nor followers for {target}.").format(
                    target=target.display_name()
                )
            )
            continue
        if counts.likes is None:
            result.notes.append(
                _(
                    "Facebook gives no like count for {target} (a page of the new kind): its "
                    "followers were recorded instead, and the graph of likes has no new point."
                ).format(target=target.display_name())
            )
        result.counts.append(Observation(target.id, now, counts.likes, counts.followers))
    if not reached and result.errors:
        result.wait = max(result.wait, timedelta(seconds=backoff(failures + 1, rng)))
    result.wait = max(result.wait, timedelta(seconds=client.last_wait))
    return result
