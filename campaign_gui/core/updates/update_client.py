"""Checking for a new version of the app, through TUF (``installer_download`` downloads it).

The check walks the release repository with ngclient, from the root the app carries
(``resources/release-root.json``) and what the last accepted check left in the data dir
(``updates/trust``), with the feed's fetcher: its deadlines, its redirect rule (https only, http
to loopback for tests) and the system's certificates and proxies. A request carries nothing
about the user: no query, no cookie, a user agent without version or system.

Each mirror is tried from the same trusted state in a folder of its own: what a mirror served is
kept only once all of it verified, so a refused mirror (a rollback, a freeze, other keys) leaves
the trusted state as it was.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

from tuf.api import exceptions
from tuf.ngclient import Updater, UpdaterConfig
from tuf.ngclient.fetcher import FetcherInterface

from ... import __version__
from .. import limits
from ..addresses import is_base_address
from ..atomic_file import write_atomically
from ..errors import UserError
from ..feed import layout as feed_layout
from ..feed.fetcher import (
    CancelledDownloadError,
    Deadlines,
    HttpxFetcher,
    TooSlowError,
)
from ..feed.sync import judge_expiry_at
from ..i18n import _
from ..redaction import redact
from .release_address import release_addresses
from .release_index import (
    INDEX_TARGET,
    Installer,
    Release,
    ReleaseIndexError,
    Version,
    current_platform,
    parse_index,
    running_version,
)

log = logging.getLogger(__name__)

ROOT_RESOURCE = "release-root.json"
UPDATES_FOLDER = "updates"  # in the data dir
TRUST_FOLDER = "trust"  # TUF's trusted metadata of the release index, in UPDATES_FOLDER
DOWNLOADS_FOLDER = "downloads"  # the installers downloaded, in UPDATES_FOLDER
_ROLES = ("timestamp", "snapshot", "targets")
INDEX_FILE = "index.json"  # the release index the last accepted check verified, in TRUST_FOLDER


class UpdateError(UserError):
    def __init__(self, message: str, detail: str, *, kind: str) -> None:
        super().__init__(message, detail)
        # "no-address", "address", "refused" (keys, hashes, the root), "behind" (a rollback),
        # "out-of-date" (a freeze), "invalid" (signed but malformed), "unreachable", "not-found"
        # (the host answers 404: a wrong address),
        # "cancelled", "no-installer", "installer-refused", "download-failed", "busy" (another copy
        # of the app downloads the same installer)
        self.kind = kind


@dataclass(frozen=True)
class Update:
    """A newer version than the running one, as the release keys signed it."""

    release: Release  # the newest
    platform: str
    installer: Installer  # ``release``'s, for ``platform``: a TUF target, verified
    mirror: str  # where it was found (the download starts there)
    newer: tuple[Release, ...]  # every release newer than the running one, newest first


def carried_root() -> bytes:
    """The release index's root the app carries (``campaign_gui/resources``)."""
    return (resources.files("campaign_gui") / "resources" / ROOT_RESOURCE).read_bytes()


def trust_folder(data_dir: Path) -> Path:
    return data_dir / UPDATES_FOLDER / TRUST_FOLDER


def download_folder(data_dir: Path) -> Path:
    """Where the app downloads installers unless told otherwise."""
    return data_dir / UPDATES_FOLDER / DOWNLOADS_FOLDER


def check_mirror(url: str) -> str:
    """A release mirror's address, ending in "/", or an ``UpdateError`` naming it."""
    if not isinstance(url, str) or not is_base_address(url):
        shown = redact(str(url)[:200])
        raise UpdateError(
            _(
                "“{url}” cannot be the address of the app's updates: it must start with https:// "
                "and have no user name, password, query or fragment."
            ).format(url=shown),
            f"release mirror {shown!r}",
            kind="address",
        )
    return url if url.endswith("/") else url + "/"


