"""The command line. With no subcommand it starts the window; the subcommands need no display."""

from __future__ import annotations

import argparse
import dataclasses
import gc
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from . import __version__
from .core.clock import Clock, SystemClock, today_in
from .core.errors import UserError, sqlite_errors
from .core.i18n import (
    LANGUAGES,
    N_,
    PSEUDO_LANGUAGE,
    _,
    language_for_locale,
    ngettext,
    pick,
    set_language,
    system_locale_name,
)
from .core.logs import configure_logging
from .core.paths import AppPaths
from .core.settings import Settings, load_settings

if TYPE_CHECKING:
    from .core.workspace import Workspace

log = logging.getLogger(__name__)

LANG_CHOICES = (*LANGUAGES, PSEUDO_LANGUAGE)
# ``-o -`` and the names of standard output write to it, as they would with any command.
STDOUT_NAMES = ("-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")

# argparse's own messages, so usage and errors are in the user's language too: argparse looks up
# ``argparse._`` at call time, and cli.main points it at our catalog.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("expected one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"),
)


def _where_options(parser: argparse.ArgumentParser, **defaults: object) -> None:
    """The options a command may also take after its name (``export --campaign F``)."""
    parser.add_argument(
        "--lang",
        choices=LANG_CHOICES,
        metavar="{ary,fr,en}",
        help=_("language for this run: ary (Darija), fr or en"),
        **defaults,
    )
    parser.add_argument("--data-dir", type=Path, help=_("folder for the app's data"), **defaults)
    parser.add_argument(
        "--config-dir", type=Path, help=_("folder for the app's settings"), **defaults
    )
    parser.add_argument(
        "--campaign", type=Path, help=_("a campaign file to use instead of 2016's"), **defaults
    )


