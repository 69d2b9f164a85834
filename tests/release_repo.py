"""A release repository for the tests: release keys of their own, published with the release
workflow's code (``release_publish``) into a folder served on 127.0.0.1 (``FeedHost``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from campaign_gui.core.feed.fetcher import Deadlines
from campaign_gui.core.updates.release_publish import (
    make_root,
    new_key_text,
    publish_release,
    signer_from_text,
)
from campaign_gui.core.updates.update_client import check_for_update, trust_folder

from .feed_host import FeedHost

NOW = datetime(2028, 10, 18, 10, 30, tzinfo=UTC)
PLATFORM = "linux-x86_64"
NOTES = {
    "ary": "شنو جديد: إصلاحات.",
    "fr": "Nouveautés : des corrections.",
    "en": "What's new: fixes.",
}
FAST = Deadlines(request=10, mirror=20, sync=30, silence=5)


class Keys:
    def __init__(self) -> None:
        self.root = signer_from_text(new_key_text())
        self.online = signer_from_text(new_key_text())
        self.root_bytes = make_root(self.root, self.online.public_key, NOW - timedelta(days=30))


def installer(folder: Path, version: str, content: bytes | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"campaign-gui-{version}-linux-x86_64.tar.xz"
    path.write_bytes(content if content is not None else (version.encode() * 50_000))
    return path


def publish(repo: Path, keys: Keys, version: str, tmp: Path, now: datetime = NOW, **kw):
    return publish_release(
        repo,
        version=version,
        day=now.date(),
        notes=NOTES,
        installers={PLATFORM: kw.pop("path", None) or installer(tmp / "dist" / version, version)},
        roots=kw.pop("roots", [keys.root_bytes]),
        online=kw.pop("online", keys.online),
        now=now,
    )


def check(data: Path, host: FeedHost, keys: Keys, running: str = "1.0.0", now: datetime = NOW):
    return check_for_update(
        data,
        now=now,
        running=running,
        mirrors=[host.url],
        trusted_root=keys.root_bytes,
        platform_name=PLATFORM,
        deadlines=FAST,
    )


def trusted_state(data: Path) -> dict[str, bytes]:
    folder = trust_folder(data)
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
