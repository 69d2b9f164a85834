"""The organiser's commands: ``token`` and ``key`` (the keychain), ``track`` (the Graph API) and
``publish`` (the signed feed). Each runs the same core steps as the window, and loads what it needs
as it runs: this module is loaded for any command, and for the help."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.clock import Clock
from ..core.errors import UserError
from ..core.i18n import _, ngettext
from ..core.paths import AppPaths
from .shared import AddParser, Command, open_workspace, report

if TYPE_CHECKING:
    from ..core.secrets import Secrets

log = logging.getLogger(__name__)

# ``track --once`` cut short because Meta asked to slow down: try again at the time it says
# (sysexits' EX_TEMPFAIL, which schedulers read as "temporary, try later").
EXIT_SLOW_DOWN = 75


def add_parsers(add: AddParser) -> None:
    """The organiser's commands, each made by ``add(name, help)`` (the command line's own way)."""
    token = add("token", _("organisers: the Graph API token"))
    token.add_argument(
        "action",
        choices=("set", "status", "clear"),
        help=_("set (read from standard input), status or clear"),
    )
    key = add("key", _("organisers: the keys that sign the feed"))
    key.add_argument(
        "action",
        choices=("generate", "show", "rotate"),
        help=_("generate (a root key and an online key), show, or rotate (a new online key)"),
    )

    track = add("track", _("organisers: read the pages' likes and followers with the Graph API"))
    track.add_argument("--once", action="store_true", help=_("one round, then exit"))
    track.add_argument("--api-base", metavar=_("ADDRESS"), help=_("another Graph API address"))

    publish = add("publish", _("organisers: write the signed feed, ready to upload"))
    publish.add_argument(
        "--out", type=Path, required=True, metavar=_("FOLDER"), help=_("the feed's folder")
    )
    publish.add_argument(
        "--url",
        action="append",
        required=True,
        metavar=_("ADDRESS"),
        help=_("an https:// address where the folder will be served (repeat for mirrors)"),
    )


def _secrets() -> Secrets:
    from ..core.secrets import Secrets

    return Secrets()


def token(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:
    """The Graph API token in the keychain: set it (from standard input), say if one is set, or
    remove it."""
    from ..core.secrets import GRAPH_TOKEN, MAX_SECRET

    secrets = _secrets()
    if args.action == "set":
        if sys.stdin.isatty():
            value = getpass.getpass(_("Paste the Graph API token (it is not shown): "))
        else:
            # All of it (bounded): a second line is refused, never silently dropped; more than
            # twice the longest secret is refused as too long.
            value = sys.stdin.read(2 * MAX_SECRET + 4).strip("\r\n")
        secrets.set(GRAPH_TOKEN, value)
        print(_("The token is kept {where}.").format(where=secrets.where()))
    elif args.action == "status":
        known = secrets.get(GRAPH_TOKEN) is not None
        where = secrets.where()
        if known:
            print(_("A token is set, kept {where}.").format(where=where))
        else:
            print(_("No token is set {where}.").format(where=where))
    else:
        had = secrets.clear(GRAPH_TOKEN)
        print(_("The token was removed.") if had else _("No token was set."))
    return 0


def key(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:
    """The feed's signing keys in the keychain: make them, show them, or rotate the online key."""
    from ..core.feed.keys import generate_keys, load_signers, rotate_online_key

    secrets = _secrets()
    if args.action == "rotate":
        old, signers = rotate_online_key(secrets)
        print(
            _("A new online key is kept {where}: {keyid}").format(
                where=secrets.where(), keyid=signers.online.public_key.keyid
            )
        )
        if old is not None:
            print(_("It replaces the online key {keyid}.").format(keyid=old.keyid))
        print(
            _(
                "Publish now: the feed then names the new key in a new root, signed by the root "
                "key. Participants' apps follow it and no longer trust the old online key."
            )
        )
        return 0
    if args.action == "generate":
        signers = generate_keys(secrets)
        print(
            _("A new root key and a new online key are kept {where}.").format(where=secrets.where())
        )
    else:
        signers = load_signers(secrets)
        print(_("The feed's keys are kept {where}.").format(where=secrets.where()))
    if signers.shared:
        print(
            _(
                "Online key: the root key itself (one key signs everything). Give the online "
                "key its own with: campaign-gui key rotate"
            )
        )
    else:
        print(
            _("Online key (it signs the data at every publish): {keyid}").format(
                keyid=signers.online.public_key.keyid
            )
        )
    public = signers.root.public_key
    print(_("Root key, the one participants trust (it signs only the list of keys):"))
    print(json.dumps({public.keyid: public.to_dict()}, indent=1))
    return 0


