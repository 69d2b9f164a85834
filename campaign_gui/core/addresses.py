"""The web addresses the app may fetch from, decided once: https, or plain http to this
computer only (tests, emulators, a local preview); no user name or password; no control or
invisible format character (a right-to-left override would make an address shown in a message
read as another one)."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from . import limits

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def is_loopback(url: str) -> bool:
    return urlsplit(url).hostname in LOOPBACK


def allowed_url(url: str) -> bool:
    """Whether the app may fetch ``url`` (also checked at every redirect)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return False
    return (
        len(url) <= limits.MAX_URL
        and bool(parts.hostname)
        and not parts.username
        and not parts.password
        and (parts.scheme == "https" or (parts.scheme == "http" and is_loopback(url)))
        and not any(ord(c) < 33 or c == "\x7f" or unicodedata.category(c) == "Cf" for c in url)
    )


def is_base_address(url: str) -> bool:
    """Whether ``url`` may be a base that paths are added to (a feed's mirror, the Graph API):
    allowed, and with no query or fragment, not even an empty one ("https://host/?" would send every
    path added to it as a query to "/")."""
    return allowed_url(url) and not urlsplit(url).query and "#" not in url and "?" not in url
