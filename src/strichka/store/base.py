"""What any store backend offers. SQLite implements it now; PostgreSQL will, with the same tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from strichka.records import Article


class Upsert(Enum):
    """What storing one article did."""

    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class StoreStats:
    articles: int
    by_language: dict[str, int] = field(default_factory=dict)
    by_outlet: dict[str, int] = field(default_factory=dict)
    by_format: dict[str, int] = field(default_factory=dict)
    schema_version: int = 0


class ArticleStore(Protocol):
    def transaction(self) -> AbstractContextManager[None]:
        """Group writes so that all land or none do."""
        ...

    def upsert_article(self, article: Article) -> tuple[Upsert, Article]:
        """Store an article once: by id, canonical URL, else content; return what was stored.

        A changed article keeps the id it was first stored under.
        """
        ...

    def get_article(self, article_id: str) -> Article:
        """Raise NotFound when no article has that id (or unique id prefix)."""
        ...

    def list_articles(self, *, limit: int, offset: int = 0) -> list[Article]:
        """Newest first: by publication time, then by when it was first seen."""
        ...

    def iter_articles(self) -> Iterator[Article]: ...

    def stats(self) -> StoreStats: ...

    def close(self) -> None: ...
