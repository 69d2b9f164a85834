"""One instance per data dir: a second start brings the first window forward (in its --lang) and
exits with 0; a lock left by a killed instance does not stop the next start; a busy instance, or
one that does not listen yet, keeps the data and is handed the options; starts at the same moment
open one window.

The tests follow what the app does (its window shown or hidden, the process's exit, the signal
that carries a later start's options), never its log or the time it takes; the timeouts below
only keep a broken start from hanging the suite.
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, QLockFile

from campaign_gui.ui import app as app_module
from campaign_gui.ui import dialog_buttons, single_instance
from campaign_gui.ui.single_instance import LOCK_FILE, NoAnswerError, claim, hand_over, server_name

from .conftest import app_command, offscreen_env

HANG_S = 60  # a start that never ends: the test fails instead of hanging
WINDOW = Path(__file__).with_name("instance_window.py")


class Started:
    """The app started as ``campaign-gui`` starts, on the data in ``base``, with what its main
    window does (tests/instance_window.py), one line at a time: "shown <File menu's title>",
    "hidden" (once painted, the window is hidden, as in the tray)."""

    def __init__(self, base: Path, *args: str) -> None:
        command = app_command(base, *args)
        command[1:3] = [str(WINDOW)]  # the script in place of ``-m campaign_gui``
        self.errors = base / f"stderr-{len(list(base.glob('stderr-*')))}.txt"
        with self.errors.open("w") as errors:
            self.process = subprocess.Popen(
                command, env=offscreen_env(), stdout=subprocess.PIPE, stderr=errors, text=True
            )
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.strip())
        self._lines.put(None)  # the process has ended

    def next_line(self) -> str | None:
        """What the window did next; None once the process has ended (and every time after)."""
        line = self._lines.get(timeout=HANG_S)
        if line is None:
            self._lines.put(None)
        return line

    def wait_for(self, line: str) -> None:
        while (got := self.next_line()) != line:
            assert got is not None, f"ended with {self.process.wait()} before {line!r}: {self}"

    def ended(self) -> tuple[int, list[str]]:
        """The exit code, and every line the window printed."""
        lines = []
        while (got := self.next_line()) is not None:
            lines.append(got)
        return self.process.wait(timeout=HANG_S), lines

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=HANG_S)

    def __str__(self) -> str:
        return self.errors.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def started(tmp_path: Path):
    """Start apps on ``tmp_path``'s data; every one still running is stopped at the end."""
    apps: list[Started] = []

    def start(*args: str) -> Started:
        apps.append(Started(tmp_path, *args))
        return apps[-1]

    yield start
    for app in apps:
        app.stop()


def test_a_second_start_brings_the_first_window_forward_and_exits(started):
    first = started("--lang", "en")
    first.wait_for("hidden")  # painted, then closed into the tray
    assert started("--lang", "fr").ended() == (0, [])  # no window of its own
    first.wait_for("shown &Fichier")  # the first window, in the second start's language
    assert first.process.poll() is None


def test_a_killed_instance_does_not_stop_the_next_start(started, tmp_path):
    first = started("--lang", "en")
    first.wait_for("hidden")
    assert started().ended() == (0, [])  # handed over: the first listens
    first.wait_for("shown &File")
    first.process.kill()  # SIGKILL: its lock file and socket file stay behind
    first.process.wait(timeout=HANG_S)
    assert (tmp_path / "data" / LOCK_FILE).exists()
    if sys.platform != "win32":  # a named pipe vanishes with its process
        assert (Path(QDir.tempPath()) / server_name(tmp_path / "data")).exists()

    after = started("--lang", "fr")
    assert after.next_line() == "shown &Fichier"  # its own window, on the same data
    after.wait_for("hidden")
    assert started("--lang", "en").ended() == (0, [])  # and later starts hand over to it
    after.wait_for("shown &File")


def test_starts_at_the_same_moment_open_one_window(started):
    starts = [started("--lang", "en") for _ in range(3)]
    firsts = [s.next_line() for s in starts]  # a window shown, or the end without one
    assert sorted(firsts, key=str) == [None, None, "shown &File"], firsts
    survivor = starts[firsts.index("shown &File")]
    for start in starts:
        if start is not survivor:
            assert start.ended() == (0, []), str(start)
    assert survivor.process.poll() is None


# The first instance in this process: while a test runs a start, this process's event loop does
# not run, so the first instance is as busy as it can be.


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def first(qapp, data: Path):
    instance = claim(data, {"lang": "en", "minimized": False})
    assert instance is not None and instance.lock is not None
    yield instance
    instance.release()


def test_a_busy_instance_keeps_the_data_and_is_handed_the_options(first, qtbot, tmp_path):
    first.listen()
    second = subprocess.run(
        app_command(tmp_path, "--lang", "fr", "--minimized"),
        env=offscreen_env(),
        capture_output=True,
        text=True,
        timeout=HANG_S,
    )
    assert second.returncode == 0, second.stderr
    with qtbot.waitSignal(first.second_start, timeout=HANG_S * 1000) as handed:
        pass  # the line waits in the socket until the first instance reads it
    assert handed.args == [{"lang": "fr", "minimized": True}]
    assert first.listening


