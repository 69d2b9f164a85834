"""The app's own updates, from the user's side: ``campaign-gui update`` in its own process, the
hand-over of a downloaded installer (on Linux, the tarball's install.sh really installs in a temp
HOME), what the app remembers between checks, and the release workflow's command."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from campaign_gui.core.i18n import set_language
from campaign_gui.core.updates.installer_download import download_installer
from campaign_gui.core.updates.release_index import Version
from campaign_gui.core.updates.release_publish import make_root, new_key_text, signer_from_text
from campaign_gui.core.updates.update_client import check_for_update, download_folder

from .conftest import run_app
from .feed_host import FeedHost
from .release_repo import (
    FAST,
    NOTES,
    NOW,
    PLATFORM,
    Keys,
    check,
    installer,
    publish,
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


# -- the command line, as the app runs it ---------------------------------------------------------


def test_update_check_and_download_on_the_command_line(tmp_path, repo, host, keys):
    now = datetime.now(UTC)  # the app in its own process reads the computer's clock
    keys.root_bytes = make_root(keys.root, keys.online.public_key, now)
    publish(repo, keys, "99.0.0", tmp_path, now=now)
    root_file = tmp_path / "root.json"
    root_file.write_bytes(keys.root_bytes)
    base = tmp_path / "user"
    base.mkdir()
    where = ["--release-url", host.url, "--release-root", str(root_file)]
    result = run_app(base, "--lang", "fr", "update", "check", *where)
    assert result.returncode == 10, result.stderr
    assert "La version 99.0.0 du Compagnon de campagne est disponible" in result.stdout
    assert NOTES["fr"] in result.stdout
    result = run_app(base, "update", "download", "-o", str(tmp_path / "got"), *where)
    assert result.returncode == 0, result.stderr
    assert "100%" in result.stderr
    state = json.loads((base / "data" / "updates" / "state.json").read_text(encoding="utf-8"))
    assert abs(state["last_check"] - now.timestamp()) < 3600
    got = tmp_path / "got" / "campaign-gui-99.0.0-linux-x86_64.tar.xz"
    assert got.read_bytes() == (tmp_path / "dist" / "99.0.0" / got.name).read_bytes()

    host.behaviour.replace[f"/{hashlib.sha256(got.read_bytes()).hexdigest()}.{got.name}"] = b"x"
    got.unlink()
    result = run_app(
        base, "--lang", "ary", "update", "download", "-o", str(tmp_path / "got"), *where
    )
    assert result.returncode == 1
    assert "الملف ديال التركيب اللي تحمّل ترفض" in result.stderr
    assert not got.exists()
    assert not list((tmp_path / "got").glob("*.part"))


def test_update_check_without_an_address_says_so(tmp_path):
    result = run_app(tmp_path, "update", "check")
    assert result.returncode == 1
    assert "no address to check for updates" in result.stderr


# -- the handover ---------------------------------------------------------------------------------


def test_each_platform_hands_over_as_it_should(tmp_path):
    from campaign_gui.core.updates.handover import handover_for

    setup = tmp_path / "campaign-gui-1.2.0-setup.exe"
    assert handover_for(setup, "windows-x86_64").argv == (str(setup),)
    dmg = tmp_path / "campaign-gui-1.2.0-macos-arm64.dmg"
    assert handover_for(dmg, "macos-arm64").argv == ("open", str(dmg))
    tarball = tmp_path / "campaign-gui-1.2.0-linux-x86_64.tar.xz"
    linux = handover_for(tarball, "linux-x86_64")
    folder = tmp_path / "campaign-gui-1.2.0-linux-x86_64"
    assert linux.unpack_into == folder
    assert linux.argv == ("sh", str(folder / "campaign-gui-1.2.0-linux-x86_64" / "install.sh"))
    assert not folder.exists()  # deciding does nothing


def _linux_tarball(folder: Path, version: str) -> Path:
    """A tarball laid out as packaging/build.py makes it, with a stand-in program."""
    import io
    import lzma
    import tarfile

    root = Path(__file__).resolve().parents[1]
    name = f"campaign-gui-{version}-linux-x86_64"
    program = f"#!/bin/sh\necho {version}\n".encode()
    files = {
        "campaign-gui/campaign-gui": (program, 0o755),
        "install.sh": ((root / "packaging/linux/install.sh").read_bytes(), 0o755),
        "uninstall.sh": ((root / "packaging/linux/uninstall.sh").read_bytes(), 0o755),
        "share/applications/campaign-gui.desktop": (
            (root / "resources/linux/campaign-gui.desktop").read_bytes(),
            0o644,
        ),
        "share/metainfo/org.campaigncompanion.campaign_gui.metainfo.xml": (b"<component/>", 0o644),
        "share/icons/hicolor/48x48/apps/campaign-gui.png": (b"\x89PNG", 0o644),
    }
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.tar.xz"
    with lzma.open(target, "wb") as stream, tarfile.open(fileobj=stream, mode="w") as tar:
        for path, (data, mode) in files.items():
            info = tarfile.TarInfo(f"{name}/{path}")
            info.size, info.mode = len(data), mode
            tar.addfile(info, io.BytesIO(data))
    return target


@pytest.mark.skipif(not shutil.which("sh"), reason="POSIX shell")
def test_linux_handover_installs_the_downloaded_version_in_home(tmp_path, repo, host, keys):
    import os
    import subprocess

    from campaign_gui.core.updates.handover import hand_over, handover_for

    tarball = _linux_tarball(tmp_path / "dist", "1.2.0")
    publish(repo, keys, "1.2.0", tmp_path, path=tarball)
    update = check(tmp_path / "data", host, keys)
    assert update is not None
    path = download_installer(update, download_folder(tmp_path / "data"), deadlines=FAST)
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    hand_over(handover_for(path, PLATFORM), env=env)
    installed = home / ".local" / "lib" / "campaign-gui" / "campaign-gui"
    assert subprocess.run([installed], capture_output=True, text=True).stdout == "1.2.0\n"
    assert (home / ".local" / "bin" / "campaign-gui").resolve() == installed
    assert (home / ".local/share/applications/campaign-gui.desktop").is_file()
    assert list(path.parent.iterdir()) == [path]  # the unpacked copy went once installed


def test_a_tarball_reaching_outside_its_folder_installs_nothing(tmp_path):
    import io
    import lzma
    import tarfile

    from campaign_gui.core.errors import UserError
    from campaign_gui.core.updates.handover import hand_over, handover_for

    target = tmp_path / "campaign-gui-1.2.0-linux-x86_64.tar.xz"
    with lzma.open(target, "wb") as stream, tarfile.open(fileobj=stream, mode="w") as tar:
        info = tarfile.TarInfo("../escaped.sh")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    with pytest.raises(UserError):
        hand_over(handover_for(target, PLATFORM), env={"HOME": str(tmp_path / "home")})
    assert not (tmp_path.parent / "escaped.sh").exists()
    assert not (tmp_path / "campaign-gui-1.2.0-linux-x86_64").exists()


# -- what the app remembers ----------------------------------------------------------------------


def test_the_app_checks_once_a_day_and_announces_each_version_once(tmp_path):
    from campaign_gui.core.updates.update_state import (
        load_update_state,
        save_update_state,
        state_path,
    )

    state = load_update_state(tmp_path)
    assert state.check_due(NOW)
    state = state.checked(NOW, Version.parse("1.2.0")).announce(Version.parse("1.2.0"))
    save_update_state(tmp_path, state)
    state = load_update_state(tmp_path)
    assert state.found == "1.2.0"
    assert state.checked(NOW, None).found is None
    assert not state.check_due(NOW + timedelta(hours=23))
    assert state.check_due(NOW + timedelta(hours=24))
    assert state.check_due(NOW - timedelta(hours=1))  # a clock set back
    assert not state.should_announce(Version.parse("1.2.0"))
    assert state.should_announce(Version.parse("1.2.1"))
    state_path(tmp_path).write_text('{"last_check": 99999999999999, "announced": ["x", "1.3.0"]}')
    state = load_update_state(tmp_path)
    assert state.last_check is None
    assert state.announced == ("1.3.0",)
    state_path(tmp_path).write_bytes(b"\xff")
    assert load_update_state(tmp_path).check_due(NOW)


def test_the_found_update_is_verified_again_from_what_is_kept_without_the_network(
    tmp_path, repo, host, keys
):
    from campaign_gui.core.updates.update_client import INDEX_FILE, kept_update, trust_folder

    publish(repo, keys, "1.2.0", tmp_path)
    data = tmp_path / "data"
    assert check(data, host, keys) is not None
    host.close()  # no network from here on

    def kept(**kw):
        kw.setdefault("now", NOW + timedelta(hours=20))
        kw.setdefault("trusted_root", keys.root_bytes)
        return kept_update(data, running="1.0.0", mirror=host.url, platform_name=PLATFORM, **kw)

    update = kept()
    assert update is not None
    assert str(update.release.version) == "1.2.0"
    assert update.release.notes_in("fr") == NOTES["fr"]
    assert kept(now=NOW + timedelta(days=61)) is None  # the kept timestamp has expired
    assert kept(trusted_root=Keys().root_bytes) is None  # another root's
    index = trust_folder(data) / INDEX_FILE
    index.write_bytes(index.read_bytes().replace(b"1.2.0", b"1.9.0"))
    assert kept() is None  # not the index the release keys signed


# -- the release workflow's command ---------------------------------------------------------------


def test_the_workflows_command_signs_a_root_then_publishes_what_the_app_finds(tmp_path, repo, host):
    import base64
    import subprocess
    import sys

    root_key, online_key = new_key_text(), new_key_text()
    online_public = signer_from_text(online_key).public_key.keyval["public"]
    command = [sys.executable, "-m", "campaign_gui.core.updates.release_publish"]
    root_file = tmp_path / "1.root.json"
    made = subprocess.run(
        [
            *command,
            "root",
            "--out",
            str(root_file),
            "--online-public-key",
            base64.b64encode(bytes.fromhex(online_public)).decode(),
        ],
        env={"RELEASE_ROOT_KEY": root_key, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    dist = tmp_path / "release"
    installer(dist, "2.0.0")
    (dist / "SHA256SUMS.txt").write_text("not an installer\n")
    notes = tmp_path / "notes.json"
    notes.write_text(json.dumps(NOTES), encoding="utf-8")
    arguments = ["--version", "2.0.0", "--notes", str(notes), "--installers", str(dist)]
    where = ["--out", str(repo), "--root", str(root_file)]
    published = subprocess.run(
        [*command, "publish", *where, *arguments],
        env={"RELEASE_ONLINE_KEY": online_key, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert published.returncode == 0, published.stderr
    assert "published 2.0.0" in published.stdout
    now = datetime.now(UTC)  # the command signed with the computer's clock
    update = check_for_update(
        tmp_path / "data",
        now=now,
        running="1.0.0",
        mirrors=[host.url],
        trusted_root=root_file.read_bytes(),
        platform_name=PLATFORM,
        deadlines=FAST,
    )
    assert update is not None and str(update.release.version) == "2.0.0"
    # Without the online key, nothing is published.
    again = subprocess.run(
        [*command, "publish", *where, *arguments],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert again.returncode == 1
    assert "RELEASE_ONLINE_KEY is not set" in again.stderr


def test_the_shipped_root_is_a_release_root_and_its_notes_read_in_every_language():
    from tuf.api.metadata import Metadata, Root

    from campaign_gui.core.updates.update_client import carried_root

    root = Metadata[Root].from_bytes(carried_root())
    assert root.signed.consistent_snapshot
    root.signed.verify_delegate("root", root.signed_bytes, root.signatures)
    notes = Path(__file__).resolve().parents[1] / "packaging" / "release-notes"
    for path in notes.glob("*.json"):
        assert set(json.loads(path.read_text(encoding="utf-8"))) == {"ary", "fr", "en"}
