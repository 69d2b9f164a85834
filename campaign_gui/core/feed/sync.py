"""Bringing a participant's copy of the feed up to date: TUF checks everything downloaded, this
module checks what it says, and the caller merges the result, with the metadata that vouches
for it, in one transaction.

Each mirror is tried in turn from the same trusted state (the store's, written into a folder of
its own for ngclient): a mirror serving an older feed is a rollback, refused, and nothing one
mirror verified is kept unless its whole feed is accepted. So a host that serves another
campaign's folder signed by the same keys, or counts a participant would refuse, moves nothing:
not the store, and not TUF's trusted versions either.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from tuf.api import exceptions
from tuf.api.metadata import Metadata, Snapshot, TargetFile, Targets
from tuf.ngclient import Updater, UpdaterConfig

from .. import limits
from ..campaign import Campaign, CampaignError, parse_campaign_bytes
from ..errors import UserError
from ..formatting import format_moment
from ..i18n import _
from ..store import LazyCountColumns, TrustedFeed
from . import layout, windows
from .chunks import ChunkError, decode_chunk
from .fetcher import CancelledDownloadError, Deadlines, HttpxFetcher, TooSlowError

log = logging.getLogger(__name__)

_METADATA_FILES = ("timestamp", "snapshot", "targets", *windows.ROLE_PATHS)


@dataclass(frozen=True)
class FeedUpdate:
    mirror: str
    campaign: Campaign
    document: bytes  # the campaign as the feed gave it (verified), to keep in the store
    # new or changed counts files only: name -> (content id, counts by columns; none for a
    # compacted file recorded from the parts the participant has)
    chunks: dict[str, tuple[str, LazyCountColumns]] = field(default_factory=dict)
    fresh_until: datetime | None = None
    # TUF's metadata that vouches for all of this: kept with it, in the same transaction
    trusted: TrustedFeed = field(default_factory=TrustedFeed)
    # merged files now inside a compacted one of ``chunks``: no longer worth remembering
    forget: tuple[str, ...] = ()


class FeedError(UserError):
    def __init__(self, message: str, detail: str, *, kind: str) -> None:
        super().__init__(message, detail)
        # "clock" (this computer's clock is behind the feed's publish), "refused" (hashes),
        # "unsigned" (keys not trusted), "other-campaign", "newer-format"
        # and "older-format" (another version of the app published it), "invalid"
        # (signed but not valid), "too-large", "behind" (older than what we have),
        # "out-of-date", "too-slow", "unreachable", "cancelled"
        self.kind = kind


class _RefusedContentError(Exception):
    """A feed that verified but whose content is not valid: the organisers' mistake."""


class _OtherCampaignError(Exception):
    """A feed that verified, for another campaign (signed by the same keys)."""


class _ClockError(Exception):
    """A feed published later than this computer's now (a day's slack): its clock is behind."""

    def __init__(self, published: datetime) -> None:
        super().__init__(f"published at {published.isoformat()}, after this computer's now")
        self.published = published


class _OtherFormatError(Exception):
    """A feed that verified, written in another format than this app's (``newer``: a later
    version of the app published it)."""

    def __init__(self, detail: str, *, newer: bool) -> None:
        super().__init__(detail)
        self.newer = newer


def _config() -> UpdaterConfig:
    return UpdaterConfig(
        root_max_length=layout.MAX_ROOT_BYTES,
        timestamp_max_length=layout.MAX_TIMESTAMP_BYTES,
        snapshot_max_length=layout.MAX_SNAPSHOT_BYTES,
        targets_max_length=layout.MAX_TARGETS_BYTES,
        app_user_agent="campaign-gui",
    )


def _expiry(timestamp: bytes | None) -> datetime | None:
    try:
        return Metadata.from_bytes(timestamp).signed.expires if timestamp else None
    except Exception:  # unreadable: the moment is not known
        return None


def _same_fork(trusted_root: bytes, trusted: TrustedFeed) -> bool:
    """Whether what the last sync left grew from the campaign file's root: the file's root is
    in the kept chain as it is. An organiser who lost the folder after a key rotation publishes
    a new chain from version 1 with the same root key; the kept chain is then another history,
    and the file the participant opened now (the anchor of their trust) wins over it."""
    try:
        signed = json.loads(trusted_root)["signed"]
        kept = trusted.metadata.get(f"root-{int(signed['version'])}")
        return kept is None or json.loads(kept)["signed"] == signed
    except (ValueError, KeyError, TypeError, RecursionError):
        return False


