"""Writing an export never harms what is at its path: the app's own files, devices, pipes, links."""

from __future__ import annotations

import errno
import os
import re
import stat
import threading
import time
from pathlib import Path

import pytest

from campaign_gui.core.atomic_file import write_atomically
from campaign_gui.core.errors import UserError
from campaign_gui.core.exports import ExportGuard, app_files

from .conftest import run_app

POSIX = pytest.mark.skipif(os.name == "nt", reason="POSIX files: links, modes, pipes")
TEMP_NAME = re.compile(r"\.out\.csv\.campaign-gui-[0-9a-f]{8}\.tmp\Z")
STORE_BYTES = b"SQLite format 3\x00" + bytes(range(256)) * 16


def _write_new(out) -> int:
    out.write("target,observed_at,likes,followers\n")
    return 1


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    """A data dir with a store (and its WAL), a settings file and a log; the config dir."""
    data, config = tmp_path / "data", tmp_path / "config"
    (data / "logs").mkdir(parents=True)
    config.mkdir()
    (data / "campaign.sqlite3").write_bytes(STORE_BYTES)
    (data / "campaign.sqlite3-wal").write_bytes(b"wal")
    (data / "logs" / "campaign-gui.log").write_text("log\n", encoding="utf-8")
    (config / "settings.json").write_text("{}", encoding="utf-8")
    return data, config


def _refused(target: Path, dirs: tuple[Path, Path]) -> str:
    with pytest.raises(UserError) as caught:
        write_atomically(target, _write_new, ExportGuard(own_files=tuple(app_files(*dirs))).check)
    assert str(target) in caught.value.message
    return caught.value.message


def _no_temp_files(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if "campaign-gui-" in p.name] == []


def test_app_files_lists_the_store_its_companions_the_settings_and_the_logs(dirs):
    data, config = dirs
    (data / "campaign.sqlite3.broken-20240101T000000Z").write_bytes(b"old")
    (data / "logs" / "campaign-gui.log.2").write_text("old log\n", encoding="utf-8")
    (data / "my-export.csv").write_text("mine\n", encoding="utf-8")
    files = set(app_files(data, config))
    for name in ("", "-wal", "-shm", ".broken-20240101T000000Z"):
        assert data / f"campaign.sqlite3{name}" in files
    assert config / "settings.json" in files
    assert data / "logs" / "campaign-gui.log" in files
    assert data / "logs" / "campaign-gui.log.2" in files
    assert data / "my-export.csv" not in files


def test_exporting_onto_the_store_is_refused_and_the_store_is_unchanged(dirs):
    data, _config = dirs
    message = _refused(data / "campaign.sqlite3", dirs)
    assert "one of Campaign Companion's own files" in message
    assert (data / "campaign.sqlite3").read_bytes() == STORE_BYTES
    _no_temp_files(data)


@pytest.mark.parametrize(
    "name",
    [
        "campaign.sqlite3-wal",
        "campaign.sqlite3-shm",
        "logs/campaign-gui.log",
        "instance.lock",
        "instance.lock.rmlock",
    ],
)
def test_the_stores_companions_and_the_logs_are_refused_even_when_absent(dirs, name):
    data, _config = dirs
    before = (data / name).read_bytes() if (data / name).exists() else None
    assert "own files" in _refused(data / name, dirs)
    assert ((data / name).read_bytes() if (data / name).exists() else None) == before


def test_the_settings_file_is_refused(dirs):
    _data, config = dirs
    assert "own files" in _refused(config / "settings.json", dirs)
    assert (config / "settings.json").read_text(encoding="utf-8") == "{}"


@POSIX
def test_a_symlink_to_the_store_is_refused(dirs, tmp_path):
    link = tmp_path / "export.csv"
    link.symlink_to(dirs[0] / "campaign.sqlite3")
    assert "own files" in _refused(link, dirs)
    assert link.is_symlink()
    assert (dirs[0] / "campaign.sqlite3").read_bytes() == STORE_BYTES


@POSIX
def test_a_hard_link_to_the_store_is_refused(dirs, tmp_path):
    link = tmp_path / "export.csv"
    os.link(dirs[0] / "campaign.sqlite3", link)
    assert "own files" in _refused(link, dirs)
    assert link.samefile(dirs[0] / "campaign.sqlite3")
    assert (dirs[0] / "campaign.sqlite3").read_bytes() == STORE_BYTES


