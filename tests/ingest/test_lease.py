"""One poller per database: a lease names the running poller; a second one is refused.

A real `strichka run` in a subprocess holds the lease while a second one starts; in-process
runs meet leases left by a live holder elsewhere and by a dead one.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from strichka.config import Settings
from strichka.errors import PollerBusy
from strichka.ingest.http import FetchPolicy, HttpClient
from strichka.ingest.poller import Poller, PollOptions, PollReport, holder_gone, this_host
from strichka.ingest.sources import make_source
from strichka.pipeline import add_sources, run_ingest
from strichka.records import url_id
from strichka.store import MediaStore, SQLiteStore
from strichka.store.base import Lease, QueuedItem

from .conftest import Reply, Server, start_run

TEXT = (
    "Одеса. У порту відновили роботу після нічної атаки, зерновий коридор працює у штатному режимі."
)


def serve_slow_news(server: Server, count: int, *, stall: float) -> list[str]:
    """A feed of `count` plain-text items whose pages take `stall` seconds to answer."""
    urls = [server.url(f"/n/{n}") for n in range(count)]
    items = "".join(
        f"<item><title>Новина {n}</title><link>{u}</link></item>" for n, u in enumerate(urls)
    )
    server.routes["/feed"] = Reply(
        200, f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()
    )
    for n in range(count):
        server.routes[f"/n/{n}"] = Reply(
            200,
            f"Новина {n}\n{TEXT} ({n})\nДругий абзац.\n".encode(),
            headers={"Content-Type": "text/plain; charset=utf-8"},
            stall=stall,
        )
    return urls


def add_feed(db: Path, server: Server) -> None:
    with SQLiteStore(db) as store:
        add_sources(
            store,
            [make_source("Лізинг", [server.url("/feed")], allow_local=True)],
            settings=Settings(db_path=str(db)),
        )


def states(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT state, COUNT(*) FROM fetch_queue GROUP BY state"))


def lease_row(db: Path) -> tuple[str, int] | None:
    with sqlite3.connect(db) as conn:
        try:
            row = conn.execute("SELECT host, pid FROM leases").fetchone()
        except sqlite3.OperationalError:  # not migrated yet
            return None
    return None if row is None else (str(row[0]), int(row[1]))


def exited_pid() -> int:
    """The pid of a process that has just exited (nothing on this host answers to it)."""
    exited = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(exited.stdout)


def poll_once(db: Path, policy: FetchPolicy) -> PollReport:
    settings = Settings(db_path=str(db))
    with SQLiteStore(db) as store:
        return run_ingest(
            store=store,
            media=MediaStore(settings.media_path),
            settings=settings,
            once=True,
            policy=policy,
            poll=PollOptions(min_interval=0, max_interval=0, item_concurrency=4),
            handle_signals=False,
        )


@pytest.mark.slow
def test_a_second_run_is_refused_while_the_first_holds_the_lease(
    tmp_path: Path, server: Server
) -> None:
    db = tmp_path / "news.db"
    urls = serve_slow_news(server, 6, stall=2.0)
    add_feed(db, server)
    first = start_run(db)
    try:
        deadline = time.monotonic() + 30
        while not (lease_row(db) and states(db).get("fetching")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert lease_row(db) == (this_host(), first.pid)
        fetching = states(db).get("fetching", 0)
        assert fetching > 0

        second = start_run(db, "--once")
        out, err = second.communicate(timeout=60)
        message = err.decode()
        assert second.returncode == 1, message
        assert "[E203]" in message and f"pid {first.pid}" in message and "since" in message
        assert b"stored" not in out
        assert first.poll() is None  # the first run goes on
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=30)
    assert first.returncode == 0
    assert lease_row(db) is None  # a clean stop gives the lease back
    assert states(db).get("fetching", 0) == 0

    # Now a run may start; it finishes what the first left.
    finished = start_run(db, "--once")
    out, err = finished.communicate(timeout=60)
    assert finished.returncode == 0, err.decode()
    assert states(db) == {"done": len(urls)}
    # No page was fetched twice: the refused run took none of the first run's items.
    assert {server.hits[f"/n/{n}"] for n in range(len(urls))} == {1}


def test_a_live_lease_refuses_the_poller_and_leaves_its_claimed_items_alone(
    tmp_path: Path, server: Server, policy: FetchPolicy
) -> None:
    db = tmp_path / "news.db"
    serve_slow_news(server, 1, stall=0)
    add_feed(db, server)
    now = time.time()
    with SQLiteStore(db) as store:
        holder = Lease("poller-2.example", 4242, "other", acquired_at=now, expires_at=now + 60)
        store.acquire_lease(holder, now=now, holder_gone=holder_gone)
        (source,) = store.list_sources()
        store.enqueue([QueuedItem("k", source.id, server.url("/n/0"), {"url": "x"})], now=now)
        assert len(store.claim(limit=5, now=now)) == 1  # the other poller is fetching it

    with pytest.raises(PollerBusy) as refused:
        poll_once(db, policy)
    assert "pid 4242 on host poller-2.example" in str(refused.value)
    assert refused.value.code == "E203"
    assert states(db) == {"fetching": 1}
    assert server.hits["/feed"] == 0
    assert lease_row(db) == ("poller-2.example", 4242)


def test_an_expired_lease_is_taken_over_and_its_fetching_rows_are_released(
    tmp_path: Path, server: Server, policy: FetchPolicy
) -> None:
    db = tmp_path / "news.db"
    (url,) = serve_slow_news(server, 1, stall=0)
    add_feed(db, server)
    now = time.time()
    with SQLiteStore(db) as store:
        # A poller on another host claimed an item, then died: its lease ran out a minute ago.
        dead = Lease("poller-2.example", 4242, "dead", acquired_at=now - 600, expires_at=now - 60)
        store.acquire_lease(dead, now=now - 600, holder_gone=holder_gone)
        (source,) = store.list_sources()
        item = {"url": url, "title": "Новина 0"}
        store.enqueue([QueuedItem(url_id(url), source.id, url, item)], now=now - 600)
        assert len(store.claim(limit=5, now=now - 600)) == 1

    report = poll_once(db, policy)

    assert report.stored == 1
    assert states(db) == {"done": 1}
    with SQLiteStore(db) as store:
        (article,) = store.iter_articles()
    assert article.id == url_id(url) and "Одеса" in article.body_text
    assert lease_row(db) is None


def test_a_lease_whose_holder_on_this_host_exited_is_taken_over(
    tmp_path: Path, server: Server, policy: FetchPolicy
) -> None:
    db = tmp_path / "news.db"
    serve_slow_news(server, 2, stall=0)
    add_feed(db, server)
    pid = exited_pid()
    now = time.time()
    with SQLiteStore(db) as store:
        # Killed with -9 a moment ago: its lease has most of a minute to run.
        gone = Lease(this_host(), pid, "killed", acquired_at=now, expires_at=now + 60)
        store.acquire_lease(gone, now=now, holder_gone=holder_gone)
    assert poll_once(db, policy).stored == 2
    assert lease_row(db) is None


def test_a_pid_from_another_container_of_the_same_name_is_not_judged_here(
    tmp_path: Path, server: Server, policy: FetchPolicy
) -> None:
    """Containers may share a host name and a volume, not pids: a holder whose pid does not
    exist here may live in its own namespace, so only its lease's expiry frees the lease."""
    db = tmp_path / "news.db"
    serve_slow_news(server, 1, stall=0)
    add_feed(db, server)
    pid = exited_pid()
    now = time.time()
    twin = f"{socket.gethostname()} pid:[1]"
    assert twin != this_host()
    with SQLiteStore(db) as store:
        alive = Lease(twin, pid, "twin", acquired_at=now, expires_at=now + 60)
        store.acquire_lease(alive, now=now, holder_gone=holder_gone)
    with pytest.raises(PollerBusy):
        poll_once(db, policy)
    assert lease_row(db) == (twin, pid)


