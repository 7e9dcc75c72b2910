"""The one place that knows the order of stages and turns per-item failures into Rejected."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from strichka.config import Settings
from strichka.errors import ConfigError, InputError
from strichka.extract.document import ReaderOptions, read_document
from strichka.ingest.files import Document
from strichka.records import Article, Rejected
from strichka.store import ArticleStore, MediaStore, Upsert

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


def extract_articles(
    document: Document, *, options: ReaderOptions, media: MediaStore
) -> list[Article | Rejected]:
    """Read one document; any failure becomes a Rejected naming it, so a batch never stops.

    The bytes of a source document (a page, a text item) are kept in the media store so the
    article can be re-extracted later; JSON already holds extracted records.
    """
    try:
        reading = read_document(
            document.data, source=document.source, options=options, url=document.url
        )
    except InputError as exc:
        return [Rejected(exc.source, exc.reason, exc.code)]
    except Exception as exc:  # a reader bug must not stop the batch; it is reported instead
        log.exception("unexpected error while reading %s", document.source)
        return [Rejected(document.source, f"unexpected {type(exc).__name__}: {exc}", "E999")]
    if reading.format == "json":
        return list(reading.items)
    raw_sha256 = media.put(document.data)
    return [
        item.with_changes(raw_sha256=raw_sha256) if isinstance(item, Article) else item
        for item in reading.items
    ]


def import_documents(
    documents: Iterable[Document | Rejected],
    *,
    store: ArticleStore,
    media: MediaStore,
    options: ReaderOptions,
    on_document: Callable[[], object] | None = None,
) -> ImportReport:
    """Read and store every document; commits every few hundred so an interrupt loses little."""
    report = ImportReport()
    for chunk in _chunks(documents, _BATCH):
        with store.transaction():
            for document in chunk:
                _import_document(document, report, store=store, media=media, options=options)
                if on_document:
                    on_document()
    return report


def _import_document(
    document: Document | Rejected,
    report: ImportReport,
    *,
    store: ArticleStore,
    media: MediaStore,
    options: ReaderOptions,
) -> None:
    if isinstance(document, Rejected):
        report.failed.append(document)
        return
    for item in extract_articles(document, options=options, media=media):
        if isinstance(item, Rejected):
            report.failed.append(item)
        else:
            report.record(*store.upsert_article(item))


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
