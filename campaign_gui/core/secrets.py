"""Secrets (the organiser's Graph API token, the feed's signing keys) in the system keychain.

They never reach the store, the settings, a log or an error message: every value this module
reads or writes is registered with ``redaction.remember_secret``, and the log handler redacts
each record (``redaction.RedactingFilter``). Where no keychain backend works, the GUI keeps a
secret in memory for the session only (``Secrets(session_only_fallback=True)``); the command line
says so and stops.
"""

from __future__ import annotations

import logging

import keyring
import keyring.backends.fail
import keyring.errors
from keyring.backend import KeyringBackend

from .errors import UserError
from .i18n import _
from .redaction import redact, remember_secret

log = logging.getLogger(__name__)

SERVICE = "campaign-gui"
GRAPH_TOKEN = "graph-api-token"
MAX_SECRET = 4096  # characters: a Graph API token is about 200, a signing key under 200


class KeychainUnavailableError(UserError):
    pass


def _unavailable(detail: str) -> KeychainUnavailableError:
    return KeychainUnavailableError(
        _(
            "No system keychain can be used on this computer, so the secret cannot be kept "
            "safely. On Linux, install and unlock a keyring (GNOME Keyring or KWallet)."
        ),
        detail,
    )


def backend_works(backend: KeyringBackend) -> bool:
    """Whether ``backend`` is a real keychain (not keyring's "fail" or an empty chain)."""
    if isinstance(backend, keyring.backends.fail.Keyring):
        return False
    backends = getattr(backend, "backends", None)
    return backends is None or bool(backends)


class Secrets:
    """Named secrets of this app, in the keychain ``backend`` (keyring's default if None)."""

    def __init__(
        self, backend: KeyringBackend | None = None, *, session_only_fallback: bool = False
    ) -> None:
        self._backend = backend if backend is not None else keyring.get_keyring()
        self._fallback = session_only_fallback
        self._session: dict[str, str] = {}
        self.session_only = not backend_works(self._backend)
        if self.session_only:
            log.warning("no working keychain backend: %r", self._backend)

    def _require_keychain(self) -> None:
        if self.session_only and not self._fallback:
            raise _unavailable(f"backend {self._backend!r}")

    def _failed(self, exc: Exception) -> None:
        """A keychain that fails at use (locked, D-Bus gone) is one that does not work."""
        log.warning("the keychain failed: %s", redact(str(exc)))
        if not self._fallback:
            raise _unavailable(f"{type(exc).__name__}: {redact(str(exc))}") from None
        self.session_only = True

    def get(self, name: str) -> str | None:
        self._require_keychain()
        if not self.session_only:
            try:
                value = self._backend.get_password(SERVICE, name)
            except (keyring.errors.KeyringError, OSError) as exc:
                self._failed(exc)
            else:
                if value is not None:
                    remember_secret(value)
                return value
        return self._session.get(name)

    def set(self, name: str, value: str) -> None:
        value = value.strip()
        # One line of printable ASCII with no space: what tokens and keys are (a zero-width or
        # no-break space copied from a web page would make every request fail later).
        if not value or len(value) > MAX_SECRET or not all(33 <= ord(c) < 127 for c in value):
            raise UserError(
                _(
                    "This is not a valid secret: it must be one line of at most {n} letters, "
                    "digits and signs, with no space."
                ).format(n=MAX_SECRET),
                f"secret {name!r}: {len(value)} characters",
            )
        remember_secret(value)
        self._require_keychain()
        if not self.session_only:
            try:
                self._backend.set_password(SERVICE, name, value)
                return
            except (keyring.errors.KeyringError, OSError) as exc:
                self._failed(exc)
        self._session[name] = value

    def clear(self, name: str) -> bool:
        """Forget ``name``; returns whether there was something to forget."""
        had = self._session.pop(name, None) is not None
        self._require_keychain()
        if not self.session_only:
            try:
                self._backend.delete_password(SERVICE, name)
                had = True
            except keyring.errors.PasswordDeleteError:
                pass
            except (keyring.errors.KeyringError, OSError) as exc:
                self._failed(exc)
        return had
