"""One running app per user and data dir: a second start hands its options to the first and exits.

The first instance listens on a QLocalServer (a named pipe on Windows, a socket file elsewhere); a
second start connects, sends its options as one JSON line, waits for the reply and exits with 0.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

TIMEOUT_MS = 1500


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


class InstanceServer(QObject):
    """Listens for later starts; ``second_start`` carries the options each one was given."""

    second_start = Signal(dict)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(name):
            # A socket file left by a crashed instance: nobody answers on it, so it can go.
            QLocalServer.removeServer(name)
            if not self.server.listen(name):
                log.warning(
                    "single instance: cannot listen on %s: %s", name, self.server.errorString()
                )
        self.server.newConnection.connect(self._connection)

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
