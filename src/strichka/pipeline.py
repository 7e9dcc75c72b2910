"""The one place that knows the order of stages and turns per-item failures into Rejected."""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from strichka.config import Settings
from strichka.errors import ConfigError, InputError, StoreError
from strichka.extract.document import ReaderOptions, read_document
from strichka.ingest.discover import discover_source
from strichka.ingest.files import Document, expand_paths, read_documents
from strichka.ingest.http import FetchPolicy, HttpClient
from strichka.ingest.poller import IngestStore, Poller, PollOptions, PollReport
from strichka.ingest.sources import Source
from strichka.nlp.analysis import LanguageResources, with_analysis
from strichka.records import Article, Rejected
from strichka.search import index_pending
from strichka.store import ArticleStore, MediaStore, SQLiteStore, Upsert
from strichka.store.base import SearchStore, SourceStore
from strichka.stories.engine import StoryEngine
from strichka.stories.features import Analyzer
from strichka.stories.index import StoryParams

log = logging.getLogger(__name__)
T = TypeVar("T")

_BATCH = 200


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[Rejected] = field(default_factory=list)
    stored_ids: list[str] = field(default_factory=list)

    def record(self, outcome: Upsert, article: Article) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)
        self.stored_ids.append(article.id)

    @property
    def total(self) -> int:
        return self.imported + self.updated + self.unchanged + len(self.failed)

    def summary(self) -> str:
        return (
            f"{self.imported} imported, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.failed)} failed"
        )

    def merge(self, other: ImportReport) -> None:
        self.imported += other.imported
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.failed += other.failed
        self.stored_ids += other.stored_ids


def reader_options(settings: Settings) -> ReaderOptions:
    try:
        zone = ZoneInfo(settings.timezone)
    except (ValueError, ZoneInfoNotFoundError) as exc:
        raise ConfigError(f"timezone {settings.timezone!r} is not an IANA zone") from exc
    return ReaderOptions(
        max_title_chars=settings.max_title_chars,
        max_body_chars=settings.max_body_chars,
        default_tz=zone,
    )


def story_params(settings: Settings) -> StoryParams:
    """The clustering knobs the settings choose; the rest keep the defaults `make eval`
    measured."""
    for name in ("story_threshold", "story_merge_threshold"):
        value = getattr(settings, name)
        if not 0 < value <= 1:
            raise ConfigError(f"{name} must be a cosine similarity in (0, 1], not {value}")
    if settings.story_window_hours < 0:
        raise ConfigError(
            f"story_window_hours must be 0 (never cold) or more, not {settings.story_window_hours}"
        )
    window = timedelta(hours=settings.story_window_hours) if settings.story_window_hours else None
    return StoryParams(
        threshold=settings.story_threshold,
        merge_threshold=settings.story_merge_threshold,
        window=window,
    )


@dataclass(frozen=True)
class Stages:
    """The stages after extraction, each with the state it loaded once; None skips a stage.

    `analyse` is pure CPU work (safe on a worker thread); `stored` and `finish_batch` write.
    """

    language: LanguageResources | None = None
    stories: StoryEngine | None = None
    search: SearchStore | None = None

    @classmethod
    def load(cls, store: SQLiteStore, settings: Settings) -> Stages:
        language = LanguageResources.load(ner_model=settings.ner_model_path)
        analyzer = Analyzer.sharing(language)
        stories = StoryEngine.load(store, analyzer, story_params(settings))
        return cls(language, stories, store)

    def analyse(self, article: Article) -> Article:
        if self.language is None:
            return article
        return with_analysis(article, resources=self.language)

    def stored(self, article: Article) -> None:
        if self.stories is not None:
            self.stories.assign(article)

    def finish_batch(self) -> None:
        if self.stories is not None:
            self.stories.consolidate()
        if self.search is not None and self.language is not None:
            index_pending(self.search, self.language.morph)


NO_STAGES = Stages()


def extract_articles(
    document: Document, *, options: ReaderOptions, media: MediaStore, stages: Stages = NO_STAGES
) -> list[Article | Rejected]:
    """Read and analyse one document; any failure becomes a Rejected naming it, so a batch
    never stops.

    The bytes of a source document (a page, a text item) are kept in the media store so the
    article can be re-extracted later; JSON already holds extracted records.
    """
    try:
        reading = read_document(
            document.data, source=document.source, options=options, url=document.url
        )
        raw_sha256 = None if reading.format == "json" else media.put(document.data)
        return [
            stages.analyse(item.with_changes(raw_sha256=raw_sha256 or item.raw_sha256))
            if isinstance(item, Article)
            else item
            for item in reading.items
        ]
    except InputError as exc:
        return [Rejected(exc.source, exc.reason, exc.code)]
    except StoreError:  # the store, not this document: every other one would fail the same
        raise
    except Exception as exc:  # a stage's bug must not stop the batch; it is reported instead
        log.exception("unexpected error while reading %s", document.source)
        return [Rejected(document.source, f"unexpected {type(exc).__name__}: {exc}", "E999")]


