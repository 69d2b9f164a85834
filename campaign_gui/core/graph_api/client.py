"""Reading a page's like and follower counts from the Graph API, with the organiser's token.

The token goes in an ``Authorization`` header, never in a URL (URLs end up in logs and proxies).
Every answer is checked here, once: its size while it streams in, its JSON, and each count against
``limits``. A failure is a ``GraphApiError`` whose message the organiser can act on.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from .. import limits
from ..addresses import is_base_address
from ..errors import UserError
from ..http_client import get_whole, new_client
from ..i18n import _
from ..redaction import redact
from .throttle import Problem, Usage, Verdict, classify, read_usage

log = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://graph.facebook.com"
DEFAULT_VERSION = "v23.0"
VERSION_PATTERN = re.compile(r"v\d{1,2}\.\d")
PAGE_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,100}")
MAX_ANSWER_BYTES = 64 * 1024  # a page's two counts are under 200 bytes
TIMEOUT = httpx.Timeout(20.0, connect=10.0)
# A page's whole answer, however often the host sends a byte (a read timeout restarts each time).
REQUEST_DEADLINE = 30.0
FIELDS = "fan_count,followers_count"


@dataclass(frozen=True)
class PageCounts:
    page: str
    likes: int | None  # ``fan_count``: missing or null on pages of the "New Pages Experience"
    followers: int | None


class GraphApiError(UserError):
    def __init__(
        self,
        message: str,
        detail: str,
        verdict: Verdict,
        *,
        usage: Usage | None = None,
        code: int | None = None,
    ) -> None:
        super().__init__(message, redact(detail))
        self.verdict = verdict
        self.usage = usage  # what the answer's usage headers said, if anything
        self.code = code  # the Graph API's error code, if the answer had one

    @property
    def wait_seconds(self) -> float:
        """Seconds the answer's usage headers asked to wait (0: they did not)."""
        return self.usage.wait if self.usage else 0.0


class NotCountsError(ValueError):
    """An answer with HTTP 200 that is not a page's counts; ``field`` is the one at fault."""

    def __init__(self, cause: str, field: str | None = None) -> None:
        super().__init__(cause)
        self.field = field


def _message(problem: Problem, page: str) -> str:
    if problem is Problem.TOKEN:
        return _(
            "The Graph API token has expired or is not valid. Set a new one in Settings → "
            "Organisers…, or with: campaign-gui token set"
        )
    if problem is Problem.PERMISSION:
        return _(
            "The Graph API refused to show the page {page}: the Meta app needs the "
            "“Page Public Metadata Access” feature to read pages it does not manage."
        ).format(page=page)
    if problem is Problem.THROTTLED:
        return _("The Graph API asks to slow down.")
    if problem is Problem.NOT_FOUND:
        return _(
            "The Graph API knows no page {page}: it may have been renamed or removed. "
            "Check its address in the campaign file."
        ).format(page=page)
    if problem is Problem.SERVER:
        return _("The Graph API could not be reached or did not answer; trying again later.")
    return _("The Graph API refused the request for the page {page}.").format(page=page)


def check_api_base(url: str) -> str:
    """An API address: https, or http to this computer only (for tests and emulators)."""
    if not is_base_address(url):
        shown = redact(url[:200])
        raise UserError(
            _(
                "{url} cannot be the Graph API's address: it must start with https:// and have "
                "no user name, password, query or fragment."
            ).format(url=shown),
            f"api base {shown!r}",
        )
    return url.rstrip("/")


def check_version(version: str) -> str:
    if not VERSION_PATTERN.fullmatch(version):
        raise UserError(
            _("The Graph API version must look like v23.0 (got {version}).").format(
                version=version[:20]
            ),
            f"version {version!r}",
        )
    return version


def _not_counts_message(page: str, field: str | None) -> str:
    if field is None:
        return _(
            "The Graph API answered something that is not a page's count for {page} (its answer "
            "is not a complete JSON object). Nothing was recorded for it."
        ).format(page=page)
    return _(
        "The Graph API answered something that is not a page's count for {page} ({field}). "
        "Nothing was recorded for it."
    ).format(page=page, field=field)


def _count(answer: Mapping, field: str) -> int | None:
    value = answer.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise NotCountsError(f"{field} is a {type(value).__name__}: {str(value)[:40]!r}", field)
    if not limits.count_in_range(value):
        raise NotCountsError(
            f"{field} is {str(value)[:40]}, outside 0 to {limits.MAX_COUNT}", field
        )
    return value


def _page_counts(page: str, body: bytes) -> PageCounts:
    """The counts in an answer's body, checked once here; ``NotCountsError`` says what is not."""
    try:
        answer = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # cut short, not JSON
        raise NotCountsError(f"not JSON: {exc}; starts with {body[:60]!r}") from None
    if not isinstance(answer, dict):
        raise NotCountsError(f"JSON, but a {type(answer).__name__}, not an object")
    return PageCounts(page, _count(answer, "fan_count"), _count(answer, "followers_count"))


class GraphClient:
    """One organiser's access to the Graph API. Use it from one thread at a time."""

    def __init__(
        self,
        token: str,
        *,
        api_base: str = DEFAULT_API_BASE,
        version: str = DEFAULT_VERSION,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._base = check_api_base(api_base)
        self._version = check_version(version)
        self._http = new_client(
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=TIMEOUT,
            transport=transport,
        )
        self.last_usage: Usage | None = None  # what the last answer's usage headers said

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GraphClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def page_counts(self, page: str) -> PageCounts:
        """The like and follower counts of ``page`` (a page id or username) now."""
        if not PAGE_PATTERN.fullmatch(page):
            raise UserError(
                _("{page} is not a Facebook page id or username.").format(page=page[:100]),
                f"page {page!r}",
            )
        url = f"{self._base}/{self._version}/{quote(page)}"
        self.last_usage = None
        try:
            answer = get_whole(
                self._http,
                url,
                params={"fields": FIELDS},
                until=time.monotonic() + REQUEST_DEADLINE,
                max_bytes=MAX_ANSWER_BYTES,
            )
            body, headers, status = answer.body, dict(answer.headers), answer.status
        except (httpx.HTTPError, RuntimeError) as exc:  # RuntimeError: closed meanwhile
            raise GraphApiError(
                _message(Problem.SERVER, page),
                f"GET {url}: {type(exc).__name__}: {exc}",
                Verdict(Problem.SERVER, retry=True),
            ) from None
        usage = read_usage(headers)
        self.last_usage = usage  # Meta's usage headers come with every answer, good or bad
        if status == 200:
            try:
                return _page_counts(page, body)
            except NotCountsError as exc:
                raise GraphApiError(
                    _not_counts_message(page, exc.field),
                    f"GET {url}: 200 with an answer that is not page counts: {exc}",
                    Verdict(Problem.BAD_ANSWER, retry=True),
                    usage=usage,
                ) from None
        code, detail = self._error_of(body)
        verdict = classify(status, code)
        raise GraphApiError(
            _message(verdict.problem, page),
            f"GET {url}: HTTP {status}, {detail}",
            verdict,
            usage=usage,
            code=code,
        )

    @staticmethod
    def _error_of(body: bytes) -> tuple[int | None, str]:
        """Meta's error code and a one-line description, from an error answer."""
        try:
            error = json.loads(body)["error"]
            code = error.get("code")
            if isinstance(code, bool) or not isinstance(code, int):
                code = None
            text = str(error.get("message", ""))[:300]
            subcode = error.get("error_subcode")
            return code, f"code {code}, subcode {subcode}: {text}"
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None, f"not a Graph API error: {body[:200]!r}"
