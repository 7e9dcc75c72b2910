"""The fetch queue's re-fetch rules and the poller lease, on a real SQLite database."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from strichka.errors import PollerBusy
from strichka.store import SQLiteStore
from strichka.store.base import Lease, QueuedItem
from strichka.store.migrations import MIGRATIONS

T0 = 1_761_980_000  # the feed's times, in whole UNIX seconds


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "q.db") as opened:
        opened.add_source(
            "S", feeds=["https://e.ua/rss"], home_url=None, allow_local=False, interval_s=60
        )
        yield opened


def item(updated_at: int | None, *, title: str = "v1") -> QueuedItem:
    data = {"url": "https://e.ua/n/1", "title": title}
    return QueuedItem("k1", 1, "https://e.ua/n/1", data, updated_at=updated_at)


def fetch(store: SQLiteStore, *, now: float) -> QueuedItem:
    (claimed,) = store.claim(limit=5, now=now)
    store.finish_item(claimed.key, now=now, article_id="a1")
    return claimed


def row(store: SQLiteStore) -> sqlite3.Row:
    with sqlite3.connect(store.path) as db:
        db.row_factory = sqlite3.Row
        found: sqlite3.Row = db.execute("SELECT * FROM fetch_queue WHERE key = 'k1'").fetchone()
    return found


def requeue(store: SQLiteStore, queued: QueuedItem, *, now: float, gap: float = 0) -> int:
    return store.requeue_updated([queued], now=now, min_gap=gap, max_refetches=2)


def test_a_newer_time_requeues_a_done_item_with_the_new_version(store: SQLiteStore) -> None:
    store.enqueue([item(T0)], now=100)
    fetch(store, now=100)
    assert requeue(store, item(T0), now=200) == 0
    assert requeue(store, item(T0 - 60), now=200) == 0  # older: the feed went back in time
    assert requeue(store, item(T0 + 60, title="v2"), now=200) == 1

    (claimed,) = store.claim(limit=5, now=200)
    assert claimed.item["title"] == "v2" and claimed.article_id == "a1"
    assert claimed.updated_at == T0 + 60 and claimed.attempts == 0


def test_refetches_wait_out_the_gap_and_stop_at_the_limit(store: SQLiteStore) -> None:
    store.enqueue([item(T0)], now=100)
    fetch(store, now=100)
    # Edited a minute after we fetched it: queued, but due only an hour after that fetch.
    assert requeue(store, item(T0 + 1), now=160, gap=3600) == 1
    assert store.claim(limit=5, now=160) == []
    assert row(store)["not_before"] == 3700
    # An even newer version while it waits replaces the one queued, without counting twice.
    assert requeue(store, item(T0 + 2, title="v3"), now=170, gap=3600) == 0
    claimed = fetch(store, now=3700)
    assert claimed.item["title"] == "v3"

    assert requeue(store, item(T0 + 3), now=9000) == 1
    fetch(store, now=9000)
    assert requeue(store, item(T0 + 4), now=20000) == 0  # max_refetches=2 reached
    assert row(store)["state"] == "done"


def test_an_item_without_a_time_is_never_requeued(store: SQLiteStore) -> None:
    store.enqueue([item(None)], now=100)
    fetch(store, now=100)
    assert requeue(store, item(None), now=200) == 0
    # A time that appears later is what the fetched version is taken to have.
    assert requeue(store, item(T0), now=300) == 0
    assert row(store)["item_updated_at"] == T0
    assert requeue(store, item(T0 + 60), now=400) == 1


def test_a_failed_refetch_leaves_the_item_done_with_its_article(store: SQLiteStore) -> None:
    store.enqueue([item(T0)], now=100)
    fetch(store, now=100)
    requeue(store, item(T0 + 60), now=200)
    (claimed,) = store.claim(limit=5, now=200)
    store.finish_item(claimed.key, now=210, error="[E405] HTTP 500", retry_at=270)
    assert (row(store)["state"], row(store)["article_id"]) == ("pending", "a1")
    (claimed,) = store.claim(limit=5, now=270)
    store.finish_item(claimed.key, now=280, error="[E405] HTTP 404")
    assert (row(store)["state"], row(store)["article_id"]) == ("done", "a1")
    assert row(store)["error"] == "[E405] HTTP 404"


def test_an_item_never_stored_still_fails(store: SQLiteStore) -> None:
    store.enqueue([item(T0)], now=100)
    (claimed,) = store.claim(limit=5, now=100)
    store.finish_item(claimed.key, now=110, error="[E401] blocked")
    assert (row(store)["state"], row(store)["article_id"]) == ("failed", None)


def test_queue_rows_from_before_the_migration_keep_their_time(tmp_path: Path) -> None:
    """An upgrade must not make every stored item look edited (and fetch them all again)."""
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:5], start=1):
        db.executescript(f"BEGIN; {script}; PRAGMA user_version={number}; COMMIT;")
    db.execute("INSERT INTO sources (id, name, interval_s, added_at) VALUES (1, 'S', 60, 'x')")
    published = "2025-11-01T08:13:20+00:00"
    db.execute(
        "INSERT INTO fetch_queue (key, source_id, url, item, state, enqueued_at, article_id) "
        "VALUES ('k1', 1, 'https://e.ua/n/1', ?, 'done', 1, 'a1')",
        (json.dumps({"url": "https://e.ua/n/1", "published_at": published}),),
    )
    db.close()
    with SQLiteStore(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert row(store)["item_updated_at"] == 1_761_984_800
        assert requeue(store, item(1_761_984_800), now=200) == 0
        assert requeue(store, item(1_761_984_800 + 600), now=200) == 1


def lease(token: str, *, at: float, ttl: float = 60, host: str = "h1", pid: int = 7) -> Lease:
    return Lease(host, pid, token, acquired_at=at, expires_at=at + ttl)


def never(_: Lease) -> bool:
    return False


def test_the_lease_is_held_renewed_refused_taken_over_and_released(store: SQLiteStore) -> None:
    assert store.acquire_lease(lease("a", at=1000), now=1000, holder_gone=never) is None
    # Renewing our own lease is not a take-over.
    assert store.acquire_lease(lease("a", at=1000, ttl=90), now=1030, holder_gone=never) is None
    held = store.current_lease()
    assert held is not None and (held.token, held.acquired_at, held.expires_at) == (
        "a",
        1000,
        1090,
    )

    with pytest.raises(PollerBusy) as busy:
        store.acquire_lease(lease("b", at=1080, host="h2", pid=9), now=1080, holder_gone=never)
    assert (busy.value.host, busy.value.pid, busy.value.since) == ("h1", 7, 1000)
    assert "pid 7 on host h1" in str(busy.value) and "Stop that run first" in str(busy.value)

    # Expired: taken over, and the lease taken over is handed back to say whose it was.
    taken = store.acquire_lease(lease("b", at=1100, host="h2"), now=1100, holder_gone=never)
    assert taken is not None and taken.token == "a"
    # The old holder can neither renew nor release it now.
    with pytest.raises(PollerBusy):
        store.acquire_lease(lease("a", at=1000, ttl=200), now=1101, holder_gone=never)
    store.release_lease("a")
    assert store.current_lease() is not None
    store.release_lease("b")
    assert store.current_lease() is None


def test_a_live_lease_whose_holder_is_gone_is_taken_over(store: SQLiteStore) -> None:
    store.acquire_lease(lease("a", at=1000), now=1000, holder_gone=never)
    taken = store.acquire_lease(
        lease("b", at=1001), now=1001, holder_gone=lambda held: held.pid == 7
    )
    assert taken is not None and taken.token == "a"
    held = store.current_lease()
    assert held is not None and held.token == "b"
