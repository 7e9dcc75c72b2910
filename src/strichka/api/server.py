"""Listening sockets for uvicorn, and the app under uvicorn in a background thread.

`strichka serve` binds its socket before it says where it serves, so a taken port is one clear
error and not a line announcing a server that never starts. Tests and the load benchmark
need a real server (real sockets, real HTTP parsing) that they start and stop themselves on a
free loopback port; binding the socket first avoids racing another process for it.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from strichka.errors import AddressUnavailable


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket listening on `host`:`port` (0: any free port), for uvicorn to serve on;
    AddressUnavailable naming both when the port is taken or the host is not this machine's."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen()
    except OSError as exc:
        sock.close()
        reason = exc.strerror or str(exc)
        raise AddressUnavailable(f"cannot listen on {host}:{port}: {reason}") from exc
    return sock


@contextmanager
def background_server(app: FastAPI, *, host: str = "127.0.0.1") -> Iterator[str]:
    """Yield the base URL (no trailing slash) while the server runs; stop it on exit."""
    sock = listening_socket(host, 0)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
