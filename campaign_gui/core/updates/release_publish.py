"""Publishing the release index: the project's release keys sign, with python-tuf's Metadata
API, the index and every installer as TUF targets, into one flat folder of static files. The
release workflow runs this module (``python -m campaign_gui.core.updates.release_publish``);
the tests call the same functions.

The folder (``layout``: one level, so it can be attached to a release as it is, or copied to
any static host: every mirror serves the same files)::

    1.root.json … N.root.json, root.json    the roots, signed offline by the release root key
    timestamp.json                           the one file that changes in place
    V.snapshot.json, V.targets.json          signed by the online key (V: the publish's time)
    <sha256>.release-index.json              the index (``release_index``)
    <sha256>.<installer name>                each installer, named by its hash (immutable)

The root key never comes here: the release manager signs each root offline
(``release_publish root``, on their own computer) and the workflow is given the roots' files.
The online key (``RELEASE_ONLINE_KEY``: base64 of a raw Ed25519 private key, in the workflow's
secrets) signs targets, snapshot and timestamp.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import itertools
import json
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.signer import CryptoSigner, Signer, SSlibKey
from tuf.api.metadata import Metadata, MetaFile, Root, Snapshot, TargetFile, Targets, Timestamp
from tuf.api.serialization.json import JSONSerializer

from .. import limits
from ..atomic_file import move_into_place, write_atomically
from ..clock import SystemClock
from ..errors import UserError
from .release_index import (
    INDEX_TARGET,
    PLATFORMS,
    Installer,
    Release,
    ReleaseIndex,
    ReleaseIndexError,
    Version,
    index_bytes,
    parse_index,
)

ONLINE_ROLES = ("targets", "snapshot", "timestamp")
# How long each signature holds. The release workflow signs at each release; between releases
# the release manager runs ``release_publish renew`` (a timestamp more than this old is a
# freeze: refused by every app).
EXPIRY = {
    "root": timedelta(days=730),
    "targets": timedelta(days=365),
    "snapshot": timedelta(days=365),
    "timestamp": timedelta(days=60),
}
ONLINE_KEY_VARIABLE = "RELEASE_ONLINE_KEY"
ROOT_KEY_VARIABLE = "RELEASE_ROOT_KEY"
_SERIALIZER = JSONSerializer(compact=True)


class ReleasePublishError(UserError):
    """Nothing was published; ``message`` says why (the workflow's log shows it)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, message)


@dataclass(frozen=True)
class PublishedRelease:
    version: Version
    timestamp_version: int
    targets: tuple[str, ...]  # the TUF targets' names listed


def signer_from_text(text: str) -> CryptoSigner:
    """An Ed25519 signer from base64 of its 32 raw private bytes (as kept in a secret)."""
    try:
        private = Ed25519PrivateKey.from_private_bytes(
            base64.b64decode(text.strip(), validate=True)
        )
    except (binascii.Error, ValueError) as exc:
        raise ReleasePublishError(
            f"the key is not base64 of 32 bytes: {type(exc).__name__}"
        ) from None
    return CryptoSigner(private, SSlibKey.from_crypto(private.public_key(), None, "ed25519"))


def new_key_text() -> str:
    """A new Ed25519 private key, as ``signer_from_text`` reads it."""
    return base64.b64encode(Ed25519PrivateKey.generate().private_bytes_raw()).decode("ascii")


def _expires(role: str, now: datetime) -> datetime:
    return (now.astimezone(UTC) + EXPIRY[role]).replace(microsecond=0)


def make_root(
    root_signer: Signer,
    online_key: SSlibKey,
    now: datetime,
    *,
    previous: bytes | None = None,
) -> bytes:
    """A signed root naming ``root_signer``'s key for the root and ``online_key`` for the other
    roles: version 1, or one more than ``previous`` (a new online key, or a root renewed before
    its expiry; apps follow the versions one by one). Run offline, by the release manager."""
    if previous is None:
        root = Metadata(Root(expires=_expires("root", now), consistent_snapshot=True))
    else:
        root = Metadata[Root].from_bytes(previous)
        root.signed.version += 1
        root.signed.expires = _expires("root", now)
        for role in ONLINE_ROLES:
            for keyid in list(root.signed.roles[role].keyids):
                root.signed.revoke_key(keyid, role)
    if root_signer.public_key.keyid not in root.signed.roles["root"].keyids:
        root.signed.add_key(root_signer.public_key, "root")
    for role in ONLINE_ROLES:
        root.signed.add_key(online_key, role)
    root.signatures.clear()
    root.sign(root_signer)
    return root.to_bytes(JSONSerializer(compact=False))


def platform_of(name: str) -> str | None:
    """The platform an installer is for, from the names ``packaging/build.py`` gives."""
    if name.endswith("-setup.exe"):
        return "windows-x86_64"
    for platform_name in PLATFORMS:
        system, _dash, arch = platform_name.partition("-")
        if name.endswith(f"-{system}-{arch}.dmg") or name.endswith(f"-{system}-{arch}.tar.xz"):
            return platform_name
    return None


def _sha256(path: Path) -> tuple[int, str]:
    digest, length = hashlib.sha256(), 0
    with path.open("rb") as file:
        while piece := file.read(1024 * 1024):
            digest.update(piece)
            length += len(piece)
    return length, digest.hexdigest()


def _write(path: Path, data: bytes) -> None:
    write_atomically(path, lambda out: out.buffer.write(data))


def _copy(source: Path, target: Path) -> None:
    """``source`` copied to ``target`` whole (a file named by its hash is never half there)."""
    temp = target.with_name(f".{target.name}.part")
    shutil.copyfile(source, temp)
    move_into_place(temp, target)


def _load(path: Path) -> Metadata | None:
    try:
        return Metadata.from_bytes(path.read_bytes())
    except FileNotFoundError:
        return None
    except Exception as exc:  # tuf raises several kinds for a bad file
        raise ReleasePublishError(f"{path}: cannot be read: {type(exc).__name__}: {exc}") from None


def _previous_index(out: Path) -> ReleaseIndex | None:
    """The index the folder holds from an earlier publish, if any."""
    targets = _load(out / "targets.json")
    info = targets.signed.targets.get(INDEX_TARGET) if targets is not None else None
    if info is None:
        return None
    path = out / f"{info.hashes['sha256']}.{INDEX_TARGET}"
    try:
        data = path.read_bytes()
        info.verify_length_and_hashes(data)
        return parse_index(data)
    except Exception as exc:
        raise ReleasePublishError(f"{path}: the earlier index cannot be read: {exc}") from None


def _roots(out: Path, roots: Sequence[bytes], online: Signer) -> Metadata:
    """Every root given, as ``N.root.json``, and the newest as ``root.json``; refused unless they
    form one chain (each signed by its predecessor's root keys) naming ``online``."""
    if not roots:
        raise ReleasePublishError("no root given")
    chain = sorted(
        ((Metadata[Root].from_bytes(r), r) for r in roots), key=lambda p: p[0].signed.version
    )
    versions = [md.signed.version for md, _data in chain]
    if versions != list(range(versions[0], versions[0] + len(versions))):
        raise ReleasePublishError(f"the roots' versions {versions} are not consecutive")
    for (older, _o), (newer, _n) in itertools.pairwise(chain):
        older.signed.verify_delegate("root", newer.signed_bytes, newer.signatures)
    newest = chain[-1][0]
    newest.signed.verify_delegate("root", newest.signed_bytes, newest.signatures)
    for role in ONLINE_ROLES:
        if online.public_key.keyid not in newest.signed.roles[role].keyids:
            raise ReleasePublishError(f"the newest root does not name the online key for {role}")
    for md, data in chain:
        _write(out / f"{md.signed.version}.root.json", data)
    _write(out / "root.json", chain[-1][1])
    return newest


def _sign(md: Metadata, role: str, signer: Signer, old: Metadata | None, now: datetime) -> None:
    """Version: the publish's time, or one more than the folder's (as the feed's publish does),
    so a folder published again from scratch still comes after every earlier one."""
    md.signed.version = max(old.signed.version + 1 if old else 1, int(now.timestamp()))
    md.signed.expires = _expires(role, now)
    md.signatures.clear()
    md.sign(signer)


def _sign_metadata(
    out: Path, targets_map: dict[str, TargetFile], online: Signer, now: datetime
) -> int:
    """targets, snapshot, then timestamp (last: a mirror copying the folder at any moment serves
    the old release or the new one). Returns the timestamp's version."""
    targets = Metadata(Targets(expires=now))
    targets.signed.targets = targets_map
    _sign(targets, "targets", online, _load(out / "targets.json"), now)
    data = targets.to_bytes(_SERIALIZER)
    _write(out / f"{targets.signed.version}.targets.json", data)
    _write(out / "targets.json", data)
    snapshot = Metadata(Snapshot(expires=now))
    snapshot.signed.meta = {"targets.json": MetaFile(targets.signed.version)}
    _sign(snapshot, "snapshot", online, _load(out / "snapshot.json"), now)
    data = snapshot.to_bytes(_SERIALIZER)
    _write(out / f"{snapshot.signed.version}.snapshot.json", data)
    _write(out / "snapshot.json", data)
    timestamp = Metadata(Timestamp(expires=now))
    timestamp.signed.snapshot_meta = MetaFile(
        snapshot.signed.version, len(data), {"sha256": hashlib.sha256(data).hexdigest()}
    )
    _sign(timestamp, "timestamp", online, _load(out / "timestamp.json"), now)
    _write(out / "timestamp.json", timestamp.to_bytes(_SERIALIZER))
    return timestamp.signed.version


def publish_release(
    out: Path,
    *,
    version: str,
    day: date,
    notes: Mapping[str, str],
    installers: Mapping[str, Path],
    roots: Sequence[bytes],
    online: Signer,
    now: datetime,
) -> PublishedRelease:
    """Add the release ``version`` (``installers``: platform → file) to the index in ``out``
    (a new folder, or one this function wrote before), sign it all, and write the folder.

    Refused before anything is written: a version not newer than every one the index lists (a
    rollback), an index the app would refuse, roots that are not one chain naming ``online``."""
    now = now.astimezone(UTC).replace(microsecond=0)
    previous = _previous_index(out) if out.is_dir() else None
    found: dict[str, Installer] = {}
    for platform_name, path in installers.items():
        if platform_name not in PLATFORMS:
            raise ReleasePublishError(f"{platform_name!r} is not one of {list(PLATFORMS)}")
        length, sha256 = _sha256(path)
        found[platform_name] = Installer(path.name, length, sha256)
    try:
        release = Release(Version.parse(version), day, dict(notes), found)
        earlier = previous.releases if previous else ()
        if earlier and release.version <= earlier[0].version:
            raise ReleasePublishError(
                f"version {version} is not newer than {earlier[0].version}, already published"
            )
        index = ReleaseIndex((release, *earlier)[: limits.MAX_RELEASES])
        data = index_bytes(index)  # checked as the app checks it
    except (ReleaseIndexError, KeyError) as exc:
        raise ReleasePublishError(f"the index would be refused: {exc}") from None
    out.mkdir(parents=True, exist_ok=True)
    _roots(out, roots, online)
    listed: dict[str, TargetFile] = {}
    index_info = TargetFile.from_data(INDEX_TARGET, data, ["sha256"])
    _write(out / f"{index_info.hashes['sha256']}.{INDEX_TARGET}", data)
    listed[INDEX_TARGET] = index_info
    for platform_name, path in installers.items():
        entry = found[platform_name]
        listed[entry.name] = TargetFile(entry.length, {"sha256": entry.sha256}, entry.name)
        target = out / f"{entry.sha256}.{entry.name}"
        if not target.is_file() or _sha256(target) != (entry.length, entry.sha256):
            _copy(path, target)
    # An earlier release's installers stay listed while their files are in the folder.
    for older in index.releases[1:]:
        for entry in older.installers.values():
            path = out / f"{entry.sha256}.{entry.name}"
            if path.is_file() and path.stat().st_size == entry.length:
                listed[entry.name] = TargetFile(entry.length, {"sha256": entry.sha256}, entry.name)
    stamp = _sign_metadata(out, listed, online, now)
    return PublishedRelease(release.version, stamp, tuple(sorted(listed)))


def renew(out: Path, *, roots: Sequence[bytes], online: Signer, now: datetime) -> int:
    """Sign the folder's metadata again, unchanged, before it expires (between releases)."""
    targets = _load(out / "targets.json")
    if targets is None:
        raise ReleasePublishError(f"{out} holds no release index to renew")
    _roots(out, roots, online)
    return _sign_metadata(out, dict(targets.signed.targets), online, now.astimezone(UTC))


def _notes(path: Path) -> dict[str, str]:
    try:
        notes = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReleasePublishError(f"{path}: {exc}") from None
    if not isinstance(notes, dict):
        raise ReleasePublishError(f"{path}: not an object of ary, fr and en")
    return notes


def _key(variable: str) -> CryptoSigner:
    text = os.environ.get(variable, "")
    if not text:
        raise ReleasePublishError(f"{variable} is not set")
    return signer_from_text(text)


def main(argv: Sequence[str] | None = None) -> int:
    """The release workflow's command (English only: it speaks to the release manager)."""
    parser = argparse.ArgumentParser(prog="python -m campaign_gui.core.updates.release_publish")
    commands = parser.add_subparsers(dest="command", required=True)
    publish = commands.add_parser("publish", help="add a release to the index in OUT and sign it")
    publish.add_argument("--out", type=Path, required=True)
    publish.add_argument("--version", required=True, help="MAJOR.MINOR.PATCH[aN|bN|rcN]")
    publish.add_argument("--date", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")
    publish.add_argument(
        "--notes", type=Path, required=True, help='JSON: {"ary": …, "fr": …, "en": …}'
    )
    publish.add_argument("--installers", type=Path, required=True, help="the folder of installers")
    renewer = commands.add_parser("renew", help="sign OUT's metadata again, before it expires")
    renewer.add_argument("--out", type=Path, required=True)
    for command in (publish, renewer):
        command.add_argument(
            "--root", type=Path, action="append", required=True, help="N.root.json"
        )
    rooter = commands.add_parser("root", help=f"sign a root offline with ${ROOT_KEY_VARIABLE}")
    rooter.add_argument("--out", type=Path, required=True)
    rooter.add_argument("--online-public-key", required=True, help="base64 of the raw public key")
    rooter.add_argument("--previous", type=Path, help="the current root, to sign the next version")
    args = parser.parse_args(argv)
    now = SystemClock().now()
    try:
        if args.command == "root":
            raw = base64.b64decode(args.online_public_key, validate=True)
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

            online_key = SSlibKey.from_crypto(
                Ed25519PublicKey.from_public_bytes(raw), None, "ed25519"
            )
            previous = args.previous.read_bytes() if args.previous else None
            _write(args.out, make_root(_key(ROOT_KEY_VARIABLE), online_key, now, previous=previous))
            print(f"wrote {args.out}")
            return 0
        roots = [path.read_bytes() for path in args.root]
        online = _key(ONLINE_KEY_VARIABLE)
        if args.command == "renew":
            stamp = renew(args.out, roots=roots, online=online, now=now)
            print(f"renewed {args.out}: timestamp {stamp}")
            return 0
        files = sorted(p for p in args.installers.iterdir() if p.is_file())
        installers = {platform_of(p.name): p for p in files if platform_of(p.name)}
        if not installers:
            raise ReleasePublishError(f"no installer in {args.installers}")
        published = publish_release(
            args.out,
            version=args.version,
            day=args.date or now.date(),
            notes=_notes(args.notes),
            installers={str(k): v for k, v in installers.items()},
            roots=roots,
            online=online,
            now=now,
        )
    except (UserError, OSError, ValueError) as exc:
        print(f"release_publish: {exc}", file=sys.stderr)
        return 1
    print(f"published {published.version}: {', '.join(published.targets)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
