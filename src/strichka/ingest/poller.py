"""The poller: sources → feed items in a persisted queue → pages → stored articles.

Resumability comes from the queue's states and the store's idempotent upsert. An item is
enqueued once (its key is the id of its canonical URL); it is marked 'fetching' when claimed,
and marked 'done' in the same transaction that stores its article. So after a kill -9 the
next start returns 'fetching' items to 'pending' and fetches them again: an item whose
article was stored is already 'done', and one whose article was not stored is fetched again,
so none is lost and, the upsert being by id, none is stored twice.

Edited items are fetched again: each queue row remembers the feed's own updated (else
published) time of the version fetched, and a later poll that shows the item with a newer
time puts a done row back to pending (at most `max_refetches` times, and no sooner than
`min_interval` after its last fetch). The re-fetched article is stored under the same id; a
re-fetch that fails leaves the stored version as it was.

One poller per database: a run holds the database's poller lease (host, pid, a random token,
an expiry it renews every quarter of `lease_ttl`). A second run is refused with PollerBusy
while the holder lives; a lease that expired, or whose holder on this host has exited, is taken
over, and only its holder returns 'fetching' rows to pending. A clean stop gives it back.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import math
import os
import secrets
import socket
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Protocol

from strichka.config import Settings
from strichka.errors import FetchError, InputError, PollerBusy, StoreError
from strichka.ingest.events import emit
from strichka.ingest.feeds import Feed, FeedItem, parse_feed
from strichka.ingest.files import Document
from strichka.ingest.http import HttpClient
from strichka.ingest.sources import Source
from strichka.ingest.urls import article_id_for, canonical_url
from strichka.records import DAY_PRECISION, Article, Image, Rejected, url_id, web_domain
from strichka.store import ArticleStore, MediaStore
from strichka.store.base import Lease, QueuedItem, SourceRow, SourceStore

Extract = Callable[[Document], list[Article | Rejected]]
_MAX_CHILD_SITEMAPS = 5
_ITEM_RETRY_BASE_S = 60.0
_IMAGE_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (8, b"WEBP", "image/webp"),
    (4, b"ftypavif", "image/avif"),
    (4, b"ftypavis", "image/avif"),
)


class IngestStore(ArticleStore, SourceStore, Protocol):
    """What the poller needs of a store: articles, and sources with their queue."""


@dataclass(frozen=True, slots=True)
class PollOptions:
    min_interval: float = 120.0
    max_interval: float = 3600.0
    item_concurrency: int = 16
    max_image_bytes: int = 10 * 1024 * 1024
    max_attempts: int = 5
    sitemap_window: timedelta = timedelta(days=2)
    stop_grace: float = 10.0
    max_refetches: int = 5
    lease_ttl: float = 60.0

    @classmethod
    def from_settings(cls, settings: Settings) -> PollOptions:
        return cls(
            min_interval=float(settings.poll_min_interval_s),
            max_interval=float(settings.poll_max_interval_s),
            item_concurrency=settings.fetch_concurrency,
            max_image_bytes=settings.max_image_bytes,
            max_refetches=settings.poll_max_refetches,
        )


@dataclass
class PollReport:
    polled: int = 0
    not_modified: int = 0
    feeds_failed: int = 0
    new_items: int = 0
    updated: int = 0  # stored items queued again because their feed shows a newer version
    stored: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    not_due: int = 0
    """Sources the last round left alone because their interval has not passed."""
    next_due_in: float | None = None
    """Seconds until the first of them is due."""

    def summary(self) -> str:
        text = (
            f"feeds: {self.polled} polled ({self.not_modified} unchanged), "
            f"{self.feeds_failed} failed; items: {self.new_items} new, {self.updated} edited "
            f"(queued again), {self.stored} stored, {self.failed} failed"
        )
        if self.not_due and self.next_due_in is not None:
            # else «0 polled» reads as if polling were broken
            sources = "source" if self.not_due == 1 else "sources"
            minutes = max(1, math.ceil(self.next_due_in / 60))
            text += f"; {self.not_due} {sources} not due yet (the next in {minutes} min)"
        return text


def next_interval(
    current: float, *, new_items: int, failed: bool, min_s: float, max_s: float
) -> float:
    """Poll busy sources more often and quiet or failing ones less, within [min_s, max_s].

    The aim is a few new items per poll: many means we poll too rarely, none too often.
    """
    if failed or new_items == 0:
        current *= 1.5
    elif new_items >= 3:
        current /= 2
    return min(max_s, max(min_s, current))


def sniff_image(data: bytes) -> str | None:
    """The image type from the bytes themselves; None for anything else (SVG included)."""
    for offset, magic, kind in _IMAGE_MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return kind
    return None


def feed_page(item: FeedItem) -> bytes:
    """A feed's full-text item as a small HTML page, so the same readers extract it."""
    title = html.escape(item.title)
    meta = [f'<link rel="canonical" href="{html.escape(item.url)}">']
    if item.published_at:
        # A bare day stays a bare day, so the reader marks it day-only as it would on a page.
        day = item.published_at.date() if item.published_day_only else item.published_at
        meta.append(f'<meta property="article:published_time" content="{day.isoformat()}">')
    if item.summary:
        meta.append(f'<meta name="description" content="{html.escape(item.summary)}">')
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>{"".join(meta)}'
        f"</head><body><article><h1>{title}</h1>{item.content_html or ''}</article></body></html>"
    ).encode()


