"""Organisers: the tracker in the running app. One timer to the next round, the Graph API on
a daemon thread (the window never waits for it, quitting neither), the counts stored on the
store's worker; waits as long as Meta asks, stops on what only a person can fix."""

from __future__ import annotations

import contextlib
import logging
import random
import threading
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ..core.errors import UserError
from ..core.i18n import _
from ..core.jobs import Job, TrackPages
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


class _Relay(QObject):
    done = Signal(object, object)  # the round's number, Round (None: no token, nothing read)


class _SignalledRound(Job):
    """A round whose hooks are signals to the GUI thread. It reads the token from the keychain
    on its own thread (a keychain may block, asking to be unlocked), then runs the TrackPages
    round (None without a token: nothing read). A round that fails before any request (an
    address or a page name refused) stops tracking, saying why."""

    name = TrackPages.name

    def __init__(
        self,
        secrets: Secrets,
        *args,
        relay: _Relay,
        stopped: threading.Event,
        number: int,
        **kwargs,
    ):
        self._round = TrackPages("", *args, **kwargs)
        self._secrets = secrets
        self._relay = relay
        self._stopped = stopped
        self._number = number

    def run(self) -> Round | None:
        from ..core.secrets import GRAPH_TOKEN

        token = self._secrets.get(GRAPH_TOKEN)
        if token is None:
            return None
        self._round.token = token
        return self._round.run()

    def _deliver(self, result: Round | None) -> None:
        if not self._stopped.is_set():
            with contextlib.suppress(RuntimeError):  # the app quit meanwhile
                self._relay.done.emit(self._number, result)

    def handle_success(self, result: object) -> None:
        self._deliver(result if isinstance(result, Round) else None)  # run()'s: Round or None

    def handle_error(self, error: UserError) -> None:
        super().handle_error(error)
        self._deliver(Round(notes=[error.message], stop=True))


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
        super().__init__(self.track_now, parent)
        self._service = service
        self._settings = settings
        self._secrets = secrets
        self._clock = clock
        self._api_base = api_base
        self._rng = rng or random.Random()
        self._relay = _Relay(self)
        self._relay.done.connect(self._round_done)
        self._campaign: Campaign | None = None
        self._round = 0
        self._busy = False
        self._failures = 0
        self._stopped = threading.Event()
        self._pending: Round | None = None
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
        self._stopped.clear()
        self._busy = False  # a round abandoned by stop() no longer counts
        self.track_now()

    def stop(self) -> None:
        """No more rounds; a round under way is abandoned (its thread is a daemon)."""
        self._stopped.set()
        self._timer.stop()
        self._busy = False

    def track_now(self) -> None:
        if self._busy or self._stopped.is_set() or self._campaign is None:
            return
        self._busy = True
        self._round += 1
        job = _SignalledRound(
            self._secrets,
            self._campaign,
            self._clock.now(),
            self._failures,
            api_base=self._api_base,
            version=self._settings.graph_api_version,
            relay=self._relay,
            stopped=self._stopped,
            number=self._round,
        )

        def work() -> None:
            try:
                job.execute()
            except UserError:
                pass  # handle_error has said it
            except Exception:  # a bug must not leave tracking stuck: say it, stop
                log.exception("tracking round failed")
                job.handle_error(UserError(_("Something went wrong."), "see the log"))

        threading.Thread(target=work, name="graph-api", daemon=True).start()

    def _round_done(self, number: int, result: Round | None) -> None:
        if number != self._round or self._stopped.is_set():
            return
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
        self._pending = result
        if result.readings:
            self._read = result
        if result.counts:
            self._service.add_counts(result.counts, self._stored, self._store_failed)
        else:
            self._stored(None)

    def _store_failed(self, error) -> None:
        self._busy = False
        self._set_status(error.message)
        self._run_in(timedelta(minutes=1))  # the store was busy or full: try again then

    def _stored(self, added: ImportResult | None) -> None:
        result = self._pending
        assert result is not None
        self._busy = False
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
            self._failures = 0
            self.recorded.emit(added.added)
            text = recorded_text(added.added)
        else:
            self._failures += 1
            text = ""
        self._set_status(" ".join([text, *problems]).strip())
        if result.stop:
            self.stop()
            self.stopped_because.emit(" ".join(problems))
            return
        if not self._stopped.is_set():
            self._run_in(delay)  # Meta may ask for days: next_delay waits a day at most