def _restore(folder: Path, trusted: TrustedFeed) -> None:
    """ngclient's metadata folder, as the last accepted sync left it."""
    history = folder / "root_history"
    history.mkdir(parents=True)
    for name, data in trusted.metadata.items():
        if name.startswith("root-") and name[5:].isdigit():
            (history / f"{int(name[5:])}.root.json").write_bytes(data)
        elif name in _METADATA_FILES:
            (folder / f"{name}.json").write_bytes(data)


def _kept(folder: Path) -> dict[str, bytes]:
    """What ngclient now trusts in ``folder``: every root of the chain and the other roles."""
    kept = {
        f"root-{int(path.name.split('.')[0])}": path.read_bytes()
        for path in (folder / "root_history").glob("*.root.json")
        if path.name.split(".")[0].isdigit()
    }
    for name in _METADATA_FILES:
        path = folder / f"{name}.json"
        if path.is_file():
            kept[name] = path.read_bytes()
    return kept


def _download(updater: Updater, info: TargetFile, known: bytes = b"") -> bytes:
    """The target's bytes: ``known`` if they are the ones signed, else downloaded."""
    if known:
        try:
            info.verify_length_and_hashes(known)
            return known
        except exceptions.LengthOrHashMismatchError:
            pass
    if info.length > layout.MAX_CHUNK_BYTES:
        raise exceptions.DownloadLengthMismatchError(f"{info.path}: signed as {info.length} bytes")
    return Path(updater.download_target(info)).read_bytes()


def _feed_format(info: TargetFile) -> None:
    custom = info.custom
    found = custom.get("feed-format") if isinstance(custom, dict) else None
    if found != layout.FEED_FORMAT:
        newer = isinstance(found, int) and found > layout.FEED_FORMAT
        raise _OtherFormatError(f"feed format {str(found)[:20]}", newer=newer)


def _verified(folder: Path, role: str) -> Metadata:
    """``role``'s metadata as ngclient keeps it in its metadata folder, where it writes a role
    once verified (and reads it back at the next start instead of downloading it again)."""
    try:
        return Metadata.from_bytes((folder / f"{role}.json").read_bytes())
    except FileNotFoundError:
        raise _RefusedContentError(f"{role} was not loaded") from None


def _listed(updater: Updater, folder: Path) -> dict[str, TargetFile]:
    """Every counts file the feed lists now, from its delegated roles (each loaded and verified
    by ngclient on the way: asking for a name of the role's pattern loads it). ngclient has no
    public listing of a role: each is read back from ``folder``, and must be the version the
    snapshot verified in this sync lists (never a role kept from the last sync and not loaded
    in this one)."""
    snapshot = _verified(folder, "snapshot").signed
    assert isinstance(snapshot, Snapshot)
    found: dict[str, TargetFile] = {}
    for role, pattern in windows.ROLE_PATHS.items():
        updater.get_targetinfo(pattern.replace("?", "0"))
        signed = _verified(folder, role).signed
        listed = snapshot.meta.get(f"{role}.json")
        if not isinstance(signed, Targets) or listed is None or listed.version != signed.version:
            raise _RefusedContentError(f"{role} is not the version the snapshot lists")
        for name, info in signed.targets.items():
            window = windows.parse_name(name)
            if window is None or window.role != role:
                raise _RefusedContentError(f"{role} lists {name[:100]!r}")
            found[name] = info
    return found


def judge_expiry_at(updater: Updater, now: datetime) -> None:
    """Have ngclient judge every expiry at ``now``, the app's one clock, not the computer's.

    python-tuf 7 has no public way to give an ``Updater`` its time: it reads the computer's
    clock once, at construction, into ``Updater._trusted_set.reference_time``, and judges each
    role's expiry against it. This is the one place the app reaches into python-tuf's
    internals (the reason tuf is pinned ``<8``). If an upgrade moves that attribute, this
    raises rather than set one nothing reads, and
    tests/test_feed_windows.py::test_ngclient_still_judges_expiry_at_the_time_it_is_given fails.
    """
    trusted = getattr(updater, "_trusted_set", None)
    if trusted is None or not isinstance(getattr(trusted, "reference_time", None), datetime):
        raise RuntimeError(
            "python-tuf's Updater no longer keeps its reference time in "
            "_trusted_set.reference_time: core/feed/sync.py judge_expiry_at needs a new way"
        )
    trusted.reference_time = now.astimezone(UTC)