def test_a_start_waits_for_an_instance_that_does_not_listen_yet(first, data, qtbot, monkeypatch):
    tries = []

    def the_first_listens_after_one_try(name: str, options: dict) -> bool:
        tries.append(hand_over(name, options))
        first.listen()
        return tries[-1]

    monkeypatch.setattr(single_instance, "hand_over", the_first_listens_after_one_try)
    with qtbot.waitSignal(first.second_start, timeout=HANG_S * 1000) as handed:
        assert claim(data, {"lang": "ary", "minimized": False}) is None
    assert tries == [False, True]
    assert handed.args == [{"lang": "ary", "minimized": False}]


def test_an_instance_that_never_answers_gets_no_second_window(first, paths, monkeypatch, capsys):
    """It holds the data but never listens (hung before its first paint): this start says so."""
    monkeypatch.setattr(single_instance, "HAND_OVER_WAIT_MS", 2 * single_instance.RETRY_MS)
    warned = []
    monkeypatch.setattr(dialog_buttons, "warn", lambda *args: warned.append(args[2]))
    made = []
    monkeypatch.setattr(app_module, "build_app", lambda *a, **k: made.append(a))
    assert app_module.run_gui(paths, None, "en") == 1
    assert made == []
    assert "already running on the same data, but it does not answer" in warned[0]
    assert "does not answer" in capsys.readouterr().err
    assert first.lock.isLocked()


@pytest.mark.skipif(sys.platform == "win32", reason="a named pipe vanishes with its process")
def test_a_socket_file_left_by_a_killed_instance_is_taken_over(qapp, data):
    path = Path(QDir.tempPath()) / server_name(data)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))
    stale.close()  # the file stays; nobody listens
    try:
        instance = claim(data, {})
        assert instance is not None
        instance.listen()
        assert instance.listening
        instance.release()
    finally:
        path.unlink(missing_ok=True)


def test_a_lock_file_that_names_no_process_is_replaced(qapp, data, monkeypatch):
    """Left empty by a crash as it was written: no owner can ever be found to be gone."""
    monkeypatch.setattr(single_instance, "HAND_OVER_WAIT_MS", 2 * single_instance.RETRY_MS)
    data.mkdir()
    (data / LOCK_FILE).write_bytes(b"")
    instance = claim(data, {})
    assert instance is not None
    assert instance.lock.getLockInfo()[0] == os.getpid()
    instance.release()


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_a_lock_file_a_live_process_holds_is_never_replaced(qapp, data, monkeypatch):
    import fcntl

    monkeypatch.setattr(single_instance, "HAND_OVER_WAIT_MS", 2 * single_instance.RETRY_MS)
    data.mkdir()
    with (data / LOCK_FILE).open("wb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as QLockFile holds its own, before it writes in it
        with pytest.raises(NoAnswerError):
            claim(data, {})
    assert (data / LOCK_FILE).read_bytes() == b""


@pytest.mark.skipif(sys.platform == "win32", reason="its holder keeps the file to itself")
def test_a_lock_held_for_weeks_stays_with_its_live_holder(first, data, monkeypatch):
    """Qt counts a lock older than 30 s as stale by default; an instance in the tray holds its
    own as long as it runs."""
    monkeypatch.setattr(single_instance, "HAND_OVER_WAIT_MS", 2 * single_instance.RETRY_MS)
    lock_file = data / LOCK_FILE
    weeks_ago = lock_file.stat().st_mtime - 3 * 7 * 24 * 3600
    os.utime(lock_file, (weeks_ago, weeks_ago))
    with pytest.raises(NoAnswerError):
        claim(data, {})
    assert first.lock.isLocked()
    assert QLockFile(str(lock_file)).getLockInfo()[0] == os.getpid()


def test_the_lock_is_free_once_the_instance_is_released(first, data):
    assert not QLockFile(str(data / LOCK_FILE)).tryLock(0)
    first.release()
    again = claim(data, {})
    assert again is not None
    again.release()


def test_a_folder_where_the_lock_goes_is_no_other_copys_lock(qapp, data):
    """Never "another copy does not answer" for a lock no copy can hold: the start goes on."""
    (data / LOCK_FILE).mkdir(parents=True)
    instance = claim(data, {})  # before: 20 s of hand-over attempts, then NoAnswerError
    assert instance is not None and instance.lock is None
    instance.release()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX links")
def test_a_link_where_the_lock_goes_is_replaced_and_what_it_leads_to_untouched(
    qapp, data, tmp_path
):
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n", encoding="utf-8")
    data.mkdir()
    (data / LOCK_FILE).symlink_to(target)
    instance = claim(data, {})
    assert instance is not None and instance.lock is not None
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert not (data / LOCK_FILE).is_symlink()
    instance.release()


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes")
def test_the_hand_over_socket_is_in_the_users_private_runtime_folder(data):
    name = server_name(data)
    folder = Path(name).parent
    assert Path(name).is_absolute() and folder != Path(QDir.tempPath())
    assert folder.stat().st_uid == os.getuid() and folder.stat().st_mode & 0o077 == 0


def test_where_no_lock_can_be_made_the_start_goes_on(qapp, tmp_path):
    """As before there was a lock: the store says what is wrong with such a data dir."""
    not_a_folder = tmp_path / "data"
    not_a_folder.write_bytes(b"")
    instance = claim(not_a_folder, {})
    assert instance is not None and instance.lock is None
    instance.release()
