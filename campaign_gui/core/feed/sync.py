"""Bringing a participant's copy of the feed up to date: TUF checks everything downloaded, this
module checks what it says, and the caller merges the result in one transaction.

Mirrors are tried in turn, each with the same local trusted metadata (so a mirror serving an
older feed is a rollback, refused); the first mirror whose whole feed verifies wins. Nothing is
returned unless everything verified, so a hostile or broken feed never changes the store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from tuf.api import exceptions
from tuf.api.metadata import Metadata, TargetFile
from tuf.ngclient import Updater, UpdaterConfig

from ..campaign import Campaign, CampaignError, parse_campaign_bytes
from ..errors import UserError
from ..formatting import format_moment
from ..i18n import _
from ..store import CountRow
from . import layout
from .chunks import ChunkError, decode_chunk
from .fetcher import HttpxFetcher

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedUpdate:
    mirror: str
    campaign: Campaign
    document: bytes  # the campaign as the feed gave it (verified), to keep in the store
    # new or changed chunks only: name -> (sha256, counts)
    chunks: dict[str, tuple[str, list[CountRow]]] = field(default_factory=dict)
    fresh_until: datetime | None = None


class FeedError(UserError):
    def __init__(self, message: str, detail: str, *, kind: str) -> None:
        super().__init__(message, detail)
        self.kind = kind  # "unreachable", "refused", "out-of-date", "cancelled"


class _RefusedContentError(Exception):
    """A feed that verified but whose content is not ours or not valid."""


def _config() -> UpdaterConfig:
    return UpdaterConfig(
        root_max_length=layout.MAX_ROOT_BYTES,
        timestamp_max_length=layout.MAX_TIMESTAMP_BYTES,
        snapshot_max_length=layout.MAX_SNAPSHOT_BYTES,
        targets_max_length=layout.MAX_TARGETS_BYTES,
        app_user_agent="campaign-gui",
    )


def _trusted_expiry(metadata_dir: Path) -> datetime | None:
    try:
        return Metadata.from_bytes((metadata_dir / "timestamp.json").read_bytes()).signed.expires
    except Exception:  # no or unreadable cached timestamp: the moment is not known
        return None


def _download(updater: Updater, info: TargetFile) -> bytes:
    if info.length > layout.MAX_CHUNK_BYTES:
        raise _RefusedContentError(f"{info.path}: {info.length} bytes")
    path = updater.find_cached_target(info) or updater.download_target(info)
    return Path(path).read_bytes()


def _from_mirror(
    updater: Updater,
    *,
    campaign_id: str,
    merged: Mapping[str, str],
    now: datetime,
    cancelled: Callable[[], bool],
) -> tuple[Campaign, bytes, dict[str, tuple[str, list[CountRow]]]]:
    updater.refresh()
    info = updater.get_targetinfo(layout.CAMPAIGN_TARGET)
    if info is None:
        raise _RefusedContentError("no campaign document")
    document = _download(updater, info)
    try:
        campaign = parse_campaign_bytes(document, "feed")
    except CampaignError as exc:
        raise _RefusedContentError(f"campaign document: {exc.detail or exc.message}") from None
    if campaign.id != campaign_id:
        raise _RefusedContentError(f"the feed is for campaign {campaign.id!r}, not {campaign_id!r}")
    targets = {t.id for t in campaign.targets}
    chunks: dict[str, tuple[str, list[CountRow]]] = {}
    day = campaign.start_instant().astimezone(UTC).date() - layout.BEFORE_START
    last = (now + timedelta(days=1)).astimezone(UTC).date()
    while day <= last:
        if cancelled():
            raise FeedError(_("Cancelled."), "sync cancelled", kind="cancelled")
        name = layout.chunk_name(day)
        info = updater.get_targetinfo(name)
        if info is not None and merged.get(name) != info.hashes.get("sha256"):
            try:
                rows = decode_chunk(
                    _download(updater, info),
                    campaign_id=campaign_id,
                    day=day,
                    targets=targets,
                    now=now,
                )
            except ChunkError as exc:
                raise _RefusedContentError(exc.detail) from None
            chunks[name] = (info.hashes["sha256"], rows)
        day += timedelta(days=1)
    return campaign, document, chunks


def fetch_update(
    mirrors: tuple[str, ...],
    trusted_root: bytes,
    cache_dir: Path,
    *,
    campaign_id: str,
    merged: Mapping[str, str],
    now: datetime,
    zone: tzinfo,
    cancelled: Callable[[], bool] = lambda: False,
    fetcher: HttpxFetcher | None = None,
) -> FeedUpdate:
    """What the feed has that ``merged`` (chunk name → sha256 already stored) does not, or a
    ``FeedError`` saying why nothing can be taken."""
    metadata_dir = cache_dir / "metadata"
    targets_dir = cache_dir / "targets"
    metadata_dir.mkdir(parents=True, exist_ok=True)
    targets_dir.mkdir(parents=True, exist_ok=True)
    own_fetcher = fetcher is None
    fetcher = fetcher or HttpxFetcher()
    problems: list[tuple[str, str]] = []  # (kind, detail)
    try:
        for mirror in mirrors:
            try:
                updater = Updater(
                    str(metadata_dir),
                    mirror + layout.METADATA + "/",
                    str(targets_dir),
                    mirror + layout.TARGETS + "/",
                    fetcher,
                    _config(),
                    bootstrap=trusted_root,
                )
                # Expiry is judged by the app's one clock, not the computer's: ngclient reads the
                # time once, into this attribute (python-tuf 7), and has no parameter for it.
                updater._trusted_set.reference_time = now.astimezone(UTC)
                campaign, document, chunks = _from_mirror(
                    updater, campaign_id=campaign_id, merged=merged, now=now, cancelled=cancelled
                )
            except exceptions.ExpiredMetadataError as exc:
                problems.append(("out-of-date", f"{mirror}: {exc}"))
            except exceptions.DownloadLengthMismatchError as exc:  # more than it may weigh
                problems.append(("refused", f"{mirror}: {type(exc).__name__}: {exc}"))
            except exceptions.DownloadError as exc:
                problems.append(("unreachable", f"{mirror}: {type(exc).__name__}: {exc}"))
            except (exceptions.RepositoryError, _RefusedContentError) as exc:
                problems.append(("refused", f"{mirror}: {type(exc).__name__}: {exc}"))
            except OSError as exc:
                problems.append(("unreachable", f"{mirror}: {type(exc).__name__}: {exc}"))
            else:
                for kind, detail in problems:
                    log.warning("feed mirror skipped (%s): %s", kind, detail)
                return FeedUpdate(mirror, campaign, document, chunks, _trusted_expiry(metadata_dir))
    finally:
        if own_fetcher:
            fetcher.close()
    raise _failure(problems, len(mirrors), _trusted_expiry(metadata_dir), zone)


def _failure(
    problems: list[tuple[str, str]], mirrors: int, expiry: datetime | None, zone: tzinfo
) -> FeedError:
    detail = "; ".join(d for _k, d in problems) or "no mirror"
    kinds = {k for k, _d in problems}
    if "refused" in kinds:
        return FeedError(
            _(
                "The campaign's data failed its checks (its signature or its content), so "
                "nothing was changed. The app carries on with what it has."
            ),
            detail,
            kind="refused",
        )
    if "out-of-date" in kinds:
        if expiry is not None:
            message = _(
                "The campaign's data is out of date since {moment}: its organisers have not "
                "published anything newer. The app carries on with what it has."
            ).format(moment=format_moment(expiry, zone))
        else:
            message = _(
                "The campaign's data is out of date: its organisers have not published "
                "anything newer. The app carries on with what it has."
            )
        return FeedError(message, detail, kind="out-of-date")
    return FeedError(
        _(
            "The campaign's data could not be downloaded (addresses tried: {n}). The app "
            "carries on with what it has."
        ).format(n=mirrors),
        detail,
        kind="unreachable",
    )
