"""The embedded store: one SQLite file in WAL mode. All of strichka's SQL lives in this module."""

from __future__ import annotations

import functools
import inspect
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

from strichka.errors import NotFound, PollerBusy, SchemaTooNew, StoreError
from strichka.records import Article, Entity, entity_id
from strichka.store.base import (
    FeedState,
    FormerStory,
    Lease,
    OutletCount,
    PageKey,
    QueuedItem,
    SearchDocument,
    SearchFilters,
    SearchHit,
    SourceHealth,
    SourceRow,
    StoredSignature,
    StoreStats,
    StoryLink,
    StoryRow,
    TimelineKey,
    Upsert,
)
from strichka.store.migrations import MIGRATIONS

_MIN_PREFIX = 4
_POLLER_LEASE = "poller"
_BUSY_TIMEOUT_MS = 10_000
_Store = TypeVar("_Store", bound=type)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _to_json(article: Article) -> str:
    return json.dumps(article.to_dict(), ensure_ascii=False, sort_keys=True)


def _utc(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _utc_seconds(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _story_link(row: sqlite3.Row) -> StoryLink:
    return StoryLink(
        article_id=row["article_id"],
        story_id=row["story_id"],
        duplicate_of=row["duplicate_of"],
        published_at=_moment(row["published_at"]),
        aggregator=bool(row["aggregator"]),
        seq=row["seq"],
    )


def _story_row(row: sqlite3.Row) -> StoryRow:
    return StoryRow(
        id=row["id"],
        seq=row["seq"],
        size=row["size"],
        first_at=_moment(row["first_at"]),
        last_at=_moment(row["last_at"]),
        state=row["state"],
        merged_into=row["merged_into"],
    )


def _explain(exc: sqlite3.Error) -> str:
    """What an SQLite failure means to the user, by its result code."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return (
            "the database is busy: another strichka command has been writing to it for over "
            f"{_BUSY_TIMEOUT_MS // 1000} s; try again when it is done"
        )
    if name.startswith("SQLITE_READONLY"):
        return f"the database cannot be written: the file or its folder is read-only ({exc})"
    if name.startswith("SQLITE_NOTADB"):
        return f"the file is not a strichka database ({exc})"
    if name.startswith("SQLITE_CORRUPT"):
        return (
            f"the database file is damaged ({exc}): restore it from a backup, or export "
            "what still reads"
        )
    if name.startswith("SQLITE_FULL"):
        return f"the disk is full ({exc})"
    if name.startswith("SQLITE_CANTOPEN"):
        return (
            f"{exc}: the folder must exist and be writable, as SQLite keeps the -wal and -shm "
            "files beside the database"
        )
    return str(exc)


class _DamagedRow(sqlite3.DatabaseError):
    """A stored row that does not decode: SQLite read a damaged page without noticing (it
    checks page structure, not what a row holds), so it is reported as the damage it is."""

    sqlite_errorname = "SQLITE_CORRUPT"


def _stored_article(data: Any) -> Article:
    try:
        return Article.from_dict(json.loads(data))
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise _DamagedRow(f"a stored article does not read back: {exc}") from exc


def _typed_errors(method: Callable[..., Any]) -> Callable[..., Any]:
    """`method`, raising StoreError where SQLite fails (a generator too, while it runs)."""
    if inspect.isgeneratorfunction(method):

        @functools.wraps(method)
        def generator(self: SQLiteStore, *args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                yield from method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                raise self.failure(exc) from exc

        return generator

    @functools.wraps(method)
    def call(self: SQLiteStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise self.failure(exc) from exc

    return call


def _store_errors(cls: _Store) -> _Store:
    """Every public method of the store raises StoreError, naming the database and what its
    failure means, where SQLite fails (busy, read-only, damaged, the disk full): never an
    sqlite3 traceback."""
    for name, member in list(vars(cls).items()):
        if not name.startswith("_") and inspect.isfunction(member) and name != "failure":
            setattr(cls, name, _typed_errors(member))
    return cls


@_store_errors
class SQLiteStore:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
            self._migrate()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open: {_explain(exc)}") from exc
        self._in_transaction = False

    def failure(self, exc: sqlite3.Error) -> StoreError:
        """The StoreError an SQLite failure on this database is."""
        return StoreError(f"{self.path}: {_explain(exc)}")

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
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self.failure(exc) from exc
        self._in_transaction = True
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException as exc:
            # SQLite has rolled back already after some failures (a full disk)
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise self.failure(exc) from exc
            raise
        finally:
            self._in_transaction = False

    def upsert_article(self, article: Article) -> tuple[Upsert, Article]:
        """Store an article, or update the one it is: the row with its id, else, for an id
        derived from something (not named by the input), the row with its canonical URL.
        An id the input named is the article's identity: it never merges into another row,
        so no input-named article overwrites another (see `Article`)."""
        with self.transaction():
            row = self._db.execute(
                "SELECT id, data FROM articles WHERE id = ?", (article.id,)
            ).fetchone()
            holder = None
            if article.canonical_url:
                holder = self._db.execute(
                    "SELECT id, data, json_extract(data, '$.id_from_input') AS own "
                    "FROM articles WHERE canonical_url = ?",
                    (article.canonical_url,),
                ).fetchone()
            if row is None and holder is not None and not article.id_from_input:
                row = holder
                article = article.with_changes(id_from_input=bool(holder["own"]))
            stored = article if row is None else article.with_changes(id=row["id"])
            # the URL column names one article: the first to hold it keeps it, and the
            # record of another under the same URL keeps its URL in its data
            url = None if holder is not None and holder["id"] != stored.id else stored.canonical_url
            if row is None:
                self._insert(stored, url)
                self._index_mentions(stored)
                return Upsert.IMPORTED, stored
            data = _to_json(stored)
            if data == row["data"]:
                return Upsert.UNCHANGED, stored
            self._db.execute(
                "UPDATE articles SET canonical_url=?, content_hash=?, title=?, outlet=?, "
                "language=?, source_format=?, published_at=?, updated_at=?, data=? WHERE id=?",
                (url, *self._columns(stored), _utc(stored.published_at), _now(), data, stored.id),
            )
            self._index_mentions(stored)
            return Upsert.UPDATED, stored

    def _index_mentions(self, article: Article) -> None:
        """Entities and mentions mirror the article's analysis; a re-analysis replaces them."""
        self._db.execute("DELETE FROM mentions WHERE article_id = ?", (article.id,))
        if article.analysis is None:
            return
        mentions = article.analysis.entities
        entities = {(m.label, m.canonical) for m in mentions}
        self._db.executemany(
            "INSERT OR IGNORE INTO entities (id, kind, name) VALUES (?, ?, ?)",
            [(entity_id(kind, name), kind, name) for kind, name in entities],
        )
        self._db.executemany(
            "INSERT OR REPLACE INTO mentions "
            "(article_id, start_offset, end_offset, entity_id, surface, role) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (article.id, m.start, m.end, entity_id(m.label, m.canonical), m.text, m.role)
                for m in mentions
            ],
        )

    def list_entities(
        self, *, kind: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[Entity]:
        """Entities, most mentioned first, with the surfaces they were mentioned under."""
        rows = self._db.execute(
            "SELECT e.id, e.kind, e.name, COUNT(m.entity_id) AS n FROM entities e "
            "JOIN mentions m ON m.entity_id = e.id WHERE (? IS NULL OR e.kind = ?) "
            "GROUP BY e.id ORDER BY n DESC, e.name LIMIT ? OFFSET ?",
            (kind, kind, limit, offset),
        ).fetchall()
        return [self._entity(row) for row in rows]

    def get_entity(self, entity_id: str) -> Entity:
        row = self._db.execute(
            "SELECT e.id, e.kind, e.name, COUNT(m.entity_id) AS n FROM entities e "
            "LEFT JOIN mentions m ON m.entity_id = e.id WHERE e.id = ? GROUP BY e.id",
            (entity_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no entity with id {entity_id!r}")
        return self._entity(row)

    def _entity(self, row: sqlite3.Row) -> Entity:
        aliases = self._db.execute(
            "SELECT surface FROM mentions WHERE entity_id = ? AND surface != ? "
            "GROUP BY surface ORDER BY COUNT(*) DESC, surface LIMIT 20",
            (row["id"], row["name"]),
        ).fetchall()
        return Entity(
            id=row["id"],
            kind=row["kind"],
            name=row["name"],
            aliases=tuple(a["surface"] for a in aliases),
            mentions=int(row["n"]),
        )

    def entity_articles(self, entity_id: str, *, limit: int) -> list[str]:
        """Ids of the articles that mention the entity, newest first."""
        rows = self._db.execute(
            "SELECT a.id FROM articles a WHERE a.id IN "
            "(SELECT article_id FROM mentions WHERE entity_id = ?) "
            "ORDER BY a.published_at IS NULL, a.published_at DESC, a.first_seen_at DESC LIMIT ?",
            (entity_id, limit),
        )
        return [row["id"] for row in rows]

    def _columns(self, article: Article) -> tuple[Any, ...]:
        """The queried columns after id and canonical URL (which `upsert_article` decides)."""
        return (
            article.content_hash,
            article.title,
            article.publisher,
            article.language,
            article.source_format,
        )

    def _insert(self, article: Article, url: str | None) -> None:
        now = _now()
        self._db.execute(
            "INSERT INTO articles (id, canonical_url, content_hash, title, outlet, language, "
            "source_format, published_at, first_seen_at, updated_at, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                url,
                *self._columns(article),
                _utc(article.published_at),
                now,
                now,
                _to_json(article),
            ),
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
        return _stored_article(row["data"])

    def list_articles(self, *, limit: int, offset: int = 0) -> list[Article]:
        rows = self._db.execute(
            "SELECT data FROM articles ORDER BY published_at IS NULL, published_at DESC, "
            "first_seen_at DESC, id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [_stored_article(row["data"]) for row in rows]

    def iter_articles(self) -> Iterator[Article]:
        cursor = self._db.execute("SELECT data FROM articles ORDER BY first_seen_at, id")
        for row in cursor:
            yield _stored_article(row["data"])

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

    # Search (see SearchStore in base.py; the lemma keys are made by strichka.search).

    def pending_search_articles(self, *, limit: int) -> list[Article]:
        rows = self._db.execute(
            "SELECT a.data FROM search_pending p JOIN articles a ON a.id = p.article_id "
            "ORDER BY p.rowid LIMIT ?",
            (limit,),
        )
        return [_stored_article(row["data"]) for row in rows]

    def index_articles(self, documents: Sequence[SearchDocument]) -> None:
        with self.transaction():
            for doc in documents:
                old = self._db.execute(
                    "SELECT doc FROM search_docs WHERE article_id = ?", (doc.article_id,)
                ).fetchone()
                if old is not None:
                    self._db.execute("DELETE FROM search_fts WHERE rowid = ?", (old["doc"],))
                    self._db.execute("DELETE FROM search_docs WHERE doc = ?", (old["doc"],))
                cursor = self._db.execute(
                    "INSERT INTO search_docs (article_id, outlet, language, ranked_at) "
                    "SELECT id, outlet, language, COALESCE(published_at, first_seen_at) "
                    "FROM articles WHERE id = ?",
                    (doc.article_id,),
                )
                if cursor.rowcount:
                    self._db.execute(
                        "INSERT INTO search_fts (rowid, title, body) VALUES (?, ?, ?)",
                        (cursor.lastrowid, doc.title_terms, doc.body_terms),
                    )
                self._db.execute(
                    "DELETE FROM search_pending WHERE article_id = ?", (doc.article_id,)
                )

    def search_articles(
        self,
        match: str,
        *,
        filters: SearchFilters,
        now: datetime,
        limit: int,
        offset: int = 0,
    ) -> list[SearchHit]:
        # BM25 is negative (lower is better); a fresh article's is scaled by up to 2, an
        # article a week old by 1.5, an old one by ~1: relevance first, recency breaks ties.
        # The title weighs four times the body. Filters read search_docs, not the articles.
        conditions = ["search_fts MATCH :match"]
        params: dict[str, Any] = {"match": match, "now": _utc(now), "limit": limit}
        params["offset"] = offset
        if filters.outlet is not None:
            conditions.append("d.outlet = :outlet")
            params["outlet"] = filters.outlet
        if filters.language is not None:
            conditions.append("d.language = :language")
            params["language"] = filters.language
        if filters.since is not None:
            conditions.append("d.ranked_at >= :since")
            params["since"] = _utc(filters.since)
        if filters.until is not None:
            conditions.append("d.ranked_at < :until")
            params["until"] = _utc(filters.until)
        try:
            ranked = self._db.execute(
                "SELECT d.article_id, f.title, f.body, "
                "bm25(search_fts, 4.0, 1.0) * (1.0 + 1.0 / (1.0 + MAX(0.0, "
                "julianday(:now) - julianday(d.ranked_at)) / 7.0)) AS score "
                "FROM search_fts f JOIN search_docs d ON d.doc = f.rowid "
                f"WHERE {' AND '.join(conditions)} "
                "ORDER BY score, d.article_id LIMIT :limit OFFSET :offset",
                params,
            ).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(f"search expression {match!r} was refused: {exc}") from exc
        hits = []
        for row in ranked:
            data = self._db.execute(
                "SELECT data FROM articles WHERE id = ?", (row["article_id"],)
            ).fetchone()
            if data is not None:
                article = _stored_article(data["data"])
                hits.append(SearchHit(article, -float(row["score"]), row["title"], row["body"]))
        return hits

    def list_articles_page(
        self,
        *,
        limit: int,
        after: PageKey | None = None,
        outlet: str | None = None,
        language: str | None = None,
    ) -> list[tuple[Article, PageKey]]:
        # The same order as list_articles, as a key that a page can resume after: undated
        # articles last, then newest publication, newest first sight, and id.
        conditions = ["1"]
        params: dict[str, Any] = {"limit": limit}
        if outlet is not None:
            conditions.append("outlet = :outlet")
            params["outlet"] = outlet
        if language is not None:
            conditions.append("language = :language")
            params["language"] = language
        if after is not None:
            conditions.append(
                "((published_at IS NULL) > :undated OR ((published_at IS NULL) = :undated AND "
                "(COALESCE(published_at, '') < :published OR (COALESCE(published_at, '') = "
                ":published AND (first_seen_at < :seen OR (first_seen_at = :seen "
                "AND id > :id))))))"
            )
            params.update(
                undated=int(after.undated),
                published=after.published_at,
                seen=after.first_seen_at,
                id=after.article_id,
            )
        rows = self._db.execute(
            "SELECT id, published_at, first_seen_at, data FROM articles "
            f"WHERE {' AND '.join(conditions)} "
            "ORDER BY published_at IS NULL, published_at DESC, first_seen_at DESC, id "
            "LIMIT :limit",
            params,
        )
        return [
            (
                _stored_article(row["data"]),
                PageKey(
                    undated=row["published_at"] is None,
                    published_at=row["published_at"] or "",
                    first_seen_at=row["first_seen_at"],
                    article_id=row["id"],
                ),
            )
            for row in rows
        ]

    def list_outlets(self) -> list[OutletCount]:
        rows = self._db.execute(
            "SELECT outlet, COUNT(*) AS n, MAX(published_at) AS latest FROM articles "
            "WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY n DESC, outlet"
        )
        return [OutletCount(row["outlet"], row["n"], row["latest"]) for row in rows]

    # Stories (see StoryStore in base.py): links, stories, merges, document frequencies.

    def story_link(self, article_id: str) -> StoryLink | None:
        row = self._db.execute(
            "SELECT article_id, story_id, duplicate_of, published_at, aggregator, seq "
            "FROM story_articles WHERE article_id = ?",
            (article_id,),
        ).fetchone()
        return None if row is None else _story_link(row)

    def links_by_text_hash(self, text_hash: str) -> list[StoryLink]:
        rows = self._db.execute(
            "SELECT article_id, story_id, duplicate_of, published_at, aggregator, seq "
            "FROM story_articles WHERE text_hash = ? ORDER BY seq",
            (text_hash,),
        )
        return [_story_link(row) for row in rows]

    def add_story_link(
        self, link: StoryLink, *, text_hash: str, minhash: bytes, shingles: int, features: str
    ) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO story_articles (article_id, story_id, duplicate_of, "
                "published_at, aggregator, seq, text_hash, minhash, shingles, features) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    link.article_id,
                    link.story_id,
                    link.duplicate_of,
                    _utc(link.published_at),
                    int(link.aggregator),
                    link.seq,
                    text_hash,
                    minhash,
                    shingles,
                    features,
                ),
            )

    def repoint_duplicates(self, old_original: str, new_original: str) -> None:
        with self.transaction():
            self._db.execute(
                "UPDATE story_articles SET duplicate_of = ? "
                "WHERE duplicate_of = ? OR article_id = ?",
                (new_original, old_original, old_original),
            )

    def save_story(self, story: StoryRow) -> None:
        with self.transaction():
            # A story a rebuild opens again under an id once merged away is itself again.
            self._db.execute("DELETE FROM story_merges WHERE old_id = ?", (story.id,))
            self._db.execute(
                "INSERT OR REPLACE INTO stories (id, seq, size, first_at, last_at, state, "
                "merged_into) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    story.id,
                    story.seq,
                    story.size,
                    _utc(story.first_at),
                    _utc(story.last_at),
                    story.state,
                    story.merged_into,
                ),
            )

    def merge_story(self, source: str, target: str) -> None:
        with self.transaction():
            self._db.execute(
                "UPDATE story_articles SET story_id = ? WHERE story_id = ?", (target, source)
            )
            self._db.execute(
                "UPDATE stories SET merged_into = ?, size = 0 WHERE id = ?", (target, source)
            )
            # Ids merged into `source` earlier now resolve to `target` in one step.
            self._db.execute(
                "UPDATE story_merges SET new_id = ? WHERE new_id = ?", (target, source)
            )
            self._db.execute(
                "INSERT OR REPLACE INTO story_merges (old_id, new_id, merged_at) VALUES (?, ?, ?)",
                (source, target, _now()),
            )

    def resolve_story(self, story_id: str) -> str:
        row = self._db.execute(
            "SELECT new_id FROM story_merges WHERE old_id = ?", (story_id,)
        ).fetchone()
        if row is not None:
            return str(row[0])
        row = self._db.execute("SELECT id FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None and len(story_id) >= _MIN_PREFIX:
            rows = self._db.execute(
                "SELECT id, merged_into FROM stories WHERE id >= ? AND id < ? LIMIT 2",
                (story_id, story_id + "\uffff"),
            ).fetchall()
            if len(rows) > 1:
                raise NotFound(f"story id prefix {story_id!r} is ambiguous: give more characters")
            row = rows[0] if rows else None
            if row is not None and row["merged_into"] is not None:
                return self.resolve_story(str(row["id"]))
        if row is None:
            raise NotFound(f"no story with id {story_id!r}")
        return str(row[0])

    def count_document(self, terms: Sequence[str]) -> None:
        with self.transaction():
            self._db.executemany(
                "INSERT INTO story_df (term, df) VALUES (?, 1) "
                "ON CONFLICT (term) DO UPDATE SET df = df + 1",
                [(term,) for term in terms],
            )
            self._db.execute(
                "INSERT INTO story_meta (key, value) VALUES ('docs', 1) "
                "ON CONFLICT (key) DO UPDATE SET value = value + 1"
            )

    def document_frequencies(self) -> tuple[int, dict[str, int]]:
        row = self._db.execute("SELECT value FROM story_meta WHERE key = 'docs'").fetchone()
        frequencies = {row["term"]: row["df"] for row in self._db.execute("SELECT * FROM story_df")}
        return (0 if row is None else int(row[0])), frequencies

    def next_story_seq(self) -> int:
        row = self._db.execute(
            "SELECT MAX(s) FROM (SELECT MAX(seq) AS s FROM story_articles "
            "UNION ALL SELECT MAX(seq) FROM stories)"
        ).fetchone()
        return 0 if row[0] is None else int(row[0]) + 1

    def warm_stories(self, *, since: datetime | None, limit: int) -> list[StoryRow]:
        rows = self._db.execute(
            "SELECT * FROM stories WHERE merged_into IS NULL "
            "AND (last_at IS NULL OR ? IS NULL OR last_at >= ?) ORDER BY seq DESC LIMIT ?",
            (_utc(since), _utc(since), limit),
        )
        return [_story_row(row) for row in rows]

    def story_signatures(self, story_ids: Sequence[str]) -> list[StoredSignature]:
        found: list[StoredSignature] = []
        for start in range(0, len(story_ids), 500):
            chunk = story_ids[start : start + 500]
            rows = self._db.execute(
                "SELECT article_id, story_id, minhash, shingles FROM story_articles "
                f"WHERE story_id IN ({','.join('?' * len(chunk))})",
                tuple(chunk),
            )
            found += [
                StoredSignature(r["article_id"], r["story_id"], bytes(r["minhash"]), r["shingles"])
                for r in rows
            ]
        return found

    def get_story(self, story_id: str) -> StoryRow:
        resolved = self.resolve_story(story_id)
        row = self._db.execute("SELECT * FROM stories WHERE id = ?", (resolved,)).fetchone()
        if row is None:
            raise NotFound(f"no story with id {story_id!r}")
        return _story_row(row)

    def list_stories(self, *, since: datetime | None, limit: int) -> list[StoryRow]:
        rows = self._db.execute(
            "SELECT * FROM stories WHERE merged_into IS NULL AND size > 0 "
            "AND (? IS NULL OR last_at >= ?) "
            "ORDER BY size DESC, last_at IS NULL, last_at DESC, seq LIMIT ?",
            (_utc(since), _utc(since), limit),
        )
        return [_story_row(row) for row in rows]

    def count_stories(self) -> int:
        row = self._db.execute(
            "SELECT COUNT(*) FROM stories WHERE merged_into IS NULL AND size > 0"
        ).fetchone()
        return int(row[0])

    def story_members(self, story_id: str) -> list[tuple[StoryLink, str]]:
        rows = self._db.execute(
            "SELECT article_id, story_id, duplicate_of, published_at, aggregator, seq, features "
            "FROM story_articles WHERE story_id = ? ORDER BY seq",
            (story_id,),
        )
        return [(_story_link(row), str(row["features"])) for row in rows]

    # A story's timeline: its stored articles (joined, so a member whose article is gone is
    # neither paged nor counted), undated first, then by publication time (the link's, else
    # the article's), assignment order and id. The same order as the story pages always had.
    _TIMELINE = (
        "SELECT s.article_id, s.story_id, s.duplicate_of, s.published_at, s.aggregator, s.seq, "
        "COALESCE(s.published_at, a.published_at) AS moment "
        "FROM story_articles s JOIN articles a ON a.id = s.article_id WHERE s.story_id = :story"
    )
    _TIMELINE_KEY = "(moment IS NOT NULL, COALESCE(moment, ''), seq, article_id)"

    def story_timeline(
        self,
        story_id: str,
        *,
        limit: int,
        after: TimelineKey | None = None,
        originals: bool = False,
    ) -> list[tuple[StoryLink, TimelineKey]]:
        inner = self._TIMELINE + (" AND s.duplicate_of IS NULL" if originals else "")
        params: dict[str, Any] = {"story": story_id, "limit": limit}
        condition = "1"
        if after is not None:
            condition = f"{self._TIMELINE_KEY} > (:dated, :moment, :seq, :id)"
            params.update(
                dated=int(not after.undated),
                moment=after.published_at,
                seq=after.seq,
                id=after.article_id,
            )
        rows = self._db.execute(
            f"SELECT * FROM ({inner}) WHERE {condition} "
            "ORDER BY moment IS NOT NULL, COALESCE(moment, ''), seq, article_id LIMIT :limit",
            params,
        )
        return [
            (
                _story_link(row),
                TimelineKey(
                    undated=row["moment"] is None,
                    published_at=row["moment"] or "",
                    seq=row["seq"],
                    article_id=row["article_id"],
                ),
            )
            for row in rows
        ]

    def story_article_count(self, story_id: str) -> int:
        row = self._db.execute(
            "SELECT COUNT(*) FROM story_articles s JOIN articles a ON a.id = s.article_id "
            "WHERE s.story_id = ?",
            (story_id,),
        ).fetchone()
        return int(row[0])

    def story_ends(self, story_id: str) -> tuple[str, str] | None:
        ends = [
            self._db.execute(
                f"SELECT article_id FROM ({self._TIMELINE}) WHERE moment IS NOT NULL "
                f"ORDER BY moment {order}, seq {order}, article_id {order} LIMIT 1",
                {"story": story_id},
            ).fetchone()
            for order in ("ASC", "DESC")
        ]
        first, last = ends
        return (first["article_id"], last["article_id"]) if first and last else None

    def story_outlets(self, story_id: str) -> list[tuple[str | None, int]]:
        rows = self._db.execute(
            "SELECT name, COUNT(*) AS n FROM (SELECT a.outlet AS name, ROW_NUMBER() OVER ("
            "ORDER BY COALESCE(s.published_at, a.published_at) IS NULL, "
            "COALESCE(s.published_at, a.published_at, ''), s.seq, s.article_id) AS position "
            "FROM story_articles s JOIN articles a ON a.id = s.article_id "
            "WHERE s.story_id = ?) GROUP BY name ORDER BY MIN(position)",
            (story_id,),
        )
        return [(row["name"], int(row["n"])) for row in rows]

    def clear_stories(self) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM story_rebuild")
            self._db.execute(self._NOTE_REBUILD)
            for table in ("story_articles", "stories", "story_df", "story_meta"):
                self._db.execute(f"DELETE FROM {table}")

    # Article.published_by as UTC text like the published_at column: a date given without a
    # time of day is stored as its midnight, and counts as published by that day's end.
    _PUBLISHED_BY = (
        "CASE WHEN a.published_at IS NULL THEN NULL "
        "WHEN json_extract(a.data, '$.metadata.published_precision') = 'day' "
        "THEN strftime('%Y-%m-%dT%H:%M:%S', substr(a.published_at, 1, 19), '+86399 seconds') "
        "|| substr(a.published_at, 20) ELSE a.published_at END"
    )
    # Every stored article with its (resolved) story, numbered in the replay order; SQLite
    # sorts on disk past its cache, so a store of any size is noted in bounded memory.
    _NOTE_REBUILD = (
        "INSERT INTO story_rebuild (position, article_id, story_id, dated) "
        "SELECT ROW_NUMBER() OVER (ORDER BY seq IS NULL, seq, dated), article_id, story_id, "
        "dated FROM (SELECT article_id, seq, story_id, ROW_NUMBER() OVER ("
        "ORDER BY published_by IS NULL, published_by, first_seen_at, article_id) AS dated "
        "FROM (SELECT a.id AS article_id, s.seq, COALESCE(m.new_id, s.story_id) AS story_id, "
        f"{_PUBLISHED_BY} AS published_by, a.first_seen_at FROM articles a "
        "LEFT JOIN story_articles s ON s.article_id = a.id "
        "LEFT JOIN story_merges m ON m.old_id = s.story_id))"
    )

    def rebuild_order(self, *, batch: int = 500) -> Iterator[Article]:
        position = 0
        while True:
            rows = self._db.execute(
                "SELECT r.position, a.data FROM story_rebuild r "
                "JOIN articles a ON a.id = r.article_id "
                "WHERE r.position > ? ORDER BY r.position LIMIT ?",
                (position, batch),
            ).fetchall()
            if not rows:
                return
            position = rows[-1]["position"]
            for row in rows:
                yield _stored_article(row["data"])

    def former_stories(self, *, batch: int = 500) -> Iterator[FormerStory]:
        after = ""
        while True:
            olds = self._db.execute(
                "SELECT DISTINCT story_id FROM story_rebuild WHERE story_id > ? "
                "ORDER BY story_id LIMIT ?",
                (after, batch),
            ).fetchall()
            if not olds:
                return
            after = olds[-1][0]
            rows = self._db.execute(
                "SELECT r.story_id AS old, COALESCE(m.new_id, s.story_id) AS now, "
                "COUNT(*) AS n, MIN(r.dated) AS first FROM story_rebuild r "
                "JOIN story_articles s ON s.article_id = r.article_id "
                "LEFT JOIN story_merges m ON m.old_id = s.story_id "
                "WHERE r.story_id BETWEEN ? AND ? GROUP BY old, now ORDER BY old",
                (olds[0][0], after),
            ).fetchall()
            for old, group in groupby(rows, key=itemgetter("old")):
                places = list(group)
                most = min(places, key=lambda row: (-row["n"], row["first"]))
                yield FormerStory(old, any(row["now"] == old for row in places), most["now"])

    def end_rebuild(self) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM story_rebuild")

    def story_entities(self, story_id: str, *, limit: int) -> list[Entity]:
        """The entities most of a story's original articles mention (copies count once, as
        their original), then the most mentioned; `mentions` counts within the story."""
        rows = self._db.execute(
            "SELECT e.id, e.kind, e.name, COUNT(*) AS n, COUNT(DISTINCT m.article_id) AS a "
            "FROM story_articles s JOIN mentions m ON m.article_id = s.article_id "
            "JOIN entities e ON e.id = m.entity_id "
            "WHERE s.story_id = ? AND s.duplicate_of IS NULL "
            "GROUP BY e.id ORDER BY a DESC, n DESC, e.name LIMIT ?",
            (story_id, limit),
        )
        return [Entity(row["id"], row["kind"], row["name"], mentions=row["n"]) for row in rows]

    def entity_stories(self, entity_id: str, *, limit: int) -> list[str]:
        """Live stories with an article that mentions the entity, newest first."""
        rows = self._db.execute(
            "SELECT st.id FROM stories st WHERE st.merged_into IS NULL AND st.id IN "
            "(SELECT s.story_id FROM mentions m JOIN story_articles s "
            "ON s.article_id = m.article_id WHERE m.entity_id = ?) "
            "ORDER BY st.last_at IS NULL, st.last_at DESC, st.seq DESC LIMIT ?",
            (entity_id, limit),
        )
        return [row["id"] for row in rows]

    def story_version(self) -> tuple[int, int]:
        """Changes whenever clustering stored an article or merged stories: readers that keep
        a story index compare it to know theirs is stale. Two single-row look-ups."""
        docs = self._db.execute("SELECT value FROM story_meta WHERE key = 'docs'").fetchone()
        merges = self._db.execute("SELECT MAX(rowid) FROM story_merges").fetchone()
        return (0 if docs is None else int(docs[0]), int(merges[0] or 0))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Web ingestion: sources, feeds and the fetch queue (see SourceStore in base.py).

    def add_source(
        self,
        name: str,
        *,
        feeds: Sequence[str],
        home_url: str | None,
        allow_local: bool,
        interval_s: float,
    ) -> int:
        with self.transaction():
            self._db.execute(
                "INSERT INTO sources (name, home_url, allow_local, interval_s, added_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                "home_url = COALESCE(excluded.home_url, home_url), "
                "allow_local = excluded.allow_local",
                (name, home_url, int(allow_local), interval_s, _now()),
            )
            source_id = int(
                self._db.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchone()[0]
            )
            self._db.executemany(
                "INSERT INTO feeds (url, source_id) VALUES (?, ?) "
                "ON CONFLICT (url) DO UPDATE SET source_id = excluded.source_id",
                [(url, source_id) for url in feeds],
            )
        return source_id

    def list_sources(self) -> list[SourceRow]:
        feeds: dict[int, list[FeedState]] = {}
        for row in self._db.execute("SELECT * FROM feeds ORDER BY rowid"):
            feeds.setdefault(row["source_id"], []).append(
                FeedState(row["url"], row["etag"], row["last_modified"])
            )
        return [
            SourceRow(
                id=row["id"],
                name=row["name"],
                home_url=row["home_url"],
                allow_local=bool(row["allow_local"]),
                feeds=tuple(feeds.get(row["id"], ())),
                interval_s=row["interval_s"],
                next_poll_at=row["next_poll_at"],
                failures=row["failures"],
            )
            for row in self._db.execute("SELECT * FROM sources ORDER BY id")
        ]

    def record_poll(
        self,
        source_id: int,
        *,
        answered: bool,
        error: str | None,
        interval_s: float,
        next_poll_at: float,
        failures: int,
    ) -> None:
        moment = _now()
        with self.transaction():
            self._db.execute(
                "UPDATE sources SET interval_s = :interval, next_poll_at = :next, "
                "failures = :failures, "
                "last_success_at = CASE WHEN :answered THEN :now ELSE last_success_at END, "
                "last_error = COALESCE(:error, last_error), "
                "last_error_at = CASE WHEN :error IS NULL THEN last_error_at ELSE :now END "
                "WHERE id = :id",
                {
                    "interval": interval_s,
                    "next": next_poll_at,
                    "failures": failures,
                    "answered": answered,
                    "error": error,
                    "now": moment,
                    "id": source_id,
                },
            )

    def set_feed_validators(self, url: str, *, etag: str | None, last_modified: str | None) -> None:
        with self.transaction():
            self._db.execute(
                "UPDATE feeds SET etag = ?, last_modified = ? WHERE url = ?",
                (etag, last_modified, url),
            )

    def enqueue(self, items: Sequence[QueuedItem], *, now: float) -> int:
        with self.transaction():
            before = self._db.total_changes
            self._db.executemany(
                "INSERT OR IGNORE INTO fetch_queue "
                "(key, source_id, url, item, item_updated_at, enqueued_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        i.key,
                        i.source_id,
                        i.url,
                        json.dumps(i.item, ensure_ascii=False),
                        i.updated_at,
                        now,
                    )
                    for i in items
                ],
            )
            return self._db.total_changes - before

    def requeue_updated(
        self, items: Sequence[QueuedItem], *, now: float, min_gap: float, max_refetches: int
    ) -> int:
        rows = [
            {
                "key": i.key,
                "item": json.dumps(i.item, ensure_ascii=False),
                "updated": i.updated_at,
                "now": now,
                "gap": min_gap,
                "max": max_refetches,
            }
            for i in items
            if i.updated_at is not None
        ]
        if not rows:
            return 0
        with self.transaction():
            # A row queued without a time takes this one as what it was fetched at: an item
            # that merely gains a time is not re-fetched for it.
            self._db.executemany(
                "UPDATE fetch_queue SET item_updated_at = :updated "
                "WHERE key = :key AND item_updated_at IS NULL",
                rows,
            )
            # Not fetched yet: it will be fetched as the newer version.
            self._db.executemany(
                "UPDATE fetch_queue SET item = :item, item_updated_at = :updated "
                "WHERE key = :key AND state = 'pending' AND item_updated_at < :updated",
                rows,
            )
            before = self._db.total_changes
            self._db.executemany(
                "UPDATE fetch_queue SET state = 'pending', item = :item, "
                "item_updated_at = :updated, refetches = refetches + 1, attempts = 0, "
                "error = NULL, not_before = MAX(:now, COALESCE(finished_at, 0) + :gap) "
                "WHERE key = :key AND state = 'done' AND item_updated_at < :updated "
                "AND refetches < :max",
                rows,
            )
            return self._db.total_changes - before

    def claim(self, *, limit: int, now: float) -> list[QueuedItem]:
        with self.transaction():
            rows = self._db.execute(
                "SELECT key, source_id, url, item, attempts, item_updated_at, article_id "
                "FROM fetch_queue "
                "WHERE state = 'pending' AND not_before <= ? "
                "ORDER BY not_before, enqueued_at, key LIMIT ?",
                (now, limit),
            ).fetchall()
            self._db.executemany(
                "UPDATE fetch_queue SET state = 'fetching' WHERE key = ?",
                [(row["key"],) for row in rows],
            )
        return [
            QueuedItem(
                row["key"],
                row["source_id"],
                row["url"],
                json.loads(row["item"]),
                row["attempts"],
                row["item_updated_at"],
                row["article_id"],
            )
            for row in rows
        ]

    def release_claimed(self) -> int:
        with self.transaction():
            return self._db.execute(
                "UPDATE fetch_queue SET state = 'pending' WHERE state = 'fetching'"
            ).rowcount

    def finish_item(
        self,
        key: str,
        *,
        now: float,
        article_id: str | None = None,
        error: str | None = None,
        retry_at: float | None = None,
    ) -> None:
        state = "done" if error is None else ("pending" if retry_at is not None else "failed")
        with self.transaction():
            # A row with an article id was stored before: a re-fetch that fails for good
            # leaves it done, with the version stored and the error on the row.
            self._db.execute(
                "UPDATE fetch_queue SET "
                "state = CASE WHEN :state = 'failed' AND article_id IS NOT NULL "
                "THEN 'done' ELSE :state END, "
                "attempts = attempts + 1, error = :error, "
                "article_id = COALESCE(:article_id, article_id), "
                "not_before = COALESCE(:retry_at, not_before), finished_at = :now "
                "WHERE key = :key",
                {
                    "state": state,
                    "error": error,
                    "article_id": article_id,
                    "retry_at": retry_at,
                    "now": now,
                    "key": key,
                },
            )

    def next_due(self) -> float | None:
        row = self._db.execute(
            "SELECT MIN(t) FROM (SELECT MIN(next_poll_at) AS t FROM sources "
            "UNION ALL SELECT MIN(not_before) FROM fetch_queue WHERE state = 'pending')"
        ).fetchone()
        return None if row[0] is None else float(row[0])

    def source_health(self, *, now: float) -> list[SourceHealth]:
        rows = self._db.execute(
            "SELECT s.*, "
            "(SELECT COUNT(*) FROM feeds f WHERE f.source_id = s.id) AS n_feeds, "
            "(SELECT COUNT(*) FROM fetch_queue q WHERE q.source_id = s.id AND q.state = 'done' "
            " AND q.finished_at >= ?) AS items_24h, "
            "(SELECT COUNT(*) FROM fetch_queue q WHERE q.source_id = s.id "
            " AND q.state IN ('pending', 'fetching')) AS pending, "
            "(SELECT COUNT(*) FROM fetch_queue q WHERE q.source_id = s.id "
            " AND q.state = 'failed') AS failed "
            "FROM sources s ORDER BY s.name",
            (now - 86_400,),
        )
        return [
            SourceHealth(
                id=row["id"],
                name=row["name"],
                feeds=row["n_feeds"],
                interval_s=row["interval_s"],
                last_success_at=row["last_success_at"],
                last_error=row["last_error"],
                last_error_at=row["last_error_at"],
                items_24h=row["items_24h"],
                pending=row["pending"],
                failed=row["failed"],
            )
            for row in rows
        ]

    # The poller lease: one running poller per database (see Poller.run).

    def current_lease(self) -> Lease | None:
        row = self._db.execute(
            "SELECT host, pid, token, acquired_at, expires_at FROM leases WHERE name = ?",
            (_POLLER_LEASE,),
        ).fetchone()
        if row is None:
            return None
        return Lease(row["host"], row["pid"], row["token"], row["acquired_at"], row["expires_at"])

    def acquire_lease(
        self, lease: Lease, *, now: float, holder_gone: Callable[[Lease], bool]
    ) -> Lease | None:
        with self.transaction():
            held = self.current_lease()
            if held is not None and held.token == lease.token:
                self._db.execute(
                    "UPDATE leases SET expires_at = ?, renewed_at = ? WHERE name = ? AND token = ?",
                    (lease.expires_at, now, _POLLER_LEASE, lease.token),
                )
                return None
            if held is not None and held.expires_at > now and not holder_gone(held):
                raise PollerBusy(
                    f"{self.path} is being polled by another strichka run (pid {held.pid} on "
                    f"host {held.host}) since {_utc_seconds(held.acquired_at)}; its lease runs "
                    f"to {_utc_seconds(held.expires_at)} and is renewed while it runs. Stop that "
                    "run first (Ctrl-C or SIGTERM), or let it do the polling; if it died on "
                    "another host, start again once its lease has expired",
                    host=held.host,
                    pid=held.pid,
                    since=held.acquired_at,
                    expires_at=held.expires_at,
                )
            self._db.execute(
                "INSERT OR REPLACE INTO leases "
                "(name, host, pid, token, acquired_at, renewed_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    _POLLER_LEASE,
                    lease.host,
                    lease.pid,
                    lease.token,
                    lease.acquired_at,
                    now,
                    lease.expires_at,
                ),
            )
            return held

    def release_lease(self, token: str) -> None:
        with self.transaction():
            self._db.execute(
                "DELETE FROM leases WHERE name = ? AND token = ?", (_POLLER_LEASE, token)
            )

    def media_for_url(self, url: str) -> str | None:
        row = self._db.execute("SELECT sha256 FROM fetched_media WHERE url = ?", (url,)).fetchone()
        return None if row is None else str(row[0])

    def remember_media(self, url: str, sha256: str) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO fetched_media (url, sha256) VALUES (?, ?)", (url, sha256)
            )
