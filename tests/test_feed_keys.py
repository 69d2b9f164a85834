"""The feed's two keys, end to end on 127.0.0.1 with a real keychain backend (keyrings.alt's
file under the test's home): the root key signs the root only, the online key the rest; a rotated
online key reaches participants through a new root, and the old one is refused from then on. A
keychain and a folder from before the split keep working. ``publish`` signs only a campaign that
participants would take."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tuf.api.metadata import Metadata

from campaign_gui.core.errors import UserError
from campaign_gui.core.feed import layout
from campaign_gui.core.feed.keys import (
    LEGACY_KEY,
    FeedSigners,
    generate_keys,
    load_signers,
    rotate_online_key,
)
from campaign_gui.core.feed.publish import PublishError
from campaign_gui.core.feed.sync import FeedError
from campaign_gui.core.secrets import Secrets

from .feed_host import (
    DAY1,
    DAY2,
    NOW,
    bundled_document,
    counts,
    do_publish,
    fetch,
    files_of,
    merged_of,
    resign,
    table_rows,
    trusted_root,
)

ONLINE_ROLES = layout.ONLINE_ROLES
LATER = NOW + timedelta(hours=1)


@pytest.fixture
def keychain() -> Secrets:
    """keyrings.alt's file under the test's home, as conftest's PYTHON_KEYRING_BACKEND names it."""
    return Secrets()


def _root(feed_dir) -> Metadata:
    return Metadata.from_bytes((feed_dir / layout.METADATA / "root.json").read_bytes())


def _role_keys(feed_dir) -> dict[str, list[str]]:
    return {role: info.keyids for role, info in _root(feed_dir).signed.roles.items()}


def test_the_root_key_signs_the_root_only(feed_dir, host, keychain, tmp_path):
    signers = generate_keys(keychain)
    assert not signers.shared
    do_publish(feed_dir, signers, counts(DAY1), [host.url])
    assert _role_keys(feed_dir) == {
        "root": [signers.root.public_key.keyid],
        **{role: [signers.online.public_key.keyid] for role in ONLINE_ROLES},
    }
    for role in ONLINE_ROLES:
        md = Metadata.from_bytes((feed_dir / layout.METADATA / f"{role}.json").read_bytes())
        assert list(md.signatures) == [signers.online.public_key.keyid]
    assert fetch(feed_dir, tmp_path / "c", [host.url]).chunks


def test_rotation_is_followed_and_the_old_online_key_refused(
    feed_dir, host, keychain, participant, tmp_path
):
    before = generate_keys(keychain)
    do_publish(feed_dir, before, counts(DAY1), [host.url])
    given_root = trusted_root(feed_dir)  # in the campaign file the participant opened then
    workspace = participant()
    first = fetch(feed_dir, tmp_path / "cache", [host.url], root=given_root)
    workspace.apply_feed(first, NOW)

    old, rotated = rotate_online_key(keychain)
    assert old.keyid == before.online.public_key.keyid
    after = load_signers(keychain)
    assert after.online.public_key.keyid == rotated.online.public_key.keyid != old.keyid
    assert after.root.public_key.keyid == before.root.public_key.keyid
    result = do_publish(feed_dir, after, counts(DAY1) + counts(DAY2), [host.url], now=LATER)
    assert result.rotated and result.root_version == 2
    root = _root(feed_dir)
    assert list(root.signatures) == [after.root.public_key.keyid]
    assert old.keyid not in root.signed.keys
    for role in ONLINE_ROLES:
        assert root.signed.roles[role].keyids == [after.online.public_key.keyid]

    host.requests.clear()
    update = fetch(
        feed_dir, tmp_path / "cache", [host.url], merged_of(first), now=LATER, root=given_root
    )
    assert ("/metadata/2.root.json", 200) in host.requests
    assert list(update.chunks) == ["counts/2026-03-09.json"]
    assert workspace.apply_feed(update, LATER).counts == 9
    kept = workspace.store.trusted_feed(workspace.feed_key).metadata
    assert Metadata.from_bytes(kept["root-2"]).signed.version == 2

    # Someone holding the old online key signs a newer feed: refused, nothing taken.
    stored = table_rows(workspace.store)
    document = bundled_document()
    document["action_days"][0]["title"]["en"] = "Signed with a key that was rotated away"
    resign(feed_dir, dict.fromkeys(ONLINE_ROLES, before.online), now=LATER, document=document)
    with pytest.raises(FeedError) as refused:
        fetch(feed_dir, tmp_path / "cache", [host.url], now=LATER, root=given_root)
    assert refused.value.kind == "unsigned"
    assert table_rows(workspace.store) == stored
    # The same, signed with the new online key, is taken: the key alone made the difference.
    resign(feed_dir, dict.fromkeys(ONLINE_ROLES, after.online), now=LATER, document=document)
    taken = fetch(feed_dir, tmp_path / "cache", [host.url], now=LATER, root=given_root)
    assert taken.campaign.action_days[0].title["en"] == "Signed with a key that was rotated away"


