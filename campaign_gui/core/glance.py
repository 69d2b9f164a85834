"""The campaign at a glance: the next action day and each page's latest loss, in words.

Shown in the tray icon's tooltip and in the tray widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from .action_days import next_action_day
from .campaign import ActionDay, Campaign
from .clock import today_in
from .formatting import format_countdown, format_day_span
from .i18n import _, pick
from .like_loss import LossSeries, headline
from .loss_words import figure_text


@dataclass(frozen=True)
class PageGlance:
    target_id: str
    name: str
    latest: str  # "about 200,000 likes lost"
    sparkline: list[float]  # a few hundred loss values at most, oldest first


@dataclass(frozen=True)
class Glance:
    next_day: str  # "Sit-in, 2 May 2027" or "No action day planned"
    countdown: str  # "in 3 days", or ""
    pages: list[PageGlance]

    def tooltip(self) -> str:
        lines = [_("Campaign Companion")]
        if self.countdown:
            lines.append(
                _("{next_day} ({countdown})").format(
                    next_day=self.next_day, countdown=self.countdown
                )
            )
        else:
            lines.append(self.next_day)
        lines += [
            _("{page}: {figure}").format(page=page.name, figure=page.latest) for page in self.pages
        ]
        return "\n".join(lines)


SPARK_POINTS = 200


def campaign_glance(
    campaign: Campaign,
    days: list[ActionDay],
    series: dict[str, LossSeries],
    now: datetime,
) -> Glance:
    zone = campaign.zone
    day = next_action_day(days, today_in(zone, now))
    if day is None:
        next_day, countdown = _("No action day planned"), ""
    else:
        next_day = _("Next: {title}, {when}").format(
            title=pick(day.title), when=format_day_span(day.start, day.end)
        )
        countdown = format_countdown(day.start, day.end, now, zone)
    pages = []
    for target in campaign.targets:
        line = headline(series, target.id)
        described = figure_text(line, zone) if line is not None else None
        latest = described[0] if described else _("No figures yet")
        losses = line.losses if line is not None else np.empty(0)
        if len(losses) > SPARK_POINTS:
            losses = losses[np.linspace(0, len(losses) - 1, SPARK_POINTS).astype(int)]
        pages.append(PageGlance(target.id, target.display_name(), latest, losses.tolist()))
    return Glance(next_day, countdown, pages)
