"""The organiser's signing key: Ed25519, kept in the system keychain as one line of base64."""

from __future__ import annotations

import base64
import binascii

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.signer import CryptoSigner, SSlibKey

from ..errors import UserError
from ..i18n import _
from ..secrets import Secrets

SIGNING_KEY = "feed-signing-key"


def _signer(private: Ed25519PrivateKey) -> CryptoSigner:
    return CryptoSigner(private, SSlibKey.from_crypto(private.public_key(), None, "ed25519"))


def generate_key(secrets: Secrets, *, replace: bool = False) -> SSlibKey:
    """A new key in the keychain; refuses to replace one unless asked (the feed would then need
    a new root, signed by the old key, for participants to follow)."""
    if secrets.get(SIGNING_KEY) is not None and not replace:
        raise UserError(
            _("A signing key already exists. Participants trust it: keep it."),
            "key generate: a key is already in the keychain",
        )
    private = Ed25519PrivateKey.generate()
    secrets.set(SIGNING_KEY, base64.b64encode(private.private_bytes_raw()).decode("ascii"))
    return _signer(private).public_key


def load_signer(secrets: Secrets) -> CryptoSigner:
    text = secrets.get(SIGNING_KEY)
    if text is None:
        raise UserError(
            _("There is no signing key yet. Make one with: campaign-gui key generate"),
            "no signing key in the keychain",
        )
    try:
        raw = base64.b64decode(text, validate=True)
        private = Ed25519PrivateKey.from_private_bytes(raw)
    except (binascii.Error, ValueError) as exc:
        raise UserError(
            _("The signing key in the keychain cannot be read."),
            f"signing key: {type(exc).__name__}",
        ) from None
    return _signer(private)
