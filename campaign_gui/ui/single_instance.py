"""One running app per data dir: a second start hands its options to the first and exits.

Who is first is decided by a lock file in the data dir (QtCore's ``QLockFile``), held for the
life of the instance; Qt takes over a lock whose owner no longer runs (a crash, ``kill -9``). Only
the holder listens on a ``QLocalServer`` (a named pipe on Windows, a socket file elsewhere), and
only once its window has painted, so QtNetwork never loads before the first paint. A start that
finds the lock held connects, sends its options as one JSON line, waits for the reply and exits
with 0; while the holder does not listen yet (it is still starting), it tries again for a while.
A live instance is never displaced, however busy: nobody but the holder listens on its name.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal

from ..core.i18n import _
from ..core.paths import INSTANCE_LOCK

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

# In the data dir, not the temp dir: a cleaner of old temp files would take it from an instance
# that has run in the tray for weeks, and a later start would open a second window on the data.
LOCK_FILE = INSTANCE_LOCK
TIMEOUT_MS = 1500  # a live instance accepts at once, even busy: its system does, not its code
RETRY_MS = 200
# How long a start waits for the holder to listen: a first start paints within seconds, even
# from a cold disk; then this start says the other copy does not answer.
HAND_OVER_WAIT_MS = 20_000


class NoAnswerError(Exception):
    """A running instance holds the data but never took this start's options."""


def server_name(data_dir: Path) -> str:
    """The same name for every start with the same user and data dir (worked out only when a
    start hands over, or listens after its first paint)."""
    import getpass  # with termios: not before the first paint

    from PySide6.QtCore import QCryptographicHash, QStandardPaths

    path = str(data_dir.resolve()).encode()
    # QtCore's SHA-256, the same digest as hashlib's, without loading OpenSSL before the paint.
    digest = QCryptographicHash.hash(path, QCryptographicHash.Algorithm.Sha256).toHex()
    user = "".join(c for c in getpass.getuser() if c.isalnum())[:16]
    name = f"campaign-companion-{user}-{bytes(digest.data()).decode()[:16]}"
    if sys.platform == "win32":
        return name
    # In the user's own runtime folder (0700: /run/user/<uid>), not the shared temp folder,
    # where another user could listen under this name first and be handed this start's
    # options. Qt makes the folder, private, where the system has none.
    runtime = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.RuntimeLocation)
    if runtime and len(os.fsencode(runtime)) + len(name) < 100:  # a socket path's limit
        return str(Path(runtime) / name)
    return name


def hand_over(name: str, options: dict) -> bool:
    """Send ``options`` to the instance listening on ``name``; False if none listens."""
    from PySide6.QtNetwork import QLocalSocket  # only a start that is not the first needs it

    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    socket.write(json.dumps(options).encode("utf-8") + b"\n")
    socket.flush()
    socket.waitForBytesWritten(TIMEOUT_MS)
    socket.waitForReadyRead(TIMEOUT_MS)  # the reply; a busy instance reads the line later
    socket.disconnectFromServer()
    return True


class Instance(QObject):
    """This start holds the lock: it is the app's one instance on its data. Once ``listen`` has
    been called, ``second_start`` carries the options each later start was given."""

    second_start = Signal(dict)

    def __init__(
        self, data_dir: Path, lock: QLockFile | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.lock = lock  # None where no lock file can be made (the data dir is not writable)
        self.server: QLocalServer | None = None

    def listen(self) -> None:
        """Take later starts from now on (called after the first paint: QtNetwork loads here)."""
        from PySide6.QtNetwork import QLocalServer

        if self.server is not None:
            return
        name = server_name(self.data_dir)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._connection)
        # The name is this instance's while it holds the lock: a socket file left there by a
        # killed instance can go.
        QLocalServer.removeServer(name)
        if not self.server.listen(name):
            log.warning("single instance: cannot listen on %s: %s", name, self.server.errorString())

    @property
    def listening(self) -> bool:
        return self.server is not None and self.server.isListening()

    def stop_listening(self) -> None:
        """The app is quitting: a later start no longer hands over to it, but waits for the lock."""
        if self.server is not None:
            self.server.close()

    def release(self) -> None:
        """The data is free for the next start (the lock also goes when the process ends)."""
        self.stop_listening()
        if self.lock is not None:
            self.lock.unlock()

    def _connection(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        raw = bytes(socket.readLine().data())
        try:
            options = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            log.warning("single instance: unreadable message %r", raw[:200])
            options = {}
        socket.write(b"ok\n")
        socket.flush()
        self.second_start.emit(options if isinstance(options, dict) else {})


def _not_a_lock(path: Path) -> bool:
    """Whether what is at ``path`` can be no other copy's lock: a folder, a file this user cannot
    read (a start would otherwise wait 20 s, then say another copy does not answer). A link is
    removed (never what it leads to), so the next try makes a lock of its own."""
    if path.is_symlink():
        with contextlib.suppress(OSError):
            path.unlink()
        return False
    return path.exists() and (not path.is_file() or not os.access(path, os.R_OK))


def claim(data_dir: Path, options: dict) -> Instance | None:
    """This start's ``Instance`` if it is the first on ``data_dir``; None if a running instance
    took ``options`` (this start then ends). ``NoAnswerError`` if one holds the data but never
    listened within ``HAND_OVER_WAIT_MS``."""
    with contextlib.suppress(OSError):  # if it cannot be made, neither can the lock: said below
        data_dir.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(data_dir / LOCK_FILE))
    # Held for weeks by a live instance, so never stale by age: only when its owner is gone.
    lock.setStaleLockTime(0)
    attempts = max(1, HAND_OVER_WAIT_MS // RETRY_MS)
    name = ""  # the running instance's, worked out at the first hand-over
    for attempt in range(attempts):
        # Waiting for the lock is also the pause between tries; it is free the moment its
        # holder ends, however it ends.
        if lock.tryLock(0 if attempt == 0 else RETRY_MS):
            return Instance(data_dir, lock)
        if lock.error() != QLockFile.LockError.LockFailedError or _not_a_lock(data_dir / LOCK_FILE):
            log.warning("single instance: no lock in %s (%s)", data_dir, lock.error())
            return Instance(data_dir, None)
        name = name or server_name(data_dir)
        if hand_over(name, options):
            return None
    # A lock file that names no process (a crash as it was being written) never goes stale by
    # itself; Qt removes it only if no live process holds it open.
    pid, _host, _app = lock.getLockInfo()
    if not pid and lock.removeStaleLockFile() and lock.tryLock(0):
        log.warning("single instance: an unreadable lock file in %s was replaced", data_dir)
        return Instance(data_dir, lock)
    raise NoAnswerError(name)


def tell_no_answer() -> int:
    """Say that another copy runs on the same data but does not answer; the exit code."""
    message = _(
        "Campaign Companion is already running on the same data, but it does not answer. "
        "Wait a moment and start it again, or close the other copy."
    )
    print(message, file=sys.stderr)
    from . import dialog_buttons  # the dialogs' Qt types: only on this way out

    dialog_buttons.warn(None, _("Campaign Companion"), message)
    return 1