def _config() -> UpdaterConfig:
    return UpdaterConfig(
        root_max_length=feed_layout.MAX_ROOT_BYTES,
        timestamp_max_length=feed_layout.MAX_TIMESTAMP_BYTES,
        snapshot_max_length=feed_layout.MAX_SNAPSHOT_BYTES,
        targets_max_length=feed_layout.MAX_TARGETS_BYTES,
    )


def _kept_roots(folder: Path) -> dict[int, bytes]:
    history = folder / "root_history"
    found = {}
    for path in history.glob("*.root.json") if history.is_dir() else ():
        number = path.name.split(".")[0]
        if number.isdigit():
            found[int(number)] = path.read_bytes()
    return found


def _same_fork(trusted_root: bytes, folder: Path) -> bool:
    """Whether the kept state grew from ``trusted_root`` (the carried root, as it is, is in its
    chain): a state kept from another root (another build, a test's) is set aside."""
    try:
        signed = json.loads(trusted_root)["signed"]
        kept = _kept_roots(folder).get(int(signed["version"]))
        return kept is None or json.loads(kept)["signed"] == signed
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return False


def _restore(source: Path, work: Path, trusted_root: bytes) -> None:
    (work / "root_history").mkdir(parents=True)
    if not source.is_dir():
        return
    if not _same_fork(trusted_root, source):
        log.warning("the kept release metadata grew from another root than the app's: set aside")
        return
    for version, data in _kept_roots(source).items():
        (work / "root_history" / f"{version}.root.json").write_bytes(data)
    for role in _ROLES:
        path = source / f"{role}.json"
        if path.is_file():
            shutil.copyfile(path, work / f"{role}.json")
    if (source / INDEX_FILE).is_file():
        shutil.copyfile(source / INDEX_FILE, work / INDEX_FILE)


def _keep(work: Path, target: Path) -> None:
    """What ngclient now trusts, into the data dir: roots first, the timestamp last; and nothing
    else (what a state set aside held is removed)."""
    (target / "root_history").mkdir(parents=True, exist_ok=True)
    roots = _kept_roots(work)
    for version in set(_kept_roots(target)) - set(roots):
        (target / "root_history" / f"{version}.root.json").unlink()
    for version, data in sorted(roots.items()):
        _write_bytes(target / "root_history" / f"{version}.root.json", data)
    for name in (INDEX_FILE, *(f"{role}.json" for role in reversed(_ROLES))):
        path = work / name
        if path.is_file():
            _write_bytes(target / name, path.read_bytes())
        else:
            (target / name).unlink(missing_ok=True)


def _write_bytes(path: Path, data: bytes) -> None:
    write_atomically(path, lambda out: out.buffer.write(data))


def _from_mirror(
    updater: Updater, running: Version, platform_name: str, mirror: str, work: Path
) -> Update | None:
    """The newest update ``updater``'s repository offers; the index it verified, in ``work``
    (kept with the metadata, for ``kept_update``)."""
    updater.refresh()
    info = updater.get_targetinfo(INDEX_TARGET)
    if info is None:
        raise ReleaseIndexError("the repository lists no release index")
    if info.length > limits.MAX_RELEASE_INDEX_BYTES:
        raise exceptions.DownloadLengthMismatchError(f"the index is signed as {info.length} bytes")
    (work / INDEX_FILE).unlink(missing_ok=True)
    index = parse_index(Path(updater.download_target(info, str(work / INDEX_FILE))).read_bytes())
    newer = tuple(
        r for r in index.releases if r.version > running and platform_name in r.installers
    )
    if not newer:
        return None
    newest = newer[0]
    installer = newest.installers[platform_name]
    signed = updater.get_targetinfo(installer.name)
    if signed is None or (signed.length, signed.hashes) != (
        installer.length,
        {"sha256": installer.sha256},
    ):
        raise ReleaseIndexError(f"{installer.name}: not signed as the index says")
    return Update(newest, platform_name, installer, mirror, newer)


