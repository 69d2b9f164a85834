"""The one way this app makes an HTTP client (the system's certificates and proxy settings),
and the one way it waits for an answer (``get_whole``: a total deadline, whatever the host does).

``truststore`` verifies certificates with the operating system's own store (Windows, macOS, or
the distribution's), so a participant behind a company or school proxy that adds its own
authority gets through as their browser does, without a certificate bundle in the app.
"""

from __future__ import annotations

import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import truststore


def system_ssl_context() -> ssl.SSLContext:
    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def new_client(
    *,
    headers: dict[str, str] | None = None,
    timeout: httpx.Timeout,
    max_redirects: int = 0,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """An ``httpx.Client`` that verifies with the system's store and honours its proxies."""
    return httpx.Client(
        headers=headers,
        timeout=timeout,
        follow_redirects=max_redirects > 0,
        max_redirects=max_redirects,
        transport=transport,
        verify=system_ssl_context(),
        trust_env=True,
    )


@dataclass(frozen=True)
class Answer:
    status: int
    headers: httpx.Headers
    body: bytes


class DeadlineError(httpx.TimeoutException):
    """No whole answer before the deadline, however often the host sent a byte."""


class TooLargeError(httpx.DecodingError):
    """An answer larger than the caller takes."""


class CancelledError(Exception):
    """The caller gave up (the user asked again, or the app is quitting)."""


_POLL = 0.2  # seconds between looks at ``cancelled`` while waiting
# What a caller may ask hosts for: gzip is unpacked here, never beyond the caller's limit.
ACCEPT_ENCODING = "gzip"


class _Unpacker:
    """An answer's body as sent (``Content-Encoding``: none or gzip) unpacked piece by piece, at
    most ``limit`` bytes in all: a small gzip that would unpack to gigabytes stops at the limit,
    without ever holding more than it in memory."""

    def __init__(self, encoding: str, limit: int, url: str) -> None:
        encoding = encoding.strip().lower()
        if encoding not in ("", "identity", "gzip", "x-gzip"):  # x-gzip: gzip (RFC 9110)
            raise httpx.DecodingError(f"{url}: content encoding {encoding[:40]!r}")
        self._gzip = zlib.decompressobj(wbits=31) if encoding.endswith("gzip") else None
        self._limit, self._url = limit, url
        self.body = bytearray()

    def feed(self, raw: bytes) -> None:
        if self._gzip is None:
            self.body += raw
        else:
            try:
                self.body += self._gzip.decompress(raw, self._limit - len(self.body) + 1)
            except zlib.error as exc:
                raise httpx.DecodingError(f"{self._url}: {exc}") from None
        if len(self.body) > self._limit or (self._gzip and self._gzip.unconsumed_tail):
            raise TooLargeError(f"{self._url}: more than {self._limit} bytes")

    def finish(self) -> bytes:
        if self._gzip is not None and not self._gzip.eof and self.body:
            raise httpx.DecodingError(f"{self._url}: the gzip answer is cut short")
        return bytes(self.body)


def get_whole(
    client: httpx.Client,
    url: str,
    *,
    until: float,
    max_bytes: int,
    headers: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    monotonic: Callable[[], float] = time.monotonic,
) -> Answer:
    """GET ``url`` (no redirect followed) and its whole answer, by ``until`` (on ``monotonic``).

    A read timeout restarts with every byte, so a host that sends one now and then could hold a
    request for days: the request runs on a thread of its own while the caller waits for the
    whole answer, up to the deadline or a cancel; an abandoned request's thread ends at its next
    read. A gzip answer is unpacked, up to ``max_bytes``. Raises ``DeadlineError``,
    ``TooLargeError``, ``CancelledError`` or httpx's errors."""
    outcome: list[Answer | BaseException] = []
    done, stop = threading.Event(), threading.Event()

    def request() -> None:
        try:
            with client.stream("GET", url, headers=headers, params=params) as response:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise TooLargeError(f"{url}: the answer declares {declared} bytes")
                body = _Unpacker(response.headers.get("content-encoding", ""), max_bytes, url)
                for piece in response.iter_raw():
                    if stop.is_set():
                        return
                    body.feed(piece)
                outcome.append(Answer(response.status_code, response.headers, body.finish()))
        except BaseException as exc:  # handed to the caller, whatever it is
            outcome.append(exc)
        finally:
            done.set()

    threading.Thread(target=request, name="http-request", daemon=True).start()
    while not done.wait(max(0.0, min(_POLL, until - monotonic()))):
        if cancelled():
            stop.set()
            raise CancelledError(url)
        if monotonic() >= until:
            stop.set()
            raise DeadlineError(f"no whole answer in time from {url}")
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result