@pytest.mark.parametrize("role", ONLINE_ROLES)
def test_the_root_key_alone_cannot_sign_the_data(feed_dir, host, signers, tmp_path, role):
    do_publish(feed_dir, signers, counts(DAY1), [host.url])
    fetch(feed_dir, tmp_path / "cache", [host.url])
    by = dict.fromkeys(ONLINE_ROLES, signers.online)
    resign(feed_dir, by, now=LATER)  # the control: signed again as publish signs, it is taken
    fetch(feed_dir, tmp_path / "cache", [host.url], now=LATER)
    by[role] = signers.root
    resign(feed_dir, by, now=LATER)
    with pytest.raises(FeedError) as refused:
        fetch(feed_dir, tmp_path / "cache", [host.url], now=LATER)
    assert refused.value.kind == "unsigned"
    assert role in refused.value.detail


def _legacy_keychain(keychain: Secrets) -> str:
    """A keychain from before the split: one key, under the name it had."""
    private = Ed25519PrivateKey.generate()
    keychain.set(LEGACY_KEY, base64.b64encode(private.private_bytes_raw()).decode())
    return load_signers(keychain).root.public_key.keyid


def test_a_legacy_keychain_publishes_into_a_legacy_folder_then_rotates(
    feed_dir, host, keychain, tmp_path
):
    keyid = _legacy_keychain(keychain)
    signers = load_signers(keychain)
    assert signers.shared
    do_publish(feed_dir, signers, counts(DAY1), [host.url])
    # The folder is as publish wrote it before the split: one key named for every role.
    assert _role_keys(feed_dir) == {role: [keyid] for role in layout.ROLES}
    given_root = trusted_root(feed_dir)
    fetch(feed_dir, tmp_path / "cache", [host.url], root=given_root)
    again = do_publish(feed_dir, load_signers(keychain), counts(DAY1), [host.url], now=LATER)
    assert not again.rotated and again.root_version == 1
    with pytest.raises(UserError):
        generate_keys(keychain)  # the legacy key is kept: participants trust it

    old, rotated = rotate_online_key(keychain)
    assert old.keyid == keyid and not rotated.shared
    later = LATER + timedelta(hours=1)
    result = do_publish(feed_dir, load_signers(keychain), counts(DAY1), [host.url], now=later)
    assert result.rotated and result.root_version == 2
    online = rotated.online.public_key.keyid
    assert _role_keys(feed_dir) == {"root": [keyid], **{role: [online] for role in ONLINE_ROLES}}
    assert fetch(feed_dir, tmp_path / "cache", [host.url], now=later, root=given_root)
    resign(feed_dir, dict.fromkeys(ONLINE_ROLES, signers.online), now=later)  # the legacy key
    with pytest.raises(FeedError):
        fetch(feed_dir, tmp_path / "cache", [host.url], now=later, root=given_root)


