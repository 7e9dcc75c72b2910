"""A real HTTP server on 127.0.0.1 that serves fixture routes and misbehaves on purpose."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from strichka.ingest.http import FetchPolicy


@dataclass
class Reply:
    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    stall: float = 0.0  # seconds to wait before sending anything


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]


Route = Reply | Callable[[Request], Reply]


class Server:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[Request] = []
        self.sent: Counter[str] = Counter()  # body bytes actually written, per path
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"http://{self.host}{path}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else each small write waits for a delayed ACK

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                request = Request(self.path, {k.lower(): v for k, v in self.headers.items()})
                with server._lock:
                    server.hits[self.path] += 1
                    server.requests.append(request)
                route = server.routes.get(self.path)
                if route is None:
                    reply = Reply(404, b"not found")
                else:
                    reply = route(request) if callable(route) else route
                try:
                    self._send(reply)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def _send(self, reply: Reply) -> None:
                if reply.stall:
                    time.sleep(reply.stall)
                self.send_response(reply.status)
                headers = dict(reply.headers)
                streamed = not isinstance(reply.body, bytes)
                if not streamed:
                    headers.setdefault("Content-Length", str(len(reply.body)))  # type: ignore[arg-type]
                elif "Content-Length" not in headers:
                    headers["Transfer-Encoding"] = "chunked"
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                chunks = [reply.body] if isinstance(reply.body, bytes) else reply.body
                chunked = headers.get("Transfer-Encoding") == "chunked"
                for chunk in chunks:
                    if chunked:
                        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    else:
                        self.wfile.write(chunk)
                    with server._lock:
                        server.sent[self.path] += len(chunk)
                if chunked:
                    self.wfile.write(b"0\r\n\r\n")

        return Handler


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    running.start()
    yield running
    running.stop()


@pytest.fixture
def policy() -> FetchPolicy:
    """Fast limits, so misbehaving servers cost the suite little time."""
    return FetchPolicy(
        user_agent="strichka/test (+https://example.org/contact)",
        connect_timeout=1.0,
        read_timeout=0.5,
        total_timeout=3.0,
        max_bytes=2 * 1024 * 1024,
        retries=3,
        retry_base=0.01,
        max_retry_after=5.0,
        per_host_delay=0.0,
    )


def start_run(
    db: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    stderr: int = subprocess.PIPE,
) -> subprocess.Popen[bytes]:
    """A real `strichka run` in its own process, polling without a per-host delay and
    without a user's config file; `env` adds to its environment."""
    return subprocess.Popen(
        [sys.executable, "-m", "strichka", "run", "--db", str(db), *args],
        env={
            **os.environ,
            "STRICHKA_PER_HOST_DELAY_MS": "0",
            "STRICHKA_POLL_MIN_INTERVAL_S": "3600",
            "STRICHKA_CONFIG": str(db.parent / "none.toml"),
            **(env or {}),
        },
        stdout=subprocess.PIPE,
        stderr=stderr,
    )
