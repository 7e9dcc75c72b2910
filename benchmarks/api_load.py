"""Page throughput: requests/s for the story page (the article page while no stories exist)
under 20 concurrent loopback clients for 10 s, against `strichka serve` in its own process.

The database holds the press texts of ../shared/data/bruk-press, imported by the pipeline;
the clients cycle through every page, which were each viewed once before timing (entity
recognition runs on a page's first view and is cached).

    python -m benchmarks.api_load [SECONDS] [CLIENTS]
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.common import SHARED_DATA, report, require
from strichka.config import Settings
from strichka.ingest.files import Document
from strichka.pipeline import Stages, import_documents, reader_options
from strichka.store import MediaStore, SQLiteStore


def _database(root: Path) -> tuple[Path, list[str], str]:
    """Import the press texts; returns the db, the page paths to load and what they are."""
    settings = Settings(db_path=str(root / "load.db"), data_dir=str(root / "data"))
    lines = []
    for n, line in enumerate((SHARED_DATA / "bruk-press" / "bruk-press.jsonl").open()):
        item = json.loads(line)
        title = item.get("title") or item["text"][:80]
        lines.append(
            json.dumps(
                {"id": f"p{n:04d}", "title": title, "text": item["text"], "outlet": item["outlet"]},
                ensure_ascii=False,
            )
        )
    document = Document("bruk-press", "\n".join(lines).encode("utf-8"))
    with SQLiteStore(settings.db_path) as store:
        import_documents(
            [document],
            store=store,
            media=MediaStore(settings.media_path),
            options=reader_options(settings),
            stages=Stages.load(store, settings),
        )
        stories = store.list_stories(since=None, limit=200)
        if stories:
            return Path(settings.db_path), [f"/stories/{s.id}" for s in stories], "story"
        articles = store.list_articles(limit=200)
    return Path(settings.db_path), [f"/articles/{a.id}" for a in articles], "article"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _load(base: str, paths: list[str], *, seconds: float, clients: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        for path in paths:  # first views: entity recognition is cached after them
            (await client.get(path)).raise_for_status()
        deadline = time.perf_counter() + seconds

        async def worker(offset: int) -> None:
            nonlocal errors
            n = offset
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await client.get(paths[n % len(paths)])
                latencies.append(time.perf_counter() - started)
                errors += response.status_code != 200
                n += clients

        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(clients)))
        elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": round(cuts[49] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1),
    }


def main() -> None:
    require(SHARED_DATA / "bruk-press" / "bruk-press.jsonl")
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    with tempfile.TemporaryDirectory() as tmp:
        db, paths, kind = _database(Path(tmp))
        port = _free_port()
        env = {**os.environ, "STRICHKA_CONFIG": str(Path(tmp) / "none.toml")}
        server = subprocess.Popen(
            [sys.executable, "-m", "strichka", "serve", "--db", str(db), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(base + "/api/openapi.json", timeout=1).raise_for_status()
                    break
                except httpx.HTTPError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("strichka serve did not start") from None
                    time.sleep(0.2)
            figures = asyncio.run(_load(base, paths, seconds=seconds, clients=clients))
        finally:
            server.terminate()
            server.wait(timeout=10)
    report(benchmark="api_load", page=kind, clients=clients, seconds=seconds, **figures)


if __name__ == "__main__":
    main()
