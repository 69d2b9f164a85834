"""The organiser's keys, Ed25519, each kept in the system keychain as one line of base64.

The *root key* signs only the root metadata: the list of keys participants trust, which their
campaign file carries. The *online key* signs the rest (targets, snapshot, timestamp) at every
publish. A stolen online key is replaced with ``campaign-gui key rotate``: the next publish names
the new one in a new root, signed by the root key, and participants' apps follow it.

A keychain from before the keys were split holds one key, ``feed-signing-key``: it is the root
key, and the online key too until the first rotation gives the online key its own entry.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.signer import CryptoSigner, SSlibKey

from ..errors import UserError
from ..i18n import _
from ..secrets import Secrets

ROOT_KEY = "feed-root-key"
ONLINE_KEY = "feed-online-key"
LEGACY_KEY = "feed-signing-key"  # the one key of every role, before they were split


@dataclass(frozen=True)
class FeedSigners:
    root: CryptoSigner  # signs root metadata only
    online: CryptoSigner  # signs targets, snapshot and timestamp

    @property
    def shared(self) -> bool:
        """Whether one key is both (a keychain from before the split, not rotated yet)."""
        return self.root.public_key.keyid == self.online.public_key.keyid


def _signer(private: Ed25519PrivateKey) -> CryptoSigner:
    return CryptoSigner(private, SSlibKey.from_crypto(private.public_key(), None, "ed25519"))


def _new_key(secrets: Secrets, name: str) -> CryptoSigner:
    private = Ed25519PrivateKey.generate()
    secrets.set(name, base64.b64encode(private.private_bytes_raw()).decode("ascii"))
    return _signer(private)


def _read(secrets: Secrets, name: str) -> CryptoSigner | None:
    text = secrets.get(name)
    if text is None:
        return None
    try:
        raw = base64.b64decode(text, validate=True)
        private = Ed25519PrivateKey.from_private_bytes(raw)
    except (binascii.Error, ValueError) as exc:
        raise UserError(
            _("The signing key in the keychain cannot be read."),
            f"{name}: {type(exc).__name__}",
        ) from None
    return _signer(private)


def _root(secrets: Secrets) -> tuple[CryptoSigner, bool]:
    """The root key, and whether it is the legacy one-key-for-all entry."""
    root = _read(secrets, ROOT_KEY)
    if root is not None:
        return root, False
    legacy = _read(secrets, LEGACY_KEY)
    if legacy is not None:
        return legacy, True
    raise UserError(
        _("There is no signing key yet. Make one with: campaign-gui key generate"),
        "no signing key in the keychain",
    )


def generate_keys(secrets: Secrets) -> FeedSigners:
    """A new root key and a new online key in the keychain; refuses to replace any key (the
    root key is what participants trust; the online key is replaced with ``rotate_online_key``)."""
    if any(secrets.get(name) is not None for name in (ROOT_KEY, ONLINE_KEY, LEGACY_KEY)):
        raise UserError(
            _(
                "The feed's keys already exist. Participants trust the root key: keep it. To "
                "replace the online key, use: campaign-gui key rotate"
            ),
            "key generate: a key is already in the keychain",
        )
    root = _new_key(secrets, ROOT_KEY)
    return FeedSigners(root, _new_key(secrets, ONLINE_KEY))


def load_signers(secrets: Secrets) -> FeedSigners:
    root, legacy = _root(secrets)
    online = _read(secrets, ONLINE_KEY)
    if online is None:
        if not legacy:  # a root key alone: ``key generate`` stopped half-way
            raise UserError(
                _("There is no online key yet. Make one with: campaign-gui key rotate"),
                "a root key but no online key in the keychain",
            )
        online = root
    return FeedSigners(root, online)


def rotate_online_key(secrets: Secrets) -> tuple[SSlibKey | None, FeedSigners]:
    """A new online key in the keychain in place of the current one, which is forgotten: the
    next publish needs only the root key and the new one. Returns the old online key's public
    part (None if there was none, or it could not be read) and the keys now."""
    root, legacy = _root(secrets)
    try:
        old = _read(secrets, ONLINE_KEY) or (root if legacy else None)
    except UserError:  # unreadable: replaced all the same
        old = None
    online = _new_key(secrets, ONLINE_KEY)
    return (old.public_key if old else None), FeedSigners(root, online)
