"""Downloading an installer the release keys signed: a TUF target, whose length and SHA-256
come from the verified targets metadata (``update_client.check_for_update``).

The bytes stream into ``<name>.<hash>.part``, counted and hashed as they come, never more than
signed; an interrupted or cancelled download resumes with an HTTP Range request (a host that
ignores it sends the whole file again); only a file of the signed length and hash is moved, whole,
to its name. The feed's network rules hold: https only (http to loopback for tests) at every
redirect, the system's certificates and proxies, a user agent that says nothing but the app's
name, a total budget and a longest silence. The request runs on a thread of its own, so a cancel
takes effect at once, even while the host sends nothing.
"""

from __future__ import annotations

import hashlib
import os
import queue
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

import httpx

from ..addresses import allowed_url
from ..atomic_file import move_into_place
from ..errors import UserError
from ..feed.fetcher import MAX_REDIRECTS, REDIRECTS, USER_AGENT, Deadlines
from ..http_client import new_client
from ..i18n import _
from ..redaction import redact
from .update_client import Update, UpdateError

# How long one installer's download may take in all, in seconds (a 150 MB file at 50 KB/s).
DOWNLOAD_BUDGET = 3 * 3600.0
_POLL = 0.2  # seconds between looks at ``cancelled`` while waiting for the host
_QUEUED = 16  # pieces read ahead of the disk at most


def _download_failed(detail: str) -> UpdateError:
    return UpdateError(
        _(
            "The installer could not be downloaded: the connection or the host failed. Try "
            "again: the download resumes where it stopped."
        ),
        detail,
        kind="download-failed",
    )


def _installer_refused(part: Path, detail: str) -> UpdateError:
    part.unlink(missing_ok=True)
    return UpdateError(
        _(
            "The downloaded installer was refused: it is not the file Campaign Companion's "
            "release keys signed (it was changed on the host or on the way). It was deleted; "
            "nothing was installed."
        ),
        detail,
        kind="installer-refused",
    )


_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _is_own_file(path: Path) -> bool:
    """Whether ``path`` is a plain file of its own: not a link (to a file of the user's, left
    where the ``.part`` goes in a shared folder), not a second name of another file."""
    try:
        found = path.lstat()
    except FileNotFoundError:
        return False
    return stat.S_ISREG(found.st_mode) and found.st_nlink == 1


def _open_part(part: Path, append: bool) -> BinaryIO:
    """``part`` to write: appended to (it is a plain file of its own) or new; a link or a file
    that appears at its name meanwhile is never written through."""
    if not append:
        part.unlink(missing_ok=True)
    flags = os.O_WRONLY | _NO_FOLLOW | (os.O_APPEND if append else os.O_CREAT | os.O_EXCL)
    fd = os.open(part, flags, 0o666)
    found = os.fstat(fd)
    if not stat.S_ISREG(found.st_mode) or found.st_nlink != 1:
        os.close(fd)
        raise OSError(f"{part}: not a plain file of its own")
    return os.fdopen(fd, "ab" if append else "wb")


def _try_lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextmanager
def _only_download(part: Path) -> Iterator[None]:
    """Held while this process downloads into ``part``: a second copy of the app (the window and
    the command line) downloading the same installer is told so, instead of appending to the
    same ``.part`` (which would leave other bytes at the final name). The lock file
    (``<part>.lock``) goes with the download."""
    lock = part.with_name(part.name + ".lock")
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | _NO_FOLLOW, 0o666)
        if not _try_lock(fd):
            os.close(fd)
            raise UpdateError(
                _(
                    "This installer is already being downloaded by another copy of Campaign "
                    "Companion (a window or the command line). Wait for it to end, then try "
                    "again."
                ),
                f"{lock}: locked",
                kind="busy",
            )
        try:  # the lock file an ending download removed is not a lock: take the new one
            same = os.path.samestat(os.fstat(fd), lock.lstat())
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        yield
    finally:
        if sys.platform == "win32":  # unlocked before it is closed, as Windows asks
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            os.close(fd)
            with suppress(PermissionError):  # an open file stays: another copy holds it now
                lock.unlink(missing_ok=True)
        else:
            lock.unlink(missing_ok=True)
            os.close(fd)


def _hash_of(path: Path) -> tuple[int, hashlib._Hash]:
    digest, length = hashlib.sha256(), 0
    with path.open("rb") as file:
        while piece := file.read(1024 * 1024):
            digest.update(piece)
            length += len(piece)
    return length, digest


