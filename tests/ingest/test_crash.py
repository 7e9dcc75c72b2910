"""`strichka run` killed with -9 at random moments, then restarted: every item stored once.

The pages are plain text, which the readers take in microseconds, so that the run time goes
to fetching, queueing and storing, where a crash can hurt (HTML extraction has its tests).
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from strichka.config import Settings
from strichka.ingest.sources import make_source
from strichka.pipeline import add_sources
from strichka.records import url_id
from strichka.store import SQLiteStore

from .conftest import Reply, Request, Server, start_run

EIGHT_FETCHES_AT_ONCE = {"STRICHKA_FETCH_CONCURRENCY": "8"}

PARAGRAPH = "Львів. Міська рада ухвалила програму ремонту шкіл і лікарень на наступний рік."


def serve_items(server: Server, count: int) -> list[str]:
    urls = [server.url(f"/n/{n}") for n in range(count)]
    items = "".join(
        f"<item><title>Новина {n}</title><link>{u}</link></item>" for n, u in enumerate(urls)
    )
    server.routes["/feed"] = Reply(
        200, f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()
    )

    def article(request: Request) -> Reply:
        n = request.path.rsplit("/", 1)[1]
        text = f"Новина {n}\n{PARAGRAPH} ({n})\nДругий абзац новини.\n"
        return Reply(200, text.encode(), headers={"Content-Type": "text/plain; charset=utf-8"})

    for n in range(count):
        server.routes[f"/n/{n}"] = article
    return urls


def prepare(tmp_path: Path, server: Server, count: int) -> tuple[Path, list[str]]:
    db = tmp_path / "crash.db"
    urls = serve_items(server, count)
    settings = Settings(db_path=str(db))
    with SQLiteStore(db) as store:
        add_sources(
            store,
            [make_source("Crash", [server.url("/feed")], allow_local=True)],
            settings=settings,
        )
    return db, urls


def stored(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])


@pytest.mark.slow
def test_kill_9_at_random_points_loses_nothing_and_stores_nothing_twice(
    tmp_path: Path, server: Server
) -> None:
    db, urls = prepare(tmp_path, server, 2_000)
    rng = random.Random(5)
    seen_counts = []
    for attempt in range(4):
        process = start_run(db, env=EIGHT_FETCHES_AT_ONCE, stderr=subprocess.DEVNULL)
        if attempt == 0:
            # Start-up time varies with the machine's load: the first kill waits for work
            # to be under way, so that at least one lands mid-run; the others are blind.
            deadline = time.monotonic() + 30
            while stored(db) == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(rng.uniform(0.0, 0.5))
        else:
            time.sleep(rng.uniform(0.9, 2.0))
        process.kill()
        process.wait()
        seen_counts.append(stored(db))
    final = start_run(db, "--once", env=EIGHT_FETCHES_AT_ONCE, stderr=subprocess.DEVNULL)
    out, _ = final.communicate(timeout=120)
    assert final.returncode == 0, out

    # Kills landed mid-run, not only before or after all the work.
    assert any(0 < n < len(urls) for n in seen_counts), seen_counts
    with sqlite3.connect(db) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM articles")]
        states = dict(conn.execute("SELECT state, COUNT(*) FROM fetch_queue GROUP BY state"))
        titles = conn.execute("SELECT COUNT(DISTINCT title) FROM articles").fetchone()[0]
    assert sorted(ids) == sorted(url_id(u) for u in urls)
    assert titles == len(urls)
    assert states == {"done": len(urls)}


@pytest.mark.slow
def test_sigterm_finishes_in_flight_work_and_exits_cleanly(tmp_path: Path, server: Server) -> None:
    db, urls = prepare(tmp_path, server, 400)
    process = start_run(db, env=EIGHT_FETCHES_AT_ONCE, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while stored(db) < 20 and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=20)
    assert process.returncode == 0
    assert b"stored" in out
    with sqlite3.connect(db) as conn:
        fetching = conn.execute(
            "SELECT COUNT(*) FROM fetch_queue WHERE state = 'fetching'"
        ).fetchone()[0]
        done = conn.execute("SELECT COUNT(*) FROM fetch_queue WHERE state = 'done'").fetchone()[0]
        leases = conn.execute("SELECT COUNT(*) FROM leases").fetchone()[0]
    assert fetching == 0
    assert leases == 0  # the next run starts without waiting for this one's lease to expire
    assert done == stored(db) and 0 < done < len(urls)
