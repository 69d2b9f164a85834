"""A feed's mirror addresses (what ``addresses`` allows, as a base), with the message naming
the one refused."""

from __future__ import annotations

from ..addresses import is_base_address
from ..errors import UserError
from ..i18n import _
from ..redaction import redact


def check_mirror(url: str) -> str:
    """A mirror's base address, ending in "/", or a ``UserError`` naming it."""
    if not isinstance(url, str) or not is_base_address(url):
        shown = redact(str(url)[:200])
        raise UserError(
            _(
                "{url} cannot be the address of a feed: it must start with https:// and have "
                "no user name, password, query or fragment."
            ).format(url=shown),
            f"mirror {shown!r}",
        )
    return url if url.endswith("/") else url + "/"