def _from_mirror(
    updater: Updater,
    folder: Path,
    *,
    campaign_id: str,
    merged: Mapping[str, str],
    known: bytes,
    now: datetime,
    cancelled: Callable[[], bool],
) -> tuple[Campaign, bytes, dict[str, tuple[str, LazyCountColumns]]]:
    updater.refresh()
    # A timestamp's version is the moment of its publish (``publish._sign``): one more than a
    # day after this computer's now says its clock is behind (every count would look future).
    published = _verified(folder, "timestamp").signed.version
    if published > (now + limits.FUTURE_SLACK).timestamp():
        raise _ClockError(datetime.fromtimestamp(published, UTC))
    info = updater.get_targetinfo(layout.CAMPAIGN_TARGET)
    if info is None:
        raise _RefusedContentError("no campaign document")
    _feed_format(info)
    document = _download(updater, info, known)
    try:
        campaign = parse_campaign_bytes(document, "feed")
    except CampaignError as exc:
        raise _RefusedContentError(f"campaign document: {exc.detail or exc.message}") from None
    if campaign.id != campaign_id:
        raise _OtherCampaignError(f"the feed is for campaign {campaign.id!r}, not {campaign_id!r}")
    targets = {t.id for t in campaign.targets}
    chunks: dict[str, tuple[str, LazyCountColumns]] = {}
    first = int((campaign.start_instant() - layout.BEFORE_START).timestamp())
    last = int((now + timedelta(days=1)).timestamp())
    for name, info in sorted(_listed(updater, folder).items()):
        window = windows.parse_name(name)
        assert window is not None
        if window.end <= first or window.start > last:
            continue
        if cancelled():
            raise FeedError(_("Cancelled."), "sync cancelled", kind="cancelled")
        content = info.hashes.get("sha256", "")
        if window.level != windows.QUARTER:
            custom = info.custom
            parts = custom.get("parts") if isinstance(custom, dict) else None
            if not isinstance(parts, str) or len(parts) != 64:
                raise _RefusedContentError(f"{name}: no content id")
            content = parts
        if merged.get(name) == content:
            continue
        # A compacted file whose parts were all merged already is recorded, not downloaded.
        if (
            window.level != windows.QUARTER
            and windows.inside(window, merged)
            and windows.content_id(window, merged.get) == content
        ):
            chunks[name] = (content, ([], [], [], [], []))
            continue
        try:
            rows = decode_chunk(
                _download(updater, info),
                campaign_id=campaign_id,
                window=window,
                targets=targets,
                now=now,
            )
        except ChunkError as exc:
            raise _RefusedContentError(exc.detail) from None
        chunks[name] = (content, rows)
    return campaign, document, chunks


