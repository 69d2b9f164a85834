"""Writing a feed: the targets (campaign document, one chunk of counts per day), then the TUF
metadata that signs them, then ``campaign.json`` for participants. Every file is written
atomically, targets before the metadata naming them and the timestamp last, so a mirror that
copies the folder at any moment serves either the old feed or the new one.

The root key signs the root only; the online key signs targets, snapshot and timestamp. When the
online key in the keychain is not the one the folder's root names (``campaign-gui key rotate``),
the root gets a new version naming it instead, signed by the root key, and the three roles are
signed again with it: participants follow the new root and trust the old key no more.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from securesystemslib.exceptions import UnverifiedSignatureError
from securesystemslib.signer import Signer, SSlibKey
from tuf.api import exceptions
from tuf.api.metadata import (
    DelegatedRole,
    Delegations,
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import CanonicalJSONSerializer, JSONSerializer

from .. import limits
from ..atomic_file import write_atomically
from ..campaign import Campaign, CampaignError, parse_campaign_bytes
from ..errors import UserError
from ..i18n import _
from ..store import Observation
from . import layout, windows
from .chunks import ChunkError, decode_chunk
from .count_files import CountSource, MemorySource, Remembered, pages_id, plan
from .folder_state import FolderState
from .keys import FeedSigners
from .mirrors import check_mirror

# Compact: the metadata a participant downloads at every publish is a good part of its bytes.
_SERIALIZER = JSONSerializer(compact=True)
# Room left in the participant's campaign file for the root added to it (a root with publish's
# two keys is about 2 KB).
_ROOT_ROOM = 64 * 1024


@dataclass(frozen=True)
class Published:
    version: int  # the timestamp's
    chunks: int
    files_written: int  # new or rewritten, metadata and campaign.json included
    rotated: bool = False  # a new root names a new online key
    root_version: int = 1
    # Counts left out, as participants would refuse them: page id → how many (pages the
    # campaign no longer lists), and how many were dated after the publish.
    left_out: Mapping[str, int] = field(default_factory=dict)
    future: int = 0
    pruned: int = 0  # superseded files removed


class PublishError(UserError):
    pass


class _Folder:
    """The feed's folder, counting what is written to it."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.written = 0

    def write(self, path: Path, data: bytes) -> None:
        """``path``, and beside it a gzip copy (``path.gz``) that hosts can serve to clients that
        accept it (nginx ``gzip_static``, Caddy ``precompressed``); written first, so a host
        never serves a copy older than its file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        if len(data) >= layout.COMPRESS_FROM:
            packed = gzip.compress(data, compresslevel=9, mtime=0)
            gz = path.with_name(path.name + ".gz")
            write_atomically(gz, lambda out: out.buffer.write(packed))
            self.written += 1
        write_atomically(path, lambda out: out.write(data.decode("utf-8")))
        self.written += 1


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


def _signed_by_other(md: Metadata, signer: Signer) -> bool:
    return set(md.signatures) != {signer.public_key.keyid}


def _sign(md: Metadata, role: str, signer: Signer, now: datetime, bump: bool) -> None:
    """Sign ``md`` for ``role``. The root's versions count up by one (participants follow them
    one by one); the other roles take the time of the publish as their version, or one more
    than theirs, so that a feed published into a new folder still comes after every earlier
    one: participants take it, where versions from 1 again would look like a rollback."""
    if role != "root":
        md.signed.version = max(md.signed.version + 1 if bump else 1, int(now.timestamp()))
    elif bump:
        md.signed.version += 1
    md.signed.expires = (now + layout.EXPIRY[role]).replace(microsecond=0)
    md.signatures.clear()
    md.sign(signer)


def _check_new(campaign: Campaign, name: str, data: bytes, now: datetime) -> None:
    """A counts file is checked as participants check it (the same ``decode_chunk`` and size
    limit) before it is signed: one they would refuse is refused here, naming its window."""
    window = windows.parse_name(name)
    assert window is not None
    try:
        if len(data) > layout.MAX_CHUNK_BYTES:
            raise ChunkError(f"{name}: {len(data)} bytes, more than {layout.MAX_CHUNK_BYTES}")
        decode_chunk(
            data,
            campaign_id=campaign.id,
            window=window,
            targets={t.id for t in campaign.targets},
            now=now,
        )
    except ChunkError as exc:
        day = datetime.fromtimestamp(window.start, UTC).date().isoformat()
        raise PublishError(
            _(
                "The counts of {day} cannot be published: participants' apps would refuse "
                "them, and the whole feed with them. Nothing was published."
            ).format(day=day),
            f"chunk check: {exc.detail}",
        ) from None


def _check_own_folders(out: Path) -> None:
    """The folders publish writes in (and prunes) are the feed's own: a link there would make it
    write, and remove files, somewhere else."""
    for folder in (
        out,
        out / layout.METADATA,
        out / layout.TARGETS,
        out / layout.TARGETS / "counts",
    ):
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise PublishError(
                _(
                    "{path} is a link or a file, where the feed needs a folder of its own; "
                    "nothing was published."
                ).format(path=folder),
                f"{folder}: a link or not a folder",
            )


def _intact(path: Path, info: TargetFile) -> bool:
    """Whether ``path`` holds the target ``info`` signs (a half copy, a disk error: not)."""
    try:
        if path.is_symlink() or path.stat().st_size != info.length:
            return False
        info.verify_length_and_hashes(path.read_bytes())
    except (OSError, exceptions.LengthOrHashMismatchError):
        return False
    return True


def _repair_versioned(folder: _Folder, role: str, version: int) -> None:
    """``N.<role>.json`` (what participants download) as ``<role>.json`` holds it: one damaged
    or missing in the folder is written again."""
    meta = folder.out / layout.METADATA
    current = (meta / f"{role}.json").read_bytes()
    versioned = meta / f"{version}.{role}.json"
    try:
        same = versioned.read_bytes() == current
    except OSError:
        same = False
    if not same:
        folder.write(versioned, current)


def _listing(md: Metadata | None) -> dict[str, TargetFile]:
    return dict(md.signed.targets) if md is not None else {}


def _parts(info: TargetFile | None) -> str | None:
    custom = info.custom if info is not None else None
    parts = custom.get("parts") if isinstance(custom, dict) else None
    return parts if isinstance(parts, str) else None


def publish(
    out: Path,
    *,
    campaign_document: Mapping,
    observations: Iterable[Observation] | None = None,
    source: CountSource | None = None,
    mirrors: Sequence[str],
    signers: FeedSigners,
    now: datetime,
) -> Published:
    """Write (or bring up to date) the feed in ``out`` for the campaign ``campaign_document``
    (the campaign file's JSON, without any "feed" part) and the tracked counts: ``source``
    (read as needed: a publish costs what changed), or ``observations`` (all of them).

    The campaign document is checked as participants check it, on the very bytes signed: one
    they would refuse is refused here, before anything is written."""
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
    meta = out / layout.METADATA

    signed_document = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    try:
        campaign = parse_campaign_bytes(signed_document, layout.CAMPAIGN_TARGET)
    except CampaignError as exc:
        raise PublishError(
            _(
                "This campaign cannot be published: participants' apps would refuse it. "
                "{field}: {problem}"
            ).format(field=exc.where or _("(top level)"), problem=exc.problem),
            f"campaign document: {exc.detail}",
        ) from None
    if len(signed_document) + _ROOT_ROOM > limits.MAX_CAMPAIGN_BYTES:
        raise PublishError(
            _(
                "This campaign is too large to publish: participants could not open its file "
                "(at most {size} MB with the feed's keys). Nothing was published."
            ).format(size=limits.MAX_CAMPAIGN_BYTES // (1024 * 1024)),
            f"campaign document: {len(signed_document)} bytes",
        )
    _check_own_folders(out)
    if source is None:
        source = MemorySource(observations or (), {t.id for t in campaign.targets}, now)
    state = FolderState(out)
    roles = {role: _load(meta / f"{role}.json") for role in windows.ROLE_PATHS}
    # What the folder lists now and still holds: listed again as it is when its parts are the same.
    listed = {
        name: info
        for md in roles.values()
        for name, info in _listing(md).items()
        if _intact(_target_path(out, name, info), info)
    }
    marker = source.marker()  # before reading: a write meanwhile is read at the next publish
    pages = pages_id(campaign.id, (t.id for t in campaign.targets))
    counted = plan(
        campaign.id, source, now, state.remembered, lambda n: _parts(listed.get(n)), pages
    )
    if len(counted.files) > layout.MAX_CHUNKS:
        raise PublishError(
            _("There are too many days of counts to publish."), f"{len(counted.files)} files"
        )
    new_files: dict[str, tuple[TargetFile, bytes]] = {}
    by_role: dict[str, dict[str, TargetFile]] = {role: {} for role in windows.ROLE_PATHS}
    for name, file in counted.files.items():
        if file.data is None:
            info = listed[name]
        else:
            custom = {"parts": file.parts} if file.parts else None
            info = TargetFile.from_data(name, file.data, ["sha256"])
            if custom:
                info.unrecognized_fields["custom"] = custom
            if not _intact(_target_path(out, name, info), info):
                _check_new(campaign, name, file.data, now)
                new_files[name] = (info, file.data)
        by_role[file.window.role][name] = info

    folder = _Folder(out)
    root, rotated = _root(folder, signers, now)  # or refused, with nothing written
    campaign_info = TargetFile.from_data(layout.CAMPAIGN_TARGET, signed_document, ["sha256"])
    campaign_info.unrecognized_fields["custom"] = {"feed-format": layout.FEED_FORMAT}
    new_files[layout.CAMPAIGN_TARGET] = (campaign_info, signed_document)
    for name, (info, data) in new_files.items():
        path = _target_path(out, name, info)
        if not _intact(path, info):  # a file damaged in the folder is written again
            folder.write(path, data)

    online = signers.online
    versions: dict[str, int] = {}
    for role, infos in by_role.items():
        md = roles[role]
        first = md is None
        md = md or Metadata(Targets(expires=now))
        changed = md.signed.targets != infos
        md.signed.targets = infos
        _update_role(folder, md, role, online, now, first, changed)
        versions[role] = md.signed.version

    targets = _load(meta / "targets.json")
    first = targets is None
    targets = targets or Metadata(Targets(expires=now))
    delegations = Delegations(
        keys={online.public_key.keyid: online.public_key},
        roles={
            role: DelegatedRole(role, [online.public_key.keyid], 1, True, [pattern])
            for role, pattern in windows.ROLE_PATHS.items()
        },
    )
    infos = {layout.CAMPAIGN_TARGET: campaign_info}
    old_delegations = targets.signed.delegations
    changed = targets.signed.targets != infos or (
        old_delegations is None or old_delegations.to_dict() != delegations.to_dict()
    )
    targets.signed.targets = infos
    targets.signed.delegations = delegations
    _update_role(folder, targets, "targets", online, now, first, changed)

    # The timestamp signs the snapshot's length and hash; the snapshot signs the version of every
    # other role: a participant downloads no more than that, and a mirror cannot mix publishes.
    snapshot = _load(meta / "snapshot.json")
    first = snapshot is None
    snapshot = snapshot or Metadata(Snapshot(expires=now))
    listed_meta = {"targets.json": MetaFile(targets.signed.version)}
    listed_meta |= {f"{role}.json": MetaFile(version) for role, version in versions.items()}
    changed = snapshot.signed.meta != listed_meta
    snapshot.signed.meta = listed_meta
    _update_role(folder, snapshot, "snapshot", online, now, first, changed)
    for role, version in [("targets", targets.signed.version), *versions.items()]:
        _repair_versioned(folder, role, version)
    _repair_versioned(folder, "snapshot", snapshot.signed.version)

    timestamp = _load(meta / "timestamp.json")
    first = timestamp is None
    timestamp = timestamp or Metadata(Timestamp(expires=now))
    timestamp.signed.snapshot_meta = _meta_file(
        snapshot.signed.version, snapshot.to_bytes(_SERIALIZER)
    )
    _sign(timestamp, "timestamp", online, now, bump=not first)
    folder.write(meta / "timestamp.json", timestamp.to_bytes(_SERIALIZER))

    participant = dict(document)
    participant["feed"] = {"mirrors": list(mirrors), "root": root.to_dict()}
    folder.write(
        out / layout.PARTICIPANT_FILE,
        json.dumps(participant, ensure_ascii=False, indent=1).encode("utf-8"),
    )
    state.remembered = Remembered(counted.days, marker, counted.open_day, pages)
    in_use = [
        f"{layout.METADATA}/{name}"
        for role, version in [
            ("timestamp", None),
            ("snapshot", snapshot.signed.version),
            ("targets", targets.signed.version),
            *versions.items(),
            ("root", None),
        ]
        for name in ([f"{role}.json"] + ([f"{version}.{role}.json"] if version else []))
    ]
    in_use += [
        _target_path(out, name, info).relative_to(out).as_posix()
        for name, info in [(layout.CAMPAIGN_TARGET, campaign_info)]
        + [item for infos in by_role.values() for item in infos.items()]
    ]
    pruned = state.prune(out, in_use, now)
    state.save()
    folder.written += 1
    return Published(
        timestamp.signed.version,
        len(counted.files),
        folder.written,
        rotated,
        root.signed.version,
        dict(source.left_out),
        source.future,
        pruned,
    )


def _write_versioned(folder: _Folder, md: Metadata, role: str) -> None:
    """``N.<role>.json`` (what consistent snapshots fetch), then ``<role>.json``."""
    data = md.to_bytes(_SERIALIZER)
    meta = folder.out / layout.METADATA
    folder.write(meta / f"{md.signed.version}.{role}.json", data)
    folder.write(meta / f"{role}.json", data)


def _update_role(
    folder: _Folder,
    md: Metadata,
    role: str,
    signer: Signer,
    now: datetime,
    first: bool,
    changed: bool,
) -> None:
    """Sign ``md`` again, one version up, when it is new, changed, near its expiry or signed with
    another key than ``signer``; otherwise leave the folder's files as they are."""
    if first or changed or _renew(md, role, now) or _signed_by_other(md, signer):
        _sign(md, role, signer, now, bump=not first)
        _write_versioned(folder, md, role)


def _root(folder: _Folder, signers: FeedSigners, now: datetime) -> tuple[Metadata, bool]:
    """The folder's root, made, renewed or rotated as the keys say; and whether it was rotated.

    Written before the metadata signed with a new online key: a participant reads the root
    first. Between the two (an upload half done) one refresh may be refused; the next passes."""
    out = folder.out
    meta = out / layout.METADATA
    root_key, online_key = signers.root.public_key, signers.online.public_key
    root = _load(meta / "root.json")
    if root is None:
        root = Metadata(Root(consistent_snapshot=True, expires=now))
        root.signed.add_key(root_key, "root")
        for role in layout.ONLINE_ROLES:
            root.signed.add_key(online_key, role)
        _sign(root, "root", signers.root, now, bump=False)
        _write_versioned(folder, root, "root")
        return root, False
    if root_key.keyid not in root.signed.roles["root"].keyids:
        raise PublishError(
            _(
                "The feed in {folder} was signed with another key; publish it with that key, or "
                "into a new folder."
            ).format(folder=out),
            f"key {root_key.keyid} is not a root key of {meta / 'root.json'}",
        )
    _check_signed_by(root, root_key, meta / "root.json")
    if any(online_key.keyid not in root.signed.roles[role].keyids for role in layout.ONLINE_ROLES):
        _check_not_revoked(meta, root, online_key.keyid)
    rotated = False
    for role in layout.ONLINE_ROLES:
        for keyid in list(root.signed.roles[role].keyids):
            if keyid != online_key.keyid:
                root.signed.revoke_key(keyid, role)
                rotated = True
        if online_key.keyid not in root.signed.roles[role].keyids:
            root.signed.add_key(online_key, role)
            rotated = True
    if rotated or _renew(root, "root", now):
        _sign(root, "root", signers.root, now, bump=True)
        _write_versioned(folder, root, "root")
    return root, rotated


def _check_signed_by(root: Metadata, root_key: SSlibKey, path: Path) -> None:
    """The folder's root is the one our root key signed, as it was signed: one changed on the
    host or the disk (an extra key added, say) would otherwise be signed again, as ours."""
    signature = root.signatures.get(root_key.keyid)
    try:
        if signature is None:
            raise UnverifiedSignatureError("no signature by the root key")
        root_key.verify_signature(signature, CanonicalJSONSerializer().serialize(root.signed))
    except UnverifiedSignatureError as exc:
        raise PublishError(
            _(
                "The feed's list of keys in {path} was changed after it was signed; nothing was "
                "published. Publish from the folder as you last published it."
            ).format(path=path),
            f"{path}: {exc}",
        ) from None


def _check_not_revoked(meta: Path, root: Metadata, keyid: str) -> None:
    """The keychain's online key is not one that an earlier root named and a later one dropped
    (an old copy of the keychain): publishing would trust it again."""
    for older in sorted(meta.glob("*.root.json")):
        version, _dot, _rest = older.name.partition(".")
        if not version.isdigit() or int(version) >= root.signed.version:
            continue
        earlier = _load(older)
        if earlier is not None and keyid in earlier.signed.roles["targets"].keyids:
            raise PublishError(
                _(
                    "The online key in this keychain was replaced by a newer one (version "
                    "{version} of the feed's list of keys); nothing was published. Use the "
                    "keychain that holds the newer key, or make a new one with: campaign-gui key "
                    "rotate"
                ).format(version=root.signed.version),
                f"online key {keyid} was named by {older.name} and dropped since",
            )
