"""A feed host on 127.0.0.1 for the tests: serves a folder as a static host or CDN does (ETag,
If-None-Match, 304), and can be told to misbehave: fail, be slow, drop the connection, send too
much, redirect, or serve other bytes for one path."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from securesystemslib.signer import Signer
from tuf.api.metadata import Metadata, MetaFile, TargetFile

from campaign_gui.core.feed import layout
from campaign_gui.core.feed.publish import publish
from campaign_gui.core.feed.sync import fetch_update
from campaign_gui.core.i18n import set_language
from campaign_gui.core.store import Observation, TrustedFeed


@dataclass
class Behaviour:
    status: int | None = None  # answer every request with this status
    delay: float = 0.0
    drop: bool = False  # close the connection without an answer
    redirect_to: str | None = None
    replace: dict[str, bytes] = field(default_factory=dict)  # path -> bytes served instead
    endless: bool = False  # stream far more than any limit
    dribble: float = 0.0  # send each answer's body one byte every this many seconds
    etag: str | None = None  # this ETag on every answer instead of the body's hash
    gzip_static: bool = False  # serve "path.gz" when there is one and gzip is accepted
    encoding: str | None = None  # this Content-Encoding on every answer with a body
    ranges: bool = False  # answer "Range: bytes=N-" with 206 and the rest, as a CDN does
    cut_after: int | None = None  # send this many bytes of a body, then hang up (a lost line)


class FeedHost:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.behaviour = Behaviour()
        self.requests: list[tuple[str, int]] = []  # (path, status)
        self.encodings: list[str] = []  # what each request accepted (Accept-Encoding)
        self.headers: list[dict[str, str]] = []  # each request's headers, as sent
        host = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                host._answer(self)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:
                pass  # a client that hung up on a misbehaving answer is what the test wants

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, request: BaseHTTPRequestHandler) -> None:
        b = self.behaviour
        path = request.path.split("?")[0]
        self.encodings.append(request.headers.get("Accept-Encoding", ""))
        self.headers.append(dict(request.headers.items()))
        if b.delay:
            time.sleep(b.delay)
        if b.drop:
            self.requests.append((path, 0))
            request.connection.shutdown(2)
            return
        if b.redirect_to is not None:
            self._send(request, path, 302, b"", {"Location": b.redirect_to + path.lstrip("/")})
            return
        if b.status is not None:
            self._send(request, path, b.status, b"")
            return
        if b.endless:
            request.send_response(200)
            request.end_headers()
            self.requests.append((path, 200))
            try:
                for _ in range(100_000):
                    request.wfile.write(b"x" * 65536)
            except OSError:
                pass
            return
        # With gzip_static, ``encoding`` names the gzip copies' encoding only.
        headers = {"Content-Encoding": b.encoding} if b.encoding and not b.gzip_static else {}
        packed = (self.root / (path.lstrip("/") + ".gz")).resolve()
        accepts = "gzip" in request.headers.get("Accept-Encoding", "")
        if path in b.replace:
            body = b.replace[path]
        elif b.gzip_static and accepts and packed.is_relative_to(self.root.resolve()):
            if not packed.is_file():
                packed = packed.with_suffix("")  # no copy: the file as it is
            else:
                headers["Content-Encoding"] = b.encoding or "gzip"
            if not packed.is_file():
                self._send(request, path, 404, b"not found")
                return
            body = packed.read_bytes()
        else:
            file = (self.root / path.lstrip("/")).resolve()
            if not file.is_relative_to(self.root.resolve()) or not file.is_file():
                self._send(request, path, 404, b"not found")
                return
            body = file.read_bytes()
        etag = b.etag or '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        wanted = request.headers.get("Range", "")
        if b.ranges and wanted.startswith("bytes=") and wanted.endswith("-"):
            start = int(wanted[6:-1])
            total = len(body)
            self._send(
                request,
                path,
                206,
                body[start:],
                {"Content-Range": f"bytes {start}-{total - 1}/{total}"},
            )
            return
        if request.headers.get("If-None-Match") == etag:
            self._send(request, path, 304, b"", {"ETag": etag})
            return
        self._send(request, path, 200, body, {"ETag": etag, **headers})

    def _send(self, request, path: str, status: int, body: bytes, headers=None) -> None:
        self.requests.append((path, status))
        request.send_response(status)
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        if status != 304:
            request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        if status == 304:
            return
        if self.behaviour.cut_after is not None:
            request.wfile.write(body[: self.behaviour.cut_after])
            request.wfile.flush()
            request.connection.shutdown(2)
            return
        if not self.behaviour.dribble:
            request.wfile.write(body)
            return
        try:  # a host that never stops, and never finishes, sending
            for i in range(len(body)):
                request.wfile.write(body[i : i + 1])
                request.wfile.flush()
                time.sleep(self.behaviour.dribble)
        except OSError:
            pass


# -- publishing and fetching in tests ------------------------------------------------------------

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
ZONE = ZoneInfo("Africa/Casablanca")


def bundled_document() -> dict:
    raw = (resources.files("campaign_gui") / "resources" / "campaign-2016.json").read_bytes()
    return json.loads(raw)


def counts(day: datetime, n: int = 3) -> list[Observation]:
    return [
        Observation(target, day + timedelta(minutes=10 * i), 2_000_000 - i * 100, 2_100_000)
        for target in ("maroc-telecom", "meditel", "inwi")
        for i in range(n)
    ]


def do_publish(feed_dir, signers, observations, mirrors, now=NOW, document=None):
    set_language("en")
    return publish(
        feed_dir,
        campaign_document=document or bundled_document(),
        observations=observations,
        mirrors=mirrors,
        signers=signers,
        now=now,
    )


def sync(paths, campaign_file: Path, now: datetime = NOW):
    """One sync as ``campaign-gui sync`` runs it: open, plan, download, merge, close."""
    from campaign_gui.core import jobs
    from campaign_gui.core.clock import FixedClock
    from campaign_gui.core.workspace import Workspace

    workspace = Workspace.open(paths, campaign_file, clock=FixedClock(now))
    try:
        plan = jobs.plan_sync(workspace)
        update = jobs.fetch_feed(plan, now, ZONE)
        return jobs.merge_feed(workspace, update, now)
    finally:
        workspace.close()


def trusted_root(feed_dir: Path) -> bytes:
    participant = json.loads((feed_dir / layout.PARTICIPANT_FILE).read_text(encoding="utf-8"))
    return json.dumps(participant["feed"]["root"]).encode()


# What each test participant (named by a path) trusts: what its last accepted sync left, as the
# store keeps it (a refused sync leaves it as it was).
_TRUSTED: dict[Path, TrustedFeed] = {}


def trusted_of(participant: Path) -> TrustedFeed:
    return _TRUSTED.get(participant, TrustedFeed())


def fetch(feed_dir, participant, mirrors, merged=None, now=NOW, fetcher=None, root=None, **kw):
    """What a participant gets, trusting ``root`` (bytes) or the root of the folder's
    ``campaign.json`` now; an accepted update's metadata is then what it trusts."""
    update = fetch_update(
        tuple(mirrors),
        root or trusted_root(feed_dir),
        trusted_of(participant),
        campaign_id="ma-voip-2016",
        merged=merged or {},
        now=now,
        zone=ZONE,
        fetcher=fetcher,
        **kw,
    )
    _TRUSTED[participant] = update.trusted
    return update


