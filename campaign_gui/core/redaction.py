"""What the log never holds: secrets (known values and secret-shaped text) are replaced by
[secret], and a message's control characters are escaped so no quoted text can forge a line.

Light on purpose (no keyring): the campaign file's checks and the log handler use it.
"""

from __future__ import annotations

import functools
import logging
import re
import threading

REDACTED = "[secret]"
_known: set[str] = set()
_known_lock = threading.Lock()


@functools.cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    """Shapes of secrets that may appear in text the app did not write itself (an exception
    from a library, a URL): Meta's access tokens (EAA…), query parameters and Authorization
    headers. Compiled with the first record logged, not at every start (most log nothing)."""
    return (
        re.compile(r"\bEAA[A-Za-z0-9]{16,}"),
        re.compile(r"(?i)\b(access_token|appsecret_proof|client_secret)=[^&\s\"']+"),
        re.compile(r"(?i)\b(authorization:?\s*\"?(?:bearer|oauth)\s+)[^\s\"']+"),
        re.compile(r"(://)[^/\s@]+@"),  # user:password@ in an address
    )


def remember_secret(value: str) -> None:
    """Redact ``value`` from every later log record."""
    if len(value) >= 8:  # a shorter value would redact ordinary words
        with _known_lock:
            _known.add(value)


def redact(text: str) -> str:
    """``text`` with every known secret and every secret-shaped run replaced by [secret]."""
    with _known_lock:
        known = sorted(_known, key=len, reverse=True)
    for value in known:
        text = text.replace(value, REDACTED)
    token, parameter, header, password = _patterns()
    text = token.sub(REDACTED, text)
    text = parameter.sub(lambda m: f"{m[1]}={REDACTED}", text)
    text = header.sub(lambda m: f"{m[1]}{REDACTED}", text)
    return password.sub(lambda m: f"{m[1]}{REDACTED}@", text)


def escape_controls(text: str) -> str:
    """``text`` with its line breaks and other control characters escaped: a message may quote
    what a server or a file said, and can never forge a line of the log."""
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029]", lambda m: f"\\x{ord(m[0]):02x}", text)


class RedactingFilter(logging.Filter):
    """Applied by the log file's handler: secrets redacted from the message, its arguments and
    any traceback; control characters of the message escaped (a traceback keeps its lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = escape_controls(redact(record.getMessage()))
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
