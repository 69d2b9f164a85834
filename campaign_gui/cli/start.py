"""``campaign-gui``: the window, or one command, or the installation's self-check."""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..core.clock import Clock, SystemClock
from ..core.errors import UserError, sqlite_errors
from ..core.i18n import _, language_for_locale, ngettext, set_language, system_locale_name
from ..core.logs import configure_logging
from ..core.paths import AppPaths
from .parser import (
    build_parser,
    early_settings,
    settings_to_keep,
    translate_argparse,
    window_args,
)
from .terminal import plain_terminal

if TYPE_CHECKING:
    from .shared import Command

log = logging.getLogger(__name__)


class _HeldRecords(logging.Handler):
    """Keeps the records logged before the log file is known (a plain list: logging.handlers
    would load socket, pickle and queue at every start)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    """Run one command, or the window. ``clock`` is the app's one clock (tests give a fixed one);
    without it the commands read the computer's, and the window builds its own with the system's
    time zone (found through Qt, which the commands never load)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    with plain_terminal():
        return _main(list(sys.argv[1:] if argv is None else argv), clock)


def _main(argv: list[str], clock: Clock | None) -> int:
    # What reading the settings logs (a file moved aside, a value out of range) is held until the
    # log file is known, so it lands there and never on the user's terminal in English.
    early = _HeldRecords()
    logging.getLogger().addHandler(early)
    # argparse speaks through the app's catalog from its first parser: through gettext's own,
    # each of its words searched the system's folders for a catalog, on every start.
    translate_argparse()
    try:
        language, settings = early_settings(argv, clock)
        set_language(language or language_for_locale(system_locale_name()))
        args = window_args(argv) or build_parser().parse_args(argv)
        paths = AppPaths.resolve(args.data_dir, args.config_dir)
        settings = settings_to_keep(settings, paths.config_dir, clock)
    finally:
        logging.getLogger().removeHandler(early)
    log_file = configure_logging(paths.log_dir)
    for record in early.records:
        logging.getLogger(record.name).handle(record)
    try:
        if args.self_check:
            return _self_check(clock or SystemClock())
        if args.command is None:
            # Every object the window's start makes is kept: the collector's passes there find
            # nothing to free and cost about 8 ms before the first paint. ``run_gui`` resumes it
            # once the event loop runs.
            gc.disable()
            try:
                from ..ui.app import run_gui

                return run_gui(paths, args.campaign, language, args.minimized, clock, settings)
            finally:
                gc.enable()
        return _command(args.command)(args, paths, clock or SystemClock())
    except UserError as exc:
        from .shared import report  # with the commands: the window's start does without

        report(exc)
        return 1
    except KeyboardInterrupt:
        return 130
    except sqlite_errors() as exc:  # a page of the store went bad while it was read
        from ..core.store import STORE_FILE, damaged_store_error
        from .shared import report

        report(damaged_store_error(paths.data_dir / STORE_FILE, exc))
        return 1
    except BrokenPipeError:
        # The reader went away (``campaign-gui days | head``): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        log.exception("unexpected error")
        if log_file is not None:
            message = _("Something went wrong. The details are in the log: {path}").format(
                path=log_file
            )
        else:  # no log could be written: the cause itself is all there is to go on
            message = _(
                "Something went wrong, and no log could be written in {folder}. The cause: {cause}"
            ).format(folder=paths.log_dir, cause=f"{type(exc).__name__}: {exc}")
        print(message, file=sys.stderr)
        return 1


def _command(name: str) -> Command:
    """The command's function. Its module loads only now: starting the window must not wait for
    the commands, nor they for NumPy, SQLite or icalendar (each loads what it needs as it runs)."""
    from . import organiser, participant, updates

    if name in participant.COMMANDS:
        return participant.COMMANDS[name]
    if name in updates.COMMANDS:
        return updates.COMMANDS[name]
    return organiser.COMMANDS[name]


def _self_check(clock: Clock) -> int:
    """Run every check of the installation, print each result; 0 only if all passed."""
    from ..core.self_check import run_checks

    def graph() -> str:
        from ..ui.self_check_graph import draw_graph

        return draw_graph()

    checks = run_checks(clock, graph)
    for check in checks:
        mark = _("ok") if check.ok else _("FAILED")
        print(
            _("[{mark}] {check}: {detail}").format(mark=mark, check=check.name, detail=check.detail)
        )
        if not check.ok:
            log.error("self-check failed: %s: %s", check.name, check.detail)
    failed = sum(not check.ok for check in checks)
    if failed:
        print(
            ngettext(
                "{count} check failed: this installation is incomplete.",
                "{count} checks failed: this installation is incomplete.",
                failed,
            ).format(count=failed),
            file=sys.stderr,
        )
        return 1
    print(_("Everything this installation needs is there."))
    return 0
