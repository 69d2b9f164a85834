"""Writing a file whole or not at all: a temporary file beside it, renamed over it at the end.

What is at the target decides what happens:

- nothing: a new file, with the mode a program normally creates files with (``0o666 & ~umask``);
- a regular file: replaced whole, keeping its permission bits;
- a symbolic link: the file it finally points to is written (replaced whole, or created if only
  its folder exists); the link stays a link;
- a file the caller's ``guard`` refuses (an export's: the app's own files, programs, its
  installation; see ``exports``): refused, checked on the file a link finally leads to;
- a folder, a device, a pipe or a socket: refused (a pipe is never opened: that would block);
- a regular file with other hard links: refused, because renaming over it would separate the links.

The temporary file is named ``.<name>.campaign-gui-<8 hex digits>.tmp``. A process killed while
writing leaves one behind; the next write to the same target removes any that is older than a few
minutes (a live writer keeps touching its own).
"""

from __future__ import annotations

import errno
import logging
import os
import re
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, TypeVar

from .errors import UserError
from .i18n import _

log = logging.getLogger(__name__)

T = TypeVar("T")

TEMP_MARK = ".campaign-gui-"
STALE_AFTER_SECONDS = 5 * 60
# A temp name adds about 30 bytes to the target's; a file name is at most 255 bytes.
_MAX_STEM_BYTES = 200


# Called with the target as given, the file it finally leads to and that file's status (None: it
# does not exist yet); raises a UserError to refuse it.
Guard = Callable[[Path, Path, os.stat_result | None], None]


def write_atomically(target: Path, write: Callable[[TextIO], T], guard: Guard | None = None) -> T:
    """Call ``write`` on a UTF-8 text stream; ``target`` then holds all of it, or is unchanged.

    ``guard`` may refuse the file (see ``Guard``); it is asked again just before the rename. Every
    refusal and every failure to write is a ``UserError`` naming ``target``;
    its ``detail`` holds the exact cause, for the log. An exception from ``write`` that is not an
    ``OSError`` is raised as it is. Either way the target is unchanged and no temp file is left.
    """
    final, existing = _destination(target, guard)
    # A new file gets the mode programs create files with, not mkstemp's 0600.
    mode = 0o666 & ~_umask() if existing is None else stat.S_IMODE(existing.st_mode) & 0o777
    _remove_stale_temps(final)
    try:
        fd, temp = _create_temp(final)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                result = write(out)
                out.flush()
                if hasattr(os, "fchmod"):
                    _keep_owner(out.fileno(), existing)
                    os.fchmod(out.fileno(), mode)
                os.fsync(out.fileno())
            if not hasattr(os, "fchmod"):
                temp.chmod(mode)
            # The target may have changed while we wrote: check it again just before the rename.
            if _destination(target, guard)[0] != final:
                raise OSError(errno.EAGAIN, "the target changed while it was being written")
            temp.replace(final)
        except BaseException:
            _unlink_quietly(temp)
            raise
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
    _sync_folder(final.parent)
    return result


def move_into_place(source: Path, target: Path) -> None:
    """Rename ``source`` (a finished file of the caller's, on the same disk) to ``target``, whole:
    its bytes are flushed to the disk first, so ``target`` is never a half-written file. For a
    file too large to pass through ``write_atomically`` (a downloaded installer). ``target`` must
    be a plain file or nothing; a refusal or a failure is a ``UserError`` naming it."""
    try:
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise OSError(errno.EEXIST, "not a regular file")
        with source.open("rb+") as file:
            os.fsync(file.fileno())
        source.replace(target)
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
    _sync_folder(target.parent)


def _is_a_standard_stream(st: os.stat_result) -> bool:
    """Whether ``st`` is the file behind this process's standard input, output or error."""
    for fd in (0, 1, 2):
        try:
            other = os.fstat(fd)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
            return True
    return False


