"""What a verified feed left: its campaign document, the counts files merged, TUF's trusted
metadata and the feed's status, all written together by ``merge_feed``."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from .. import limits
from ..campaign import Campaign
from .ingest import INCOMING_SPAN, CountIngest, widen_spans
from .records import CountColumns, LazyCountColumns, Spans, from_epoch, to_epoch

log = logging.getLogger(__name__)

# The most a kept TUF metadata file may weigh when read back (the feed's own caps are lower).
MAX_METADATA_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class StoredCampaign:
    document: bytes
    origin: str
    stored_at: datetime


@dataclass(frozen=True)
class FeedMerge:
    counts: int  # like counts added or corrected
    chunks: int
    campaign_changed: bool
    spans: Spans = field(default_factory=dict)  # when they are: what the graph reads again


@dataclass(frozen=True)
class FeedStatus:
    last_success: datetime | None = None
    fresh_until: datetime | None = None
    mirror: str = ""


@dataclass(frozen=True)
class TrustedFeed:
    """What a feed's last accepted sync left: TUF's trusted metadata (name → bytes: root-<n>,
    timestamp, snapshot, targets) and the timestamp's validator (its address, its ETag)."""

    metadata: Mapping[str, bytes] = field(default_factory=dict)
    validator: tuple[str, str] | None = None
    document: bytes = b""  # the campaign document the metadata vouched for: not downloaded again


