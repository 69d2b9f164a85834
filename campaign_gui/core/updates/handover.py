"""What each platform does with a downloaded, verified installer: decided by a pure function
(``handover_for``), done by ``hand_over``, which the app calls only on the user's click.

- Windows: run the per-user setup (it upgrades in place and keeps the data; its "close the app"
  page asks for the running copy to be closed);
- macOS: ``open`` the disk image (the user drags the app to Applications);
- Linux: unpack the tarball into a folder beside it, then run its ``install.sh``, which swaps
  the new version in under ``~/.local/lib/campaign-gui`` (data and settings untouched).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..i18n import _

TARBALL_SUFFIX = ".tar.xz"


@dataclass(frozen=True)
class Handover:
    kind: str  # "run" (Windows), "open" (macOS), "install" (Linux: unpack, then install.sh)
    argv: tuple[str, ...]
    unpack_into: Path | None = None  # Linux: the folder the tarball is unpacked into
    wait: bool = False  # Linux: install.sh runs to its end; the others start and go on


def handover_for(installer: Path, platform_name: str) -> Handover:
    """What to do with ``installer`` (downloaded for ``platform_name``), done by nothing yet."""
    system = platform_name.partition("-")[0]
    if system == "windows":
        return Handover("run", (str(installer),))
    if system == "macos":
        return Handover("open", ("open", str(installer)))
    if system == "linux" and installer.name.endswith(TARBALL_SUFFIX):
        stem = installer.name[: -len(TARBALL_SUFFIX)]
        folder = installer.parent / stem
        # build.py puts everything in the tarball under one folder of the tarball's name.
        return Handover("install", ("sh", str(folder / stem / "install.sh")), folder, wait=True)
    raise ValueError(f"no handover for {installer.name!r} on {platform_name!r}")


def _install_failed(detail: str) -> UserError:
    return UserError(
        _("The new version could not be installed. The details are in the log."), detail
    )


def _unpack(tarball: Path, folder: Path) -> None:
    """``tarball`` into ``folder`` (a new one: an earlier unpacking is replaced), refusing any
    member outside it, links out of it, devices (tarfile's "data" filter)."""
    shutil.rmtree(folder, ignore_errors=True)
    temp = folder.with_name(folder.name + ".unpacking")
    shutil.rmtree(temp, ignore_errors=True)
    try:
        with tarfile.open(tarball, "r:xz") as tar:
            tar.extractall(temp, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        shutil.rmtree(temp, ignore_errors=True)
        raise _install_failed(f"{tarball}: {type(exc).__name__}: {exc}") from None
    temp.replace(folder)


def hand_over(
    handover: Handover,
    *,
    env: Mapping[str, str] | None = None,
    through: Sequence[str] = (),
) -> None:
    """Do ``handover``: only ever on the user's explicit click (or command). A ``UserError``
    if it could not be started, or (Linux) if ``install.sh`` failed.

    ``through``: a program that runs the command, before it on the command line; the app
    gives none. Tests only: ``("wine",)`` runs the Windows setup's own command under Wine."""
    environment = dict(os.environ if env is None else env)
    argv = (*through, *handover.argv)
    try:
        if handover.unpack_into is not None:
            _unpack(_tarball(handover), handover.unpack_into)
        if handover.wait:
            result = subprocess.run(
                argv, env=environment, capture_output=True, text=True, check=False
            )
            if handover.unpack_into is not None:  # install.sh copied what it needs, or failed
                shutil.rmtree(handover.unpack_into, ignore_errors=True)
            if result.returncode != 0:
                raise _install_failed(f"{argv}: exit {result.returncode}: {result.stderr[-2000:]}")
            return
        subprocess.Popen(argv, env=environment, start_new_session=os.name != "nt")
    except OSError as exc:
        if handover.unpack_into is not None:  # a tarball without its install.sh
            shutil.rmtree(handover.unpack_into, ignore_errors=True)
        raise _install_failed(f"{argv}: {type(exc).__name__}: {exc}") from None


def _tarball(handover: Handover) -> Path:
    assert handover.unpack_into is not None
    return handover.unpack_into.with_name(handover.unpack_into.name + TARBALL_SUFFIX)
