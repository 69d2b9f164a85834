"""Secrets (the organiser's Graph API token, the feed's signing keys) in the system keychain.

They never reach the store, the settings, a log or an error message: every value this module
reads or writes is registered with ``redaction.remember_secret``, and the log handler redacts
each record (``redaction.RedactingFilter``). Where no keychain backend works, the GUI keeps a
secret in memory for the session only (``Secrets(session_only_fallback=True)``); the command line
says so and stops.

Which keychain (``open_keychain``): the one the user chose on purpose, the way keyring itself
reads a choice (the ``PYTHON_KEYRING_BACKEND`` environment variable, then ``default-keyring`` in
keyring's ``keyringrc.cfg``), whatever it is; otherwise a real system keychain, from a short
allow-list. Never keyring's own pick beyond that: wherever keyrings.alt is installed (the tests'
dependencies, in the same virtual environment), that pick is a plain file holding the secrets.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.kwallet
import keyring.backends.libsecret
import keyring.backends.macOS
import keyring.backends.null
import keyring.backends.SecretService
import keyring.backends.Windows
import keyring.core
import keyring.errors
import keyring.util.platform_
from keyring.backend import KeyringBackend

from .errors import UserError
from .i18n import _
from .redaction import redact, remember_secret

log = logging.getLogger(__name__)

SERVICE = "campaign-gui"
GRAPH_TOKEN = "graph-api-token"
MAX_SECRET = 4096  # characters: a Graph API token is about 200, a signing key under 200
ENVIRONMENT = "PYTHON_KEYRING_BACKEND"  # keyring's own variable: a backend named on purpose


class KeychainUnavailableError(UserError):
    pass


def system_keychain_name(backend: KeyringBackend) -> str | None:
    """The name a user knows ``backend`` by if it is a system keychain, else None (a file, a
    web service, keyring's "fail" or null backend, a chain, anything else).

    By its exact class: a subclass (which a package installed beside the app could register as
    a backend) may keep secrets anywhere, whatever its name says."""
    names: dict[type, str] = {
        keyring.backends.Windows.WinVaultKeyring: _("Windows Credential Manager"),
        keyring.backends.macOS.Keyring: _("macOS Keychain"),
        keyring.backends.SecretService.Keyring: "Secret Service",
        keyring.backends.libsecret.Keyring: "Secret Service (libsecret)",
        keyring.backends.kwallet.DBusKeyring: "KWallet",
        keyring.backends.kwallet.DBusKeyringKWallet4: "KWallet",
    }
    return names.get(type(backend))


def backend_works(backend: KeyringBackend) -> bool:
    """Whether ``backend`` can keep a secret (not keyring's "fail" or null backend, which keep
    nothing, nor a chain of no backend)."""
    if isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring):
        return False
    if isinstance(backend, keyring.backends.chainer.ChainerBackend):
        return bool(backend.backends)
    return True


def is_plain_file(backend: KeyringBackend) -> bool:
    """Whether ``backend`` writes the secrets as they are into a file (keyrings.alt's
    ``PlaintextKeyring``: base64, which hides nothing), itself or as one of a chain."""
    if isinstance(backend, keyring.backends.chainer.ChainerBackend):
        return any(is_plain_file(ring) for ring in backend.backends)
    return any(cls.__name__ == "PlaintextKeyring" for cls in type(backend).__mro__)


def backend_path(backend: KeyringBackend) -> str:
    """The name to write in ``PYTHON_KEYRING_BACKEND`` to choose ``backend``."""
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def earlier_plain_file() -> Path | None:
    """keyrings.alt's plain file, where versions before the allow-list kept the secrets
    wherever the tests' packages were installed beside the app (it is never read here)."""
    path = Path(keyring.util.platform_.data_root()) / "keyring_pass.cfg"
    return path if path.is_file() else None


def config_file() -> Path:
    """keyring's own settings file (``$XDG_CONFIG_HOME/python_keyring/keyringrc.cfg`` on Linux
    and macOS, ``%LOCALAPPDATA%\\Python Keyring\\keyringrc.cfg`` on Windows)."""
    return Path(keyring.util.platform_.config_root()) / "keyringrc.cfg"


@dataclass(frozen=True)
class Keychain:
    """The keychain the secrets go to, and who chose it."""

    backend: KeyringBackend | None  # None: none can be used
    set_by: str | None = None  # ENVIRONMENT or keyringrc.cfg's path: the user's choice
    problem: str = ""  # why none can be used, for the log

    @property
    def usable(self) -> bool:
        return self.backend is not None and backend_works(self.backend)

    def unavailable(self, detail: str) -> KeychainUnavailableError:
        """The error that says no secret can be kept here, and what to do."""
        if self.set_by is None:
            message = _(
                "No system keychain can be used on this computer, so the secret cannot be kept "
                "safely. On Linux, install and unlock a keyring (GNOME Keyring or KWallet)."
            )
            earlier = earlier_plain_file()
            if earlier is not None:  # nothing kept there is lost: say how to reach it
                message += " " + _(
                    "Secrets kept by an earlier version are in a plain file, {file}: to use them "
                    "as they are, set {setting}=keyrings.alt.file.PlaintextKeyring."
                ).format(file=earlier, setting=ENVIRONMENT)
        else:
            message = _(
                "The keychain set by {setting} cannot keep the secret. Correct the setting, or "
                "remove it to use the system keychain."
            ).format(setting=self.set_by)
        return KeychainUnavailableError(message, detail)

    def where(self) -> str:
        """Where a secret is kept, as the end of a sentence: "in the system keychain (KWallet)"."""
        if self.backend is None or not self.usable:
            raise self.unavailable(self.problem or f"backend {self.backend!r}")
        if self.set_by is None:
            name = system_keychain_name(self.backend) or backend_path(self.backend)
            return _("in the system keychain ({name})").format(name=name)
        if not is_plain_file(self.backend):
            return _("in the keychain set by {setting}: {backend}").format(
                setting=self.set_by, backend=backend_path(self.backend)
            )
        path = getattr(self.backend, "file_path", None)
        if isinstance(path, str):
            return _("in the keychain set by {setting}: {backend} (a plain file, {file})").format(
                setting=self.set_by, backend=backend_path(self.backend), file=path
            )
        return _("in the keychain set by {setting}: {backend} (a plain file)").format(
            setting=self.set_by, backend=backend_path(self.backend)
        )


def _chosen(set_by: str, load: Callable[[], KeyringBackend | None]) -> Keychain | None:
    """The backend the user named in ``set_by`` (None if the setting names none)."""
    try:
        backend = load()
    except Exception as exc:  # a name that does not load (import, viability, the file): said
        return Keychain(None, set_by, f"{set_by}: {type(exc).__name__}: {exc}")
    if backend is None:
        return None
    return Keychain(backend, set_by, "" if backend_works(backend) else f"{set_by}: {backend!r}")


def open_keychain() -> Keychain:
    """The keychain for the secrets, chosen in keyring's own order (environment, settings file,
    then what is installed), the last step limited to system keychains."""
    if ENVIRONMENT in os.environ:  # set, even to nothing: keyring would use it or fail
        return _chosen(ENVIRONMENT, keyring.core.load_env) or Keychain(None, ENVIRONMENT, "unset")
    configured = _chosen(str(config_file()), keyring.core.load_config)
    if configured is not None:
        return configured
    systems = [
        ring
        for ring in keyring.backend.get_all_keyring()
        if system_keychain_name(ring) is not None and ring.priority > 0
    ]
    best = max(systems, key=keyring.backend.by_priority, default=None)
    if best is None:
        return Keychain(None, None, "no system keychain backend is available")
    return Keychain(best)


class Secrets:
    """Named secrets of this app, in ``keychain`` (``open_keychain()``'s if None)."""

    def __init__(
        self, keychain: Keychain | None = None, *, session_only_fallback: bool = False
    ) -> None:
        self.keychain = keychain if keychain is not None else open_keychain()
        self._backend = self.keychain.backend  # None only when session_only from the start
        self._fallback = session_only_fallback
        self._session: dict[str, str] = {}
        self.session_only = not self.keychain.usable
        if self.session_only:
            log.warning(
                "no keychain can be used: %s",
                self.keychain.problem or f"backend {self._backend!r}",
            )
        else:
            log.info("keychain: %r (set by %s)", self._backend, self.keychain.set_by or "system")

    def where(self) -> str:
        """Where the secrets are kept: "in the system keychain (Secret Service)"."""
        return self.keychain.where()

    def _require_keychain(self) -> None:
        if self.session_only and not self._fallback:
            raise self.keychain.unavailable(self.keychain.problem or f"backend {self._backend!r}")

    def _failed(self, exc: Exception) -> None:
        """A keychain that fails at use (locked, D-Bus gone) is one that does not work."""
        log.warning("the keychain failed: %s", redact(str(exc)))
        if not self._fallback:
            raise self.keychain.unavailable(f"{type(exc).__name__}: {redact(str(exc))}") from None
        self.session_only = True

    def get(self, name: str) -> str | None:
        self._require_keychain()
        if self._backend is not None and not self.session_only:
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
        if self._backend is not None and not self.session_only:
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
        if self._backend is not None and not self.session_only:
            try:
                self._backend.delete_password(SERVICE, name)
                had = True
            except keyring.errors.PasswordDeleteError:
                pass
            except (keyring.errors.KeyringError, OSError) as exc:
                self._failed(exc)
        return had