def fetch_update(
    mirrors: tuple[str, ...],
    trusted_root: bytes,
    trusted: TrustedFeed,
    *,
    campaign_id: str,
    merged: Mapping[str, str],
    now: datetime,
    zone: tzinfo | None,
    cancelled: Callable[[], bool] = lambda: False,
    fetcher: HttpxFetcher | None = None,
    deadlines: Deadlines | None = None,
    monotonic: Callable[[], float] = time.monotonic,
) -> FeedUpdate:
    """What the feed has that ``merged`` (chunk name → sha256 already stored) does not, with the
    metadata to keep, or a ``FeedError`` saying why nothing can be taken. ``trusted_root`` is
    the campaign file's root, ``trusted`` what the last accepted sync left; neither is changed
    here, whatever a mirror serves. ``zone``: where the moments said are (None: the computer's)."""
    if not _same_fork(trusted_root, trusted):
        log.warning("the kept feed metadata grew from another root than the file's: set aside")
        trusted = TrustedFeed(document=trusted.document)
    own_fetcher = fetcher is None
    if fetcher is None:
        validators = {}
        if trusted.validator is not None and "timestamp" in trusted.metadata:
            url, etag = trusted.validator
            validators[url] = (etag, trusted.metadata["timestamp"])
        fetcher = HttpxFetcher(
            validators=validators, deadlines=deadlines or Deadlines(), cancelled=cancelled
        )
    sync_ends = monotonic() + fetcher.deadlines.sync
    problems: list[tuple[str, str]] = []  # (kind, detail)
    published: datetime | None = None  # a feed's publish later than this computer's clock
    try:
        for mirror in mirrors:
            left = sync_ends - monotonic()
            if left <= 0:
                problems.append(("unreachable", f"{mirror}: not tried, the sync's time is up"))
                continue
            fetcher.start_budget(min(fetcher.deadlines.mirror, left))
            with tempfile.TemporaryDirectory(prefix="campaign-gui-feed-") as work:
                folder = Path(work)
                try:
                    unchanged = _unchanged(fetcher, mirror, trusted, campaign_id, now)
                    if unchanged is not None:
                        return unchanged
                    _restore(folder / "metadata", trusted)
                    updater = Updater(
                        str(folder / "metadata"),
                        mirror + layout.METADATA + "/",
                        str(folder / "targets"),
                        mirror + layout.TARGETS + "/",
                        fetcher,
                        _config(),
                        bootstrap=trusted_root,
                    )
                    (folder / "targets").mkdir()
                    judge_expiry_at(updater, now)
                    campaign, document, chunks = _from_mirror(
                        updater,
                        folder / "metadata",
                        campaign_id=campaign_id,
                        merged=merged,
                        known=trusted.document,
                        now=now,
                        cancelled=cancelled,
                    )
                    kept = _kept(folder / "metadata")
                except CancelledDownloadError:
                    raise FeedError(_("Cancelled."), "sync cancelled", kind="cancelled") from None
                except exceptions.ExpiredMetadataError as exc:
                    problems.append(("out-of-date", f"{mirror}: {exc}"))
                except TooSlowError as exc:
                    problems.append(("too-slow", f"{mirror}: {exc}"))
                except exceptions.DownloadLengthMismatchError as exc:  # more than it may weigh
                    problems.append(("too-large", f"{mirror}: {type(exc).__name__}: {exc}"))
                except exceptions.DownloadError as exc:
                    problems.append(("unreachable", f"{mirror}: {type(exc).__name__}: {exc}"))
                except exceptions.BadVersionNumberError as exc:
                    problems.append(("behind", f"{mirror}: {type(exc).__name__}: {exc}"))
                except exceptions.UnsignedMetadataError as exc:
                    problems.append(("unsigned", f"{mirror}: {type(exc).__name__}: {exc}"))
                except exceptions.RepositoryError as exc:
                    problems.append(("refused", f"{mirror}: {type(exc).__name__}: {exc}"))
                except _OtherCampaignError as exc:
                    problems.append(("other-campaign", f"{mirror}: {exc}"))
                except _ClockError as exc:
                    problems.append(("clock", f"{mirror}: {exc}"))
                    published = exc.published
                except _OtherFormatError as exc:
                    kind = "newer-format" if exc.newer else "older-format"
                    problems.append((kind, f"{mirror}: {exc}"))
                except _RefusedContentError as exc:
                    problems.append(("invalid", f"{mirror}: {exc}"))
                except OSError as exc:
                    problems.append(("unreachable", f"{mirror}: {type(exc).__name__}: {exc}"))
                else:
                    for kind, detail in problems:
                        log.warning("feed mirror skipped (%s): %s", kind, detail)
                    return FeedUpdate(
                        mirror,
                        campaign,
                        document,
                        chunks,
                        _expiry(kept.get("timestamp")),
                        TrustedFeed(kept, _validator(fetcher, mirror, kept), document),
                        _covered(merged, chunks),
                    )
    finally:
        if own_fetcher:
            fetcher.close()
    expiry = _expiry(trusted.metadata.get("timestamp"))
    raise _failure(problems, len(mirrors), expiry, zone, published)