def this_host() -> str:
    """The host as a lease names it: its name and, where the system has them, its process-id
    namespace. Two containers may share a name and a database volume but never their pids,
    so a pid is only looked up where it was taken."""
    name = socket.gethostname()
    try:
        namespace = os.readlink("/proc/self/ns/pid")  # "pid:[4026531836]"
    except OSError:
        return name
    return f"{name} {namespace}"


def holder_gone(lease: Lease) -> bool:
    """Whether a lease's holder ran on this host and its process has exited (killed, crashed).

    Another host's holder is judged by its lease's expiry alone, and so is this process.
    """
    if lease.host != this_host() or lease.pid == os.getpid():
        return False
    try:
        os.kill(lease.pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # PermissionError: it lives, as another user
        return False
    return False


def trusted_canonical(declared: str | None, fetched_url: str) -> str:
    """The page's own canonical URL if it stays on the same site, else the URL we fetched.

    A page must not be able to claim another outlet's URL and so overwrite its article.
    """
    fetched = canonical_url(fetched_url)
    if not declared:
        return fetched
    try:
        claimed = canonical_url(declared, base=fetched_url)
    except FetchError:
        return fetched
    same_site = web_domain(claimed) == web_domain(fetched)
    return claimed if same_site else fetched


class Poller:
    def __init__(
        self,
        *,
        store: IngestStore,
        client: HttpClient,
        media: MediaStore,
        extract: Extract,
        options: PollOptions,
        clock: Callable[[], float] = time.time,
        on_item: Callable[[], object] | None = None,
        on_stored: Callable[[Article], object] | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.media = media
        self.extract = extract
        self.options = options
        self.clock = clock
        self.on_item = on_item
        self.on_stored = on_stored
        self.report = PollReport()
        self._sources: dict[int, SourceRow] = {}
        self._executor: ThreadPoolExecutor | None = None
        self._images_in_flight: dict[str, asyncio.Future[str | None]] = {}
        self._lease_lost: PollerBusy | None = None

    async def run(self, stop: asyncio.Event, *, once: bool) -> PollReport:
        """Poll due sources and drain the queue; once, or until `stop` is set.

        Raise PollerBusy at once when another live poller holds the database's lease, or at
        the end when another poller took the lease over while this one ran (it stops then).
        """
        lease = self._acquire_lease()
        try:
            returned = self.store.release_claimed()
            if returned:
                emit("queue.resumed", items=returned)
            heartbeat = asyncio.create_task(self._keep_lease(lease, stop))
            # One extraction at a time: it is CPU-bound, and the event loop keeps fetching.
            self._executor = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="strichka-extract"
            )
            try:
                while not stop.is_set():
                    await self.poll_due(stop)
                    await self.drain(stop)
                    if once:
                        break
                    await self._sleep_until_due(stop)
            finally:
                heartbeat.cancel()
                self._release_claimed()
                self._executor.shutdown(wait=False, cancel_futures=True)
        finally:
            if self._lease_lost is None:
                self.store.release_lease(lease.token)
        if self._lease_lost is not None:
            raise self._lease_lost
        return self.report

    def _acquire_lease(self) -> Lease:
        now = self.clock()
        lease = Lease(
            host=this_host(),
            pid=os.getpid(),
            token=secrets.token_hex(16),
            acquired_at=now,
            expires_at=now + self.options.lease_ttl,
        )
        taken = self.store.acquire_lease(lease, now=now, holder_gone=holder_gone)
        if taken is not None:
            emit(
                "lease.taken_over",
                level=logging.WARNING,
                host=taken.host,
                pid=taken.pid,
                since=datetime.fromtimestamp(taken.acquired_at, UTC).isoformat(),
                reason="expired" if taken.expires_at <= now else "holder exited",
            )
        return lease

    async def _keep_lease(self, lease: Lease, stop: asyncio.Event) -> None:
        """Renew the lease every quarter of its time; stop the run if another poller took it.

        A renewal that fails (the database busy for long) is tried again at the next beat:
        the lease outlives three of them.
        """
        while True:
            await asyncio.sleep(self.options.lease_ttl / 4)
            now = self.clock()
            try:
                self.store.acquire_lease(
                    replace(lease, expires_at=now + self.options.lease_ttl),
                    now=now,
                    holder_gone=holder_gone,
                )
            except PollerBusy as exc:
                self._lease_lost = exc
                emit("lease.lost", level=logging.ERROR, host=exc.host, pid=exc.pid)
                stop.set()
                return
            except Exception as exc:
                emit("lease.renew_failed", level=logging.WARNING, error=str(exc))

    def _release_claimed(self) -> None:
        """Return 'fetching' rows to pending, unless another poller holds the lease now."""
        if self._lease_lost is None:
            self.store.release_claimed()

    async def poll_due(self, stop: asyncio.Event) -> None:
        now = self.clock()
        self._sources = {s.id: s for s in self.store.list_sources()}
        due = [s for s in self._sources.values() if s.next_poll_at <= now]
        waiting = [s.next_poll_at - now for s in self._sources.values() if s.next_poll_at > now]
        self.report.not_due = len(waiting)
        self.report.next_due_in = min(waiting, default=None)
        slots = asyncio.Semaphore(self.options.item_concurrency)

        async def guarded(source: SourceRow) -> None:
            async with slots:
                if not stop.is_set():
                    await self.poll_source(source)

        await asyncio.gather(*(guarded(s) for s in due))

    async def poll_source(self, source: SourceRow) -> int:
        """Fetch each feed of one source and enqueue its new items; returns how many."""
        allow = _local_hosts(source)
        new_items, errors, successes = 0, [], 0
        for feed in source.feeds:
            try:
                fetched = await self.client.fetch(
                    feed.url, allow_hosts=allow, etag=feed.etag, last_modified=feed.last_modified
                )
                if fetched.not_modified:
                    self.report.polled += 1
                    self.report.not_modified += 1
                    successes += 1
                    emit("feed.not_modified", source=source.name, feed=feed.url)
                    continue
                since = datetime.now(UTC) - self.options.sitemap_window
                parsed = parse_feed(
                    fetched.body, url=fetched.final_url, charset=fetched.charset, since=since
                )
                items = list(parsed.items) + await self._child_sitemaps(parsed, allow, since)
            except FetchError as exc:
                errors.append(str(exc))
                self.report.feeds_failed += 1
                emit(
                    "feed.error",
                    level=logging.WARNING,
                    source=source.name,
                    feed=feed.url,
                    code=exc.code,
                    error=exc.reason,
                )
                continue
            # Counted once it parsed: a feed that downloads but does not parse has failed.
            self.report.polled += 1
            queued = [
                QueuedItem(
                    article_id_for(i.url),
                    source.id,
                    i.url,
                    i.to_dict(),
                    updated_at=_seconds(i.version_at),
                )
                for i in items
            ]
            now = self.clock()
            with self.store.transaction():
                added = self.store.enqueue(queued, now=now)
                requeued = self.store.requeue_updated(
                    queued,
                    now=now,
                    min_gap=self.options.min_interval,
                    max_refetches=self.options.max_refetches,
                )
                self.store.set_feed_validators(
                    feed.url, etag=fetched.etag, last_modified=fetched.last_modified
                )
            successes += 1
            new_items += added
            self.report.updated += requeued
            emit(
                "feed.polled",
                source=source.name,
                feed=feed.url,
                kind=parsed.kind,
                items=len(items),
                new=added,
                updated=requeued,
                skipped=parsed.skipped,
            )
        failed = successes == 0 and bool(errors)
        interval = next_interval(
            source.interval_s,
            new_items=new_items,
            failed=failed,
            min_s=self.options.min_interval,
            max_s=self.options.max_interval,
        )
        self.store.record_poll(
            source.id,
            answered=successes > 0,
            error="; ".join(errors) or None,
            interval_s=interval,
            next_poll_at=self.clock() + interval,
            failures=source.failures + 1 if failed else 0,
        )
        self.report.new_items += new_items
        self.report.errors.extend(errors)
        return new_items

    async def _child_sitemaps(
        self, parsed: Feed, allow: frozenset[str], since: datetime
    ) -> list[FeedItem]:
        """The items of a sitemap index's first few children (they list the newest first).

        A child that fails (gone, refused, malformed) is logged and skipped: one of them
        failed the whole index, the children that answered included. Only when every child
        fails does the index.
        """
        items: list[FeedItem] = []
        children = parsed.sitemaps[:_MAX_CHILD_SITEMAPS]
        failures: list[FetchError] = []
        for child in children:
            try:
                fetched = await self.client.fetch(child, allow_hosts=allow)
                items += parse_feed(
                    fetched.body, url=fetched.final_url, charset=fetched.charset, since=since
                ).items
            except FetchError as exc:
                failures.append(exc)
                emit(
                    "sitemap.child_error",
                    level=logging.WARNING,
                    sitemap=child,
                    code=exc.code,
                    error=exc.reason,
                )
        if children and len(failures) == len(children):
            raise failures[0]
        return items

    async def drain(self, stop: asyncio.Event) -> None:
        """Fetch and store due queue items, a bounded number at once, until none is left.

        On stop, items in flight get `stop_grace` seconds to finish; the rest go back to
        pending (their transaction never committed, so nothing of them is stored).
        """
        in_flight: set[asyncio.Task[None]] = set()
        while not stop.is_set():
            room = self.options.item_concurrency - len(in_flight)
            if room > 0:
                for queued in self.store.claim(limit=room, now=self.clock()):
                    in_flight.add(asyncio.create_task(self._process(queued)))
            if not in_flight:
                return
            stopping = asyncio.create_task(stop.wait())
            done, _ = await asyncio.wait(
                {*in_flight, stopping}, return_when=asyncio.FIRST_COMPLETED
            )
            stopping.cancel()
            in_flight -= done
        if in_flight:
            emit("queue.stopping", in_flight=len(in_flight))
            _, unfinished = await asyncio.wait(in_flight, timeout=self.options.stop_grace)
            for task in unfinished:
                task.cancel()
            await asyncio.gather(*unfinished, return_exceptions=True)
        self._release_claimed()

    async def _process(self, queued: QueuedItem) -> None:
        try:
            await self._fetch_and_store(queued)
        except FetchError as exc:
            self._fail(queued, f"[{exc.code}] {exc.reason}", retryable=exc.retryable)
        except InputError as exc:
            self._fail(queued, f"[{exc.code}] {exc.reason}", retryable=False)
        except StoreError as exc:  # the media store full or read-only: a later poll may do
            self._fail(queued, str(exc), retryable=True)
        except Exception as exc:  # a bug on one item must not stop the poller
            logging.getLogger(__name__).exception("unexpected error on %s", queued.url)
            self._fail(queued, f"[E999] unexpected {type(exc).__name__}: {exc}", retryable=False)
        if self.on_item:
            self.on_item()

    async def _fetch_and_store(self, queued: QueuedItem) -> None:
        item = FeedItem.from_dict(queued.item)
        source = self._sources.get(queued.source_id)
        allow = _local_hosts(source) if source else frozenset()
        if item.carries_full_text:
            document = Document(source=item.url, data=feed_page(item), url=item.url)
        else:
            fetched = await self.client.fetch(item.url, allow_hosts=allow)
            # Decoded with the header's charset, stored as UTF-8: what the reader read is kept.
            data = fetched.text().encode("utf-8")
            document = Document(source=fetched.final_url, data=data, url=fetched.final_url)
        results = await asyncio.get_running_loop().run_in_executor(
            self._executor, self.extract, document
        )
        articles = [r for r in results if isinstance(r, Article)]
        if not articles:
            reasons = [f"[{r.code}] {r.reason}" for r in results if isinstance(r, Rejected)]
            self._fail(queued, "; ".join(reasons) or "no article in the page", retryable=False)
            return
        article = self._complete(articles[0], item, document.url or item.url, source)
        sha256 = None
        if article.image:
            sha256 = await self._image(article.image.url, allow)
            article = article.with_changes(image=Image(article.image.url, None, sha256))
        with self.store.transaction():
            outcome, stored = self.store.upsert_article(article)
            self.store.finish_item(queued.key, now=self.clock(), article_id=stored.id)
        if self.on_stored:
            self.on_stored(stored)
        self.report.stored += 1
        emit(
            "item.stored",
            id=stored.id,
            outcome=outcome.value,
            url=item.url,
            refetch=queued.article_id is not None,
        )

    def _complete(
        self, article: Article, item: FeedItem, fetched_url: str, source: SourceRow | None
    ) -> Article:
        """Give the article its canonical id, and what the feed knew that the page did not.

        The outlet is the source's name as the user configured it, else the page's own site
        name, else its domain: one outlet per source, however its pages name themselves."""
        canonical = trusted_canonical(article.canonical_url, fetched_url)
        image_url = article.image.url if article.image else item.image_url
        metadata = article.metadata
        if article.published_at is None and item.published_day_only:
            metadata = {**metadata, **DAY_PRECISION}  # the feed's date is a bare day
        return article.with_changes(
            id=url_id(canonical),
            canonical_url=canonical,
            url=article.url or item.url,
            title=article.title or item.title,
            published_at=article.published_at or item.published_at,
            outlet=(source.name if source else None) or article.outlet,
            outlet_domain=article.outlet_domain or web_domain(canonical),
            authors=article.authors or item.authors,
            image=Image(image_url) if image_url else None,
            metadata=metadata,
        )

    async def _image(self, url: str, allow: frozenset[str]) -> str | None:
        """The image's SHA-256 in the media store, fetched once per URL; None if refused.

        Items sharing an image are fetched concurrently, so a fetch in flight is awaited
        rather than started again.
        """
        known = self.store.media_for_url(url)
        if known:
            return known
        pending = self._images_in_flight.get(url)
        if pending is None:
            pending = asyncio.ensure_future(self._fetch_image(url, allow))
            self._images_in_flight[url] = pending
            pending.add_done_callback(lambda _: self._images_in_flight.pop(url, None))
        return await asyncio.shield(pending)

    async def _fetch_image(self, url: str, allow: frozenset[str]) -> str | None:
        try:
            fetched = await self.client.fetch(
                url, allow_hosts=allow, max_bytes=self.options.max_image_bytes
            )
        except FetchError as exc:
            emit("image.error", level=logging.WARNING, url=url, code=exc.code, error=exc.reason)
            return None
        kind = sniff_image(fetched.body)
        if kind is None:
            emit("image.refused", level=logging.WARNING, url=url, reason="not a known image type")
            return None
        sha256 = self.media.put(fetched.body)
        self.store.remember_media(url, sha256)
        return sha256

    def _fail(self, queued: QueuedItem, error: str, *, retryable: bool) -> None:
        attempts = queued.attempts + 1
        retry_at = None
        if retryable and attempts < self.options.max_attempts:
            retry_at = self.clock() + _ITEM_RETRY_BASE_S * 2 ** (attempts - 1)
        # A failed re-fetch keeps the version stored before (finish_item leaves it done).
        self.store.finish_item(queued.key, now=self.clock(), error=error, retry_at=retry_at)
        self.report.failed += int(retry_at is None)
        emit(
            "item.failed",
            level=logging.WARNING,
            url=queued.url,
            error=error,
            retry_at=retry_at or "never",
            **({"kept": queued.article_id} if queued.article_id else {}),
        )

    async def _sleep_until_due(self, stop: asyncio.Event) -> None:
        due = self.store.next_due()
        wait = self.options.max_interval if due is None else due - self.clock()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=min(max(wait, 0.5), 60.0))


def _seconds(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


def _local_hosts(source: SourceRow) -> frozenset[str]:
    return Source(
        source.name,
        tuple(f.url for f in source.feeds),
        source.home_url,
        source.allow_local,
    ).local_hosts
