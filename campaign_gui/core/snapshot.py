"""What the window, the tray and the reminders show of a workspace, read in one go.

A snapshot is made on the store's thread and handed to the window's; it is a plain value (no
Qt), so whatever shows it reads only this. It loads with the first snapshot, on the store's
thread after the window's first paint; the store, the campaign and NumPy are named only for the
type checker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .campaign import ActionDay, Campaign
    from .like_loss import LossSeries
    from .store import Spans
    from .workspace import Workspace


@dataclass(frozen=True)
class Snapshot:
    """What the window shows, computed in the background."""

    campaign: Campaign
    series: dict[str, LossSeries]
    unliked: set[str]
    moved_aside: Path | None
    days: list[ActionDay] = field(default_factory=list)  # the campaign's and the user's
    days_without_reminders: set[str] = field(default_factory=set)
    delivered_reminders: set[str] = field(default_factory=set)
    taken_day_ids: set[str] = field(default_factory=set)  # every user day id, shown or not
    recovered: int = 0  # rows copied from a damaged store set aside (moved_aside)
    has_feed: bool = False  # the campaign publishes live data
    # When the campaign's feed was last merged (None: never, or the campaign has no feed)
    feed_updated: datetime | None = None
    # Only counts were added since the last snapshot: the graph takes them in place.
    counts_only: bool = False


def take_snapshot(
    workspace: Workspace, last: Snapshot | None = None, spans: Spans | None = None
) -> Snapshot:
    """What the window shows of ``workspace``; with ``spans`` and the ``last`` snapshot, the
    last series take only the counts in them (``Workspace.updated_series``), when nothing else
    changed."""
    campaign = workspace.campaign
    store = workspace.store
    series = None
    if spans is not None and last is not None:
        series = workspace.updated_series(last.series, spans)
    return Snapshot(
        campaign=campaign,
        series=workspace.loss_series() if series is None else series,
        unliked=store.unliked_targets(campaign.id),
        moved_aside=store.moved_aside,
        recovered=store.recovered,
        days=workspace.action_days(),
        days_without_reminders=store.days_without_reminders(campaign.id),
        delivered_reminders=store.delivered_reminders(workspace.reminders_key),
        taken_day_ids=store.user_day_ids(campaign.id),
        has_feed=workspace.feed is not None,
        feed_updated=(
            store.feed_status(workspace.feed_key).last_success if workspace.feed_key else None
        ),
        counts_only=series is not None,
    )
