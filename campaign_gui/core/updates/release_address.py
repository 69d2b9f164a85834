"""Where the app looks for its release index: the address the user set, else the ones this
build carries. A module of its own, free of TUF and httpx, so the window can ask whether it
has anywhere to look before its first paint."""

from __future__ import annotations

# Where the release index is served (the release manager sets it with the real root:
# packaging/README.md). Empty: only an address given (setting, --release-url) is checked.
RELEASE_MIRRORS: tuple[str, ...] = ()


def release_addresses(setting: str = "") -> tuple[str, ...]:
    """The addresses to check, in order: the setting's (``release_url``) if set, else the
    build's; empty when there is nowhere to look (the window offers no update checks then)."""
    return (setting,) if setting else RELEASE_MIRRORS
