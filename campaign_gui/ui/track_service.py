"""Organisers: the tracker in the running app. One timer to the next round, the Graph API on
a network thread (the window never waits for it, quitting neither), the counts stored on the
store's worker; waits as long as Meta asks, stops on what only a person can fix."""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ..core.errors import UserError
from ..core.i18n import _
from ..core.jobs import track_pages
from ..core.results import recorded_text
from ..core.tracker import Round, next_delay, reading_lines, slow_down_message
from .periodic import Periodic

if TYPE_CHECKING:
    from ..core.campaign import Campaign
    from ..core.clock import Clock
    from ..core.secrets import Secrets
    from ..core.settings import Settings
    from ..core.store import ImportResult
    from .workspace_service import WorkspaceService

log = logging.getLogger(__name__)


class TrackService(Periodic):
    stopped_because = Signal(str)  # tracking stopped until a person acts: what to do
    recorded = Signal(int)  # new counts stored by a round

    def __init__(
        self,
        service: WorkspaceService,
        settings: Settings,
        secrets: Secrets,
        *,
        clock: Clock,
        api_base: str | None = None,
        rng: random.Random | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(self.track_now, rng=rng, parent=parent)
        self._service = service
        self._settings = settings
        self._secrets = secrets
        self._clock = clock
        self._api_base = api_base
        self._campaign: Campaign | None = None
        # The last round that Facebook answered, for Organisers… (which figures it gave).
        self._read: Round | None = None

    def set_campaign(self, campaign: Campaign) -> None:
        if self._campaign is not None and campaign.id != self._campaign.id:
            self._read = None  # another campaign's pages
        self._campaign = campaign

    def last_readings(self) -> list[str]:
        """What Facebook gave for each page at the last reading it answered, in the current
        language; empty before any."""
        if self._read is None or self._campaign is None:
            return []
        return reading_lines(self._campaign, self._read)

    def start(self) -> None:
        self._stopped = False
        self._busy = False  # a round under way is abandoned by the one that starts now
        self.track_now()

    def track_now(self) -> None:
        if self._busy or self._stopped or self._campaign is None:
            return
        self._begin()
        campaign, now, failures = self._campaign, self._clock.now(), self.failures
        version, rng = self._settings.graph_api_version, self._rng
        self._download(
            "read the pages",
            lambda _cancelled: self._round(campaign, now, failures, version, rng),
            self._round_done,
            self._round_failed,
            thread_name="graph-api",
        )

    def _round(
        self, campaign: Campaign, now: datetime, failures: int, version: str, rng: random.Random
    ) -> Round | None:
        """On the network's thread: the token from the keychain (a keychain may block, asking
        to be unlocked), then the round; None without a token (nothing read)."""
        from ..core.secrets import GRAPH_TOKEN

        token = self._secrets.get(GRAPH_TOKEN)
        if token is None:
            return None
        return track_pages(
            token, campaign, now, failures, api_base=self._api_base, version=version, rng=rng
        )

    def _round_failed(self, error: UserError) -> None:
        """A round that fails before any request (an address or a page name refused), or with a
        bug, stops tracking, saying why."""
        self._round_done(Round(notes=[error.message], stop=True))

    def _round_done(self, result: Round | None) -> None:
        if result is None:  # no token yet: say so; keeping one (Organisers…) starts again
            self._busy = False
            self._set_status(_("No Graph API token is set: tracking waits for one."))
            return
        for error in result.errors:
            log.warning("%s: %s", error.message, error.detail)
        if result.slow_down is not None:
            log.warning(
                "Meta asks to slow down, %d pages not read: %s",
                result.unread,
                result.slow_down.detail,
            )
        if result.readings:
            self._read = result
        if result.counts:
            self._service.add_counts(
                result.counts,
                self._guarded(lambda added: self._stored(result, added)),
                self._guarded(self._store_failed),
            )
        else:
            self._stored(result, None)

    def _store_failed(self, error: UserError) -> None:
        self._busy = False
        self._set_status(error.message)
        self._run_in(timedelta(minutes=1))  # the store was busy or full: try again then

    def _stored(self, result: Round, added: ImportResult | None) -> None:
        self._ended(worked=added is not None)
        interval = timedelta(minutes=max(5, self._settings.track_interval_minutes))
        delay = next_delay(result, interval)
        problems = [e.message for e in result.errors] + result.notes
        if result.slow_down is not None:
            problems.append(
                slow_down_message(
                    result.slow_down,
                    self._clock.now(),
                    delay,
                    self._clock.local_zone(),
                    once=False,
                )
            )
        if added is not None:
            self.recorded.emit(added.added)
            text = recorded_text(added.added)
        else:
            text = ""
        self._set_status(" ".join([text, *problems]).strip())
        if result.stop:
            self.stop()
            self.stopped_because.emit(" ".join(problems))
            return
        self._run_in(delay)  # Meta may ask for days: next_delay waits a day at most
