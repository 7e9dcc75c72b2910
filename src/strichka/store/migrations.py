"""Append-only schema migrations: never edit one that has shipped, add the next."""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: articles, kept whole as JSON beside the columns that are queried.
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        canonical_url TEXT UNIQUE,
        content_hash TEXT NOT NULL,
        title TEXT NOT NULL,
        outlet TEXT,
        language TEXT,
        source_format TEXT NOT NULL,
        published_at TEXT,
        first_seen_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX articles_content_hash ON articles (content_hash);
    CREATE INDEX articles_recency ON articles (published_at DESC, first_seen_at DESC);
    """,
)
