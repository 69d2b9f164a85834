"""One running app per user and data dir: a second start hands its options to the first and exits.

The first instance listens on a QLocalServer (a named pipe on Windows, a socket file elsewhere); a
second start connects, sends its options as one JSON line, waits for the reply and exits with 0.
A start listens only where nobody answers (a socket file left by a crashed instance is taken over);
a live instance keeps its name, however busy, and is handed the options again.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QDir, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from ..core.i18n import _
from . import dialog_buttons

log = logging.getLogger(__name__)

TIMEOUT_MS = 1500
PROBE_MS = 500  # a live instance accepts at once, even busy: its system does, not its code
HAND_OVER_ATTEMPTS = 3
LOCK_WAIT_MS = 3000  # another start looks and listens in well under a second
LOCK_STALE_MS = 10_000  # a lock left by a start that crashed there


def server_name(data_dir: Path) -> str:
    """The same name for every start with the same user and data dir."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    user = "".join(c for c in getpass.getuser() if c.isalnum())[:16]
    return f"campaign-companion-{user}-{digest}"


def hand_over(name: str, options: dict) -> bool:
    """Send ``options`` to the running instance; False if there is none."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    socket.write(json.dumps(options).encode("utf-8") + b"\n")
    socket.flush()
    socket.waitForBytesWritten(TIMEOUT_MS)
    socket.waitForReadyRead(TIMEOUT_MS)  # the reply: the first instance has it
    socket.disconnectFromServer()
    return True


def someone_listens(name: str) -> bool:
    """Whether a live process listens on ``name``: it accepts a connection (or is too busy to
    within ``PROBE_MS``). A socket file left by a crashed instance refuses at once."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    connected = socket.waitForConnected(PROBE_MS)
    error = socket.error()
    socket.abort()
    return connected or error == QLocalSocket.LocalSocketError.SocketTimeoutError


class InstanceServer(QObject):
    """Listens for later starts; ``second_start`` carries the options each one was given.

    ``taken`` is True when a live instance holds the name: this one then does not listen, and its
    start should hand over to that one rather than open a second window on the same data.
    """

    second_start = Signal(dict)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.taken = False
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # Listening never fails on a live instance's name: with UserAccessOption Qt renames its new
        # socket over the old one on Unix, and adds a pipe instance on Windows. So look first, and
        # let one start at a time look and listen (two first starts at the same moment).
        lock = QLockFile(str(Path(QDir.tempPath()) / f"{name}.lock"))
        lock.setStaleLockTime(LOCK_STALE_MS)
        locked = lock.tryLock(LOCK_WAIT_MS)
        if not locked:
            log.warning("single instance: no lock on %s (%s)", name, lock.error())
        try:
            if someone_listens(name):
                self.taken = True
                log.warning("single instance: %s is held by a running instance; left to it", name)
            else:
                # A socket file left by a crashed instance: nobody answers on it, so it can go.
                QLocalServer.removeServer(name)
                if not self.server.listen(name):
                    log.warning(
                        "single instance: cannot listen on %s: %s", name, self.server.errorString()
                    )
        finally:
            if locked:
                lock.unlock()
        self.server.newConnection.connect(self._connection)

    @property
    def listening(self) -> bool:
        return self.server.isListening()

    def _connection(self) -> None:
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


def claim(name: str, options: dict) -> InstanceServer | None:
    """This start's server; None if a running instance took ``options`` (this start then ends).

    If a live instance holds the name but could not be handed the options (it was starting, or
    busy), it is asked again; after ``HAND_OVER_ATTEMPTS`` the server returned has ``taken`` set.
    """
    for attempt in range(1, HAND_OVER_ATTEMPTS + 1):
        if hand_over(name, options):
            return None
        server = InstanceServer(name)
        if not server.taken or attempt == HAND_OVER_ATTEMPTS:
            break
        server.server.close()
        log.info("single instance: handing over again (attempt %d)", attempt + 1)
    return server


def tell_no_answer() -> int:
    """Say that another copy runs on the same data but does not answer; the exit code."""
    message = _(
        "Campaign Companion is already running on the same data, but it does not answer. "
        "Wait a moment and start it again, or close the other copy."
    )
    print(message, file=sys.stderr)
    dialog_buttons.warn(None, _("Campaign Companion"), message)
    return 1