@POSIX
def test_a_device_is_refused(tmp_path):
    # Never /dev/null as root: a regression would replace the system's /dev/null with a file.
    if os.geteuid() == 0:
        device = tmp_path / "null"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    else:
        device = Path("/dev/null")  # its folder is not writable: a regression cannot harm it
    with pytest.raises(UserError) as caught:
        write_atomically(device, _write_new)
    assert caught.value.message == (
        f"{device} is not a regular file (it is a device, a pipe or a socket); choose another name."
    )
    assert stat.S_ISCHR(device.stat().st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_ever_opening_it(tmp_path):
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []

    def export() -> None:
        try:
            write_atomically(fifo, _write_new)
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=export, daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():
        # Opening the pipe for reading and writing never blocks, and frees a blocked open.
        os.close(os.open(fifo, os.O_RDWR | os.O_NONBLOCK))
        worker.join(timeout=5)
        pytest.fail("the export blocked on the FIFO")
    assert isinstance(outcome[0], UserError)
    assert "is not a regular file" in outcome[0].message
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    _no_temp_files(tmp_path)


def test_a_folder_is_refused(tmp_path):
    folder = tmp_path / "out.csv"
    folder.mkdir()
    (folder / "inside.txt").write_text("kept", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        write_atomically(folder, _write_new)
    assert caught.value.message == f"{folder} is a folder; choose a file name."
    assert (folder / "inside.txt").read_text(encoding="utf-8") == "kept"


@POSIX
def test_a_file_with_other_hard_links_is_refused_and_both_names_are_unchanged(tmp_path):
    target, other = tmp_path / "out.csv", tmp_path / "other-name.csv"
    target.write_text("old\n", encoding="utf-8")
    os.link(target, other)
    with pytest.raises(UserError) as caught:
        write_atomically(target, _write_new)
    assert "other hard links" in caught.value.message
    assert target.samefile(other)
    assert other.read_text(encoding="utf-8") == "old\n"


@POSIX
def test_writing_through_a_symlink_updates_its_target_and_keeps_the_link(tmp_path):
    (tmp_path / "exports").mkdir()
    real = tmp_path / "exports" / "likes.csv"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    (tmp_path / "desk").mkdir()
    link = tmp_path / "desk" / "out.csv"
    link.symlink_to(Path("..") / "exports" / "likes.csv")  # relative, as users make them
    assert write_atomically(link, _write_new) == 1
    assert link.is_symlink()
    assert link.readlink() == Path("..") / "exports" / "likes.csv"
    assert real.read_text(encoding="utf-8") == "target,observed_at,likes,followers\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    _no_temp_files(tmp_path / "desk")
    _no_temp_files(tmp_path / "exports")


@POSIX
def test_a_dangling_symlink_creates_the_file_it_points_to(tmp_path):
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "new.csv")
    write_atomically(link, _write_new)
    assert link.is_symlink()
    assert (tmp_path / "new.csv").read_text(encoding="utf-8").startswith("target,")


@POSIX
def test_a_symlink_into_a_missing_folder_is_a_clear_error(tmp_path):
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "gone" / "new.csv")
    with pytest.raises(UserError) as caught:
        write_atomically(link, _write_new)
    assert caught.value.message == f"Cannot write {link}: its folder does not exist."
    assert link.is_symlink()


@POSIX
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o600, 0o664])
def test_an_existing_file_keeps_its_permissions(tmp_path, mode):
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(mode)
    write_atomically(target, _write_new)
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_text(encoding="utf-8").startswith("target,")


@POSIX
@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002])
def test_a_new_file_gets_the_normal_mode_for_the_umask(tmp_path, umask):
    previous = os.umask(umask)
    try:
        write_atomically(tmp_path / "out.csv", _write_new)
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == 0o666 & ~umask


@POSIX
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anything")
def test_a_read_only_file_is_not_replaced(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("keep me\n", encoding="utf-8")
    target.chmod(0o444)
    with pytest.raises(UserError) as caught:
        write_atomically(target, _write_new)
    assert caught.value.message == f"Cannot write {target}: permission denied."
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_the_temp_file_has_our_own_name_beside_the_target(tmp_path):
    seen: list[str] = []

    def write(out) -> int:
        seen.extend(p.name for p in tmp_path.iterdir())
        return _write_new(out)

    write_atomically(tmp_path / "out.csv", write)
    assert len(seen) == 1 and TEMP_NAME.match(seen[0]), seen
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_stale_temp_files_of_this_target_are_removed_and_fresh_ones_kept(tmp_path):
    old = time.time() - 3600
    stale = tmp_path / ".out.csv.campaign-gui-0123abcd.tmp"
    # A user's own file that looks like an old temp name (a dated backup): never touched.
    users = tmp_path / ".out.csv-original"
    fresh = tmp_path / ".out.csv.campaign-gui-89abcdef.tmp"
    other_target = tmp_path / ".other.csv.campaign-gui-0123abcd.tmp"
    not_ours = tmp_path / ".out.csv.campaign-gui-notours.tmp"
    for path in (stale, users, fresh, other_target, not_ours):
        path.write_text("half an export", encoding="utf-8")
    for path in (stale, users, other_target, not_ours):
        os.utime(path, (old, old))
    write_atomically(tmp_path / "out.csv", _write_new)
    assert not stale.exists()
    assert users.exists() and fresh.exists() and other_target.exists() and not_ours.exists()


@pytest.mark.skipif(os.name == "nt", reason="folders are not synced on Windows")
def test_the_folder_is_synced_after_the_rename(tmp_path, monkeypatch):
    synced: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.fstat(fd).st_mode)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    write_atomically(tmp_path / "out.csv", _write_new)
    assert [stat.S_ISDIR(mode) for mode in synced] == [False, True]


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "Cannot write {}: the disk is full."),
        (ValueError("a bug in the writer"), None),
    ],
)
def test_a_failing_write_leaves_the_target_unchanged_and_no_temp_file(tmp_path, failure, message):
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")

    def write(out) -> int:
        out.write("new, but only half")
        raise failure

    with pytest.raises(UserError if message else ValueError) as caught:
        write_atomically(target, write)
    if message:
        assert caught.value.message == message.format(target)
        assert "No space left" in caught.value.detail
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_the_cli_refuses_to_export_onto_the_store_and_the_store_keeps_its_data(tmp_path):
    source = tmp_path / "counts.csv"
    source.write_text("inwi,2016-02-26T08:00:00Z,1470000,\n", encoding="utf-8")
    assert run_app(tmp_path, "import", str(source)).returncode == 0
    store = tmp_path / "data" / "campaign.sqlite3"
    result = run_app(tmp_path, "export", "-o", str(store))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"{store} is one of Campaign Companion's own files; choose another name."
    )
    assert "Traceback" not in result.stderr
    exported = run_app(tmp_path, "export")
    assert exported.returncode == 0, exported.stderr
    assert "inwi,2016-02-26T08:00:00+00:00,1470000," in exported.stdout.splitlines()
    assert not list((tmp_path / "data").glob("*.broken-*"))
