"""Hostile local files and a second copy of the app around an installer's download: a ``.part``
or final name that is a link to another file, and two downloads of the same installer at once
(a window and the command line)."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from campaign_gui.core.i18n import set_language
from campaign_gui.core.updates.installer_download import download_installer
from campaign_gui.core.updates.update_client import UpdateError, check_for_update

from .feed_host import FeedHost
from .release_repo import FAST, NOW, Keys, check, publish


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


def _part(folder: Path, update) -> Path:
    return folder / f"{update.installer.name}.{update.installer.sha256[:12]}.part"


@pytest.mark.parametrize("victim_size", [10, 10**7], ids=["shorter", "longer"])
def test_a_part_file_that_is_a_link_is_never_written_through(
    tmp_path, repo, host, keys, victim_size
):
    # Someone who can write in a shared download folder (``-o /tmp``) leaves a link where the
    # .part goes, to a file of the user's (root's: /etc/passwd): it is neither appended to nor
    # deleted, and the download is the signed file.
    publish(repo, keys, "1.2.0", tmp_path)
    update = check(tmp_path / "data", host, keys)
    assert update is not None
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"v" * victim_size)
    folder = tmp_path / "shared"
    folder.mkdir()
    _part(folder, update).symlink_to(victim)
    path = download_installer(update, folder, deadlines=FAST)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == update.installer.sha256
    assert victim.read_bytes() == b"v" * victim_size


def test_a_second_download_of_the_same_installer_at_once_is_told_and_changes_nothing(
    tmp_path, repo, host, keys
):
    # The window and the command line download the same installer: before, both appended to the
    # same .part, and the first to end moved it to the final name while the second still wrote
    # into it, so the file said "verified" held other bytes.
    publish(repo, keys, "1.2.0", tmp_path)
    update = check(tmp_path / "data", host, keys)
    assert update is not None
    folder = tmp_path / "down"
    host.behaviour.cut_after = 100_000  # a first download cut: both copies would resume it
    with pytest.raises(UpdateError):
        download_installer(update, folder, deadlines=FAST)
    host.behaviour.cut_after = None
    host.behaviour.ranges = True
    first_running, second_done = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def first() -> None:
        def progress(done: int, total: int) -> None:
            first_running.set()
            second_done.wait(30)

        results["first"] = download_installer(update, folder, deadlines=FAST, progress=progress)

    thread = threading.Thread(target=first)
    thread.start()
    assert first_running.wait(30)
    with pytest.raises(UpdateError) as busy:
        download_installer(update, folder, deadlines=FAST)
    second_done.set()
    thread.join(60)
    assert busy.value.kind == "busy"
    assert "already being downloaded" in busy.value.message
    final = folder / update.installer.name
    assert results["first"] == final
    assert hashlib.sha256(final.read_bytes()).hexdigest() == update.installer.sha256
    assert sorted(p.name for p in folder.iterdir()) == [final.name]


@pytest.mark.parametrize(
    "address", ["https://a.example/?", "https://a.example/#", "https://a.example/?x=1"]
)
def test_a_release_address_with_an_empty_query_or_fragment_is_refused(tmp_path, address):
    # "https://host/?" became "https://host/?/timestamp.json": every request a query to "/".
    with pytest.raises(UpdateError) as refused:
        check_for_update(tmp_path, now=NOW, mirrors=[address], platform_name="linux-x86_64")
    assert refused.value.kind == "address"
    assert "no user name, password, query or fragment" in refused.value.message
    assert not (tmp_path / "updates").exists()


def test_an_address_that_answers_not_found_says_the_address_may_be_wrong(tmp_path, host, keys):
    # A host that answers, with nothing there (a mistyped --release-url): before, "Check the
    # connection", which works.
    with pytest.raises(UpdateError) as failed:
        check(tmp_path / "data", host, keys)
    assert failed.value.kind == "not-found"
    assert failed.value.message == (
        f"There is no update information at {host.url}: the address may be wrong. Check it, "
        "then try again."
    )
    set_language("fr")
    with pytest.raises(UpdateError) as failed:
        check(tmp_path / "data", host, keys)
    assert failed.value.message.startswith(
        f"Il n’y a pas d’informations de mise à jour à {host.url}\u00a0:"
    )
    assert not (tmp_path / "data" / "updates").exists()


@pytest.mark.parametrize("script", [b"#!/bin/sh\nexit 3\n", None], ids=["fails", "missing"])
def test_a_failed_linux_install_leaves_no_unpacked_copy(tmp_path, script):
    # The unpacked tarball (the whole app, beside the download in the data folder) stayed after
    # install.sh failed, or when the tarball had none.
    import io
    import lzma
    import tarfile

    from campaign_gui.core.errors import UserError
    from campaign_gui.core.updates.handover import hand_over, handover_for

    stem = "campaign-gui-1.2.0-linux-x86_64"
    target = tmp_path / f"{stem}.tar.xz"
    with lzma.open(target, "wb") as stream, tarfile.open(fileobj=stream, mode="w") as tar:
        for name, data in [(f"{stem}/app.bin", b"app" * 1000), (f"{stem}/install.sh", script)]:
            if data is not None:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    with pytest.raises(UserError) as failed:
        hand_over(handover_for(target, "linux-x86_64"), env={"HOME": str(tmp_path / "home")})
    assert "could not be installed" in failed.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