def merged_of(update) -> dict[str, str]:
    return {name: sha for name, (sha, _rows) in update.chunks.items()}


DAY1 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)
DAY2 = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


def resign(
    feed_dir: Path,
    by: dict[str, Signer],
    now: datetime = NOW,
    document: dict | None = None,
) -> None:
    """Sign targets, snapshot and timestamp again, each with ``by[role]``, one version up, as
    someone holding those keys could and ``publish`` would not: with ``document`` as the
    campaign target if given (without any check). Tests what a participant refuses."""
    meta = feed_dir / layout.METADATA
    expires = now + timedelta(days=1)

    def sign(md: Metadata, role: str) -> bytes:
        md.signed.version += 1
        md.signed.expires = expires
        md.signatures.clear()
        md.sign(by[role])
        return md.to_bytes()

    targets = Metadata.from_bytes((meta / "targets.json").read_bytes())
    if document is not None:
        data = json.dumps(document).encode()
        info = TargetFile.from_data(layout.CAMPAIGN_TARGET, data, ["sha256"])
        info.unrecognized_fields["custom"] = {"feed-format": layout.FEED_FORMAT}
        (feed_dir / layout.TARGETS / f"{info.hashes['sha256']}.campaign.json").write_bytes(data)
        targets.signed.targets[layout.CAMPAIGN_TARGET] = info
    data = sign(targets, "targets")
    for name in (f"{targets.signed.version}.targets.json", "targets.json"):
        (meta / name).write_bytes(data)
    snapshot = Metadata.from_bytes((meta / "snapshot.json").read_bytes())
    snapshot.signed.meta["targets.json"] = _meta_file(targets.signed.version, data)
    data = sign(snapshot, "snapshot")
    for name in (f"{snapshot.signed.version}.snapshot.json", "snapshot.json"):
        (meta / name).write_bytes(data)
    timestamp = Metadata.from_bytes((meta / "timestamp.json").read_bytes())
    timestamp.signed.snapshot_meta = _meta_file(snapshot.signed.version, data)
    (meta / "timestamp.json").write_bytes(sign(timestamp, "timestamp"))


