"""The embedded store: one SQLite file in WAL mode. All of strichka's SQL lives in this module."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from strichka.errors import NotFound, SchemaTooNew, StoreError
from strichka.records import Article
from strichka.store.base import StoreStats, Upsert
from strichka.store.migrations import MIGRATIONS

_MIN_PREFIX = 4


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _to_json(article: Article) -> str:
    return json.dumps(article.to_dict(), ensure_ascii=False, sort_keys=True)


def _utc(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


class SQLiteStore:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=10000")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open as a strichka database: {exc}") from exc
        self._in_transaction = False

    def _migrate(self) -> None:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > len(MIGRATIONS):
            raise SchemaTooNew(
                f"{self.path} has schema version {version}, newer than this strichka knows "
                f"({len(MIGRATIONS)}): upgrade strichka"
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            # executescript commits first; the version bump is part of the same script.
            self._db.executescript(
                f"BEGIN IMMEDIATE; {script}; PRAGMA user_version={number}; COMMIT;"
            )

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes: all of them land, or none (also on Ctrl-C)."""
        if self._in_transaction:
            yield
            return
        self._db.execute("BEGIN IMMEDIATE")
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")
        finally:
            self._in_transaction = False

    def upsert_article(self, article: Article) -> tuple[Upsert, Article]:
        with self.transaction():
            row = self._db.execute(
                "SELECT id, data FROM articles WHERE id = ? "
                "OR (canonical_url IS NOT NULL AND canonical_url = ?) LIMIT 1",
                (article.id, article.canonical_url),
            ).fetchone()
            if row is None:
                self._insert(article)
                return Upsert.IMPORTED, article
            stored = article.with_changes(id=row["id"])
            data = _to_json(stored)
            if data == row["data"]:
                return Upsert.UNCHANGED, stored
            self._db.execute(
                "UPDATE articles SET canonical_url=?, content_hash=?, title=?, outlet=?, "
                "language=?, source_format=?, published_at=?, updated_at=?, data=? WHERE id=?",
                (*self._columns(stored)[1:7], _utc(stored.published_at), _now(), data, stored.id),
            )
            return Upsert.UPDATED, stored

    def _columns(self, article: Article) -> tuple[Any, ...]:
        return (
            article.id,
            article.canonical_url,
            article.content_hash,
            article.title,
            article.outlet,
            article.language,
            article.source_format,
        )

    def _insert(self, article: Article) -> None:
        now = _now()
        self._db.execute(
            "INSERT INTO articles (id, canonical_url, content_hash, title, outlet, language, "
            "source_format, published_at, first_seen_at, updated_at, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*self._columns(article), _utc(article.published_at), now, now, _to_json(article)),
        )

    def get_article(self, article_id: str) -> Article:
        row = self._db.execute("SELECT data FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None and len(article_id) >= _MIN_PREFIX:
            rows = self._db.execute(
                "SELECT data FROM articles WHERE id >= ? AND id < ? LIMIT 2",
                (article_id, article_id + "\uffff"),
            ).fetchall()
            if len(rows) > 1:
                raise NotFound(f"id prefix {article_id!r} is ambiguous: give more characters")
            row = rows[0] if rows else None
        if row is None:
            raise NotFound(f"no article with id {article_id!r}")
        return Article.from_dict(json.loads(row["data"]))

    def list_articles(self, *, limit: int, offset: int = 0) -> list[Article]:
        rows = self._db.execute(
            "SELECT data FROM articles ORDER BY published_at IS NULL, published_at DESC, "
            "first_seen_at DESC, id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [Article.from_dict(json.loads(row["data"])) for row in rows]

    def iter_articles(self) -> Iterator[Article]:
        cursor = self._db.execute("SELECT data FROM articles ORDER BY first_seen_at, id")
        for row in cursor:
            yield Article.from_dict(json.loads(row["data"]))

    def stats(self) -> StoreStats:
        def grouped(column: str) -> dict[str, int]:
            rows = self._db.execute(
                f"SELECT COALESCE({column}, '?') AS key, COUNT(*) AS n FROM articles "
                "GROUP BY key ORDER BY n DESC, key"
            )
            return {row["key"]: row["n"] for row in rows}

        total = self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        return StoreStats(
            articles=int(total),
            by_language=grouped("language"),
            by_outlet=grouped("outlet"),
            by_format=grouped("source_format"),
            schema_version=self.schema_version,
        )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
