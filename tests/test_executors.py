"""The one way the window runs work off its thread, on real threads: the store's work one task
at a time in order, waited for at quit at most a bound and said in the log; the network's never
waited for and cancellable; outcomes delivered on the GUI thread, and none after a cancel or a
close; a bug in a task an error value in the log and for the caller, not a dead thread."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtCore import QCoreApplication, QObject, Signal

from campaign_gui.core.errors import UserError
from campaign_gui.ui.executors import NetworkExecutor, StoreExecutor

WENT_WRONG = "Something went wrong. The details are in the log."


class Catcher(QObject):
    """Where outcomes go, as a service's signals: what came, and on which thread."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.got: list[object] = []
        self.threads: set[threading.Thread] = set()
        self.done.connect(self._got)
        self.failed.connect(self._got)

    def _got(self, value: object) -> None:
        self.got.append(value)
        self.threads.add(threading.current_thread())


@pytest.fixture
def catcher(qtbot):
    return Catcher()


@pytest.fixture
def store(qtbot):
    executor = StoreExecutor(thread_name="test-store")
    yield executor
    executor.close(60)


@pytest.fixture
def network(qtbot):
    executor = NetworkExecutor()
    yield executor
    executor.close()


def _thread(name: str) -> threading.Thread:
    return next(t for t in threading.enumerate() if t.name == name)


def _after_the_thread_ends(name: str) -> None:
    """Waits for the worker to end, then runs what it queued for the GUI thread, if anything."""
    _thread(name).join()
    QCoreApplication.processEvents()


def test_store_tasks_run_one_at_a_time_in_the_order_submitted(qtbot, store, catcher):
    release = threading.Event()
    ran: list[int] = []
    threads: set[threading.Thread] = set()

    def task(number: int) -> int:
        if number == 0:
            release.wait()  # the others queue up behind it meanwhile
        ran.append(number)
        threads.add(threading.current_thread())
        return number

    for number in range(20):
        store.submit(f"task {number}", lambda n=number: task(n), catcher.done.emit)
    assert store.waiting_for() == [f"task {n}" for n in range(20)]
    with qtbot.waitSignal(catcher.done, timeout=10000, check_params_cb=lambda n: n == 19):
        release.set()
    assert ran == catcher.got == list(range(20))
    assert len(threads) == 1 and threading.main_thread() not in threads
    assert catcher.threads == {threading.main_thread()}  # the outcomes, on the GUI thread


def test_an_exception_in_a_store_task_is_an_error_value_and_the_next_task_runs(
    qtbot, store, catcher, caplog
):
    def broken() -> None:
        raise ZeroDivisionError("the bug")

    with qtbot.waitSignal(catcher.failed, timeout=10000) as failed:
        store.submit("divide", broken, catcher.done.emit, catcher.failed.emit)
    error = failed.args[0]
    assert isinstance(error, UserError)
    assert error.message == WENT_WRONG and "the bug" in error.detail
    logged = next(r for r in caplog.records if r.getMessage() == "divide failed")
    assert logged.levelno == logging.ERROR and logged.exc_info[0] is ZeroDivisionError
    with qtbot.waitSignal(catcher.done, timeout=10000) as done:
        store.submit("add", lambda: 1 + 1, catcher.done.emit, catcher.failed.emit)
    assert done.args == [2]


def test_a_user_error_comes_back_as_it_was_raised_and_is_logged(qtbot, store, catcher, caplog):
    said = UserError("The disk is full.", "ENOSPC on counts.sqlite3")

    def full() -> None:
        raise said

    with qtbot.waitSignal(catcher.failed, timeout=10000) as failed:
        store.submit("import a CSV", full, catcher.done.emit, catcher.failed.emit)
    assert failed.args[0] is said
    assert "import a CSV failed: The disk is full. (ENOSPC on counts.sqlite3)" in caplog.text


