"""Feed addresses: https, or http to this computer only (tests and a local preview)."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from .. import limits
from ..errors import UserError
from ..i18n import _
from ..redaction import redact

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
        # No space or control character, and no invisible format character (a right-to-left
        # override would make an address shown in a message read as another one).
        and not any(ord(c) < 33 or c == "\x7f" or unicodedata.category(c) == "Cf" for c in url)
    )


def is_feed_address(url: str) -> bool:
    """Whether ``url`` may be a feed's base address (settings, campaign file, --feed)."""
    return allowed_url(url) and not urlsplit(url).query and "#" not in url


def check_mirror(url: str) -> str:
    """A mirror's base address, ending in "/", or a ``UserError`` naming it."""
    if not isinstance(url, str) or not is_feed_address(url):
        shown = redact(str(url)[:200])
        raise UserError(
            _(
                "{url} cannot be the address of a feed: it must start with https:// and have "
                "no user name, password, query or fragment."
            ).format(url=shown),
            f"mirror {shown!r}",
        )
    return url if url.endswith("/") else url + "/"
