"""The one way this app makes an HTTP client: the system's certificates and proxy settings.

``truststore`` verifies certificates with the operating system's own store (Windows, macOS, or
the distribution's), so a participant behind a company or school proxy that adds its own
authority gets through as their browser does, without a certificate bundle in the app.
"""

from __future__ import annotations

import ssl

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
