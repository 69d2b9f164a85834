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
from enum import StrEnum

# Throttling: application (4), user (17), page or BUC (32, 80001–80014), a specific call (613).
THROTTLE_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
TOKEN_CODES = frozenset({102, 190})  # an expired, revoked or invalid token
PERMISSION_CODES = frozenset({10, *range(200, 300)})
USAGE_HEADERS = ("x-app-usage", "x-page-usage", "x-business-use-case-usage", "x-ad-account-usage")
HOUR = 3600.0  # Meta's usage is counted over a rolling hour
MAX_BACKOFF = 60 * 60.0
MAX_HEADER = 16_384  # characters of one usage header that are read


class Problem(StrEnum):
    THROTTLED = "throttled"
    TOKEN = "token"
    PERMISSION = "permission"
    NOT_FOUND = "not-found"
    BAD_REQUEST = "bad-request"
    SERVER = "server"  # 5xx, timeouts, dropped connections: try again later


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


def _usages(value: object) -> list[Mapping]:
    """Every usage object in a header's JSON, however it is nested (BUC: id → list of objects)."""
    if isinstance(value, Mapping):
        if any(k in value for k in ("call_count", "estimated_time_to_regain_access")):
            return [value]
        return [u for v in value.values() for u in _usages(v)]
    if isinstance(value, list):
        return [u for v in value for u in _usages(v)]
    return []


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return float(value) if 0 <= value <= 10**6 else 0.0


def usage_wait(headers: Mapping[str, str]) -> float:
    """Seconds to wait before the next request, from the usage headers (0: no need).

    ``estimated_time_to_regain_access`` (minutes) is taken as said; a usage at 100 % with no
    estimate waits the rolling hour out. Unreadable headers count as no information.
    """
    wait = 0.0
    lowered = {k.lower(): v for k, v in headers.items()}
    for name in USAGE_HEADERS:
        text = lowered.get(name)
        if not text or len(text) > MAX_HEADER:
            continue
        try:
            parsed = json.loads(text)
        except ValueError:
            continue
        for usage in _usages(parsed):
            minutes = _number(usage.get("estimated_time_to_regain_access"))
            if minutes:
                wait = max(wait, minutes * 60)
            elif (
                max(_number(usage.get(k)) for k in ("call_count", "total_cputime", "total_time"))
                >= 100
            ):
                wait = max(wait, HOUR)
    return wait


def backoff(failures: int, rng: random.Random) -> float:
    """Seconds before trying again after ``failures`` failures in a row: about 1, 2, 4 … up to
    60 minutes, each drawn between half and all of that so many trackers do not retry in step."""
    ceiling = min(MAX_BACKOFF, 60.0 * 2 ** max(0, min(failures - 1, 16)))
    return rng.uniform(ceiling / 2, ceiling)