def _destination(target: Path, guard: Guard | None) -> tuple[Path, os.stat_result | None]:
    """The file to write (symlinks followed) and its status if it exists; or a refusal."""
    try:
        # /dev/stdout, /dev/fd/3, /proc/self/fd/1 are streams, not files: followed, they would
        # lead to whatever file the stream is redirected to, and replacing it loses its contents.
        absolute = Path(os.path.normpath(Path(target).absolute()))  # /tmp/../dev too
        if absolute.parts[1:2] in (("dev",), ("proc",)):
            raise UserError(
                _("{path} is a device or a stream, not a file; choose another name.").format(
                    path=target
                ),
                detail=f"{target}: a path under /dev or /proc",
            )
        final = Path(os.path.realpath(target))
        try:
            # stat, not open: opening a FIFO would block until someone writes to it.
            st: os.stat_result | None = final.stat()
        except FileNotFoundError:
            st = None
            if not final.parent.is_dir():
                raise
        if st is not None and _is_a_standard_stream(st):
            # A link to /dev/stdout (or to /proc/self/fd/0) leads to the file the stream is
            # redirected to: the user's log, the file being read.
            raise UserError(
                _("{path} is a device or a stream, not a file; choose another name.").format(
                    path=target
                ),
                detail=f"{target} -> {final} is the file behind a standard stream",
            )
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise UserError(
                _("{path} is a folder; choose a file name.").format(path=target),
                detail=f"{target} -> {final} is a directory",
            )
        if st is not None and not stat.S_ISREG(st.st_mode):
            raise UserError(
                _(
                    "{path} is not a regular file (it is a device, a pipe or a socket);"
                    " choose another name."
                ).format(path=target),
                detail=f"{target} -> {final} has mode {st.st_mode:o}",
            )
        if guard is not None:
            guard(target, final, st)
        if st is None:
            return final, None
        if st.st_nlink > 1:
            raise UserError(
                _(
                    "{path} has other hard links, which replacing it would separate;"
                    " choose another name."
                ).format(path=target),
                detail=f"{target} -> {final} has {st.st_nlink} links",
            )
        if not os.access(final, os.W_OK):
            # Renaming over it would work, but a read-only file says "do not change me".
            raise PermissionError(errno.EACCES, "the file is read-only", str(final))
        return final, st
    except OSError as exc:
        raise _cannot_write(target, exc) from exc


def _keep_owner(fd: int, existing: os.stat_result | None) -> None:
    """Give the new file the old one's owner and group where allowed (best effort)."""
    if existing is None or not hasattr(os, "fchown"):
        return
    st = os.fstat(fd)
    if (st.st_uid, st.st_gid) != (existing.st_uid, existing.st_gid):
        try:
            os.fchown(fd, existing.st_uid, existing.st_gid)
        except OSError:
            log.debug("could not keep the owner of the replaced file", exc_info=True)


def _umask() -> int:
    """The process's umask, without changing it where the system can tell (Linux)."""
    try:
        with Path("/proc/self/status").open(encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    # Elsewhere the only way is to set it and set it back (a brief window for other threads).
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _temp_stem(name: str) -> str:
    raw = os.fsencode(name)
    if len(raw) <= _MAX_STEM_BYTES:
        return name
    return raw[:_MAX_STEM_BYTES].decode("utf-8", "ignore")


def _temp_pattern(final: Path) -> re.Pattern[str]:
    stem = re.escape("." + _temp_stem(final.name) + TEMP_MARK)
    return re.compile(stem + r"[0-9a-f]{8}\.tmp\Z")


def _create_temp(final: Path) -> tuple[int, Path]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    flags |= (
        getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0) | getattr(os, "O_CLOEXEC", 0)
    )
    for _attempt in range(100):
        name = f".{_temp_stem(final.name)}{TEMP_MARK}{os.urandom(4).hex()}.tmp"
        temp = final.parent / name
        try:
            return os.open(temp, flags, 0o600), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(final.parent))


def _remove_stale_temps(final: Path) -> None:
    """Remove temp files of this target left by a writer that was killed (best effort)."""
    pattern = _temp_pattern(final)  # ours alone: a user's ``.name-backup`` is never touched
    limit = time.time() - STALE_AFTER_SECONDS
    try:
        with os.scandir(final.parent) as entries:
            stale = [
                Path(entry.path)
                for entry in entries
                if pattern.match(entry.name)
                and entry.is_file(follow_symlinks=False)
                and entry.stat(follow_symlinks=False).st_mtime < limit
            ]
    except OSError:
        log.debug("could not look for stale temp files beside %s", final, exc_info=True)
        return
    for path in stale:
        log.info("removing %s, left by an interrupted write", path)
        _unlink_quietly(path)


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        log.warning("could not remove %s", path, exc_info=True)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows cannot open a folder for this)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        # The file is written and renamed; some file systems cannot sync a folder.
        log.debug("could not sync folder %s", folder, exc_info=True)


def _cannot_write(target: Path, exc: OSError) -> UserError:
    reasons = {
        errno.EACCES: _("Cannot write {path}: permission denied."),
        errno.EPERM: _("Cannot write {path}: permission denied."),
        errno.EROFS: _("Cannot write {path}: the disk is read-only."),
        errno.ENOSPC: _("Cannot write {path}: the disk is full."),
        errno.ENOENT: _("Cannot write {path}: its folder does not exist."),
    }
    if hasattr(errno, "EDQUOT"):
        reasons[errno.EDQUOT] = reasons[errno.ENOSPC]
    message = reasons.get(exc.errno or 0, _("Cannot write {path}."))
    return UserError(message.format(path=target), detail=f"{target}: {exc!r}")
