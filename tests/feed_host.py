"""A feed host on 127.0.0.1 for the tests: serves a folder as a static host or CDN does (ETag,
If-None-Match, 304), and can be told to misbehave: fail, be slow, drop the connection, send too
much, redirect, or serve other bytes for one path."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Behaviour:
    status: int | None = None  # answer every request with this status
    delay: float = 0.0
    drop: bool = False  # close the connection without an answer
    redirect_to: str | None = None
    replace: dict[str, bytes] = field(default_factory=dict)  # path -> bytes served instead
    endless: bool = False  # stream far more than any limit


class FeedHost:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.behaviour = Behaviour()
        self.requests: list[tuple[str, int]] = []  # (path, status)
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
        if path in b.replace:
            body = b.replace[path]
        else:
            file = (self.root / path.lstrip("/")).resolve()
            if not file.is_relative_to(self.root.resolve()) or not file.is_file():
                self._send(request, path, 404, b"not found")
                return
            body = file.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            self._send(request, path, 304, b"", {"ETag": etag})
            return
        self._send(request, path, 200, body, {"ETag": etag})

    def _send(self, request, path: str, status: int, body: bytes, headers=None) -> None:
        self.requests.append((path, status))
        request.send_response(status)
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        if status != 304:
            request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        if status != 304:
            request.wfile.write(body)
