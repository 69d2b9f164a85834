"""Synthetic like counts for benchmarks only: never shown to users, never shipped as data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from campaign_gui.core.store import Observation

TARGETS = ("maroc-telecom", "meditel", "inwi")
START = datetime(2016, 2, 20, tzinfo=UTC)
STEP_SECONDS = 30


def observations(
    per_target: int, seed: int = 2016, measure: str = "likes"
) -> Iterator[Observation]:
    """A slowly falling count with noise, one every 30 s, per target: likes, or followers and
    no like count (a page as Facebook counts it today)."""
    rng = np.random.default_rng(seed)
    for n, target in enumerate(TARGETS):
        counts = 2_400_000 - n * 300_000 - np.cumsum(rng.integers(-2, 4, per_target))
        for i in range(per_target):
            at = START + timedelta(seconds=STEP_SECONDS * i)
            if measure == "followers":
                yield Observation(target, at, None, int(counts[i]))
            else:
                yield Observation(target, at, int(counts[i]), None)


def write_csv(path, per_target: int) -> int:
    rows = 0
    with Path(path).open("w", encoding="utf-8", newline="") as out:
        out.write("target,observed_at,likes,followers\n")
        for obs in observations(per_target):
            out.write(f"{obs.target},{obs.observed_at.isoformat()},{obs.likes},\n")
            rows += 1
    return rows


def filled_data_dir(folder: Path, per_target: int, measure: str = "likes") -> Path:
    """A data folder whose store holds ``per_target`` counts of each target (closed cleanly)."""
    from campaign_gui.core.campaign import load_bundled_campaign
    from campaign_gui.core.store import Store

    data = Path(folder) / "data"
    store = Store.open(data)
    try:
        campaign = load_bundled_campaign()
        store.merge_reports(campaign)
        store.add_observations(campaign.id, observations(per_target, measure=measure))
    finally:
        store.close()
    return data
