"""Feed addresses: https, or http to this computer only (tests and a local preview)."""

from __future__ import annotations

from urllib.parse import urlsplit

from .. import limits
from ..errors import UserError
from ..i18n import _

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
        and not any(ord(c) < 33 or c == "\x7f" for c in url)
    )


def check_mirror(url: str) -> str:
    """A mirror's base address, ending in "/", or a ``UserError`` naming it."""
    if not isinstance(url, str) or not allowed_url(url) or urlsplit(url).query or "#" in url:
        raise UserError(
            _("A feed address must start with https:// (got {url}).").format(url=str(url)[:200]),
            f"mirror {str(url)[:200]!r}",
        )
    return url if url.endswith("/") else url + "/"