def test_the_running_poller_renews_its_lease_and_stops_when_another_takes_it(
    tmp_path: Path, policy: FetchPolicy
) -> None:
    db = tmp_path / "news.db"
    ttl = 0.4
    with SQLiteStore(db) as store:
        source_id = store.add_source(
            "S", feeds=[], home_url=None, allow_local=False, interval_s=3600
        )

    async def scenario() -> None:
        with SQLiteStore(db) as store, SQLiteStore(db) as other:
            async with HttpClient(policy) as client:
                poller = Poller(
                    store=store,
                    client=client,
                    media=MediaStore(tmp_path / "media"),
                    extract=lambda _: [],
                    options=PollOptions(min_interval=0, max_interval=0, lease_ttl=ttl),
                )
                running = asyncio.create_task(poller.run(asyncio.Event(), once=False))
                await asyncio.sleep(0.1)
                first = other.current_lease()
                await asyncio.sleep(3 * ttl)
                renewed = other.current_lease()
                assert first is not None and renewed is not None
                assert renewed.token == first.token and renewed.acquired_at == first.acquired_at
                assert renewed.expires_at > first.expires_at and renewed.expires_at > time.time()

                # Another poller takes the lease (say this one was frozen past its expiry).
                now = time.time()
                thief = Lease("poller-2.example", 4242, "thief", now, now + 60)
                other.acquire_lease(thief, now=renewed.expires_at + 1, holder_gone=holder_gone)
                other.enqueue([QueuedItem("k", source_id, "http://e.ua/1", {"url": "x"})], now=0)
                other.claim(limit=1, now=now)  # the new holder is fetching it

                with pytest.raises(PollerBusy, match="poller-2.example"):
                    await asyncio.wait_for(running, timeout=5)
            # This run stopped without touching what is now the other poller's.
            assert lease_row(db) == ("poller-2.example", 4242)
            assert states(db) == {"fetching": 1}

    asyncio.run(scenario())
