"""The participant's commands: ``status``, ``days``, ``import``, ``export`` and ``sync``. Each
loads what it needs as it runs: this module is loaded for any command, and for the help."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ..core.clock import Clock, today_in
from ..core.errors import UserError
from ..core.i18n import _, pick
from ..core.paths import AppPaths
from .shared import AddParser, Command, open_workspace

# ``-o -`` and the names of standard output write to it, as they would with any command.
STDOUT_NAMES = ("-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


def add_parsers(add: AddParser) -> None:
    """The participant's commands, each made by ``add(name, help)`` (the command line's own way)."""
    add("status", _("the latest figure of each page: likes or followers lost"))
    add("days", _("the action days, upcoming first, then past"))
    importer = add("import", _("import page counts (likes, followers) from a CSV file"))
    importer.add_argument(
        "file",
        type=Path,
        metavar=_("FILE"),
        help=_("CSV file: target,observed_at,likes[,followers]"),
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
        metavar=_("SIZE"),
        help=_("the picture's size with --format png: 1200x675 (the default) or 1080x1080"),
    )
    exporter.add_argument(  # a str: as a Path, "./-" would read as "-"
        "-o", "--output", metavar=_("FILE"), help=_("file to write (default: the screen)")
    )
    syncer = add("sync", _("bring the campaign's live data up to date now"))
    syncer.add_argument(
        "--feed", metavar=_("ADDRESS"), help=_("another address of the campaign's feed")
    )


def status(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:
    """The latest figure of each page, one a line, with its date and its source."""
    from ..core.formatting import format_day_span, format_sources
    from ..core.loss_words import figure_text

    workspace = open_workspace(args, paths, clock)
    try:
        campaign = workspace.campaign
        series = workspace.latest_series()  # one figure a line: not every count
        unliked = workspace.store.unliked_targets(campaign.id)
        print(pick(campaign.name))
        for key, line in series.items():
            target = campaign.target(line.target)
            if target is None:
                # The pages together are no page: their figure (2016's: one early count of the
                # three, below each page's own) would read as the latest of a fourth page.
                continue
            name = target.display_name()
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
            if line.target in unliked:
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


def days(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:
    """The action days, upcoming then past, dated from today in the campaign's zone."""
    from ..core.action_days import split_days
    from ..core.formatting import action_kind_label, format_day_span, format_relative_day

    workspace = open_workspace(args, paths, clock)
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


def import_counts(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:
    """Page counts from a CSV file into the store (those already there are skipped)."""
    from ..core.exchange import import_csv
    from ..core.results import import_sentences

    workspace = open_workspace(args, paths, clock)
    try:
        result = import_csv(workspace.store, workspace.campaign, args.file, clock.now())
    finally:
        workspace.close()
    for sentence in import_sentences(result.added, result.already_present):
        print(sentence)
    return 0


def export(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:
    """The page counts (CSV, JSON), the action days (ICS) or the graph (PNG), to a file or
    standard output; never over one of the app's own files."""
    from ..core.calendar_export import action_days_calendar
    from ..core.exchange import write_csv, write_json
    from ..core.exports import ExportGuard, write_export
    from ..core.results import wrote_counts_text, wrote_days_text

    if args.format == "png":
        return _export_png(args, paths, clock)
    if args.size is not None:
        raise UserError(
            _("--size is for pictures: use it with --format png."), detail=f"--size {args.size}"
        )
    workspace = open_workspace(args, paths, clock)
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
    from ..core.share_card import DEFAULT_SHARE_SIZE, parse_share_size

    size = parse_share_size(args.size or DEFAULT_SHARE_SIZE)
    to_stdout = args.output is None or args.output in STDOUT_NAMES
    if to_stdout and sys.stdout is not None and sys.stdout.isatty():
        # A picture's bytes would garble the terminal; a pipe or a redirect is what "-" is for.
        raise UserError(
            _("A picture cannot be shown in a terminal: name the file to save it in with -o FILE."),
            detail="--format png to a terminal",
        )
    workspace = open_workspace(args, paths, clock)
    try:
        campaign, series = workspace.campaign, workspace.loss_series()
    finally:
        workspace.close()
    from ..core.exports import ExportGuard, write_export_bytes
    from ..core.results import wrote_picture_text
    from ..ui.share_image import ensure_gui_application, png_bytes, share_image

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


def sync(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:
    """The campaign's feed fetched, checked and merged now, as the window does in the background."""
    from ..core import jobs
    from ..core.results import merged_text
    from ..core.settings import load_settings

    settings = load_settings(paths.config_dir, clock)
    workspace = open_workspace(args, paths, clock)
    try:
        plan = jobs.plan_sync(workspace, args.feed or settings.feed_url or None)
        update = jobs.fetch_feed(plan, clock.now(), clock.local_zone())
        merge = jobs.merge_feed(workspace, update, clock.now())
    finally:
        workspace.close()
    print(merged_text(merge.counts))
    if merge.campaign_changed:
        print(_("The campaign itself was updated (its pages, days or figures)."))
    return 0


COMMANDS: dict[str, Command] = {
    "status": status,
    "days": days,
    "import": import_counts,
    "export": export,
    "sync": sync,
}