def publish(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:
    """The signed feed written to a folder, ready to upload to every address it names."""
    from ..core.feed.count_files import StoreSource
    from ..core.feed.keys import load_signers
    from ..core.feed.publish import publish
    from ..core.store import UNBOUND

    signers = load_signers(_secrets())
    workspace = open_workspace(args, paths, clock)
    now = clock.now()
    try:
        # The campaign file's bytes as the workspace read and checked them: not read again.
        document = json.loads(workspace.source.decode("utf-8-sig"))
        own = workspace.campaign.id
        # Read from the store as the publish needs: the days that changed, not the year.
        source = StoreSource(
            workspace.store,
            (own, own + UNBOUND),
            {t.id for t in workspace.campaign.targets},
            now,
        )
        result = publish(
            args.out,
            campaign_document=document,
            source=source,
            mirrors=args.url,
            signers=signers,
            now=now,
        )
    finally:
        workspace.close()
    if result.rotated:
        print(
            _(
                "Version {version} of the root names the new online key {keyid}: participants' "
                "apps follow it, and no longer trust the old one."
            ).format(version=result.root_version, keyid=signers.online.public_key.keyid)
        )
    for page, n in sorted(result.left_out.items()):
        print(
            ngettext(
                "Left out {n} count of the page {page}: the campaign no longer lists it, and "
                "participants' apps would refuse it.",
                "Left out {n} counts of the page {page}: the campaign no longer lists it, and "
                "participants' apps would refuse them.",
                n,
            ).format(n=n, page=page[:100]),
            file=sys.stderr,
        )
    if result.future:
        print(
            ngettext(
                "Left out {n} count dated later than now: participants' apps would refuse it.",
                "Left out {n} counts dated later than now: participants' apps would refuse them.",
                result.future,
            ).format(n=result.future),
            file=sys.stderr,
        )
    print(
        ngettext(
            "Published the feed: {n} file of counts.",
            "Published the feed: {n} files of counts.",
            result.chunks,
        ).format(n=result.chunks)
    )
    print(
        ngettext(
            "{n} file written in {folder}.",
            "{n} files written in {folder}.",
            result.files_written,
        ).format(n=result.files_written, folder=args.out)
    )
    if result.pruned:
        print(
            ngettext(
                "{n} file no longer listed for two days was removed.",
                "{n} files no longer listed for two days were removed.",
                result.pruned,
            ).format(n=result.pruned)
        )
    print(
        _("Upload the folder as it is to every address; participants open {file}.").format(
            file=args.out / "campaign.json"
        )
    )
    return 0


def track(
    args: argparse.Namespace,
    paths: AppPaths,
    clock: Clock,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Read the pages' counts with the Graph API, round after round (one with ``--once``); a test
    gives ``sleep`` to stand in for the wait between rounds."""
    from ..core.jobs import track_pages
    from ..core.results import recorded_text
    from ..core.secrets import GRAPH_TOKEN
    from ..core.settings import load_settings
    from ..core.tracker import MIN_INTERVAL, next_delay, reading_lines, slow_down_message

    settings = load_settings(paths.config_dir, clock)
    token = _secrets().get(GRAPH_TOKEN)
    if token is None:
        raise UserError(
            _("No Graph API token is set. Set one with: campaign-gui token set"), "no token"
        )
    interval = max(timedelta(minutes=settings.track_interval_minutes), MIN_INTERVAL)
    failures = 0
    while True:
        workspace = open_workspace(args, paths, clock)
        try:
            now = clock.now()
            result = track_pages(
                token,
                workspace.campaign,
                now,
                failures,
                api_base=args.api_base,
                version=settings.graph_api_version,
            )
            added = workspace.store.add_observations(workspace.campaign.id, result.counts)
            readings = reading_lines(workspace.campaign, result)
        finally:
            workspace.close()
        for line in readings:
            print(line, file=sys.stderr)
        for error in result.errors:
            report(error, logging.WARNING)
        for note in result.notes:
            print(note, file=sys.stderr)
        print(recorded_text(added.added), flush=True)
        if result.stop:
            return 1
        failures = 0 if result.counts else failures + 1
        slow = result.slow_down
        if slow is not None:
            log.warning("Meta asks to slow down, %d pages not read: %s", result.unread, slow.detail)
        delay = slow.wait if args.once and slow is not None else next_delay(result, interval)
        if slow is not None:  # said before the wait, with the time it ends
            said = slow_down_message(
                slow, clock.now(), delay, clock.local_zone(), once=args.once, unread=result.unread
            )
            print(said, file=sys.stderr, flush=True)
        if args.once:
            if slow is not None and result.unread:
                return EXIT_SLOW_DOWN
            return 0 if result.counts else 1  # no count could be recorded
        sleep(delay.total_seconds())


COMMANDS: dict[str, Command] = {"token": token, "key": key, "track": track, "publish": publish}
