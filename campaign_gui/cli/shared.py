"""What the commands have in common: their shape, the workspace they open, how an error is said."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..core.clock import Clock
from ..core.errors import UserError
from ..core.i18n import _
from ..core.paths import AppPaths

if TYPE_CHECKING:
    from ..core.workspace import Workspace

log = logging.getLogger(__name__)

# A command: the parsed command line, where the app's files are, the app's one clock; its exit code.
Command = Callable[[argparse.Namespace, AppPaths, Clock], int]
# How a command module adds its commands: ``add(name, help)`` gives the command's own parser.
AddParser = Callable[[str, str], argparse.ArgumentParser]


def report(error: UserError, level: int = logging.ERROR) -> None:
    """Say the error on stderr in the user's language; log it with its detail."""
    log.log(level, "%s: %s", error.message, error.detail)
    print(error.message, file=sys.stderr)


def open_workspace(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> Workspace:
    """The campaign and its store; says on stderr where an unreadable store was kept."""
    from ..core.workspace import Workspace

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
            from ..core.store import recovered_text

            print(recovered_text(workspace.store.recovered), file=sys.stderr)
    return workspace