def resign_counts(feed_dir: Path, by: dict[str, Signer], observations, now: datetime = NOW) -> None:
    """The counts files of ``observations`` (in the windows ``publish`` at ``now`` would put
    them) signed into the feed without any check (``resign``)."""
    from collections import defaultdict

    from campaign_gui.core.feed import windows
    from campaign_gui.core.feed.chunks import encode_chunk
    from campaign_gui.core.store import to_epoch

    meta = feed_dir / layout.METADATA
    snapshot = Metadata.from_bytes((meta / "snapshot.json").read_bytes())
    by_window = defaultdict(list)
    for obs in observations:
        at = to_epoch(obs.observed_at)
        by_window[_published_window(at, now)].append((obs.target, at, obs.likes, obs.followers))
    roles = {}
    for window, rows in by_window.items():
        role = roles.get(window.role) or Metadata.from_bytes(
            (meta / f"{window.role}.json").read_bytes()
        )
        roles[window.role] = role
        data = encode_chunk("ma-voip-2016", window, rows)
        info = TargetFile.from_data(window.name, data, ["sha256"])
        if window.level != windows.QUARTER:
            info.unrecognized_fields["custom"] = {"parts": info.hashes["sha256"]}
        base = window.name.removeprefix("counts/")
        path = feed_dir / layout.TARGETS / "counts" / f"{info.hashes['sha256']}.{base}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        role.signed.targets[window.name] = info
    for name, role in roles.items():
        role.signed.version += 1
        role.signed.expires = now + timedelta(days=1)
        role.signatures.clear()
        role.sign(by["targets"])
        data = role.to_bytes()
        for file in (f"{role.signed.version}.{name}.json", f"{name}.json"):
            (meta / file).write_bytes(data)
        snapshot.signed.meta[f"{name}.json"] = MetaFile(role.signed.version)
    (meta / "snapshot.json").write_bytes(snapshot.to_bytes())
    resign(feed_dir, by, now)


def _meta_file(version: int, data: bytes) -> MetaFile:
    return MetaFile(version, len(data), {"sha256": hashlib.sha256(data).hexdigest()})


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def table_rows(store) -> dict[str, list]:
    db = store._db
    return {
        t: sorted(db.execute(f"SELECT * FROM {t}").fetchall())
        for t in ("observations", "reports", "campaigns", "feed_chunks")
    }


def _published_window(seconds: int, now: datetime):
    """The window a publish at ``now`` puts a count read at ``seconds`` in: the largest closed
    one (month, day, hour), or its quarter."""
    from campaign_gui.core.feed import windows

    cut = windows.closed_by(now)
    for level in (windows.MONTH, windows.DAY, windows.HOUR):
        if windows.window_of(level, seconds).end <= cut:
            return windows.window_of(level, seconds)
    return windows.window_of(windows.QUARTER, seconds)
