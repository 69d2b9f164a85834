"""ngclient's downloads over httpx: the system's certificates and proxies, https only (http to
loopback for tests), at most 3 redirects each checked the same way, timeouts, and
``If-None-Match`` for ``timestamp.json``, the one file that changes: a feed that has not moved
costs a 304 and no body."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
from tuf.api import exceptions
from tuf.ngclient.fetcher import FetcherInterface

from ..addresses import allowed_url
from ..http_client import new_client

log = logging.getLogger(__name__)

TIMEOUT = httpx.Timeout(30.0, connect=10.0)
MAX_REDIRECTS = 3
REDIRECTS = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "campaign-gui"


class HttpxFetcher(FetcherInterface):
    def __init__(self, transport: httpx.BaseTransport | None = None, version: str = "") -> None:
        self._http = new_client(
            headers={"User-Agent": f"{USER_AGENT}/{version}".rstrip("/")},
            timeout=TIMEOUT,
            transport=transport,
        )
        self._etags: dict[str, tuple[str, bytes]] = {}  # url -> (ETag, body), timestamp only

    def close(self) -> None:
        self._http.close()

    def _fetch(self, url: str) -> Iterator[bytes]:
        cacheable = url.endswith("/timestamp.json")
        headers = {}
        if cacheable and url in self._etags:
            headers["If-None-Match"] = self._etags[url][0]
        response = self._get(url, headers)
        if response.status_code == 304 and cacheable and url in self._etags:
            response.close()
            return iter([self._etags[url][1]])
        if response.status_code != 200:
            response.close()
            raise exceptions.DownloadHTTPError(
                f"HTTP {response.status_code} for {url}", response.status_code
            )
        etag = response.headers.get("etag")
        if not cacheable or not etag:
            return self._chunks(response)
        return self._remembered(url, etag, response)

    def _get(self, url: str, headers: dict[str, str]) -> httpx.Response:
        for _hop in range(MAX_REDIRECTS + 1):
            if not allowed_url(url):
                raise exceptions.DownloadError(f"refused address {url[:200]!r}")
            request = self._http.build_request("GET", url, headers=headers)
            try:
                response = self._http.send(request, stream=True)
            except httpx.HTTPError as exc:
                raise exceptions.DownloadError(f"{type(exc).__name__}: {exc} ({url})") from exc
            if response.status_code not in REDIRECTS or response.next_request is None:
                return response
            response.close()
            url = str(response.next_request.url)
        raise exceptions.DownloadError(f"more than {MAX_REDIRECTS} redirects")

    @staticmethod
    def _chunks(response: httpx.Response) -> Iterator[bytes]:
        try:
            yield from response.iter_bytes(64 * 1024)
        except httpx.HTTPError as exc:
            raise exceptions.DownloadError(f"{type(exc).__name__}: {exc}") from exc
        finally:
            response.close()

    def _remembered(self, url: str, etag: str, response: httpx.Response) -> Iterator[bytes]:
        body = bytearray()
        for chunk in self._chunks(response):
            body += chunk
            yield chunk
        if len(etag) <= 200:
            self._etags[url] = (etag, bytes(body))
