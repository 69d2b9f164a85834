"""Keeping a file the app cannot read (the store, the settings) under another name, never losing it.

The file becomes ``<name>.broken-<UTC time>[-n]``, never over an earlier one. Two copies of the app
may find the same broken file at the same moment: only the file that was found broken is moved, so
the fresh one the other copy has just made in its place is left alone.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

Identity = tuple[int, int]


def identity(path: Path) -> Identity | None:
    """Which file ``path`` names now (a link itself, not what it points to); None if none."""
    try:
        found = path.lstat()
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino


def set_aside(
    path: Path, found: Identity | None, now: datetime, companions: Sequence[str] = ()
) -> Path | None:
    """Rename ``path`` aside if it is still the file ``found``; the new name, or None if not.

    ``companions`` are suffixes of files that go with it (SQLite's ``-wal``, ``-shm``): they follow
    it under its new name. An OSError if it cannot be renamed.
    """
    if found is None or identity(path) != found:
        return None
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = _rename(path, found, stamp)
    if kept is not None:
        for suffix in companions:
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                companion.replace(kept.with_name(kept.name + suffix))
    return kept


def _rename(path: Path, found: Identity, stamp: str) -> Path | None:
    for n in range(1, 10_000):
        target = path.with_name(f"{path.name}.broken-{stamp}" + (f"-{n}" if n > 1 else ""))
        if target.is_symlink() or target.exists():
            continue
        if path.is_symlink():
            path.rename(target)  # the link itself is kept aside
            return target
        try:
            os.link(path, target)  # a hard link never replaces a file: keep it, then check it
        except FileExistsError:
            continue
        except FileNotFoundError:
            return None
        except OSError:  # no hard links here (FAT, some network drives)
            path.rename(target)
            return target
        if identity(target) != found or identity(path) != found:
            target.unlink()  # another copy of the app put a new file there meanwhile
            return None
        path.unlink()
        return target
    raise FileExistsError(f"too many {path.name}.broken-{stamp}-… files")
