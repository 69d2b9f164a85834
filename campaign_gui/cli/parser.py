"""The command line's options and commands, and the two quick reads a window's start needs first:
its settings and language (``early_settings``) and its few options (``window_args``)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .. import __version__
from ..core.clock import Clock
from ..core.i18n import LANGUAGES, N_, PSEUDO_LANGUAGE, _, ngettext
from ..core.paths import AppPaths
from ..core.settings import Settings, load_settings

LANG_CHOICES = (*LANGUAGES, PSEUDO_LANGUAGE)

# argparse's own messages, so usage and errors are in the user's language too (see
# ``translate_argparse``).
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


def translate_argparse() -> None:
    """Have argparse say its usage, help and errors through the app's catalog.

    argparse offers no public hook for this: it translates through its module globals ``_`` and
    ``ngettext`` (gettext's, which pick the language from the environment), looked up each time
    it speaks, while the app chooses its own language (``--lang``, the settings). This is the one
    place that points them at the app's catalog; tests/test_cli.py fails if an argparse upgrade
    stops reading them. The app's ``_`` reads the language at call time: once is enough.
    """
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def where_options(parser: argparse.ArgumentParser, default: object = None) -> None:
    """The options a command may also take after its name (``export --campaign F``), each with
    ``default`` (None is argparse's own)."""
    parser.add_argument(
        "--lang",
        choices=LANG_CHOICES,
        metavar="{ary,fr,en}",
        help=_("language for this run: ary (Darija), fr or en"),
        default=default,
    )
    folder, file = _("FOLDER"), _("FILE")  # the placeholders of the usage line
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar=folder,
        help=_("folder for the app's data"),
        default=default,
    )
    parser.add_argument(
        "--config-dir",
        type=Path,
        metavar=folder,
        help=_("folder for the app's settings"),
        default=default,
    )
    parser.add_argument(
        "--campaign",
        type=Path,
        metavar=file,
        help=_("a campaign file to use instead of 2016's"),
        default=default,
    )


def global_options(parser: argparse.ArgumentParser) -> None:
    """The options given before any command (the window's among them)."""
    where_options(parser)
    parser.add_argument(
        "--minimized", action="store_true", help=_("start in the tray, without the window")
    )
    parser.add_argument(
        "--self-check",
        action="store_true",
        help=_("check that this installation has everything it needs, then exit"),
    )


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: the global options and every command's arguments."""
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
    global_options(parser)
    commands = parser.add_subparsers(dest="command", metavar=_("command"))
    # Given after the command, these options are the command's; their absence leaves the ones
    # given before it (SUPPRESS: no default to overwrite them with).
    where = argparse.ArgumentParser(add_help=False)
    where_options(where, default=argparse.SUPPRESS)

    def add(name: str, help: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help, parents=[where])

    # Their parsers only: what the commands need loads as they run.
    from . import organiser, participant, updates

    participant.add_parsers(add)
    organiser.add_parsers(add)
    updates.add_parsers(add)
    return parser


class _WindowParser(argparse.ArgumentParser):
    """Reads only the options of a window start; says nothing of what it cannot read."""

    def error(self, message: str) -> NoReturn:
        raise argparse.ArgumentError(None, message)


def window_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The command line of a window start (no command, no help, nothing wrong), read without
    building every command's parser; ``None`` for any other, which the full parser reads."""
    parser = _WindowParser(prog="campaign-gui", add_help=False, exit_on_error=False)
    global_options(parser)
    try:
        args, rest = parser.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    if rest:  # a command, --help, --version or a mistake
        return None
    args.command = None
    return args


def _early_option(argv: Sequence[str], option: str) -> str | None:
    """``option``'s value in ``argv`` before the full command line is read; None if absent or
    given without a value (the full command line then says so)."""
    early = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    early.add_argument(option, dest="value")
    try:
        known, _rest = early.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    return known.value


def settings_to_keep(settings: Settings, config_dir: Path, clock: Clock | None) -> Settings:
    """The early settings, once the command line is known to be right: read again if their file
    could not be read, so that it is kept aside now, from the folder the run uses."""
    return load_settings(config_dir, clock) if settings.unreadable else settings


def early_settings(argv: Sequence[str], clock: Clock | None) -> tuple[str | None, Settings]:
    """The language for this run and the settings, read once, before the full command line.

    A mistake here (``--lang xx``, ``--lang`` with no value) is left to the full command line,
    which says it in the saved or the system's language, with the whole usage."""
    folder = _early_option(argv, "--config-dir")
    config_dir = None if folder is None else Path(folder)
    # Nothing is moved before the whole command line is known to be right: a file that cannot be
    # read is kept aside afterwards (``settings_to_keep``), in the folder the run was given.
    settings = load_settings(
        AppPaths.resolve(config_dir=config_dir).config_dir, clock, keep_aside=False
    )
    language = _early_option(argv, "--lang")
    if language in LANG_CHOICES:
        return language, settings
    return (settings.language if settings.language in LANGUAGES else None), settings