def test_another_root_key_is_refused_and_nothing_written(feed_dir, signers, keychain):
    mirrors = ["https://example.com/feed/"]
    do_publish(feed_dir, signers, counts(DAY1), mirrors)
    before = files_of(feed_dir)
    ours = generate_keys(keychain)
    for keys in (ours, FeedSigners(ours.root, signers.online)):
        with pytest.raises(PublishError) as refused:
            do_publish(feed_dir, keys, counts(DAY1) + counts(DAY2), mirrors, now=LATER)
        assert "signed with another key" in refused.value.message
    assert files_of(feed_dir) == before


@pytest.mark.parametrize(
    ("spoil", "field"),
    [
        (lambda d: d["targets"][0].update(page_url="https://evil.example/x"), "page_url"),
        (lambda d: d["targets"][1].update(page_url="javascript:alert(1)"), "page_url"),
        (lambda d: d["reports"][0].update(loss=10**30), "loss"),
        (lambda d: d.pop("targets"), "targets"),
    ],
)
def test_publish_refuses_a_campaign_participants_would_refuse(feed_dir, signers, spoil, field):
    mirrors = ["https://example.com/feed/"]
    document = bundled_document()
    spoil(document)
    with pytest.raises(PublishError) as refused:
        do_publish(feed_dir, signers, counts(DAY1), mirrors, document=document)
    assert "cannot be published" in refused.value.message and field in refused.value.message
    assert files_of(feed_dir) == {}  # not even a root

    do_publish(feed_dir, signers, counts(DAY1), mirrors)
    before = files_of(feed_dir)
    with pytest.raises(PublishError):
        do_publish(feed_dir, signers, counts(DAY1) + counts(DAY2), mirrors, LATER, document)
    assert files_of(feed_dir) == before
    signed = json.loads(
        next((feed_dir / layout.TARGETS).glob("*.campaign.json")).read_text(encoding="utf-8")
    )
    assert signed["targets"] == bundled_document()["targets"]


def test_a_list_of_keys_changed_in_the_folder_is_never_signed_again(feed_dir, keychain):
    """Whoever can write the folder (a mirror, a shared drive) adds a key of theirs to root.json:
    the next publish refuses it rather than sign it as the organiser's, and writes nothing."""
    signers = generate_keys(keychain)
    mirrors = ["https://example.com/feed/"]
    do_publish(feed_dir, signers, counts(DAY1), mirrors)
    theirs = Ed25519PrivateKey.generate()
    from securesystemslib.signer import SSlibKey

    tampered = _root(feed_dir)
    tampered.signed.add_key(SSlibKey.from_crypto(theirs.public_key(), None, "ed25519"), "root")
    (feed_dir / layout.METADATA / "root.json").write_bytes(tampered.to_bytes())
    before = files_of(feed_dir)
    rotate_online_key(keychain)  # a rotation would sign a new root from it
    with pytest.raises(PublishError) as refused:
        do_publish(feed_dir, load_signers(keychain), counts(DAY1) + counts(DAY2), mirrors, LATER)
    assert "changed after it was signed" in refused.value.message
    assert files_of(feed_dir) == before


def test_an_old_copy_of_the_keychain_cannot_undo_a_rotation(feed_dir, keychain):
    """A second laptop, or a keychain restored from a backup, still holds the online key that a
    rotation dropped: publishing with it is refused, not taken as a new rotation."""
    stale = generate_keys(keychain)
    mirrors = ["https://example.com/feed/"]
    do_publish(feed_dir, stale, counts(DAY1), mirrors)
    rotate_online_key(keychain)
    assert do_publish(feed_dir, load_signers(keychain), counts(DAY1), mirrors, LATER).rotated
    before = files_of(feed_dir)
    with pytest.raises(PublishError) as refused:
        do_publish(feed_dir, stale, counts(DAY1) + counts(DAY2), mirrors, LATER)
    assert "replaced by a newer one" in refused.value.message
    assert files_of(feed_dir) == before
