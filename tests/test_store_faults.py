"""The store under a second copy of the app, a read-only disk, a full disk and failing writes:
never unusable, never half-written, and a message that names the real cause (issue 7)."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from campaign_gui.core.campaign import ActionDay
from campaign_gui.core.exchange import import_csv
from campaign_gui.core.set_aside import identity, set_aside
from campaign_gui.core.store import (
    STORE_FILE,
    Observation,
    Store,
    StoreBusyError,
    StoreError,
)

from .conftest import app_command, offscreen_env, run_app
from .probes import count_observations

NOW = datetime(2026, 11, 28, 21, 30, tzinfo=UTC)
T0 = datetime(2016, 2, 27, 9, 0, tzinfo=UTC)


def _dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return list(db.iterdump())


@pytest.fixture
def store(tmp_path: Path, campaign):
    s = Store.open(tmp_path / "data", busy_timeout_ms=200)
    s.merge_reports(campaign)
    s.add_observations(campaign.id, [Observation("inwi", T0, 1_400_000)])
    yield s
    s.close()


# -- a second copy of the app --------------------------------------------------------------------


def test_reading_never_waits_on_another_copy_that_is_writing(tmp_path, campaign, store):
    writer = sqlite3.connect(store.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another copy, in the middle of a long import
    try:
        result = run_app(tmp_path, "status")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.returncode == 0, result.stderr
    assert "Inwi" in result.stdout or "inwi" in result.stdout.lower()


def test_a_writer_that_must_wait_too_long_is_told_why(tmp_path, campaign, store):
    writer = sqlite3.connect(store.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreBusyError, match="Another copy of Campaign Companion"):
            store.set_unliked(campaign.id, "inwi", True, NOW)
        csv = tmp_path / "in.csv"
        csv.write_text("inwi,2016-02-28T09:00:00Z,1300000\n", encoding="utf-8")
        with pytest.raises(StoreBusyError, match="Try again when it has finished"):
            import_csv(store, campaign, csv, NOW)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    store.set_unliked(campaign.id, "inwi", True, NOW)  # and once it has finished, it works
    assert store.unliked_targets(campaign.id) == {"inwi"}


def test_merging_the_same_campaign_again_takes_no_write_lock(tmp_path, campaign, store):
    writer = sqlite3.connect(store.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        assert store.merge_reports(campaign) == 0
    finally:
        writer.execute("ROLLBACK")
        writer.close()


# -- a read-only store or data dir ---------------------------------------------------------------


def _as_another_user(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user without write access (root can write anywhere: drop to nobody)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot drop write access")
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    return subprocess.run(
        [*prefix, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=offscreen_env(HOME=str(home)),
        timeout=60,
    )


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_read_only_store_names_the_cause_and_leaves_nothing_behind(
    tmp_path_factory, campaign, read_only
):
    # pytest's own temp dirs are private to root: the other user needs a path it can reach.
    tmp_path = Path(tempfile.mkdtemp(prefix="campaign-gui-ro-", dir="/tmp"))
    tmp_path.chmod(0o777)
    base = tmp_path / "base"
    data = base / "data"
    Store.open(data).close()
    store_file = data / STORE_FILE
    for leftover in ("-wal", "-shm"):
        data.joinpath(STORE_FILE + leftover).unlink(missing_ok=True)
    before = store_file.read_bytes()
    for folder in (tmp_path, base, data):
        folder.chmod(0o777 if folder is not data else (0o555 if read_only == "folder" else 0o777))
    store_file.chmod(0o444 if read_only == "file" else 0o666)
    (base / "config").mkdir(mode=0o777)
    try:
        result = _as_another_user(app_command(base, "status"), tmp_path)
    finally:
        data.chmod(0o755)
    shutil_leftovers = sorted(p.name for p in data.iterdir() if p.name.startswith(STORE_FILE))
    after = store_file.read_bytes()
    shutil.rmtree(tmp_path, ignore_errors=True)
    assert result.returncode == 1
    assert "read-only" in result.stderr
    assert str(store_file) in result.stderr
    assert "Close other copies" not in result.stderr and "Traceback" not in result.stderr
    assert shutil_leftovers == [STORE_FILE]
    assert after == before


def test_a_data_dir_that_is_a_file_is_a_clear_error(tmp_path):
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("I am a file", encoding="utf-8")
    result = run_app(tmp_path, "status")
    assert result.returncode == 1
    assert "cannot use" in result.stderr and str(not_a_folder) in result.stderr
    assert "Traceback" not in result.stderr and "no log file" not in result.stderr
    assert not_a_folder.read_text(encoding="utf-8") == "I am a file"


# -- an unreadable store, moved aside ------------------------------------------------------------


def test_the_cli_says_where_an_unreadable_store_was_kept(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / STORE_FILE).write_bytes(b"this is not a database" * 100)
    result = run_app(tmp_path, "status")
    assert result.returncode == 0
    kept = [p for p in data.iterdir() if ".broken-" in p.name]
    assert len(kept) == 1
    assert str(kept[0]) in result.stderr and str(data / STORE_FILE) in result.stderr


def test_moving_aside_leaves_alone_a_store_another_copy_just_made(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    path = data / STORE_FILE
    path.write_bytes(b"not a database" * 100)
    found_broken = identity(path)
    # meanwhile, another copy starting at the same moment moved it aside and made a fresh store
    path.rename(data / "elsewhere")
    Store.open(data).close()
    fresh = path.read_bytes()
    assert set_aside(path, found_broken, NOW) is None
    assert path.read_bytes() == fresh
    assert not [p for p in data.iterdir() if ".broken-" in p.name]


# -- writes that fail half-way -------------------------------------------------------------------


class _FailingConnection:
    """The store's connection, whose ``fail_at``-th statement fails like a full or broken disk."""

    def __init__(self, db: sqlite3.Connection, fail_at: int) -> None:
        self._db = db
        self.fail_at = fail_at
        self.calls = 0

    def _count(self, sql: str) -> None:
        if sql.strip().upper() in ("ROLLBACK",):
            return
        self.calls += 1
        if self.calls == self.fail_at:
            raise sqlite3.OperationalError("disk I/O error")

    def execute(self, sql: str, *args):
        self._count(sql)
        return self._db.execute(sql, *args)

    def executemany(self, sql: str, *args):
        self._count(sql)
        return self._db.executemany(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self._db, name)


