"""ngclient's downloads over httpx: the system's certificates and proxies, https only (http to
loopback for tests), at most 3 redirects each checked the same way, and ``If-None-Match`` for
``timestamp.json``, the one file that changes: a feed that has not moved costs a 304 and no body.

Every file must arrive whole within its request's deadline, and each mirror within its budget
(``http_client.get_whole``): a host that answers one byte at a time is dropped when its time is
up, however often it sends something; a cancel takes effect at once.
"""

from __future__ import annotations

import contextlib
import logging
import math
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO

import httpx
from tuf.api import exceptions
from tuf.ngclient.fetcher import FetcherInterface

from ..addresses import allowed_url
from ..http_client import (
    ACCEPT_ENCODING,
    Answer,
    CancelledError,
    DeadlineError,
    TooLargeError,
    get_whole,
    new_client,
)
from . import layout

log = logging.getLogger(__name__)

MAX_REDIRECTS = 3
REDIRECTS = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "campaign-gui"


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


def _sendable(etag: str) -> bool:
    """Whether ``etag`` can be kept to be sent back: visible ASCII, as RFC 9110 has it (a value
    that could not be sent would make every later sync fail), and short."""
    return 0 < len(etag) <= 200 and all(33 <= ord(c) <= 126 for c in etag)


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
            # gzip, which get_whole unpacks no further than the file may weigh.
            headers={
                "User-Agent": f"{USER_AGENT}/{version}".rstrip("/"),
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            timeout=httpx.Timeout(deadlines.silence, connect=min(10.0, deadlines.silence)),
            transport=transport,
        )
        self._validators = dict(validators or {})
        self.seen: dict[str, tuple[str, bytes]] = {}
        self._prefetched: dict[str, bytes] = {}
        self.deadlines = deadlines
        self._cancelled = cancelled
        self._monotonic = monotonic
        self._until = math.inf

    def close(self) -> None:
        self._http.close()

    def start_budget(self, seconds: float) -> None:
        """From now, the requests to come share ``seconds`` (one mirror's time)."""
        self._until = self._monotonic() + seconds

    # ngclient reads metadata with download_bytes and targets with download_file; both come
    # here, with the most the file may weigh.

    def download_bytes(self, url: str, max_length: int) -> bytes:
        if url in self._prefetched:
            return self._prefetched.pop(url)
        return self._download(url, max_length)[1]

    def unchanged(self, url: str) -> bool:
        """Whether the host answers 304 for the timestamp at ``url`` (one conditional request:
        nothing was published since the last accepted sync). Otherwise its answer is kept for
        ngclient's request for it, which follows."""
        not_modified, body = self._download(url, layout.MAX_TIMESTAMP_BYTES)
        if not not_modified:
            self._prefetched[url] = body
        return not_modified

    def _download(self, url: str, max_length: int) -> tuple[bool, bytes]:
        cacheable = url.endswith("/timestamp.json")
        headers = {}
        if cacheable and url in self._validators:
            headers["If-None-Match"] = self._validators[url][0]
        answer = self._get(url, headers, max_length)
        if answer.status == 304 and cacheable and url in self._validators:
            self.seen[url] = self._validators[url]
            return True, self._validators[url][1]
        if answer.status != 200:
            raise exceptions.DownloadHTTPError(f"HTTP {answer.status} for {url}", answer.status)
        etag = answer.headers.get("etag", "")
        if cacheable and _sendable(etag):
            self.seen[url] = (etag, answer.body)
        return False, answer.body

    @contextlib.contextmanager
    def download_file(self, url: str, max_length: int) -> Iterator[IO]:
        data = self.download_bytes(url, max_length)
        with tempfile.TemporaryFile() as file:
            file.write(data)
            file.seek(0)
            yield file

    def _fetch(self, url: str) -> Iterator[bytes]:
        return iter([self.download_bytes(url, layout.MAX_CHUNK_BYTES)])

    def _get(self, url: str, headers: dict[str, str], max_length: int) -> Answer:
        until = min(self._monotonic() + self.deadlines.request, self._until)
        for _hop in range(MAX_REDIRECTS + 1):
            if not allowed_url(url):
                raise exceptions.DownloadError(f"refused address {url[:200]!r}")
            try:
                answer = get_whole(
                    self._http,
                    url,
                    until=until,
                    max_bytes=max_length,
                    headers=headers,
                    cancelled=self._cancelled,
                    monotonic=self._monotonic,
                )
            except CancelledError:
                raise CancelledDownloadError("cancelled") from None
            except DeadlineError:
                limit = "the mirror's time" if until >= self._until else "its deadline"
                raise TooSlowError(f"no whole answer within {limit} ({url})") from None
            except TooLargeError as exc:
                raise exceptions.DownloadLengthMismatchError(str(exc)) from None
            except (httpx.HTTPError, RuntimeError) as exc:  # RuntimeError: closed meanwhile
                raise exceptions.DownloadError(f"{type(exc).__name__}: {exc} ({url})") from exc
            location = answer.headers.get("location")
            if answer.status not in REDIRECTS or not location:
                return answer
            url = str(httpx.URL(url).join(location))
        raise exceptions.DownloadError(f"more than {MAX_REDIRECTS} redirects")