def check_for_update(
    data_dir: Path,
    *,
    now: datetime,
    running: str = __version__,
    mirrors: Sequence[str] = (),
    trusted_root: bytes | None = None,
    platform_name: str | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    deadlines: Deadlines | None = None,
) -> Update | None:
    """The newest release newer than ``running`` with an installer for ``platform_name`` (this
    computer's if None), or None when the app is up to date; or an ``UpdateError``.

    ``mirrors``: where to look (the build's, ``release_address.RELEASE_MIRRORS``, if empty);
    ``trusted_root``: the root to trust (the carried one if None: tests give their own). The
    trusted metadata in ``data_dir`` moves forward only when a mirror's whole answer verified."""
    addresses = [check_mirror(m) for m in (mirrors or release_addresses())]
    if not addresses:
        raise UpdateError(
            _("This copy of the app has no address to check for updates."),
            "no release mirror",
            kind="no-address",
        )
    platform_name = platform_name or current_platform()
    if platform_name is None:
        raise UpdateError(
            _("There is no installer of Campaign Companion for this computer's system."),
            "no platform",
            kind="no-installer",
        )
    root = trusted_root if trusted_root is not None else carried_root()
    version = running_version(running)
    source = trust_folder(data_dir)
    problems: list[tuple[str, str]] = []
    fetcher = HttpxFetcher(deadlines=deadlines or Deadlines(), cancelled=cancelled)
    check_ends = time.monotonic() + fetcher.deadlines.sync
    try:
        for mirror in addresses:
            left = check_ends - time.monotonic()
            if left <= 0:
                problems.append(("unreachable", f"{mirror}: not tried, the check's time is up"))
                continue
            fetcher.start_budget(min(fetcher.deadlines.mirror, left))
            with tempfile.TemporaryDirectory(prefix="campaign-gui-release-") as temp:
                work = Path(temp) / "metadata"
                try:
                    _restore(source, work, root)
                    updater = Updater(
                        str(work),
                        mirror,
                        str(Path(temp) / "targets"),
                        mirror,
                        fetcher,
                        _config(),
                        bootstrap=root,
                    )
                    judge_expiry_at(updater, now)
                    update = _from_mirror(updater, version, platform_name, mirror, work)
                except CancelledDownloadError:
                    raise UpdateError(
                        _("Cancelled."), "check cancelled", kind="cancelled"
                    ) from None
                except exceptions.ExpiredMetadataError as exc:
                    problems.append(("out-of-date", f"{mirror}: {exc}"))
                except exceptions.BadVersionNumberError as exc:
                    problems.append(("behind", f"{mirror}: {type(exc).__name__}: {exc}"))
                except exceptions.DownloadHTTPError as exc:
                    # 404: the host answers, but has no release index there (a wrong address)
                    kind = "not-found" if exc.status_code == 404 else "unreachable"
                    problems.append((kind, f"{mirror}: {type(exc).__name__}: {exc}"))
                except TooSlowError as exc:
                    problems.append(("unreachable", f"{mirror}: {type(exc).__name__}: {exc}"))
                except exceptions.DownloadLengthMismatchError as exc:
                    problems.append(("refused", f"{mirror}: {type(exc).__name__}: {exc}"))
                except exceptions.DownloadError as exc:
                    problems.append(("unreachable", f"{mirror}: {type(exc).__name__}: {exc}"))
                except ReleaseIndexError as exc:
                    problems.append(("invalid", f"{mirror}: {exc}"))
                except (exceptions.RepositoryError, ValueError) as exc:
                    # keys, hashes, another root; ValueError: a root that is not TUF's
                    problems.append(("refused", f"{mirror}: {type(exc).__name__}: {exc}"))
                except OSError as exc:
                    problems.append(("unreachable", f"{mirror}: {type(exc).__name__}: {exc}"))
                else:
                    if cancelled():  # asked while the last answer arrived: nothing is kept
                        raise UpdateError(_("Cancelled."), "check cancelled", kind="cancelled")
                    _keep(work, source)
                    for kind, detail in problems:
                        log.warning("release mirror skipped (%s): %s", kind, detail)
                    return update
    finally:
        fetcher.close()
    raise _failure(problems, addresses)