def _writes(campaign):
    day = ActionDay("mine-1", "protest", date(2027, 5, 2), date(2027, 5, 2), {"en": "Sit-in"}, {})
    return {
        "set_unliked": lambda s: s.set_unliked(campaign.id, "meditel", True, NOW),
        "save_user_day": lambda s: s.save_user_day(campaign.id, day),
        "delete_user_day": lambda s: s.delete_user_day(campaign.id, "phones-off-2016-01"),
        "set_day_reminders": lambda s: s.set_day_reminders(campaign.id, "mine-1", False),
        "mark_delivered": lambda s: s.mark_delivered(campaign.id, ["a", "b"], NOW),
        "add_observations": lambda s: s.add_observations(
            campaign.id,
            [Observation("inwi", datetime(2016, 3, d, tzinfo=UTC), 1_000 * d) for d in (1, 2, 3)],
        ),
    }


WRITES = (
    "set_unliked",
    "save_user_day",
    "delete_user_day",
    "set_day_reminders",
    "mark_delivered",
    "add_observations",
)


@pytest.mark.parametrize("write", WRITES)
def test_a_write_failing_at_any_statement_changes_nothing_and_says_so(
    tmp_path, campaign, store, write
):
    action = _writes(campaign)[write]
    before = _dump(store.path)
    real = store._db
    for fail_at in range(1, 20):
        store._db = _FailingConnection(real, fail_at)
        try:
            action(store)
        except StoreError as exc:
            assert "nothing was changed" in exc.message
            assert "disk I/O error" in exc.detail
            assert not real.in_transaction
            assert _dump(store.path) == before, (write, fail_at)
        else:
            break  # fewer statements than fail_at: the write went through whole
        finally:
            store._db = real
    else:
        pytest.fail("the write never completed")
    assert fail_at > 2  # the write had at least BEGIN and one statement that failed before


