"""Secrets in a real keychain backend (keyrings.alt's file backend, in a temp dir: test-only),
the no-backend case, and the log filter that keeps them out of every log."""

from __future__ import annotations

import logging
import os
from functools import partial
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
import pytest
from keyrings.alt.file import PlaintextKeyring

from campaign_gui.core.errors import UserError
from campaign_gui.core.logs import configure_logging
from campaign_gui.core.redaction import redact, remember_secret
from campaign_gui.core.secrets import (
    ENVIRONMENT,
    GRAPH_TOKEN,
    Keychain,
    KeychainUnavailableError,
    Secrets,
    backend_works,
    config_file,
    is_plain_file,
    open_keychain,
    system_keychain_name,
)

TOKEN = "EAAsecretvalue0123456789xyz"


@pytest.fixture
def backend(tmp_path):
    ring = PlaintextKeyring()
    ring.file_path = str(tmp_path / "keyring.cfg")
    return Keychain(ring, ENVIRONMENT)  # as conftest names it


def test_set_get_clear_in_a_real_backend(backend):
    secrets = Secrets(backend)
    assert not secrets.session_only
    assert secrets.get(GRAPH_TOKEN) is None
    secrets.set(GRAPH_TOKEN, TOKEN + "\n")
    assert Secrets(backend).get(GRAPH_TOKEN) == TOKEN  # a new instance reads it back
    assert secrets.clear(GRAPH_TOKEN) is True
    assert Secrets(backend).get(GRAPH_TOKEN) is None
    assert secrets.clear(GRAPH_TOKEN) is False


@pytest.mark.parametrize(
    "value",
    ["", "   ", "a\nb", "x" * 5000, "a\x00b", "EAA\u200babcdef", "EAA abc def", "EAA\xa0abc"],
)
def test_a_bad_secret_is_refused_and_nothing_stored(backend, value):
    secrets = Secrets(backend)
    with pytest.raises(UserError):
        secrets.set(GRAPH_TOKEN, value)
    assert secrets.get(GRAPH_TOKEN) is None


def test_no_backend_stops_the_command_line():
    secrets = Secrets(Keychain(keyring.backends.fail.Keyring()))
    assert secrets.session_only
    with pytest.raises(KeychainUnavailableError) as caught:
        secrets.set(GRAPH_TOKEN, TOKEN)
    assert caught.value.message.startswith("No system keychain can be used on this computer")


def test_no_backend_keeps_it_for_the_session_in_the_gui():
    secrets = Secrets(Keychain(keyring.backends.fail.Keyring()), session_only_fallback=True)
    secrets.set(GRAPH_TOKEN, TOKEN)
    assert secrets.get(GRAPH_TOKEN) == TOKEN
    assert (
        Secrets(Keychain(keyring.backends.fail.Keyring()), session_only_fallback=True).get(
            GRAPH_TOKEN
        )
        is None
    )


def test_redaction_of_known_values_and_secret_shapes():
    remember_secret("my-signing-key-abcdef")
    text = (
        "key my-signing-key-abcdef; url https://g/x?access_token=abc123&fields=x; "
        "Authorization: Bearer zzz999; a token EAAB1234567890abcdefghij"
    )
    cleaned = redact(text)
    for secret in ("my-signing-key-abcdef", "abc123", "zzz999", "EAAB1234567890abcdefghij"):
        assert secret not in cleaned
    assert "fields=x" in cleaned


def test_the_log_file_never_holds_a_secret(tmp_path, backend):
    root = logging.getLogger()
    before = list(root.handlers)
    log_file = configure_logging(tmp_path / "logs")
    try:
        Secrets(backend).set(GRAPH_TOKEN, TOKEN)
        log = logging.getLogger("campaign_gui.test")
        log.warning("token is %s", TOKEN)
        try:
            raise ValueError(f"failed with {TOKEN}")
        except ValueError:
            log.exception("request failed")
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                handler.close()
                root.removeHandler(handler)
    written = log_file.read_text(encoding="utf-8")
    assert "request failed" in written and "[secret]" in written
    assert TOKEN not in written


def test_quoted_text_cannot_forge_a_line_of_the_log(tmp_path):
    root = logging.getLogger()
    before = list(root.handlers)
    log_file = configure_logging(tmp_path / "logs")
    try:
        logging.getLogger("campaign_gui.test").warning(
            "the server said: %s", "bad\n2026-01-01 00:00:00 ERROR forged\r\u2028x"
        )
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                handler.close()
                root.removeHandler(handler)
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and "\\x0a2026-01-01" in lines[0]


# -- which keychain: chosen on purpose, or a system keychain; nothing else -----------------------


@pytest.mark.parametrize(
    ("backend", "name"),
    [
        (keyring.backends.Windows.WinVaultKeyring, "Windows Credential Manager"),
        (keyring.backends.macOS.Keyring, "macOS Keychain"),
        (keyring.backends.SecretService.Keyring, "Secret Service"),
        (keyring.backends.libsecret.Keyring, "Secret Service (libsecret)"),
        (keyring.backends.kwallet.DBusKeyring, "KWallet"),
        (keyring.backends.kwallet.DBusKeyringKWallet4, "KWallet"),
    ],
)
def test_system_keychains_are_known_by_their_names(backend, name):
    ring = backend()
    assert system_keychain_name(ring) == name
    assert backend_works(ring) and not is_plain_file(ring)
    assert Keychain(ring).where() == f"in the system keychain ({name})"