def import_documents(
    documents: Iterable[Document | Rejected],
    *,
    store: ArticleStore,
    media: MediaStore,
    options: ReaderOptions,
    stages: Stages = NO_STAGES,
    on_document: Callable[[], object] | None = None,
    report: ImportReport | None = None,
) -> ImportReport:
    """Read, analyse and store every document, and put each article into its story.

    Reading and analysis, the slow part, hold no lock: each document's articles are written
    in one short transaction of their own, and the batch work (consolidating stories, the
    search index) in another every few hundred documents. Another command writing to the
    database waits for one document, not for the batch (it gives up after 10 s), and an
    interrupt loses at most the document in hand; what was stored before it still has its
    batch work done, as only this process knows which stories it grew.

    `report`, when given, is filled as documents are stored (a document counts once its
    transaction is committed): after an interrupt it says what was stored before it.
    """
    report = ImportReport() if report is None else report
    try:
        for chunk in _chunks(documents, _BATCH):
            for document in chunk:
                if isinstance(document, Rejected):
                    report.failed.append(document)
                else:
                    items = extract_articles(document, options=options, media=media, stages=stages)
                    done = ImportReport()
                    with _uninterrupted():  # its commit and its count go together
                        with store.transaction():
                            _store_items(items, done, store=store, stages=stages)
                        report.merge(done)
                if on_document:
                    on_document()
            with store.transaction():
                stages.finish_batch()
    except KeyboardInterrupt:
        with store.transaction():
            stages.finish_batch()
        raise
    return report


def import_files(
    paths: Sequence[str | Path],
    *,
    store: ArticleStore,
    settings: Settings,
    stages: Stages = NO_STAGES,
    on_document: Callable[[], object] | None = None,
    report: ImportReport | None = None,
) -> ImportReport:
    """What `strichka import` does with files, folders, globs or '-', under the settings' limits."""
    return import_documents(
        read_documents(expand_paths(paths), max_bytes=settings.max_input_bytes),
        store=store,
        media=MediaStore(settings.media_path),
        options=reader_options(settings),
        stages=stages,
        on_document=on_document,
        report=report,
    )


def _store_items(
    items: Iterable[Article | Rejected],
    report: ImportReport,
    *,
    store: ArticleStore,
    stages: Stages,
) -> None:
    for item in items:
        if isinstance(item, Rejected):
            report.failed.append(item)
            continue
        outcome, stored = store.upsert_article(item)
        report.record(outcome, stored)
        stages.stored(stored)


@contextmanager
def _uninterrupted() -> Iterator[None]:
    """Ctrl-C waits for the block to end, then interrupts as it would have. A Ctrl-C that came
    during a commit (where the time goes) was raised just after it, before the document was
    counted: the summary left out what was stored. Only the main thread gets SIGINT, and
    only where Python's own handler is in place is it deferred."""
    in_main = threading.current_thread() is threading.main_thread()
    if not in_main or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    caught: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if caught:
        raise KeyboardInterrupt


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


# Web ingestion: the poller fetches (ingest/), the readers extract (extract/), the store keeps.


def run_ingest(
    *,
    store: IngestStore,
    media: MediaStore,
    settings: Settings,
    once: bool,
    policy: FetchPolicy | None = None,
    poll: PollOptions | None = None,
    on_item: Callable[[], object] | None = None,
    handle_signals: bool = True,
    stages: Stages = NO_STAGES,
) -> PollReport:
    """Poll every due source and store its new articles; once, or until SIGTERM/SIGINT.

    On a signal, items in flight finish (or go back to the queue) and the run returns.
    Analysis runs with extraction on the poller's worker thread; stories are assigned as
    articles are stored, and the batch work (consolidation, search index) once at the end.
    """
    options = reader_options(settings)

    def extract(document: Document) -> list[Article | Rejected]:
        return extract_articles(document, options=options, media=media, stages=stages)

    async def poll_sources() -> PollReport:
        stop = asyncio.Event()
        if handle_signals:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, stop.set)
        async with HttpClient(policy or FetchPolicy.from_settings(settings)) as client:
            poller = Poller(
                store=store,
                client=client,
                media=media,
                extract=extract,
                options=poll or PollOptions.from_settings(settings),
                on_item=on_item,
                on_stored=stages.stored,
            )
            return await poller.run(stop, once=once)

    report = asyncio.run(poll_sources())
    stages.finish_batch()
    return report


def add_sources(store: SourceStore, sources: Iterable[Source], *, settings: Settings) -> int:
    """Store sources (a source of the same name gains the feeds); returns how many."""
    count = 0
    with store.transaction():
        for source in sources:
            store.add_source(
                source.name,
                feeds=source.feeds,
                home_url=source.home,
                allow_local=source.allow_local,
                interval_s=float(settings.poll_min_interval_s),
            )
            count += 1
    return count


def discover(
    url: str, *, settings: Settings, name: str | None = None, allow_local: bool = False
) -> Source:
    """The source that `url` is (a feed) or announces (a home page)."""

    async def fetch() -> Source:
        async with HttpClient(FetchPolicy.from_settings(settings)) as client:
            return await discover_source(client, url, name=name, allow_local=allow_local)

    return asyncio.run(fetch())


def stored_sources(store: SourceStore) -> list[Source]:
    return [
        Source(row.name, tuple(f.url for f in row.feeds), row.home_url, row.allow_local)
        for row in store.list_sources()
    ]