def _global_options(parser: argparse.ArgumentParser) -> None:
    _where_options(parser)
    parser.add_argument(
        "--minimized", action="store_true", help=_("start in the tray, without the window")
    )
    parser.add_argument(
        "--self-check",
        action="store_true",
        help=_("check that this installation has everything it needs, then exit"),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="campaign-gui",
        description=_("Campaign Companion: follow the campaign from your desktop."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        help=_("show program's version number and exit"),  # argparse's own is read too early
    )
    _global_options(parser)
    commands = parser.add_subparsers(dest="command", metavar=_("command"))
    # Given after the command, these options are the command's; their absence leaves the ones
    # given before it (SUPPRESS: no default to overwrite them with).
    where = argparse.ArgumentParser(add_help=False)
    _where_options(where, default=argparse.SUPPRESS)

    def add(name: str, help: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help, parents=[where])

    add("status", _("the latest figure of each page: likes or followers lost"))
    add("days", _("the action days, upcoming first, then past"))
    importer = add("import", _("import page counts (likes, followers) from a CSV file"))
    importer.add_argument(
        "file", type=Path, help=_("CSV file: target,observed_at,likes[,followers]")
    )
    exporter = add("export", _("export the page counts, or the action days as a calendar"))
    exporter.add_argument(
        "--format",
        choices=("csv", "json", "ics", "png"),
        default="csv",
        help=_(
            "csv or json: the page counts (likes, followers); ics: the action days, for a "
            "calendar; png: a picture of the graph, to share"
        ),
    )
    exporter.add_argument(
        "--size",
        help=_("the picture's size with --format png: 1200x675 (the default) or 1080x1080"),
    )
    exporter.add_argument(  # a str: as a Path, "./-" would read as "-"
        "-o", "--output", metavar="FILE", help=_("file to write (default: the screen)")
    )
    from . import network_commands  # its parsers only: what the commands need loads as they run

    network_commands.add_parsers(add)
    return parser


class _HeldRecords(logging.Handler):
    """Keeps the records logged before the log file is known (a plain list: logging.handlers
    would load socket, pickle and queue at every start)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class _WindowParser(argparse.ArgumentParser):
    """Reads only the options of a window start; says nothing of what it cannot read."""

    def error(self, message: str) -> NoReturn:
        raise argparse.ArgumentError(None, message)


def _window_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The command line of a window start (no command, no help, nothing wrong), read without
    building every command's parser; ``None`` for any other, which the full parser reads."""
    parser = _WindowParser(prog="campaign-gui", add_help=False, exit_on_error=False)
    _global_options(parser)
    try:
        args, rest = parser.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    if rest:  # a command, --help, --version or a mistake
        return None
    args.command = None
    return args


def _early_settings(argv: Sequence[str], clock: Clock | None) -> tuple[str | None, Settings]:
    """The language for this run and the settings, read once, before the full command line."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang", choices=LANG_CHOICES)
    early.add_argument("--config-dir", type=Path)
    known, _rest = early.parse_known_args(argv)
    settings = load_settings(AppPaths.resolve(config_dir=known.config_dir).config_dir, clock)
    if known.lang:
        return known.lang, settings
    return (settings.language if settings.language in LANGUAGES else None), settings


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    """Run one command, or the window. ``clock`` is the app's one clock (tests give a fixed one);
    without it the commands read the computer's, and the window builds its own with the system's
    time zone (found through Qt, which the commands never load)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    # What reading the settings logs (a file moved aside, a value out of range) is held until the
    # log file is known, so it lands there and never on the user's terminal in English.
    early = _HeldRecords()
    logging.getLogger().addHandler(early)
    try:
        language, settings = _early_settings(argv, clock)
        set_language(language or language_for_locale(system_locale_name()))
        argparse._ = _  # type: ignore[attr-defined]
        argparse.ngettext = ngettext  # type: ignore[attr-defined]
        args = _window_args(argv) or build_parser().parse_args(argv)
    finally:
        logging.getLogger().removeHandler(early)
    paths = AppPaths.resolve(args.data_dir, args.config_dir)
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
                from .ui.app import run_gui

                return run_gui(paths, args.campaign, language, args.minimized, clock, settings)
            finally:
                gc.enable()
        return _command(args.command)(args, paths, clock or SystemClock())
    except UserError as exc:
        log.error("%s: %s", exc.message, exc.detail)
        print(exc.message, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except sqlite_errors() as exc:  # a page of the store went bad while it was read
        from .core.store import STORE_FILE, damaged_store_error

        error = damaged_store_error(paths.data_dir / STORE_FILE, exc)
        log.error("%s: %s", error.message, error.detail)
        print(error.message, file=sys.stderr)
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


# The subcommands import what they need when they run: starting the window must not wait for
# NumPy, SQLite or icalendar.


def _open_workspace(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> Workspace:
    """The campaign and its store; says on stderr where an unreadable store was kept."""
    from .core.workspace import Workspace

    workspace = Workspace.open(paths, args.campaign, clock=clock)
    kept = workspace.store.moved_aside
    if kept is not None:
        print(
            _(
                "Your data file {path} could not be read, so a new one was started. "
                "The old file was kept as {kept}."
            ).format(path=workspace.store.path, kept=kept),
            file=sys.stderr,
        )
        if workspace.store.recovered:
            from .core.store import recovered_text

            print(recovered_text(workspace.store.recovered), file=sys.stderr)
    return workspace


def _status(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:
    from .core.formatting import format_day_span, format_sources
    from .core.like_loss import ALL_TARGETS
    from .core.loss_words import figure_text

    workspace = _open_workspace(args, paths, clock)
    try:
        campaign = workspace.campaign
        series = workspace.latest_series()  # one figure a line: not every count
        unliked = workspace.store.unliked_targets(campaign.id)
        print(pick(campaign.name))
        for key, line in series.items():
            target = campaign.target(line.target)
            name = target.display_name() if target else _("All pages together")
            latest = figure_text(line, campaign.zone)
            if latest is None:
                # Said once for a page none of whose lines has a figure.
                figures = [s for s in series.values() if s.target == line.target and s.latest()]
                if key == line.target and not figures:
                    print(_("{name}: no figures yet").format(name=name))
                continue
            figure, when, info = latest
            # A source dated the day of the figure does not say that day twice.
            sources = [
                dataclasses.replace(s, published=None)
                if s.published and format_day_span(s.published, s.published) == when
                else s
                for s in (info.sources if info else ())
            ]
            if info:
                source = format_sources(sources)
            elif line.measure == "followers":
                source = _("follower count")
            else:
                source = _("like count")
            mark = ""
            if line.target in unliked and line.target != ALL_TARGETS:
                if line.measure == "followers":
                    mark = _(" — you unfollowed it")
                else:
                    mark = _(" — you unliked it")
            print(
                _("{name}: {figure} ({when}; {source}){mark}").format(
                    name=name, figure=figure, when=when, source=source, mark=mark
                )
            )
    finally:
        workspace.close()
    return 0


def _import(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:
    from .core.exchange import import_csv
    from .core.results import import_sentences

    workspace = _open_workspace(args, paths, clock)
    try:
        result = import_csv(workspace.store, workspace.campaign, args.file, clock.now())
    finally:
        workspace.close()
    for sentence in import_sentences(result.added, result.already_present):
        print(sentence)
    return 0


def _export(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:
    from .core.calendar_export import action_days_calendar
    from .core.exchange import write_csv, write_json
    from .core.exports import ExportGuard, write_export
    from .core.results import wrote_counts_text, wrote_days_text

    if args.format == "png":
        return _export_png(args, paths, clock)
    if args.size is not None:
        raise UserError(
            _("--size is for pictures: use it with --format png."), detail=f"--size {args.size}"
        )
    workspace = _open_workspace(args, paths, clock)
    try:
        if args.format == "ics":
            days = workspace.action_days()
            calendar = action_days_calendar(workspace.campaign, days, clock.now()).decode("utf-8")

            def write(out: TextIO) -> int:
                out.write(calendar)
                return len(days)
        else:
            writer = write_csv if args.format == "csv" else write_json

            def write(out: TextIO) -> int:
                return writer(workspace.store, workspace.campaign, out, workspace.shown_keys)

        if args.output is None or args.output in STDOUT_NAMES:
            _write_to_stdout(write)
            return 0
        guard = ExportGuard.for_app(paths, args.campaign)
        count = write_export(Path(args.output), write, guard)
    finally:
        workspace.close()
    wrote = wrote_days_text if args.format == "ics" else wrote_counts_text
    print(wrote(count, args.output), file=sys.stderr)
    return 0


def _export_png(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:
    """The graph drawn for sharing, as a PNG file (offscreen: no display is needed)."""
    from .core.share_card import DEFAULT_SHARE_SIZE, parse_share_size

    size = parse_share_size(args.size or DEFAULT_SHARE_SIZE)
    to_stdout = args.output is None or args.output in STDOUT_NAMES
    if to_stdout and sys.stdout is not None and sys.stdout.isatty():
        # A picture's bytes would garble the terminal; a pipe or a redirect is what "-" is for.
        raise UserError(
            _("A picture cannot be shown in a terminal: name the file to save it in with -o FILE."),
            detail="--format png to a terminal",
        )
    workspace = _open_workspace(args, paths, clock)
    try:
        campaign, series = workspace.campaign, workspace.loss_series()
    finally:
        workspace.close()
    from .core.exports import ExportGuard, write_export_bytes
    from .core.results import wrote_picture_text
    from .ui.share_image import ensure_gui_application, png_bytes, share_image

    ensure_gui_application()
    data = png_bytes(share_image(campaign, series, size))
    if to_stdout:

        def write(out: TextIO) -> None:
            out.flush()
            out.buffer.write(data)
            out.buffer.flush()

        _write_to_stdout(write)
        return 0
    write_export_bytes(Path(args.output), data, ExportGuard.for_app(paths, args.campaign))
    print(wrote_picture_text(size, args.output), file=sys.stderr)
    return 0


def _self_check(clock: Clock) -> int:
    """Run every check of the installation, print each result; 0 only if all passed."""
    from .core.self_check import run_checks

    def graph() -> str:
        from .ui.self_check_graph import draw_graph

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


def _write_to_stdout(write: Callable[[TextIO], object]) -> None:
    """Write to standard output; a full disk or a closed stream behind it is the user's to know."""
    try:
        if sys.stdout is None:
            raise OSError("standard output is closed")
        write(sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        raise UserError(_("Cannot write to standard output."), detail=repr(exc)) from exc


def _days(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:
    from .core.action_days import split_days
    from .core.formatting import action_kind_label, format_day_span, format_relative_day

    workspace = _open_workspace(args, paths, clock)
    try:
        campaign = workspace.campaign
        all_days = workspace.action_days()
    finally:
        workspace.close()
    today = today_in(campaign.zone, clock.now())
    upcoming, past = split_days(all_days, today)
    print(pick(campaign.name))
    for heading, days in ((_("Upcoming"), upcoming), (_("Past"), past)):
        print()
        print(heading)
        if not days:
            print(
                "  " + (_("No action day is planned yet.") if days is upcoming else _("None yet."))
            )
        for day in days:
            when = format_day_span(day.start, day.end)
            relative = format_relative_day(day.start if day.start >= today else day.end, today)
            print(
                _("  {when} ({relative}) — {kind}: {title}").format(
                    when=when,
                    relative=relative,
                    kind=action_kind_label(day.kind),
                    title=pick(day.title),
                )
            )
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, AppPaths, Clock], int]] = {
    "status": _status,
    "days": _days,
    "import": _import,
    "export": _export,
}


def _command(name: str) -> Callable[[argparse.Namespace, AppPaths, Clock], int]:
    """The command's function; those that reach the network are in their own module."""
    if name in COMMANDS:
        return COMMANDS[name]
    from . import network_commands

    return network_commands.COMMANDS[name]