def test_a_full_disk_half_way_through_an_import_stores_nothing(tmp_path, campaign, store):
    rows = "".join(
        f"maroc-telecom,{datetime.fromtimestamp(1456563600 + 60 * i, UTC).isoformat()},{i}\n"
        for i in range(20_000)
    )
    csv = tmp_path / "big.csv"
    csv.write_text(rows, encoding="utf-8")
    before = _dump(store.path)
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages + 20}")  # room for a few hundred rows
    with pytest.raises(StoreError, match="The disk is full"):
        import_csv(store, campaign, csv, NOW)
    store._db.execute("PRAGMA max_page_count = 1073741823")
    assert _dump(store.path) == before
    assert import_csv(store, campaign, csv, NOW).added == 20_000


# -- a damaged store -------------------------------------------------------------------------------


def _killed_while_open(data: Path) -> None:
    """A copy of the app killed (SIGKILL) while it holds the store: it never closes it."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from campaign_gui.core.store import Store; "
            "store = Store.open(Path(sys.argv[1])); print(store.schema_version, flush=True); "
            "sys.stdin.read()",
            str(data),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=offscreen_env(),
    )
    assert child.stdout is not None and child.stdout.readline().strip()  # it has the store open
    child.kill()
    assert child.wait(timeout=60) != 0


def _damaged_store(data: Path, campaign, killed: bool = True) -> int:
    """A store of 30,000 counts with a run of pages in the middle overwritten, as a failing disk
    or a crash of the machine can leave it (``killed``: a copy of the app had it open, and was
    killed); returns how many counts it held."""
    store = Store.open(data)
    store.merge_reports(campaign)
    start = datetime(2016, 2, 27, tzinfo=UTC).timestamp()
    rows = [
        Observation(t.id, datetime.fromtimestamp(start + 60 * i, UTC), i)
        for t in campaign.targets
        for i in range(10_000)
    ]
    store.add_observations(campaign.id, rows)
    store.set_unliked(campaign.id, "inwi", True, NOW)
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    if killed:
        _killed_while_open(data)
    path = data / STORE_FILE
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.seek(size // 2 // 4096 * 4096)
        f.write(b"\xff" * 20_000)
    return len(rows)


def test_a_damaged_store_is_set_aside_and_what_can_be_read_is_recovered(tmp_path, campaign):
    data = tmp_path / "data"
    total = _damaged_store(data, campaign)
    store = Store.open(data, now=lambda: NOW)
    try:
        assert store.moved_aside is not None and store.moved_aside.exists()
        kept = count_observations(store, campaign.id)
        assert 0 < kept < total  # the rows on both sides of the damage, not the damaged ones
        assert store.recovered >= kept
        assert store.unliked_targets(campaign.id) == {"inwi"}
        # read from both ends: the pages after the damaged ones are kept too
        targets = {o.target for o in store.observations(campaign.id)}
        assert targets == {t.id for t in campaign.targets}
    finally:
        store.close()
    # and the next start finds a healthy store: nothing more is moved aside
    again = Store.open(data)
    assert again.moved_aside is None
    assert count_observations(again, campaign.id) == kept
    again.close()


def test_the_cli_says_a_damaged_store_was_recovered_and_works(tmp_path, campaign):
    _damaged_store(tmp_path / "data", campaign)
    result = run_app(tmp_path, "status")
    assert result.returncode == 0, result.stderr
    assert ".broken-" in result.stderr and "were copied into the new one" in result.stderr
    assert "Maroc Telecom" in result.stdout


def test_a_start_checks_the_whole_store_only_after_a_copy_did_not_close_it(tmp_path, caplog):
    data = tmp_path / "data"
    Store.open(data).close()
    caplog.set_level(logging.INFO, logger="campaign_gui.core.store")
    Store.open(data).close()
    assert "checking the whole store" not in caplog.text
    _killed_while_open(data)
    Store.open(data).close()
    assert "checking the whole store" in caplog.text and "not closed cleanly" in caplog.text
    caplog.clear()
    Store.open(data).close()
    assert "checking the whole store" not in caplog.text


def test_damage_after_a_clean_close_is_found_when_read_and_recovered_at_the_next_start(
    tmp_path, campaign
):
    """The trade-off of not checking every start: a store damaged while no copy of the app ran
    opens, the damage is found when its page is read, and the next start recovers it."""
    data = tmp_path / "data"
    total = _damaged_store(data, campaign, killed=False)
    store = Store.open(data)
    try:
        assert store.moved_aside is None  # not checked at start
        with pytest.raises(sqlite3.DatabaseError):
            list(store.observations(campaign.id))
    finally:
        store.close()
    export = run_app(tmp_path, "export", "-o", str(tmp_path / "counts.csv"))
    assert export.returncode == 1
    assert "is damaged" in export.stderr and "start it again" in export.stderr
    status = run_app(tmp_path, "status")
    assert status.returncode == 0, status.stderr
    assert ".broken-" in status.stderr and "were copied into the new one" in status.stderr
    again = Store.open(data)
    try:
        assert again.moved_aside is None
        assert 0 < count_observations(again, campaign.id) < total
    finally:
        again.close()


def test_many_first_starts_at_once_all_succeed(tmp_path):
    for attempt in range(3):
        base = tmp_path / str(attempt)
        starts = [
            subprocess.Popen(
                app_command(base, "days"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                env=offscreen_env(),
            )
            for _ in range(4)
        ]
        for start in starts:
            _out, err = start.communicate(timeout=60)
            assert start.returncode == 0, err


def test_a_damaged_store_is_put_back_when_setting_it_aside_cannot_finish(tmp_path, campaign):
    data = tmp_path / "data"
    _damaged_store(data, campaign)
    damaged = (data / STORE_FILE).read_bytes()

    def full_disk(store: Store, kept: Path) -> int:
        raise StoreError("The disk is full, so nothing was saved.", "SQLITE_FULL")

    real = Store._recover_from
    Store._recover_from = full_disk
    try:
        with pytest.raises(StoreError, match="disk is full"):
            Store.open(data)
    finally:
        Store._recover_from = real
    assert (data / STORE_FILE).read_bytes() == damaged  # back in place, to be tried again
    assert not [p for p in data.iterdir() if ".broken-" in p.name]
    store = Store.open(data)  # the next start, with room again, sets it aside and recovers
    try:
        assert store.moved_aside is not None and store.recovered > 0
    finally:
        store.close()


def test_quitting_during_an_import_says_the_app_is_finishing(qtbot, paths, clock):
    """The user is told why the app has not closed yet; once the import ends, it is kept."""
    import threading

    from campaign_gui.ui.workspace_service import WorkspaceService

    service = WorkspaceService(paths, None, clock=clock)
    with qtbot.waitSignal(service.loaded, timeout=15000):
        service.load()
    release = threading.Event()
    service._store.submit("import counts from a CSV file", release.wait)
    said: list[str] = []
    service.finishing.connect(said.append)
    service.finishing.connect(lambda _text: release.set())
    service.close()
    assert said and "finishing what it was doing" in said[0]


def test_the_app_shows_a_finishing_notice_while_quit_waits_for_an_import(qtbot, paths, clock):
    """Through the app controller, as File → Quit runs: the notice is a window with the reason,
    and it is gone once the queued import has ended."""
    import threading

    from PySide6.QtWidgets import QApplication, QProgressDialog

    from campaign_gui.core.settings import load_settings

    from .conftest import new_app

    app = new_app(paths, load_settings(paths.config_dir), clock=clock)
    with qtbot.waitSignal(app.service.loaded, timeout=15000):
        app.window.start_loading()
    release = threading.Event()
    app.service._store.submit("import counts from a CSV file", release.wait)
    seen: list[str] = []

    def notice_shown(_text: str) -> None:
        notices = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
        seen.extend(n.labelText() for n in notices if n.isVisible())
        release.set()

    app.service.finishing.connect(notice_shown)
    app.closing()
    assert seen and "finishing what it was doing" in seen[0]
    assert not any(
        isinstance(w, QProgressDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
    )