class FeedState(CountIngest):
    """A feed's state; its counts go in the way every door's do (``CountIngest``)."""

    def stored_campaign(self, feed: str) -> StoredCampaign | None:
        """The campaign document the feed ``feed`` last gave (feed keys: ``feed.trust``)."""
        row = self._db.execute(
            "SELECT document, origin, stored_at FROM campaigns WHERE id = ?", (feed,)
        ).fetchone()
        if row is None:
            return None
        document, origin, stored_at = row
        if (
            not isinstance(document, bytes)
            or len(document) > limits.MAX_CAMPAIGN_BYTES
            or not isinstance(stored_at, int)
            or not limits.epoch_in_range(stored_at)
        ):
            log.warning("%s: the stored campaign %s is not readable", self.path, feed)
            return None
        return StoredCampaign(bytes(document), str(origin), from_epoch(stored_at))

    def merged_chunks(self, feed: str) -> dict[str, str]:
        """The feed's counts files already merged: name → content id (a quarter's SHA-256, a
        compacted file's id of its parts: ``feed.windows``)."""
        return dict(
            self._db.execute("SELECT name, sha256 FROM feed_chunks WHERE campaign = ?", (feed,))
        )

    def trusted_feed(self, feed: str) -> TrustedFeed:
        """The feed's trusted metadata and validator, as its last accepted sync left them."""
        metadata = {
            str(name): bytes(data)
            for name, data in self._db.execute(
                "SELECT name, data FROM feed_metadata WHERE feed = ?", (feed,)
            )
            if isinstance(data, bytes) and len(data) <= MAX_METADATA_BYTES
        }
        row = self._db.execute(
            "SELECT etag_url, etag FROM feed_status WHERE campaign = ?", (feed,)
        ).fetchone()
        valid = row is not None and all(isinstance(v, str) and v for v in row)
        stored = self.stored_campaign(feed)
        document = stored.document if stored is not None else b""
        return TrustedFeed(metadata, (row[0], row[1]) if valid else None, document)

    def merge_feed(
        self,
        feed: str,
        campaign: Campaign,
        document: bytes,
        chunks: Mapping[str, tuple[str, LazyCountColumns]],
        *,
        trusted: TrustedFeed,
        mirror: str,
        fresh_until: datetime | None,
        when: datetime,
        forget: Iterable[str] = (),
    ) -> FeedMerge:
        """A verified feed update, in one transaction: the campaign, the counts, what was merged
        and the trusted metadata that vouches for them (never one without the others). A count
        the feed gives again with other figures is the feed's correction. Everything is kept
        under ``feed``, the key that binds it to the root that signed it. ``forget``: merged
        files now inside one of ``chunks``, no longer remembered. ``spans`` says where the
        counts that changed something are, so that only those are read again: one window for
        every page alike (a scan of each batch, where a window per page would sort it)."""
        changed = 0
        spans: Spans = {}
        with self.transaction() as db:
            kept = db.execute(
                "SELECT data FROM feed_metadata WHERE feed = ? AND name = 'timestamp'", (feed,)
            ).fetchone()
            if _version(kept[0] if kept else None) > _version(trusted.metadata.get("timestamp")):
                # Another copy of the app merged a newer feed meanwhile: this older update
                # would move TUF's trusted versions back. Nothing is written.
                log.info("feed update older than the one another copy stored: not merged")
                return FeedMerge(counts=0, chunks=0, campaign_changed=False)
            db.execute(
                """INSERT INTO campaigns VALUES (?, ?, 'feed', ?)
                   ON CONFLICT (id) DO UPDATE SET document = excluded.document,
                     origin = excluded.origin, stored_at = excluded.stored_at
                   WHERE (document, origin) IS NOT (excluded.document, excluded.origin)""",
                (feed, document, to_epoch(when)),
            )
            for name, (sha256, given) in chunks.items():
                # each column read once (a feed's are numpy's until now)
                columns = cast(CountColumns, tuple(given))
                size = len(columns[0])
                if size and self._insert_new(db, feed, columns):
                    changed += size
                    first, last = min(columns[1]), max(columns[1])
                    widen_spans(spans, ((t.id, first, last) for t in campaign.targets))
                elif size:
                    rows = list(zip(*columns, strict=True))
                    if added := self._ingest_batch(db, feed, rows, replace=True)[0]:
                        changed += added
                        first, last = db.execute(INCOMING_SPAN).fetchone()
                        widen_spans(spans, ((t.id, first, last) for t in campaign.targets))
                db.execute(
                    """INSERT INTO feed_chunks VALUES (?, ?, ?, ?)
                       ON CONFLICT (campaign, name) DO UPDATE SET
                         sha256 = excluded.sha256, merged_at = excluded.merged_at""",
                    (feed, name, sha256, to_epoch(when)),
                )
            db.executemany(
                "DELETE FROM feed_chunks WHERE campaign = ? AND name = ?",
                [(feed, name) for name in forget],
            )
            # Only what changed is written: a sync that found nothing new rewrites nothing.
            kept = db.execute("SELECT name FROM feed_metadata WHERE feed = ?", (feed,)).fetchall()
            for (name,) in kept:
                if name not in trusted.metadata:
                    db.execute(
                        "DELETE FROM feed_metadata WHERE feed = ? AND name = ?", (feed, name)
                    )
            db.executemany(
                """INSERT INTO feed_metadata VALUES (?, ?, ?)
                   ON CONFLICT (feed, name) DO UPDATE SET data = excluded.data
                   WHERE data IS NOT excluded.data""",
                [(feed, name, data) for name, data in trusted.metadata.items()],
            )
            etag_url, etag = trusted.validator or (None, None)
            db.execute(
                """INSERT INTO feed_status VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (campaign) DO UPDATE SET last_success = excluded.last_success,
                     fresh_until = excluded.fresh_until, mirror = excluded.mirror,
                     etag_url = excluded.etag_url, etag = excluded.etag""",
                (
                    feed,
                    to_epoch(when),
                    None if fresh_until is None else to_epoch(fresh_until),
                    mirror[: limits.MAX_URL],
                    etag_url,
                    etag,
                ),
            )
        return FeedMerge(counts=changed, chunks=len(chunks), campaign_changed=False, spans=spans)

    def feed_status(self, campaign_id: str) -> FeedStatus:
        row = self._db.execute(
            "SELECT last_success, fresh_until, mirror FROM feed_status WHERE campaign = ?",
            (campaign_id,),
        ).fetchone()
        if row is None:
            return FeedStatus()

        def moment(value: object) -> datetime | None:
            if isinstance(value, int) and limits.epoch_in_range(value):
                return from_epoch(value)
            return None

        success, fresh, mirror = row
        return FeedStatus(
            last_success=moment(success),
            fresh_until=moment(fresh),
            mirror=mirror if isinstance(mirror, str) else "",
        )


def _version(metadata: object) -> int:
    """The version of TUF metadata as kept (0 if there is none, or it cannot be read)."""
    if not isinstance(metadata, (str, bytes, bytearray)):
        return 0
    try:
        version = json.loads(metadata)["signed"]["version"]
    except (TypeError, ValueError, KeyError, RecursionError):
        return 0
    return version if type(version) is int else 0
