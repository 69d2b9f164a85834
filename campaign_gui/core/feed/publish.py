"""Writing a feed: the targets (campaign document, one chunk of counts per day), then the TUF
metadata that signs them, then ``campaign.json`` for participants. Every file is written
atomically, targets before the metadata naming them and the timestamp last, so a mirror that
copies the folder at any moment serves either the old feed or the new one.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import (
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

from ..atomic_file import write_atomically
from ..errors import UserError
from ..i18n import _
from ..store import Observation
from . import layout
from .chunks import encode_chunk
from .mirrors import check_mirror

_SERIALIZER = JSONSerializer(compact=False)


@dataclass(frozen=True)
class Published:
    version: int  # the timestamp's
    chunks: int
    new_files: int


class PublishError(UserError):
    pass


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, lambda out: out.write(data.decode("utf-8")))


def _load(path: Path) -> Metadata | None:
    try:
        return Metadata.from_bytes(path.read_bytes())
    except FileNotFoundError:
        return None
    except Exception as exc:  # tuf raises several kinds for a bad file
        raise PublishError(
            _("The feed folder holds a file that cannot be read: {path}").format(path=path),
            f"{path}: {type(exc).__name__}: {exc}",
        ) from None


def _target_path(out: Path, name: str, info: TargetFile) -> Path:
    folder, _slash, base = name.rpartition("/")
    return out / layout.TARGETS / folder / f"{info.hashes['sha256']}.{base}"


def _meta_file(version: int, data: bytes) -> MetaFile:
    return MetaFile(version, len(data), {"sha256": hashlib.sha256(data).hexdigest()})


def _renew(md: Metadata, role: str, now: datetime) -> bool:
    return md.signed.expires - now < layout.RENEW_BEFORE[role]


def _sign(md: Metadata, role: str, signer: CryptoSigner, now: datetime, bump: bool) -> None:
    if bump:
        md.signed.version += 1
    md.signed.expires = (now + layout.EXPIRY[role]).replace(microsecond=0)
    md.signatures.clear()
    md.sign(signer)


def _chunks(campaign_id: str, observations: Iterable[Observation]) -> dict[str, bytes]:
    by_day: dict[date, list[Observation]] = defaultdict(list)
    for obs in observations:
        by_day[obs.observed_at.astimezone(UTC).date()].append(obs)
    if len(by_day) > layout.MAX_CHUNKS:
        raise PublishError(
            _("There are too many days of counts to publish."), f"{len(by_day)} days"
        )
    return {
        layout.chunk_name(day): encode_chunk(campaign_id, day, rows)
        for day, rows in sorted(by_day.items())
    }


def publish(
    out: Path,
    *,
    campaign_document: Mapping,
    observations: Iterable[Observation],
    mirrors: Sequence[str],
    signer: CryptoSigner,
    now: datetime,
) -> Published:
    """Write (or bring up to date) the feed in ``out`` for the campaign ``campaign_document``
    (the campaign file's JSON, without any "feed" part) and the tracked ``observations``."""
    now = now.astimezone(UTC).replace(microsecond=0)
    if not mirrors or len(mirrors) > layout.MAX_MIRRORS:
        raise PublishError(
            _("Give between 1 and {n} addresses where the feed will be served.").format(
                n=layout.MAX_MIRRORS
            ),
            f"{len(mirrors)} mirrors",
        )
    mirrors = [check_mirror(url) for url in mirrors]
    # The signed campaign names its mirrors (so organisers can add one), never its root: the
    # participant's trust comes from the campaign file, and TUF keeps the root up to date.
    document = {k: v for k, v in campaign_document.items() if k != "feed"}
    document["feed"] = {"mirrors": list(mirrors)}
    campaign_id = str(document.get("id", ""))
    meta = out / layout.METADATA

    files = {layout.CAMPAIGN_TARGET: json.dumps(document, ensure_ascii=False, indent=1).encode()}
    files |= _chunks(campaign_id, observations)
    infos = {name: TargetFile.from_data(name, data, ["sha256"]) for name, data in files.items()}

    new_files = 0
    for name, data in files.items():
        path = _target_path(out, name, infos[name])
        if not path.exists():
            _write(path, data)
            new_files += 1

    key = signer.public_key
    root = _load(meta / "root.json")
    if root is None:
        root = Metadata(Root(consistent_snapshot=True, expires=now))
        for role in layout.ROLES:
            root.signed.add_key(key, role)
        _sign(root, "root", signer, now, bump=False)
        _write(meta / "1.root.json", root.to_bytes(_SERIALIZER))
        _write(meta / "root.json", root.to_bytes(_SERIALIZER))
    elif key.keyid not in root.signed.roles["root"].keyids:
        raise PublishError(
            _(
                "The feed in {folder} was signed with another key; publish it with that key, or "
                "into a new folder."
            ).format(folder=out),
            f"key {key.keyid} is not a root key of {meta / 'root.json'}",
        )
    elif _renew(root, "root", now):
        _sign(root, "root", signer, now, bump=True)
        _write(meta / f"{root.signed.version}.root.json", root.to_bytes(_SERIALIZER))
        _write(meta / "root.json", root.to_bytes(_SERIALIZER))

    targets = _load(meta / "targets.json")
    first = targets is None
    targets = targets or Metadata(Targets(expires=now))
    if first or targets.signed.targets != infos or _renew(targets, "targets", now):
        targets.signed.targets = infos
        _sign(targets, "targets", signer, now, bump=not first)
        _write(meta / f"{targets.signed.version}.targets.json", targets.to_bytes(_SERIALIZER))
        _write(meta / "targets.json", targets.to_bytes(_SERIALIZER))
    targets_bytes = targets.to_bytes(_SERIALIZER)

    # Lengths and hashes of snapshot and targets are signed too: a participant downloads no more
    # than that, and a mirror cannot mix files of different publishes.
    snapshot = _load(meta / "snapshot.json")
    first = snapshot is None
    snapshot = snapshot or Metadata(Snapshot(expires=now))
    listed = {"targets.json": _meta_file(targets.signed.version, targets_bytes)}
    if first or snapshot.signed.meta != listed or _renew(snapshot, "snapshot", now):
        snapshot.signed.meta = listed
        _sign(snapshot, "snapshot", signer, now, bump=not first)
        _write(meta / f"{snapshot.signed.version}.snapshot.json", snapshot.to_bytes(_SERIALIZER))
        _write(meta / "snapshot.json", snapshot.to_bytes(_SERIALIZER))

    timestamp = _load(meta / "timestamp.json")
    first = timestamp is None
    timestamp = timestamp or Metadata(Timestamp(expires=now))
    timestamp.signed.snapshot_meta = _meta_file(
        snapshot.signed.version, snapshot.to_bytes(_SERIALIZER)
    )
    _sign(timestamp, "timestamp", signer, now, bump=not first)
    _write(meta / "timestamp.json", timestamp.to_bytes(_SERIALIZER))

    participant = dict(document)
    participant["feed"] = {"mirrors": list(mirrors), "root": root.to_dict()}
    _write(
        out / layout.PARTICIPANT_FILE,
        json.dumps(participant, ensure_ascii=False, indent=1).encode("utf-8"),
    )
    return Published(timestamp.signed.version, len(files) - 1, new_files)


def expires_soonest(out: Path) -> datetime | None:
    """When the feed in ``out`` goes out of date if nothing is published again."""
    timestamp = _load(out / layout.METADATA / "timestamp.json")
    return None if timestamp is None else timestamp.signed.expires