def download_installer(
    update: Update,
    folder: Path,
    *,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
    deadlines: Deadlines | None = None,
    transport: httpx.BaseTransport | None = None,
    monotonic: Callable[[], float] = time.monotonic,
) -> Path:
    """The installer of ``update``, downloaded into ``folder`` and verified (length and SHA-256,
    as signed), at ``folder / update.installer.name``; or an ``UpdateError``.

    It streams into ``<name>.<first 12 digits of its hash>.part`` (so the part of another file
    of the same name is never resumed); a ``.part`` left by an interrupted or cancelled download is
    resumed (HTTP Range). A file that is not the one signed (other bytes, more bytes) is
    deleted; nothing is ever at the final name but the verified file. ``progress(done, total)``
    is called as bytes arrive; ``cancelled()`` stops it (the ``.part`` is kept)."""
    installer = update.installer
    deadlines = deadlines or Deadlines()
    final = folder / installer.name
    part = folder / f"{installer.name}.{installer.sha256[:12]}.part"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _only_download(part):
            if final.is_file() and not final.is_symlink():
                length, digest = _hash_of(final)
                if (length, digest.hexdigest()) == (installer.length, installer.sha256):
                    progress(length, installer.length)
                    return final
            if not _is_own_file(part):  # nothing, or a link or device left there: not resumed
                part.unlink(missing_ok=True)
            done, digest = _hash_of(part) if part.is_file() else (0, hashlib.sha256())
            if done > installer.length:
                raise _installer_refused(
                    part, f"{part}: {done} bytes, signed as {installer.length}"
                )
            if done < installer.length:
                done, digest = _stream(
                    update.mirror + f"{installer.sha256}.{installer.name}",
                    part,
                    done,
                    digest,
                    installer.length,
                    progress=progress,
                    cancelled=cancelled,
                    deadlines=deadlines,
                    transport=transport,
                    monotonic=monotonic,
                )
            if (done, digest.hexdigest()) != (installer.length, installer.sha256):
                raise _installer_refused(
                    part,
                    f"{installer.name}: sha256 {digest.hexdigest()}, signed {installer.sha256}",
                )
            move_into_place(part, final)
    except OSError as exc:
        raise UserError(
            _("The installer could not be saved in {folder}.").format(folder=folder),
            f"{type(exc).__name__}: {exc}",
        ) from exc
    progress(installer.length, installer.length)
    return final


class _Reader:
    """``url``'s answer read on a thread of its own (redirects followed, each address checked),
    handed over piece by piece: ("head", status, headers), ("piece", bytes)…, ("end",), or
    ("error", exception). Once ``stop`` is set it ends at its next read."""

    def __init__(self, client: httpx.Client, url: str, headers: dict[str, str]) -> None:
        self.url = url
        self.items: queue.Queue[tuple] = queue.Queue(_QUEUED)
        self.stop = threading.Event()
        self._client, self._headers = client, headers
        threading.Thread(target=self._run, name="installer-download", daemon=True).start()

    def _put(self, item: tuple) -> bool:
        while not self.stop.is_set():
            try:
                self.items.put(item, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for _hop in range(MAX_REDIRECTS + 1):
                if not allowed_url(self.url):
                    self._put(
                        ("error", _download_failed(f"refused address {redact(self.url[:200])!r}"))
                    )
                    return
                with self._client.stream("GET", self.url, headers=self._headers) as response:
                    location = response.headers.get("location")
                    if response.status_code in REDIRECTS and location:
                        self.url = str(httpx.URL(self.url).join(location))
                        continue
                    if not self._put(("head", response.status_code, response.headers)):
                        return
                    for piece in response.iter_raw():
                        if not self._put(("piece", piece)):
                            return
                    self._put(("end",))
                    return
            self._put(("error", _download_failed(f"more than {MAX_REDIRECTS} redirects")))
        except BaseException as exc:  # handed to the caller, whatever it is
            self._put(("error", exc))


def _stream(
    url: str,
    part: Path,
    done: int,
    digest: hashlib._Hash,
    length: int,
    *,
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool],
    deadlines: Deadlines,
    transport: httpx.BaseTransport | None,
    monotonic: Callable[[], float],
) -> tuple[int, hashlib._Hash]:
    """Append ``url``'s bytes from ``done`` to ``part``; never more than ``length`` in all.
    Only this thread writes ``part``: once this returns or raises, nothing else does."""
    until = monotonic() + DOWNLOAD_BUDGET
    client = new_client(
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
        timeout=httpx.Timeout(deadlines.silence, connect=min(10.0, deadlines.silence)),
        transport=transport,
    )
    reader = _Reader(client, url, {"Range": f"bytes={done}-"} if done else {})

    def next_item() -> tuple:
        while True:
            if cancelled():
                raise UpdateError(_("Cancelled."), "download cancelled", kind="cancelled")
            if monotonic() > until:
                raise _download_failed(f"{url}: more than {DOWNLOAD_BUDGET} s")
            try:
                item = reader.items.get(timeout=_POLL)
            except queue.Empty:
                continue
            if item[0] != "error":
                return item
            error = item[1]
            if isinstance(error, httpx.HTTPError):
                raise _download_failed(f"{type(error).__name__}: {error} ({reader.url})")
            raise error

    try:
        _kind, status, headers = next_item()
        if status == 200 and done:  # the host ignores ranges: the whole file again
            done, digest = 0, hashlib.sha256()
        elif status == 206:
            start = headers.get("content-range", "").split(" ")[-1]
            if not start.startswith(f"{done}-"):
                raise _download_failed(f"{reader.url}: content-range {start[:60]!r}")
        elif status != 200:
            raise _download_failed(f"HTTP {status} for {reader.url}")
        if headers.get("content-encoding", "identity") != "identity":
            raise _download_failed(f"{reader.url}: content encoding")
        with _open_part(part, append=bool(done)) as out:
            while (item := next_item())[0] == "piece":
                piece = item[1]
                if done + len(piece) > length:
                    out.close()
                    raise _installer_refused(part, f"{reader.url}: more than {length} bytes")
                out.write(piece)
                digest.update(piece)
                done += len(piece)
                progress(done, length)
        return done, digest
    finally:
        reader.stop.set()
        client.close()
