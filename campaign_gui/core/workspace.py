"""The campaign and its store, opened together: what the CLI and the window both start from."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .campaign import ActionDay, Campaign, load_bundled_campaign, load_campaign
from .clock import Clock
from .like_loss import LossSeries, build_series
from .paths import AppPaths
from .store import Store

log = logging.getLogger(__name__)


@dataclass
class Workspace:
    campaign: Campaign
    store: Store

    @classmethod
    def open(cls, paths: AppPaths, campaign_file: Path | None = None, *, clock: Clock) -> Workspace:
        """Load the campaign (the bundled one unless a file is given) and open its store.

        The campaign's reported losses are merged into the store each time; merging is idempotent.
        """
        campaign = load_campaign(campaign_file) if campaign_file else load_bundled_campaign()
        store = Store.open(paths.data_dir, now=clock.now)
        try:
            changed = store.merge_reports(campaign)
        except BaseException:
            store.close()
            raise
        if changed:
            log.info("merged %d reported figures of campaign %s", changed, campaign.id)
        return cls(campaign, store)

    def close(self) -> None:
        self.store.close()

    def action_days(self) -> list[ActionDay]:
        """The campaign's own action days and the user's, in date order."""
        days = [*self.campaign.action_days, *self.store.user_days(self.campaign.id)]
        return sorted(days, key=lambda d: (d.start, d.id))

    def loss_series(self) -> dict[str, LossSeries]:
        counts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for target in self.campaign.targets:
            times, likes = self.store.like_counts(self.campaign.id, target.id)
            if len(times):
                counts[target.id] = (times, likes)
        # The reported figures are the campaign file's own (validated: each names one of its
        # pages), never read back from the store, which another copy of the app may have just
        # filled from another file with the same campaign id.
        return build_series(self.campaign, self.campaign.reports, counts)
