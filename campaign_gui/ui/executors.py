"""The one way the window runs work off its thread (after picard's ``run_task``).

A function is submitted with what to call on its result and on its error; it runs on a worker
thread, and its outcome comes back to the GUI thread through a queued signal. Whatever goes wrong
in it ends as a ``UserError`` value, logged: a bug neither kills a thread nor goes unsaid.

- ``StoreExecutor``: one thread, the submissions in order (the store's connection is used by one
  thread at a time). Quitting waits for what is queued, up to a bound, and logs what it waits
  for: a count being written is not lost, and a long import does not hold the quit for ever.
- ``NetworkExecutor``: a daemon thread a submission, never waited for (quitting never waits for
  the network). Each submission is given a cancel token (a ``threading.Event``) to stop early.

Nothing is delivered once a submission is cancelled or its executor closed: the caller may have
moved on, or the app may be gone.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)

from ..core.errors import UserError
from ..core.i18n import _

log = logging.getLogger(__name__)

# How often a wait at quit looks whether the store's thread has ended (only while quitting).
JOIN_CHECK_MS = 50

Done = Callable[[Any], None]
Failed = Callable[[UserError], None]


def _ignore(_value: object) -> None:
    pass


class Task:
    """One submission: its name (for the log), its work, where its outcome goes, and its cancel
    token. ``result`` or ``error`` is set on the worker thread before the outcome is sent."""

    def __init__(self, name: str, work: Callable[[], Any], done: Done, failed: Failed) -> None:
        self.name = name
        self.work = work
        self.done = done
        self.failed = failed
        self.cancelled = threading.Event()
        self.result: Any = None
        self.error: UserError | None = None

    def cancel(self) -> None:
        """Its outcome is dropped; work that reads the token stops early."""
        self.cancelled.set()


class _Executor(QObject):
    """What both executors share: running a task to an outcome, and the one relay that carries
    it to the GUI thread (this object lives there: a signal emitted from a worker is queued)."""

    _finished = Signal(object)  # Task
    error_level = logging.WARNING  # how a UserError of a task is logged

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.closed = False
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def _run(self, task: Task) -> None:
        """On the worker: the task's work to a result or a ``UserError``, then sent on."""
        try:
            task.result = task.work()
        except UserError as error:
            log.log(self.error_level, "%s failed: %s (%s)", task.name, error.message, error.detail)
            task.error = error
        except Exception as exc:  # a bug: said in the log, and to the caller as an error value
            log.exception("%s failed", task.name)
            task.error = UserError(
                _("Something went wrong. The details are in the log."), repr(exc)
            )
        if self._wanted(task):
            # RuntimeError: the app quit, and this object with it, while the work ran.
            with contextlib.suppress(RuntimeError):
                self._finished.emit(task)

    def _wanted(self, task: Task) -> bool:
        return not (self.closed or task.cancelled.is_set())

    @Slot(object)
    def _deliver(self, task: Task) -> None:
        """On the GUI thread: the outcome to its callback, unless it came too late."""
        if not self._wanted(task):
            log.debug("%s: its outcome came after a cancel or a close; dropped", task.name)
        elif task.error is not None:
            task.failed(task.error)
        else:
            task.done(task.result)


class StoreExecutor(_Executor):
    """One worker thread, the tasks in the order they were submitted."""

    error_level = logging.ERROR  # the store's errors (a full disk, a damaged file) matter

    def __init__(self, parent: QObject | None = None, *, thread_name: str = "store") -> None:
        super().__init__(parent)
        self._thread_name = thread_name
        self._lock = threading.Lock()
        self._queue: deque[Task] = deque()
        self._running: Task | None = None
        self._thread: threading.Thread | None = None

    def submit(
        self,
        name: str,
        work: Callable[[], Any],
        done: Done = _ignore,
        failed: Failed = _ignore,
    ) -> Task:
        """Run ``work`` after everything submitted before it; once closed, nothing runs."""
        task = Task(name, work, done, failed)
        with self._lock:
            if self.closed:
                log.warning("%s: not run, the store's work has ended", name)
                return task
            self._queue.append(task)
            if self._thread is None:
                # A daemon: past the bound at quit, the process may end while a task runs.
                self._thread = threading.Thread(
                    target=self._work, name=self._thread_name, daemon=True
                )
                self._thread.start()
        return task

    def _work(self) -> None:
        """The worker: the queue, in order; it ends when the queue is empty (a new one starts
        with the next submission, under the lock, so never two at once)."""
        while True:
            with self._lock:
                if not self._queue:
                    self._running = None
                    self._thread = None
                    return
                task = self._running = self._queue.popleft()
            self._run(task)

    def waiting_for(self) -> list[str]:
        """The names of the task under way and of those queued, in order."""
        with self._lock:
            running = [self._running] if self._running is not None else []
            return [task.name for task in (*running, *self._queue)]

    def close(self, wait: float) -> bool:
        """No more outcomes are delivered nor tasks taken; the ones queued still run. Waits for
        them at most ``wait`` seconds, saying in the log what it waits for; whether they ended."""
        with self._lock:
            self.closed = True
            thread = self._thread
        if thread is None:
            return True
        log.info("waiting for the store's work to end: %s", ", ".join(self.waiting_for()))
        _join_painting(thread, wait)
        if thread.is_alive():
            log.warning(
                "gave up after %.0f s waiting for the store's work: %s",
                wait,
                ", ".join(self.waiting_for()),
            )
            return False
        return True


def _join_painting(thread: threading.Thread, wait: float) -> None:
    """Wait at most ``wait`` seconds for ``thread`` to end. On the GUI thread the wait runs a
    local event loop, so the window keeps painting (and a notice of the wait can show) instead
    of freezing; elsewhere, a plain join."""
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        thread.join(wait)
        return
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(JOIN_CHECK_MS)
    check.timeout.connect(lambda: None if thread.is_alive() else loop.quit())
    QTimer.singleShot(int(wait * 1000), loop.quit)
    check.start()
    if thread.is_alive():
        loop.exec()
    check.stop()


class NetworkExecutor(_Executor):
    """A daemon thread a task, never waited for; each task given its cancel token."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._live: set[Task] = set()

    def submit(
        self,
        name: str,
        work: Callable[[threading.Event], Any],
        done: Done = _ignore,
        failed: Failed = _ignore,
        *,
        thread_name: str = "network",
    ) -> Task:
        """Run ``work(cancelled)`` on a thread of its own; ``cancelled`` is set when the task is
        cancelled or the executor closed (the work may stop early; its outcome is dropped)."""
        task = Task(name, lambda: work(task.cancelled), done, failed)
        if self.closed:
            task.cancel()
            return task
        with self._lock:
            self._live.add(task)
        threading.Thread(target=self._runner, args=(task,), name=thread_name, daemon=True).start()
        return task

    def _runner(self, task: Task) -> None:
        try:
            self._run(task)
        finally:
            with self._lock:
                self._live.discard(task)

    def close(self) -> None:
        """Every task under way cancelled, none waited for; nothing is delivered any more."""
        self.closed = True
        with self._lock:
            live, self._live = self._live, set()
        for task in live:
            task.cancel()
