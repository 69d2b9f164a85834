"""The app's own updates: a release index published on 127.0.0.1 by the release workflow's code
(``release_publish``), found by the check, its installer downloaded through TUF (verified,
resumed, cancelled), and every hostile host refused with nothing installed and the trusted state
unchanged."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from campaign_gui.core.i18n import set_language
from campaign_gui.core.updates.installer_download import download_installer
from campaign_gui.core.updates.release_index import ReleaseIndexError, Version, parse_index
from campaign_gui.core.updates.release_publish import (
    ReleasePublishError,
    make_root,
    new_key_text,
    signer_from_text,
)
from campaign_gui.core.updates.update_client import UpdateError, check_for_update, trust_folder

from .feed_host import FeedHost
from .release_repo import (
    FAST,
    NOTES,
    NOW,
    PLATFORM,
    Keys,
    check,
    publish,
    trusted_state,
)


@pytest.fixture(autouse=True)
def _english():
    set_language("en")


@pytest.fixture
def keys() -> Keys:
    return Keys()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return tmp_path / "repo"


@pytest.fixture
def host(repo: Path):
    repo.mkdir(parents=True, exist_ok=True)
    server = FeedHost(repo)
    yield server
    server.close()


# -- the index and the versions ------------------------------------------------------------------


def test_versions_compare_by_number_with_pre_releases_before_the_release():
    order = ["1.2.0.dev1", "1.2.0a1", "1.2.0b2", "1.2.0rc1", "1.2.0", "1.9.0", "1.10.0", "10.0.0"]
    parsed = [Version.parse(v) for v in order]
    assert sorted(reversed(parsed)) == parsed
    assert [str(v) for v in parsed] == order
    for bad in ("1.2", "v1.2.0", "1.2.0-beta", "1.2.0+local", " 1.2.0", "01.2.x"):
        with pytest.raises(ReleaseIndexError):
            Version.parse(bad)


def _index(**release) -> bytes:
    entry = {
        "version": "1.2.0",
        "date": "2028-10-01",
        "notes": dict(NOTES),
        "installers": {PLATFORM: {"name": "a.tar.xz", "length": 10, "sha256": "0" * 64}},
    }
    entry.update(release)
    return json.dumps({"format": 1, "releases": [entry]}).encode()


@pytest.mark.parametrize(
    "change",
    [
        {"version": "1.2"},
        {"date": "2028-13-01"},
        {"notes": {"en": "only English"}},
        {"notes": {**NOTES, "en": "bell\x07"}},
        {"notes": {**NOTES, "en": "a terminal's CSI \x9b2J"}},  # C1: clears an 8-bit terminal
        {"notes": {**NOTES, "ary": "\u202eفبراير"}},  # an override: shown as other words
        {"notes": {**NOTES, "fr": "line\u2028separator"}},
        {"installers": {"amiga-68k": {"name": "a", "length": 1, "sha256": "0" * 64}}},
        {"installers": {PLATFORM: {"name": "../a", "length": 1, "sha256": "0" * 64}}},
        # Windows' devices and a name it would change (the .part, the file: the console, the
        # null device, or another name than the one checked)
        {"installers": {PLATFORM: {"name": "CON", "length": 1, "sha256": "0" * 64}}},
        {"installers": {PLATFORM: {"name": "nul.exe", "length": 1, "sha256": "0" * 64}}},
        {"installers": {PLATFORM: {"name": "Com1.tar.xz", "length": 1, "sha256": "0" * 64}}},
        {"installers": {PLATFORM: {"name": "setup.exe.", "length": 1, "sha256": "0" * 64}}},
        {"installers": {PLATFORM: {"name": "a" * 201, "length": 1, "sha256": "0" * 64}}},
        {"installers": {PLATFORM: {"name": "a\x00.exe", "length": 1, "sha256": "0" * 64}}},
        {"installers": {PLATFORM: {"name": "a", "length": 0, "sha256": "0" * 64}}},
        {"installers": {PLATFORM: {"name": "a", "length": True, "sha256": "0" * 64}}},
        {"installers": {PLATFORM: {"name": "a", "length": 1, "sha256": "A" * 64}}},
        {"installers": {PLATFORM: {"name": "a", "length": 1, "sha256": "0" * 64, "x": 1}}},
    ],
)
def test_a_malformed_index_is_refused_whole(change):
    parse_index(_index())
    with pytest.raises(ReleaseIndexError):
        parse_index(_index(**change))


# -- check and download --------------------------------------------------------------------------


def test_check_finds_the_newest_release_and_download_verifies_it(tmp_path, repo, host, keys):
    publish(repo, keys, "1.1.0", tmp_path)
    publish(repo, keys, "1.2.0", tmp_path, now=NOW + timedelta(minutes=1))
    data = tmp_path / "data"
    update = check(data, host, keys, now=NOW + timedelta(minutes=2))
    assert update is not None
    assert str(update.release.version) == "1.2.0"
    assert [str(r.version) for r in update.newer] == ["1.2.0", "1.1.0"]
    assert update.release.notes_in("fr") == NOTES["fr"]
    assert update.release.notes_in("ary") == NOTES["ary"]
    seen = []
    path = download_installer(update, tmp_path / "down", progress=lambda d, t: seen.append((d, t)))
    assert path.read_bytes() == (tmp_path / "dist" / "1.2.0" / path.name).read_bytes()
    assert seen[-1] == (update.installer.length, update.installer.length)
    assert not list((tmp_path / "down").glob("*.part"))
    # No request carries anything about the user: no query, no cookie, no version or system in
    # the user agent.
    assert all("?" not in p for p, _s in host.requests)
    assert {h.get("User-Agent") for h in host.headers} == {"campaign-gui"}
    assert not any("Cookie" in h or "Referer" in h for h in host.headers)


def test_up_to_date_and_an_older_version_offered_is_not_an_update(tmp_path, repo, host, keys):
    publish(repo, keys, "1.2.0", tmp_path)
    data = tmp_path / "data"
    assert check(data, host, keys, running="1.2.0") is None
    assert check(data, host, keys, running="1.3.0") is None  # 1.2.0 is older: nothing offered


@pytest.mark.parametrize("ranges", [True, False], ids=["range", "host-without-ranges"])
def test_download_resumes_after_an_interrupted_transfer(tmp_path, repo, host, keys, ranges):
    publish(repo, keys, "1.2.0", tmp_path)
    update = check(tmp_path / "data", host, keys)
    assert update is not None
    host.behaviour.cut_after = 100_000
    with pytest.raises(UpdateError) as failed:
        download_installer(update, tmp_path / "down", deadlines=FAST)
    assert failed.value.kind == "download-failed"
    part = tmp_path / "down" / f"{update.installer.name}.{update.installer.sha256[:12]}.part"
    part_size = part.stat().st_size
    assert 0 < part_size < update.installer.length
    assert not (tmp_path / "down" / update.installer.name).exists()
    host.behaviour.cut_after = None
    host.behaviour.ranges = ranges
    requests = len(host.requests)
    seen = []
    path = download_installer(
        update, tmp_path / "down", deadlines=FAST, progress=lambda d, t: seen.append(d)
    )
    assert hashlib.sha256(path.read_bytes()).hexdigest() == update.installer.sha256
    assert [s for _p, s in host.requests[requests:]] == [206 if ranges else 200]
    if ranges:  # only the rest was downloaded
        assert seen[0] > part_size
    assert not part.exists()


def test_cancel_leaves_no_final_file(tmp_path, repo, host, keys):
    publish(repo, keys, "1.2.0", tmp_path)
    update = check(tmp_path / "data", host, keys)
    assert update is not None
    with pytest.raises(UpdateError) as cancelled:
        download_installer(update, tmp_path / "down", cancelled=lambda: True)
    assert cancelled.value.kind == "cancelled"
    assert not (tmp_path / "down" / update.installer.name).exists()


@pytest.mark.parametrize("served", ["tampered", "longer", "endless"])
def test_a_tampered_or_endless_installer_is_refused_and_deleted(tmp_path, repo, host, keys, served):
    publish(repo, keys, "1.2.0", tmp_path)
    update = check(tmp_path / "data", host, keys)
    assert update is not None
    name = f"/{update.installer.sha256}.{update.installer.name}"
    signed = (repo / name.lstrip("/")).read_bytes()
    if served == "tampered":
        host.behaviour.replace[name] = b"X" + signed[1:]
    elif served == "longer":
        host.behaviour.replace[name] = signed + b"more" * 1000
    else:  # no length said, and no end
        host.behaviour.endless = True
    with pytest.raises(UpdateError) as refused:
        download_installer(update, tmp_path / "down", deadlines=FAST)
    assert refused.value.kind == "installer-refused"
    assert "refused" in refused.value.message
    assert list((tmp_path / "down").iterdir()) == []


# -- hostile hosts: refused, nothing kept --------------------------------------------------------


def test_older_metadata_replayed_is_refused_and_the_trusted_state_kept(tmp_path, repo, host, keys):
    publish(repo, keys, "1.1.0", tmp_path)
    old = tmp_path / "old-copy"
    shutil.copytree(repo, old)
    publish(repo, keys, "1.2.0", tmp_path, now=NOW + timedelta(hours=1))
    data = tmp_path / "data"
    assert str(check(data, host, keys, now=NOW + timedelta(hours=2)).release.version) == "1.2.0"
    before = trusted_state(data)
    shutil.rmtree(repo)
    shutil.copytree(old, repo)  # the host replays the earlier release's metadata
    with pytest.raises(UpdateError) as refused:
        check(data, host, keys, now=NOW + timedelta(hours=3))
    assert refused.value.kind == "behind"
    assert trusted_state(data) == before


def test_publishing_an_older_version_than_the_index_holds_is_refused(tmp_path, repo, keys):
    publish(repo, keys, "1.2.0", tmp_path)
    with pytest.raises(ReleasePublishError):
        publish(repo, keys, "1.1.9", tmp_path, now=NOW + timedelta(hours=1))


def test_an_index_past_its_expiry_is_refused(tmp_path, repo, host, keys):
    publish(repo, keys, "1.2.0", tmp_path)
    data = tmp_path / "data"
    with pytest.raises(UpdateError) as refused:
        check(data, host, keys, now=NOW + timedelta(days=400))
    assert refused.value.kind == "out-of-date"
    assert "out of date" in refused.value.message
    assert not trust_folder(data).exists()


def test_a_redirect_off_https_is_refused(tmp_path, repo, host, keys):
    publish(repo, keys, "1.2.0", tmp_path)
    host.behaviour.redirect_to = "http://updates.example.org/"
    with pytest.raises(UpdateError) as refused:
        check(tmp_path / "data", host, keys)
    assert refused.value.kind == "unreachable"
    assert "refused address" in refused.value.detail


def test_an_installer_redirected_off_https_is_refused(tmp_path, repo, host, keys):
    publish(repo, keys, "1.2.0", tmp_path)
    update = check(tmp_path / "data", host, keys)
    assert update is not None
    host.behaviour.redirect_to = "http://updates.example.org/"
    with pytest.raises(UpdateError) as refused:
        download_installer(update, tmp_path / "down", deadlines=FAST)
    assert "refused address" in refused.value.detail
    assert not (tmp_path / "down" / update.installer.name).exists()


def test_an_index_signed_by_a_campaigns_feed_keys_is_refused(tmp_path, repo, host, keys):
    from campaign_gui.core.feed.keys import FeedSigners

    campaign = FeedSigners(
        signer_from_text(new_key_text()), signer_from_text(new_key_text())
    )  # an organiser's keys, as ``campaign-gui key generate`` makes them
    campaign_root = make_root(campaign.root, campaign.online.public_key, NOW)
    publish(repo, keys, "1.2.0", tmp_path, roots=[campaign_root], online=campaign.online)
    data = tmp_path / "data"
    with pytest.raises(UpdateError) as refused:
        check(data, host, keys)
    assert refused.value.kind == "refused"
    assert "release keys" in refused.value.message
    assert not (trust_folder(data) / "timestamp.json").exists()


def test_a_real_feed_folder_is_not_a_release_index(tmp_path, host, keys, repo):
    from campaign_gui.core.feed.keys import FeedSigners

    from .feed_host import NOW as FEED_NOW
    from .feed_host import counts, do_publish

    signers = FeedSigners(signer_from_text(new_key_text()), signer_from_text(new_key_text()))
    do_publish(repo, signers, counts(FEED_NOW), ["https://feed.example.org/"])
    set_language("en")
    with pytest.raises(UpdateError) as refused:
        check_for_update(
            tmp_path / "data",
            now=FEED_NOW,
            mirrors=[host.url + "metadata/"],
            trusted_root=keys.root_bytes,
            platform_name=PLATFORM,
            deadlines=FAST,
        )
    assert refused.value.kind == "refused"


def test_a_release_index_under_another_root_is_refused(tmp_path, repo, host, keys):
    other = Keys()  # someone else's release keys, with a root of their own
    publish(repo, other, "9.9.9", tmp_path)
    data = tmp_path / "data"
    with pytest.raises(UpdateError) as refused:
        check(data, host, keys)
    assert refused.value.kind == "refused"
    assert not (trust_folder(data) / "timestamp.json").exists()


def test_the_index_follows_a_new_root_signed_by_the_old_one(tmp_path, repo, host, keys):
    publish(repo, keys, "1.1.0", tmp_path)
    data = tmp_path / "data"
    assert check(data, host, keys) is not None
    new_online = signer_from_text(new_key_text())
    second = make_root(keys.root, new_online.public_key, NOW, previous=keys.root_bytes)
    publish(
        repo,
        keys,
        "1.2.0",
        tmp_path,
        now=NOW + timedelta(hours=1),
        roots=[keys.root_bytes, second],
        online=new_online,
    )
    update = check(data, host, keys, now=NOW + timedelta(hours=2))
    assert str(update.release.version) == "1.2.0"
    assert "root_history/2.root.json" in trusted_state(data)


def test_a_signed_index_the_app_cannot_read_is_refused(tmp_path, repo, host, keys, monkeypatch):
    from campaign_gui.core.updates import release_publish
    from campaign_gui.core.updates.release_index import index_document

    def unchecked(index):  # a publisher of another version, say, that wrote what this one refuses
        document = index_document(index) | {"format": 2}
        return json.dumps(document).encode()

    monkeypatch.setattr(release_publish, "index_bytes", unchecked)
    publish(repo, keys, "1.2.0", tmp_path)
    with pytest.raises(UpdateError) as refused:
        check(tmp_path / "data", host, keys)
    assert refused.value.kind == "invalid"


def test_a_trusted_state_from_another_root_is_set_aside_and_replaced(tmp_path, repo, host, keys):
    publish(repo, keys, "1.2.0", tmp_path)
    data = tmp_path / "data"
    other = Keys()  # a state another build (another carried root) left in the same data dir
    second = make_root(other.root, other.online.public_key, NOW, previous=other.root_bytes)
    history = trust_folder(data) / "root_history"
    history.mkdir(parents=True)
    (history / "1.root.json").write_bytes(other.root_bytes)
    (history / "2.root.json").write_bytes(second)
    assert check(data, host, keys) is not None
    assert trusted_state(data)["root_history/1.root.json"] == keys.root_bytes
    assert "root_history/2.root.json" not in trusted_state(data)


def test_a_mirror_that_fails_is_skipped_for_the_next(tmp_path, repo, host, keys):
    publish(repo, keys, "1.2.0", tmp_path)
    down = FeedHost(tmp_path)
    down.behaviour.status = 503
    try:
        update = check_for_update(
            tmp_path / "data",
            now=NOW,
            running="1.0.0",
            mirrors=[down.url, host.url],
            trusted_root=keys.root_bytes,
            platform_name=PLATFORM,
            deadlines=FAST,
        )
    finally:
        down.close()
    assert update is not None and update.mirror == host.url
    host.behaviour.status = 503
    with pytest.raises(UpdateError) as failed:
        check(tmp_path / "data", host, keys)
    assert failed.value.kind == "unreachable"
    assert "addresses tried: 1" in failed.value.message


def test_a_cancelled_check_keeps_nothing(tmp_path, repo, host, keys):
    publish(repo, keys, "1.2.0", tmp_path)
    with pytest.raises(UpdateError) as cancelled:
        check_for_update(
            tmp_path / "data",
            now=NOW,
            running="1.0.0",
            mirrors=[host.url],
            trusted_root=keys.root_bytes,
            platform_name=PLATFORM,
            cancelled=lambda: True,
            deadlines=FAST,
        )
    assert cancelled.value.kind == "cancelled"
    assert not (trust_folder(tmp_path / "data") / "timestamp.json").exists()


def test_a_cancel_takes_effect_while_the_host_sends_nothing(tmp_path, repo, host, keys):
    publish(repo, keys, "1.2.0", tmp_path)
    update = check(tmp_path / "data", host, keys)
    assert update is not None
    # One byte, then silence far longer than the longest silence allowed: the cancel, asked
    # once the first byte came, is what ends the download (not the host's silence).
    host.behaviour.dribble = 60.0
    asked = []
    with pytest.raises(UpdateError) as cancelled:
        download_installer(
            update,
            tmp_path / "down",
            deadlines=FAST,  # a silence of 5 s would end it as a failure, not a cancel
            progress=lambda done, total: asked.append(done),
            cancelled=lambda: bool(asked),
        )
    assert cancelled.value.kind == "cancelled"
    assert asked == [1]
    assert not (tmp_path / "down" / update.installer.name).exists()
