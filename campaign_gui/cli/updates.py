"""``campaign-gui update check|download``: the app's own updates, from the command line, with
the same core steps as the window (``core/updates``). Exit status: 0 up to date (or downloaded),
10 when ``check`` finds a newer version, 1 on an error (said in the user's language)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.clock import Clock
from ..core.i18n import _
from ..core.paths import AppPaths
from .shared import AddParser, Command

EXIT_UPDATE_AVAILABLE = 10


def add_parsers(add: AddParser) -> None:
    updater = add("update", _("check for a new version of the app, or download it"))
    updater.add_argument(
        "action",
        choices=("check", "download"),
        help=_("check (exit status 10 when a new version exists) or download its installer"),
    )
    updater.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar=_("FOLDER"),
        help=_("the folder to download the installer into (default: the app's data folder)"),
    )
    updater.add_argument(
        "--release-url",
        metavar=_("ADDRESS"),
        help=_("another address of the app's release index"),
    )
    # Tests and a release manager trying a staging repository: a root to trust instead of the
    # one the app carries (hidden: a user has no reason to trust another).
    updater.add_argument("--release-root", type=Path, help=argparse.SUPPRESS)


def _mirrors(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> tuple[str, ...]:
    from ..core.settings import load_settings

    url = args.release_url or load_settings(paths.config_dir, clock).release_url
    return (url,) if url else ()


def _read_root(path: Path) -> bytes:
    from ..core.errors import UserError

    try:
        return path.read_bytes()[: 512 * 1024 + 1]
    except OSError as exc:
        raise UserError(_("Cannot read {path}.").format(path=path), repr(exc)) from exc


def update(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:
    from .. import __version__
    from ..core.updates.installer_download import download_installer
    from ..core.updates.update_client import check_for_update, download_folder
    from ..core.updates.update_state import load_update_state, save_update_state

    now = clock.now()
    root = _read_root(args.release_root) if args.release_root else None
    found = check_for_update(
        paths.data_dir, now=now, mirrors=_mirrors(args, paths, clock), trusted_root=root
    )
    state = load_update_state(paths.data_dir).checked(now, found.release.version if found else None)
    save_update_state(paths.data_dir, state)
    if found is None:
        print(
            _("Campaign Companion is up to date (version {version}).").format(version=__version__)
        )
        return 0
    if args.action == "check":
        print(
            _("Version {version} of Campaign Companion is available (you have {current}).").format(
                version=found.release.version, current=__version__
            )
        )
        for release in found.newer:
            print()
            print(f"{release.version} ({release.date.isoformat()})")
            print(release.notes_in())
        print()
        print(_("Download it with: campaign-gui update download"))
        return EXIT_UPDATE_AVAILABLE
    folder = args.output or download_folder(paths.data_dir)
    name = found.installer.name
    shown = [-1]

    def progress(done: int, total: int) -> None:
        percent = done * 100 // total
        if percent != shown[0]:
            shown[0] = percent
            end = "\n" if done >= total else "\r"
            print(
                _("Downloading {name}: {percent}%").format(name=name, percent=percent),
                end=end,
                file=sys.stderr,
                flush=True,
            )

    path = download_installer(found, folder, progress=progress)
    print(_("Downloaded and verified: {path}").format(path=path))
    return 0


COMMANDS: dict[str, Command] = {"update": update}
