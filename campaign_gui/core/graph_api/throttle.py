"""What a Graph API answer means for the next request: pure rules, no network.

Meta's error codes (https://developers.facebook.com/docs/graph-api/guides/error-handling) and
rate-limit headers (https://developers.facebook.com/docs/graph-api/overview/rate-limiting) are
read here once; the client and the tracker act on the ``Verdict`` they give.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from ..retry import MAX_WAIT, backoff

# Throttling: application (4), user (17), page or BUC (32, 80001–80014), a specific call (613).
THROTTLE_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
TOKEN_CODES = frozenset({102, 190})  # an expired, revoked or invalid token
PERMISSION_CODES = frozenset({10, *range(200, 300)})
USAGE_HEADERS = ("x-app-usage", "x-page-usage", "x-business-use-case-usage", "x-ad-account-usage")
HOUR = 3600.0  # Meta's usage is counted over a rolling hour
MAX_HEADER = 16_384  # characters of one usage header that are read


class Problem(StrEnum):
    THROTTLED = "throttled"
    TOKEN = "token"
    PERMISSION = "permission"
    NOT_FOUND = "not-found"
    BAD_REQUEST = "bad-request"
    SERVER = "server"  # 5xx, timeouts, dropped connections: try again later
    BAD_ANSWER = "bad-answer"  # HTTP 200 with something that is not a page's counts


@dataclass(frozen=True)
class Verdict:
    problem: Problem
    retry: bool  # whether waiting helps (False: a person must act)


def classify(http_status: int, code: int | None) -> Verdict:
    """The problem of a failed request, from its HTTP status and Graph API error code."""
    if code in THROTTLE_CODES or http_status == 429:
        return Verdict(Problem.THROTTLED, retry=True)
    if code in TOKEN_CODES or (code is None and http_status == 401):
        return Verdict(Problem.TOKEN, retry=False)
    if code in PERMISSION_CODES or (code is None and http_status == 403):
        return Verdict(Problem.PERMISSION, retry=False)
    if code == 803 or (code is None and http_status == 404):
        return Verdict(Problem.NOT_FOUND, retry=False)
    if http_status >= 500 or code in (1, 2):  # 1 unknown, 2 service: temporary on Meta's side
        return Verdict(Problem.SERVER, retry=True)
    return Verdict(Problem.BAD_REQUEST, retry=False)


class Quota(StrEnum):
    """What a usage header counts: the app's calls, the app's time, or calls about pages."""

    APP_CALLS = "app-calls"
    APP_TIME = "app-time"  # ``total_cputime`` or ``total_time``
    PAGES = "pages"  # ``X-Page-Usage`` and ``X-Business-Use-Case-Usage``


@dataclass(frozen=True)
class Usage:
    """The reading of an answer's usage headers that weighs most."""

    quota: Quota
    percent: int  # of the quota used over the rolling hour
    wait: float  # seconds before the next request (0: carry on)


@dataclass(frozen=True)
class SlowDown:
    """Meta asked to slow down: why, how long to wait (at most ``MAX_WAIT``), and the exact cause
    for the log."""

    wait: timedelta
    usage: Usage | None  # None: an error said so, with no usage header at its limit
    code: int | None  # the Graph API's error code (None: a usage header, or HTTP 429 alone)
    detail: str


def _usages(value: object) -> list[Mapping]:
    """Every usage object in a header's JSON, however it is nested (BUC: id → list of objects)."""
    if isinstance(value, Mapping):
        if any(k in value for k in (*_METRICS, "estimated_time_to_regain_access")):
            return [value]
        return [u for v in value.values() for u in _usages(v)]
    if isinstance(value, list):
        return [u for v in value for u in _usages(v)]
    return []


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return float(value) if 0 <= value <= 10**6 else 0.0


_METRICS = ("call_count", "total_cputime", "total_time")


def _reading(header: str, usage: Mapping) -> Usage:
    metric = max(_METRICS, key=lambda k: _number(usage.get(k)))
    percent = _number(usage.get(metric))
    if header == "x-app-usage":
        quota = Quota.APP_CALLS if metric == "call_count" or not percent else Quota.APP_TIME
    else:
        quota = Quota.PAGES
    minutes = _number(usage.get("estimated_time_to_regain_access"))
    wait = minutes * 60 if minutes else (HOUR if percent >= 100 else 0.0)
    return Usage(quota, int(percent), wait)


def read_usage(headers: Mapping[str, str]) -> Usage | None:
    """The reading of the usage headers that asks the longest wait (then: the highest usage).

    ``estimated_time_to_regain_access`` (minutes) is taken as said; a usage at 100 % with no
    estimate waits the rolling hour out. Unreadable headers count as no information (None).
    """
    readings = []
    lowered = {k.lower(): v for k, v in headers.items()}
    for name in USAGE_HEADERS:
        text = lowered.get(name)
        if not text or len(text) > MAX_HEADER:
            continue
        try:
            parsed = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: nested thousands deep
            continue
        readings += [_reading(name, usage) for usage in _usages(parsed)]
    return max(readings, key=lambda u: (u.wait, u.percent), default=None)


def usage_wait(headers: Mapping[str, str]) -> float:
    """Seconds to wait before the next request, from the usage headers (0: no need)."""
    usage = read_usage(headers)
    return usage.wait if usage else 0.0


def slow_down(
    usage: Usage | None, code: int | None, failures: int, rng: random.Random, detail: str
) -> SlowDown:
    """How long to wait when Meta says to slow down: as long as its headers say, else a back-off
    (``failures``: rounds in a row that read nothing before this one); never more than a day."""
    if usage is not None and usage.wait:
        seconds = usage.wait
    else:
        seconds = backoff(failures + 1, rng)
        usage = None  # the headers said nothing useful: the error is the reason
    return SlowDown(min(timedelta(seconds=seconds), MAX_WAIT), usage, code, detail)
