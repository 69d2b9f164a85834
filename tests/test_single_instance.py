"""One instance: a second start brings the first forward (with its --lang) and exits with 0; a
live instance's name is never taken from it, however busy it is."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from campaign_gui.core.logs import LOG_FILE
from campaign_gui.ui import app as app_module
from campaign_gui.ui import dialog_buttons, single_instance
from campaign_gui.ui.single_instance import InstanceServer, claim, server_name

from .conftest import app_command, offscreen_env


def _start(tmp_path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        app_command(tmp_path, *args),
        env=offscreen_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_a_second_start_hands_over_and_exits_at_once(tmp_path):
    log = tmp_path / "data" / "logs" / LOG_FILE
    first = _start(tmp_path, "--lang", "en")
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if log.exists() and "merged" in log.read_text(encoding="utf-8"):
                break
            assert first.poll() is None, first.stderr.read().decode()
            time.sleep(0.1)
        else:
            raise AssertionError("the first instance did not start")
        started = time.monotonic()
        second = _start(tmp_path, "--lang", "fr")
        assert second.wait(timeout=30) == 0
        assert time.monotonic() - started < 15
        deadline = time.monotonic() + 10
        while "a second start handed over" not in log.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.1)
        assert "'lang': 'fr'" in log.read_text(encoding="utf-8")
        assert first.poll() is None  # the first one is still running
    finally:
        first.terminate()
        first.wait(timeout=10)


# A live instance that is busy (here: a server in this process, which never answers while the
# test runs) keeps its name; a socket file nobody listens on is taken over.


@pytest.fixture
def name(tmp_path: Path) -> str:
    return server_name(tmp_path / "data")


@pytest.fixture
def busy(qapp, name: str):
    server = QLocalServer()
    server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
    assert server.listen(name)
    yield server
    server.close()


def _messages(server: QLocalServer) -> list[bytes]:
    """What the connections ``server`` was sent carry (the probes carry nothing)."""
    got = []
    while server.hasPendingConnections() or server.waitForNewConnection(200)[0]:
        while server.hasPendingConnections():
            socket = server.nextPendingConnection()
            socket.waitForReadyRead(200)
            got.append(bytes(socket.readAll().data()))
    return [m for m in got if m]


def test_a_live_but_busy_instance_keeps_its_name(busy, name):
    second = InstanceServer(name)
    try:
        assert second.taken and not second.listening
        assert busy.isListening()
        if sys.platform != "win32":
            assert Path(busy.fullServerName()).exists()
        assert _messages(busy) == []  # the look that found it there carried nothing
        late = QLocalSocket()
        late.connectToServer(name)
        assert late.waitForConnected(1000)
        assert busy.waitForNewConnection(1000)[0]  # the first instance still gets the later starts
    finally:
        second.server.close()


@pytest.mark.skipif(sys.platform == "win32", reason="a named pipe vanishes with its process")
def test_a_socket_file_left_by_a_crashed_instance_is_taken_over(qapp, name):
    path = Path(QDir.tempPath()) / name
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))
    stale.close()  # the file stays; nobody listens
    try:
        server = InstanceServer(name)
        assert server.listening and not server.taken
        server.server.close()
    finally:
        path.unlink(missing_ok=True)


def test_a_start_that_loses_the_race_hands_over_again(busy, name, monkeypatch):
    """Two first starts at once: both find nobody; the one that cannot listen hands over."""
    real = single_instance.hand_over
    calls = []

    def nobody_yet_then_real(name: str, options: dict) -> bool:
        calls.append(options)
        return False if len(calls) == 1 else real(name, options)

    monkeypatch.setattr(single_instance, "hand_over", nobody_yet_then_real)
    assert claim(name, {"lang": "fr", "minimized": False}) is None
    assert len(calls) == 2
    assert _messages(busy) == [b'{"lang": "fr", "minimized": false}\n']


def test_an_instance_that_never_takes_the_options_gets_no_second_window(
    busy, paths, monkeypatch, capsys
):
    monkeypatch.setattr(single_instance, "hand_over", lambda name, options: False)
    monkeypatch.setattr(app_module, "server_name", lambda data_dir: busy.serverName())
    warned = []
    monkeypatch.setattr(dialog_buttons, "warn", lambda *args: warned.append(args[2]))
    made = []
    monkeypatch.setattr(app_module, "build_app", lambda *a, **k: made.append(a))
    assert app_module.run_gui(paths, None, "en") == 1
    assert made == []
    assert "already running on the same data, but it does not answer" in warned[0]
    assert "does not answer" in capsys.readouterr().err
    assert busy.isListening()


def test_starts_at_the_same_moment_leave_one_instance(tmp_path):
    """Whoever wins, one instance stays and the others hand over to it (the race itself is
    reproduced exactly above, in one process)."""
    log = tmp_path / "data" / "logs" / LOG_FILE
    starts = [_start(tmp_path, "--lang", "en") for _ in range(3)]
    try:
        deadline = time.monotonic() + 60
        while sum(p.poll() is not None for p in starts) < 2:
            assert time.monotonic() < deadline, log.exists() and log.read_text(encoding="utf-8")
            time.sleep(0.1)
        ended = [p for p in starts if p.poll() is not None]
        assert [p.returncode for p in ended] == [0, 0], [p.stderr.read() for p in ended]
        time.sleep(1)
        assert sum(p.poll() is None for p in starts) == 1
    finally:
        for p in starts:
            if p.poll() is None:
                p.terminate()
                p.wait(timeout=10)
