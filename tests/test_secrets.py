"""Secrets in a real keychain backend (keyrings.alt's file backend, in a temp dir: test-only),
the no-backend case, and the log filter that keeps them out of every log."""

from __future__ import annotations

import logging

import keyring.backends.fail
import pytest
from keyrings.alt.file import PlaintextKeyring

from campaign_gui.core.errors import UserError
from campaign_gui.core.logs import configure_logging
from campaign_gui.core.redaction import redact, remember_secret
from campaign_gui.core.secrets import GRAPH_TOKEN, KeychainUnavailableError, Secrets

TOKEN = "EAAsecretvalue0123456789xyz"


@pytest.fixture
def backend(tmp_path):
    ring = PlaintextKeyring()
    ring.file_path = str(tmp_path / "keyring.cfg")
    return ring


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
    secrets = Secrets(keyring.backends.fail.Keyring())
    assert secrets.session_only
    with pytest.raises(KeychainUnavailableError) as caught:
        secrets.set(GRAPH_TOKEN, TOKEN)
    assert "keychain" in caught.value.message


def test_no_backend_keeps_it_for_the_session_in_the_gui():
    secrets = Secrets(keyring.backends.fail.Keyring(), session_only_fallback=True)
    secrets.set(GRAPH_TOKEN, TOKEN)
    assert secrets.get(GRAPH_TOKEN) == TOKEN
    assert (
        Secrets(keyring.backends.fail.Keyring(), session_only_fallback=True).get(GRAPH_TOKEN)
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
