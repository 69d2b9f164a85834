"""ngclient's downloads over httpx: the system's certificates and proxies, https only (http to
loopback for tests), at most 3 redirects each checked the same way, and ``If-None-Match`` for
``timestamp.json``, the one file that changes: a feed that has not moved costs a 304 and no body.

Every request has a total deadline, and each mirror a budget: a host that answers one byte at a
time is dropped when its time is up, however often it sends something. The request runs on a
thread of its own while the caller waits on its pieces, so the deadline and a cancel take effect
at once, not after the next byte; an abandoned request's thread ends at its next read.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import httpx
from tuf.api import exceptions
from tuf.ngclient.fetcher import FetcherInterface

from ..addresses import allowed_url
from ..http_client import new_client
from . import layout

log = logging.getLogger(__name__)

MAX_REDIRECTS = 3
REDIRECTS = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "campaign-gui"
_POLL = 0.2  # seconds between looks at the cancel flag while waiting for a piece


@dataclass(frozen=True)
class Deadlines:
    """How long a sync may take, in seconds (``layout`` decides the app's)."""

    request: float = layout.REQUEST_DEADLINE  # one file, start to end
    mirror: float = layout.MIRROR_BUDGET  # all of one mirror's requests
    sync: float = layout.SYNC_BUDGET  # the whole sync, every mirror
    silence: float = layout.READ_TIMEOUT  # the longest wait for a single read


class CancelledDownloadError(exceptions.DownloadError):
    """The user (or quitting) cancelled the sync: no other mirror is tried."""


class TooSlowError(exceptions.DownloadError):
    """A request or a mirror ran out of its time."""


class HttpxFetcher(FetcherInterface):
    """``validators`` maps a timestamp's address to its (ETag, body) as last accepted; a 304
    for it gives that body back. ``seen`` holds the same for each timestamp answered now."""

    def __init__(
        self,
        transport: httpx.BaseTransport | None = None,
        version: str = "",
        *,
        validators: Mapping[str, tuple[str, bytes]] | None = None,
        deadlines: Deadlines = Deadlines(),
        cancelled: Callable[[], bool] = lambda: False,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = new_client(
            # Not compressed: a small compressed answer may unpack to hundreds of MB at once.
            headers={
                "User-Agent": f"{USER_AGENT}/{version}".rstrip("/"),
                "Accept-Encoding": "identity",
            },
            timeout=httpx.Timeout(deadlines.silence, connect=min(10.0, deadlines.silence)),
            transport=transport,
        )
        self._validators = dict(validators or {})
        self.seen: dict[str, tuple[str, bytes]] = {}
        self.deadlines = deadlines
        self._cancelled = cancelled
        self._monotonic = monotonic
        self._until = math.inf

    def close(self) -> None:
        self._http.close()

    def start_budget(self, seconds: float) -> None:
        """From now, the requests to come share ``seconds`` (one mirror's time)."""
        self._until = self._monotonic() + seconds

    def _fetch(self, url: str) -> Iterator[bytes]:
        cacheable = url.endswith("/timestamp.json")
        headers = {}
        if cacheable and url in self._validators:
            headers["If-None-Match"] = self._validators[url][0]
        deadline = min(self._monotonic() + self.deadlines.request, self._until)
        pieces: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=8)
        stop = threading.Event()
        worker = threading.Thread(
            target=self._request, args=(url, headers, pieces, stop), name="feed-request"
        )
        worker.daemon = True  # quitting never waits for a host
        worker.start()
        kind, value = self._next(pieces, deadline, stop, url)
        if kind == "error":
            raise value  # type: ignore[misc]
        status = int(value)  # type: ignore[call-overload]
        if status == 304 and cacheable and url in self._validators:
            stop.set()
            self.seen[url] = self._validators[url]
            return iter([self._validators[url][1]])
        if status != 200:
            stop.set()
            raise exceptions.DownloadHTTPError(f"HTTP {status} for {url}", status)
        return self._body(url, pieces, deadline, stop, cacheable)

    def _next(
        self, pieces: queue.Queue, deadline: float, stop: threading.Event, url: str
    ) -> tuple[str, object]:
        """The request thread's next piece, or an error once the time is up or cancelled."""
        while True:
            if self._cancelled():
                stop.set()
                raise CancelledDownloadError("cancelled")
            left = deadline - self._monotonic()
            if left <= 0:
                stop.set()
                limit = "the mirror's time" if deadline >= self._until else "its deadline"
                raise TooSlowError(f"no whole answer within {limit} ({url})")
            try:
                return pieces.get(timeout=min(left, _POLL))
            except queue.Empty:
                continue

    def _body(
        self, url: str, pieces: queue.Queue, deadline: float, stop: threading.Event, keep: bool
    ) -> Iterator[bytes]:
        body = bytearray()
        etag = ""
        try:
            while True:
                kind, value = self._next(pieces, deadline, stop, url)
                if kind == "data":
                    if keep:
                        body += value  # type: ignore[operator]
                    yield value  # type: ignore[misc]
                elif kind == "etag":
                    etag = str(value)
                elif kind == "error":
                    raise value  # type: ignore[misc]
                else:  # "end"
                    break
        finally:
            stop.set()
        if keep and etag and len(etag) <= 200:
            self.seen[url] = (etag, bytes(body))

    def _request(
        self, url: str, headers: dict[str, str], pieces: queue.Queue, stop: threading.Event
    ) -> None:
        """On the request's own thread: the answer's status, its ETag and body, piece by piece;
        stops at the next piece once ``stop`` is set (the reader gave up)."""

        def put(item: tuple[str, object]) -> bool:
            while not stop.is_set():
                try:
                    pieces.put(item, timeout=_POLL)
                    return True
                except queue.Full:
                    continue
            return False

        try:
            response = self._get(url, headers)
        except exceptions.DownloadError as exc:
            put(("error", exc))
            return
        try:
            if not put(("status", response.status_code)) or response.status_code != 200:
                return
            if not put(("etag", response.headers.get("etag", ""))):
                return
            for piece in response.iter_bytes():
                if not put(("data", piece)):
                    return
            put(("end", None))
        except httpx.HTTPError as exc:
            put(("error", exceptions.DownloadError(f"{type(exc).__name__}: {exc} ({url})")))
        finally:
            response.close()

    def _get(self, url: str, headers: dict[str, str]) -> httpx.Response:
        for _hop in range(MAX_REDIRECTS + 1):
            if not allowed_url(url):
                raise exceptions.DownloadError(f"refused address {url[:200]!r}")
            request = self._http.build_request("GET", url, headers=headers)
            try:
                response = self._http.send(request, stream=True)
            except (httpx.HTTPError, RuntimeError) as exc:  # RuntimeError: closed meanwhile
                raise exceptions.DownloadError(f"{type(exc).__name__}: {exc} ({url})") from exc
            if response.status_code not in REDIRECTS or response.next_request is None:
                return response
            response.close()
            url = str(response.next_request.url)
        raise exceptions.DownloadError(f"more than {MAX_REDIRECTS} redirects")