def _unchanged(
    fetcher: HttpxFetcher, mirror: str, trusted: TrustedFeed, campaign_id: str, now: datetime
) -> FeedUpdate | None:
    """The update when ``mirror`` answers 304 for the timestamp last accepted from it: nothing
    was published since, and what is trusted still holds at ``now``. One request, where TUF's
    walk would make two (the next root, then the timestamp). Skipping the root's request gives
    a host no more than it has: it could as well answer that no new root exists. A new root
    always comes with a new timestamp, and so with the full walk."""
    url = mirror + layout.METADATA + "/timestamp.json"
    if trusted.validator is None or trusted.validator[0] != url or not trusted.document:
        return None
    try:
        campaign = parse_campaign_bytes(trusted.document, "feed")
        roots = [n for n in trusted.metadata if n.startswith("root-") and n[5:].isdigit()]
        newest = max(roots, key=lambda n: int(n[5:]), default=None)
        if campaign.id != campaign_id or newest is None:
            return None
        names = [*_METADATA_FILES, newest]
        if not set(names) <= set(trusted.metadata):
            return None
        if any(Metadata.from_bytes(trusted.metadata[n]).signed.is_expired(now) for n in names):
            return None  # the full walk says since when
    except Exception:  # anything unreadable: the full walk says what it is
        return None
    if not fetcher.unchanged(url):
        return None
    return FeedUpdate(
        mirror,
        campaign,
        trusted.document,
        {},
        _expiry(trusted.metadata["timestamp"]),
        TrustedFeed(dict(trusted.metadata), trusted.validator, trusted.document),
    )


def _covered(merged: Mapping[str, str], chunks: Mapping[str, object]) -> tuple[str, ...]:
    """The merged files' names inside a compacted file of ``chunks``."""
    found: set[str] = set()
    for name in chunks:
        window = windows.parse_name(name)
        if window is not None and window.level != windows.QUARTER:
            found.update(windows.inside(window, merged))
    return tuple(sorted(found))


def _validator(
    fetcher: HttpxFetcher, mirror: str, kept: Mapping[str, bytes]
) -> tuple[str, str] | None:
    """The ETag to ask with next time, if the timestamp it names is the one now trusted."""
    url = mirror + layout.METADATA + "/timestamp.json"
    seen = fetcher.seen.get(url)
    if seen is not None and seen[1] == kept.get("timestamp"):
        return url, seen[0]
    return None


def _failure(
    problems: list[tuple[str, str]],
    mirrors: int,
    expiry: datetime | None,
    zone: tzinfo | None,
    published: datetime | None = None,
) -> FeedError:
    """One message for the mirrors' failures: the most telling one (a signature refused says
    more than a host that was down), in words a participant understands."""
    detail = "; ".join(d for _k, d in problems) or "no mirror"
    kinds = {k for k, _d in problems}
    if published is not None:  # this computer's clock, not the feed: the one thing to fix
        message = _(
            "The campaign's data was published on {moment}, later than this computer's date "
            "and time. Check the computer's date, time and time zone; the app carries on with "
            "what it has."
        ).format(moment=format_moment(published, zone))
        return FeedError(message, detail, kind="clock")
    carry_on = _("Nothing was changed; the app carries on with what it has.")
    messages = {
        "refused": _(
            "The campaign's data was refused: it does not match what its organisers signed. "
            "It was changed on the host or on the way, or a copy is incomplete."
        ),
        "unsigned": _(
            "The campaign's data was refused: it is not signed with the keys this app trusts. "
            "Either someone else signed it, or its organisers changed their keys: then open "
            "the campaign file they give now, or try again once their upload has finished."
        ),
        "other-campaign": _(
            "The address of the live data serves another campaign's data, not this one's: a "
            "mistake of its host or of the organisers."
        ),
        "newer-format": _(
            "The campaign's data is published in a newer format than this version of the app "
            "reads. Update Campaign Companion to follow it."
        ),
        "older-format": _(
            "The campaign's data is published in the format of an earlier version of the app. "
            "Its organisers need to publish it again with the current version."
        ),
        "invalid": _(
            "The campaign's data is signed by its organisers but holds a mistake, so it was "
            "not taken. They need to publish it again."
        ),
        "too-large": _(
            "A file of the campaign's data is larger than it may be, so it was not downloaded."
        ),
        "behind": _(
            "The address of the live data serves an older copy than the one you already have "
            "(a host not yet up to date)."
        ),
    }
    for kind, message in messages.items():
        if kind in kinds:
            return FeedError(f"{message} {carry_on}", detail, kind=kind)
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
    if "too-slow" in kinds:
        return FeedError(
            _(
                "The campaign's data did not arrive in time (addresses tried: {n}): the "
                "connection or the host is too slow. The app carries on with what it has."
            ).format(n=mirrors),
            detail,
            kind="too-slow",
        )
    return FeedError(
        _(
            "The campaign's data could not be downloaded (addresses tried: {n}). The app "
            "carries on with what it has."
        ).format(n=mirrors),
        detail,
        kind="unreachable",
    )