def test_quitting_runs_what_is_queued_and_delivers_nothing(qtbot, catcher):
    store = StoreExecutor(thread_name="test-store-quit")
    release = threading.Event()
    ran: list[str] = []

    def write() -> str:
        release.wait()
        ran.append("written")
        return "written"

    store.submit("write a count", write, catcher.done.emit)
    store.submit("close the store", lambda: ran.append("closed"), catcher.done.emit)
    thread = _thread("test-store-quit")
    release.set()
    assert store.close(60)
    assert ran == ["written", "closed"] and not thread.is_alive()
    QCoreApplication.processEvents()
    assert catcher.got == []  # the window may be gone: nothing comes back after close
    store.submit("too late", lambda: ran.append("too late"))
    assert ran == ["written", "closed"]


def test_quitting_waits_for_the_store_at_most_its_bound_and_says_what_for(catcher, caplog):
    caplog.set_level(logging.INFO, logger="campaign_gui.ui.executors")
    store = StoreExecutor(thread_name="test-store-bound")
    release = threading.Event()
    ran: list[str] = []
    store.submit("import a CSV", release.wait)
    store.submit("close the store", lambda: ran.append("closed"), catcher.done.emit)
    try:
        assert not store.close(0.05)  # the import cannot end before it is released
        assert "waiting for the store's work to end: import a CSV, close the store" in caplog.text
        assert "waiting for the store's work: import a CSV, close the store" in caplog.text
    finally:
        release.set()
    _after_the_thread_ends("test-store-bound")
    assert ran == ["closed"]  # what was queued still ran, had the app lived on
    assert catcher.got == []


def test_a_network_task_is_given_its_cancel_token_and_a_cancelled_result_is_dropped(
    qtbot, network, catcher
):
    seen: list[bool] = []

    def download(cancelled: threading.Event) -> str:
        seen.append(cancelled.wait(60))  # a download that stops when told
        return "partial"

    task = network.submit("download", download, catcher.done.emit, thread_name="test-cancel")
    assert _thread("test-cancel").daemon  # quitting never waits for it
    task.cancel()
    _after_the_thread_ends("test-cancel")
    assert seen == [True]
    assert catcher.got == []


def test_a_late_network_result_after_close_is_dropped(qtbot, catcher):
    network = NetworkExecutor()
    release = threading.Event()
    told: list[bool] = []

    def download(cancelled: threading.Event) -> str:
        release.wait()
        told.append(cancelled.is_set())
        return "late"

    network.submit("download", download, catcher.done.emit, thread_name="test-late")
    network.close()  # returns at once: the thread is left to end on its own
    thread = _thread("test-late")
    assert thread.is_alive()
    release.set()
    _after_the_thread_ends("test-late")
    assert told == [True] and catcher.got == []


def test_a_network_result_comes_to_the_gui_thread_and_a_bug_is_an_error_value(
    qtbot, network, catcher, caplog
):
    with qtbot.waitSignal(catcher.done, timeout=10000) as done:
        network.submit("ask", lambda cancelled: 42, catcher.done.emit, catcher.failed.emit)
    assert done.args == [42] and catcher.threads == {threading.main_thread()}

    def broken(cancelled: threading.Event) -> None:
        raise KeyError("no such field")

    with qtbot.waitSignal(catcher.failed, timeout=10000) as failed:
        network.submit("read", broken, catcher.done.emit, catcher.failed.emit)
    assert failed.args[0].message == WENT_WRONG and "no such field" in failed.args[0].detail
    assert any(r.getMessage() == "read failed" and r.exc_info for r in caplog.records)


def test_while_quitting_waits_for_the_store_the_window_keeps_answering(qapp):
    """A long import at quit: the wait runs the event loop (the window paints, a notice can
    show), and it ends as soon as the work does, before its bound."""
    from PySide6.QtCore import QTimer

    store = StoreExecutor(thread_name="test-store-painting")
    release = threading.Event()
    store.submit("import a CSV", release.wait)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.timeout.connect(lambda: release.set() if len(ticks) >= 3 else None)
    timer.start(20)
    try:
        assert store.close(30)  # ended when the import did, not after 30 s
    finally:
        release.set()
        timer.stop()
    assert len(ticks) >= 3  # events went on being handled during the wait
