"""A static host on 127.0.0.1 for the feed benchmark, as plain as a web server's defaults: files
with an ETag and ``If-None-Match`` (304), and, if asked, the ``.gz`` copy beside a file for a
client that accepts gzip (nginx ``gzip_static``). It counts requests and every byte it sends,
headers included."""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class StaticHost:
    def __init__(self, root: Path, *, gzip_static: bool = False) -> None:
        self.root = root.resolve()
        self.gzip_static = gzip_static
        self.requests: list[tuple[str, int, int]] = []  # (path, status, bytes sent)
        self._lock = threading.Lock()
        host = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                host._answer(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def take(self) -> list[tuple[str, int, int]]:
        with self._lock:
            taken, self.requests = self.requests, []
        return taken

    def _answer(self, request: BaseHTTPRequestHandler) -> None:
        path = request.path.split("?")[0]
        file = (self.root / path.lstrip("/")).resolve()
        headers: dict[str, str] = {}
        if not file.is_relative_to(self.root) or not file.is_file():
            status, body = 404, b"not found"
        else:
            packed = file.with_name(file.name + ".gz")
            accepts = "gzip" in request.headers.get("Accept-Encoding", "")
            if self.gzip_static and accepts and packed.is_file():
                body = packed.read_bytes()
                headers["Content-Encoding"] = "gzip"
            else:
                body = file.read_bytes()
            etag = '"' + hashlib.sha256(file.read_bytes()).hexdigest()[:16] + '"'
            headers["ETag"] = etag
            status = 304 if request.headers.get("If-None-Match") == etag else 200
            if status == 304:
                body = b""
        lines = [f"HTTP/1.1 {status} {'OK' if status == 200 else 'X'}"]
        lines += ["Server: static", "Date: Thu, 03 Dec 2026 12:00:00 GMT"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if status != 304:
            lines.append(f"Content-Length: {len(body)}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        request.wfile.write(head + body)
        request.wfile.flush()
        with self._lock:
            self.requests.append((path, status, len(head) + len(body)))