@pytest.mark.parametrize(
    "backend",
    [
        PlaintextKeyring,
        keyring.backends.fail.Keyring,
        keyring.backends.null.Keyring,
        keyring.backends.chainer.ChainerBackend,
    ],
)
def test_files_and_keyrings_placeholders_are_not_system_keychains(backend):
    assert system_keychain_name(backend()) is None


def test_a_backend_that_only_calls_itself_a_system_keychain_is_not_one():
    """A package installed beside the app can register a backend subclassing Secret Service
    that keeps secrets in a file: only the system's own classes count."""

    class Impostor(keyring.backends.SecretService.Keyring):
        priority = 50

    assert system_keychain_name(Impostor()) is None


def test_what_keeps_a_secret_and_what_is_a_plain_file():
    assert not backend_works(keyring.backends.fail.Keyring())
    assert not backend_works(keyring.backends.null.Keyring())
    assert backend_works(PlaintextKeyring())
    assert is_plain_file(PlaintextKeyring())


def test_a_backend_named_in_the_environment_is_chosen_on_purpose():
    chosen = open_keychain()  # conftest: PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring
    assert chosen.set_by == "PYTHON_KEYRING_BACKEND"
    assert isinstance(chosen.backend, PlaintextKeyring)
    home = Path(os.environ["XDG_DATA_HOME"])
    assert chosen.where() == (
        "in the keychain set by PYTHON_KEYRING_BACKEND: keyrings.alt.file.PlaintextKeyring "
        f"(a plain file, {home / 'python_keyring' / 'keyring_pass.cfg'})"
    )


@pytest.fixture
def installed(monkeypatch):
    """Nothing chosen, and the backends installed are the ones a test lists (keyring's own
    detection looks at this computer's)."""
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")

    def install(*rings):
        monkeypatch.setattr(keyring.backend, "get_all_keyring", lambda: list(rings))

    return install


def test_keyringrc_names_a_backend_on_purpose(installed):
    installed(PlaintextKeyring())
    settings = Path(os.environ["XDG_CONFIG_HOME"]) / "python_keyring" / "keyringrc.cfg"
    assert config_file() == settings  # where keyring itself reads it
    settings.parent.mkdir()
    settings.write_text("[backend]\nkeyring-path = /nowhere\n")
    assert open_keychain().backend is None  # a file that names no backend chooses none
    settings.write_text("[backend]\ndefault-keyring=keyrings.alt.file.PlaintextKeyring\n")
    chosen = open_keychain()
    assert chosen.set_by == str(settings) and isinstance(chosen.backend, PlaintextKeyring)
    assert chosen.where().startswith(f"in the keychain set by {settings}: keyrings.alt.file.")


def test_a_plain_file_is_never_chosen_for_the_user(installed, monkeypatch):
    monkeypatch.setattr(PlaintextKeyring, "priority", 10)  # even first in keyring's own order
    installed(PlaintextKeyring(), keyring.backends.fail.Keyring())
    chosen = open_keychain()
    assert chosen.backend is None and not chosen.usable
    secrets = Secrets(chosen)
    with pytest.raises(KeychainUnavailableError) as caught:
        secrets.set(GRAPH_TOKEN, TOKEN)
    assert caught.value.message.startswith("No system keychain can be used on this computer")


def test_the_system_keychain_is_chosen_over_a_plain_file(installed, monkeypatch, request):
    monkeypatch.setattr(PlaintextKeyring, "priority", 10)
    # Secret Service as if its daemon ran (monkeypatch would read the priority, which asks D-Bus)
    secret_service = keyring.backends.SecretService.Keyring
    request.addfinalizer(
        partial(setattr, secret_service, "priority", vars(secret_service)["priority"])
    )
    secret_service.priority = 5
    installed(PlaintextKeyring(), keyring.backends.SecretService.Keyring())
    chosen = open_keychain()
    assert isinstance(chosen.backend, keyring.backends.SecretService.Keyring)
    assert chosen.set_by is None
    assert chosen.where() == "in the system keychain (Secret Service)"


def test_a_choice_that_cannot_keep_a_secret_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    with pytest.raises(KeychainUnavailableError) as caught:
        Secrets().get(GRAPH_TOKEN)
    assert caught.value.message.startswith(
        "The keychain set by PYTHON_KEYRING_BACKEND cannot keep the secret."
    )
    assert Secrets(session_only_fallback=True).session_only  # the window: this session only


def test_a_chain_chosen_on_purpose_that_holds_a_plain_file_says_so(installed):
    installed(PlaintextKeyring(), keyring.backends.fail.Keyring())
    chain = Keychain(keyring.backends.chainer.ChainerBackend(), ENVIRONMENT)
    assert chain.usable
    assert chain.where() == (
        "in the keychain set by PYTHON_KEYRING_BACKEND: keyring.backends.chainer.ChainerBackend "
        "(a plain file)"
    )
    installed(keyring.backends.fail.Keyring())  # a chain of nothing keeps nothing
    assert not chain.usable
