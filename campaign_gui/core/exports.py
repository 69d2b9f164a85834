"""Which files an export may never write, and writing one: the same rule for the CLI and window.

An export (CSV, JSON, calendar, picture) goes wherever the user says, a link being written through
to the file it finally leads to. Refused, whatever name or link leads there:

- the app's own files: the store and its companions, the settings, the logs, the campaign file;
- a program: any executable file, and the app's own program and interpreter (``sys.executable``,
  the file it links to, the launcher ``sys.argv[0]`` leads to), executable or not;
- anything inside the app's installation: the package folder, a frozen app's folder, and the
  Python it runs on (``sys.prefix``, ``sys.base_prefix``).

Devices, pipes, folders and hard-linked files are refused by ``atomic_file`` itself.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO, TypeVar

from .atomic_file import write_atomically
from .errors import UserError
from .i18n import _
from .paths import INSTANCE_LOCK, AppPaths

T = TypeVar("T")

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def app_files(data_dir: Path, config_dir: Path) -> list[Path]:
    """The files that belong to the app: the store and its companions, the settings, the logs.

    The fixed names are listed whether they exist or not; any existing file whose name starts with
    one of them (a store or settings file kept aside as ``….broken-…``, a rotated log) is added.
    """
    # Imported here: the store pulls in NumPy, and settings imports atomic_file.
    from .logs import LOG_FILE
    from .settings import SETTINGS_FILE
    from .store import STORE_FILE

    log_dir = data_dir / "logs"
    files: list[Path] = []
    # The dirs in use, and the system's own ones (a store there is the user's too).
    default = AppPaths.resolve()
    data_dirs = list(dict.fromkeys((data_dir, default.data_dir)))
    for data in data_dirs:
        files += [data / (STORE_FILE + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
        # held by the running copy of the app, and the file Qt makes to replace a stale one
        files += [data / INSTANCE_LOCK, data / (INSTANCE_LOCK + ".rmlock")]
    files.append(config_dir / SETTINGS_FILE)
    files += [log_dir / LOG_FILE] + [log_dir / f"{LOG_FILE}.{n}" for n in (1, 2, 3)]
    kinds = [(data, name) for data in data_dirs for name in (STORE_FILE, INSTANCE_LOCK)]
    kinds += [(config_dir, SETTINGS_FILE), (log_dir, LOG_FILE)]
    for folder, name in kinds:
        with contextlib.suppress(OSError):
            files += [p for p in folder.iterdir() if p.name.startswith(name) and p not in files]
    return files


def own_programs() -> list[Path]:
    """The program running this app: the interpreter or frozen executable, and its launcher."""
    programs = [Path(sys.executable)] if sys.executable else []
    launcher = sys.argv[0] if sys.argv else ""
    if launcher and launcher not in ("-c", "-m") and Path(launcher).is_file():
        programs.append(Path(launcher))
    return programs


def install_folders() -> list[Path]:
    """The folders the app runs from: never written by an export, whatever the file's name.

    A folder that holds the user's home (a Python installed at ``/``, say) is left out: refusing
    it would refuse every export.
    """
    folders = [PACKAGE_DIR, Path(sys.prefix), Path(sys.base_prefix)]
    if getattr(sys, "frozen", False) and sys.executable:
        folders.append(Path(sys.executable).resolve().parent)
    # What the app imports from outside its prefix (a user site, PYTHONPATH, a .pth's folder):
    # every folder on the import path, and every folder a loaded module came from. Not the
    # current folder as ``python -m`` puts it first (where a user rightly saves their exports),
    # unless it is on the import path for another reason too (PYTHONPATH=.).
    here = Path.cwd().resolve()
    first, *rest = sys.path or [""]
    if first and Path(first).resolve() != here:
        rest.insert(0, first)
    folders += [Path(p or ".") for p in rest]
    # Hundreds of modules come from a few dozen folders: each folder is resolved once.
    module_folders = {
        Path(file).parent
        for module in list(sys.modules.values())
        if isinstance(file := getattr(module, "__file__", None), str)
    }
    try:
        home = Path.home().resolve()
    except RuntimeError:  # no home known: every folder but the root is kept
        home = Path(os.sep).resolve()
    resolved = [Path(os.path.realpath(folder)) for folder in folders]
    resolved += [f for f in map(Path, map(os.path.realpath, module_folders)) if f != here]
    return [f for f in dict.fromkeys(resolved) if not home.is_relative_to(f)]


@dataclass(frozen=True)
class ExportGuard:
    """What an export may never write; ``check`` is given to ``write_atomically``."""

    own_files: tuple[Path, ...] = ()
    programs: tuple[Path, ...] = ()
    folders: tuple[Path, ...] = ()

    @classmethod
    def for_app(cls, paths: AppPaths, campaign_file: Path | None = None) -> ExportGuard:
        """The guard for this run: its data and settings, its campaign file, its installation."""
        own = app_files(paths.data_dir, paths.config_dir)
        if campaign_file is not None:
            own.append(campaign_file)
        return cls(tuple(own), tuple(own_programs()), tuple(install_folders()))

    def check(self, target: Path, final: Path, st: os.stat_result | None) -> None:
        """Refuse (``UserError`` naming ``target``) if ``final``, where it leads, is protected."""
        if _same_file(final, st, self.own_files):
            raise UserError(
                _("{path} is one of Campaign Companion's own files; choose another name.").format(
                    path=target
                ),
                detail=f"{target} -> {final} is a file of the app",
            )
        executable = st is not None and stat.S_ISREG(st.st_mode) and st.st_mode & 0o111
        if executable or _same_file(final, st, self.programs):
            raise UserError(
                _(
                    "{path} is a program, which an export never replaces; choose another name."
                ).format(path=target),
                detail=f"{target} -> {final} is a program",
            )
        name = Path(os.path.normcase(final))
        if any(name.is_relative_to(os.path.normcase(folder)) for folder in self.folders):
            raise UserError(
                _(
                    "{path} is inside the folder where Campaign Companion, or the Python it "
                    "uses, is installed; choose another name."
                ).format(path=target),
                detail=f"{target} -> {final} is in an install folder",
            )


def _same_file(final: Path, st: os.stat_result | None, paths: Iterable[Path]) -> bool:
    """Whether ``final`` is one of ``paths``: the same path once resolved, or the same inode."""
    name = os.path.normcase(final)
    for path in paths:
        if os.path.normcase(os.path.realpath(path)) == name:
            return True
        if st is not None:
            try:
                other = Path(path).stat()
            except OSError:
                continue
            if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
                return True
    return False


def write_export(target: Path, write: Callable[[TextIO], T], guard: ExportGuard) -> T:
    """Write an export as text, whole or not at all; what ``guard`` protects is refused."""
    return write_atomically(target, write, guard=guard.check)


def write_export_bytes(target: Path, data: bytes, guard: ExportGuard) -> int:
    """Write binary data (a picture) as an export; returns its size."""

    def write(out: TextIO) -> int:
        out.flush()
        out.buffer.write(data)
        return len(data)

    return write_export(target, write, guard)