class _KeptFetcher(FetcherInterface):
    """No network: serves the timestamp and the release index the last accepted check kept
    (ngclient finds them the same as what it trusts); any other address is not found, so no
    newer root exists and the kept snapshot and targets stand."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def _fetch(self, url: str) -> Iterator[bytes]:
        name = url.rpartition("/")[2]
        if name == "timestamp.json":
            path = self._folder / name
        elif name.endswith("." + INDEX_TARGET):
            path = self._folder / INDEX_FILE
        else:
            raise exceptions.DownloadHTTPError("not kept", 404)
        try:
            return iter([path.read_bytes()])
        except OSError as exc:
            raise exceptions.DownloadHTTPError(f"not kept: {exc}", 404) from None


def kept_update(
    data_dir: Path,
    *,
    now: datetime,
    running: str = __version__,
    mirror: str,
    trusted_root: bytes | None = None,
    platform_name: str | None = None,
) -> Update | None:
    """The update the last accepted check found, verified again from the trusted metadata and
    the index it kept in ``data_dir`` (signatures, hashes, expiry at ``now``), with no network;
    None if there is none, or what is kept no longer verifies. ``mirror``: where its download
    is to start."""
    platform_name = platform_name or current_platform()
    source = trust_folder(data_dir)
    root = trusted_root if trusted_root is not None else carried_root()
    if platform_name is None or not (source / INDEX_FILE).is_file():
        return None
    try:
        address = check_mirror(mirror)
        with tempfile.TemporaryDirectory(prefix="campaign-gui-release-") as temp:
            work = Path(temp) / "metadata"
            _restore(source, work, root)
            if not (work / "targets.json").is_file():
                return None  # set aside: another root's
            updater = Updater(
                str(work),
                address,
                str(Path(temp) / "targets"),
                address,
                _KeptFetcher(source),
                _config(),
                bootstrap=root,
            )
            judge_expiry_at(updater, now)
            return _from_mirror(updater, running_version(running), platform_name, address, work)
    except (exceptions.RepositoryError, exceptions.DownloadError, ReleaseIndexError) as exc:
        log.warning("the update found earlier no longer verifies: %s", exc)
    except (UserError, OSError, ValueError) as exc:
        log.warning("the update found earlier cannot be verified again: %s", exc)
    return None


def _failure(problems: list[tuple[str, str]], addresses: list[str]) -> UpdateError:
    detail = "; ".join(d for _k, d in problems) or "no mirror"
    kinds = {k for k, _d in problems}
    nothing = _("Nothing was downloaded or installed.")
    messages = {
        "refused": _(
            "The update information was refused: it is not signed by Campaign Companion's "
            "release keys, or it was changed on the host or on the way."
        ),
        "invalid": _(
            "The update information was refused: it is signed, but does not read as a list "
            "of releases this version of the app understands."
        ),
        "behind": _(
            "The update address serves older information than this app has already seen (a "
            "host not up to date, or a replay), so it was refused."
        ),
        "out-of-date": _(
            "The update information is out of date (its signature expired), so it was "
            "refused. Try again later."
        ),
    }
    for kind, message in messages.items():
        if kind in kinds:
            return UpdateError(f"{message} {nothing}", detail, kind=kind)
    if kinds == {"not-found"}:  # every host answered, none has the updates there
        return UpdateError(
            _(
                "There is no update information at {url}: the address may be wrong. Check it, "
                "then try again."
            ).format(url=", ".join(redact(a) for a in addresses)),
            detail,
            kind="not-found",
        )
    return UpdateError(
        _(
            "Could not check for updates (addresses tried: {n}). Check the connection, then "
            "try again later."
        ).format(n=len(addresses)),
        detail,
        kind="unreachable",
    )
