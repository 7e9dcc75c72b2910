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
    # 2: web ingestion: sources, their feeds (with HTTP validators), the persisted fetch queue
    # (one row per item URL, so an item is enqueued once however often its feed is polled),
    # and which image URLs are already in the media store.
    """
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        home_url TEXT,
        allow_local INTEGER NOT NULL DEFAULT 0,
        interval_s REAL NOT NULL,
        next_poll_at REAL NOT NULL DEFAULT 0,
        last_success_at TEXT,
        last_error TEXT,
        last_error_at TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL
    );
    CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
        etag TEXT,
        last_modified TEXT
    );
    CREATE INDEX feeds_source ON feeds (source_id);
    CREATE TABLE fetch_queue (
        key TEXT PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        item TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'fetching', 'done', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before REAL NOT NULL DEFAULT 0,
        error TEXT,
        article_id TEXT,
        enqueued_at REAL NOT NULL,
        finished_at REAL
    );
    CREATE INDEX fetch_queue_due ON fetch_queue (state, not_before, enqueued_at);
    CREATE INDEX fetch_queue_source ON fetch_queue (source_id, state, finished_at);
    CREATE TABLE fetched_media (
        url TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL
    );
    """,
    # 3: full-text search over lemmas. search_fts holds each article's title and text as lemma
    # keys (made outside the store, which has no morphology); search_docs ties an index row to
    # its article and carries the columns that filter and rank without reading the article.
    # Triggers queue every stored or changed article in search_pending, so any writer (import,
    # poller) leaves the index knowing what it lacks; strichka.search drains the queue.
    """
    CREATE TABLE search_docs (
        doc INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL UNIQUE,
        outlet TEXT,
        language TEXT,
        ranked_at TEXT NOT NULL
    );
    CREATE INDEX search_docs_outlet ON search_docs (outlet);
    CREATE VIRTUAL TABLE search_fts USING fts5 (
        title, body, tokenize = 'unicode61 remove_diacritics 0'
    );
    CREATE TABLE search_pending (article_id TEXT PRIMARY KEY);
    INSERT INTO search_pending (article_id) SELECT id FROM articles;
    CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN
        INSERT OR IGNORE INTO search_pending (article_id) VALUES (new.id);
    END;
    CREATE TRIGGER articles_search_update AFTER UPDATE OF data ON articles BEGIN
        INSERT OR IGNORE INTO search_pending (article_id) VALUES (new.id);
    END;
    CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
        DELETE FROM search_fts
            WHERE rowid = (SELECT doc FROM search_docs WHERE article_id = old.id);
        DELETE FROM search_docs WHERE article_id = old.id;
        DELETE FROM search_pending WHERE article_id = old.id;
    END;
    CREATE INDEX articles_outlet_recency ON articles (outlet, published_at DESC);
    """,
    # Stories: each article's story and original (duplicate_of), its near-duplicate signature
    # and clustering features; the stories with their index state; merges, so that a merged
    # story's id still resolves; and the document frequencies clustering learns online.
    """
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        size INTEGER NOT NULL DEFAULT 0,
        first_at TEXT,
        last_at TEXT,
        state TEXT NOT NULL,
        merged_into TEXT
    );
    CREATE INDEX stories_live ON stories (merged_into, last_at);
    CREATE TABLE story_articles (
        article_id TEXT PRIMARY KEY,
        story_id TEXT NOT NULL,
        duplicate_of TEXT,
        published_at TEXT,
        aggregator INTEGER NOT NULL DEFAULT 0,
        seq INTEGER NOT NULL,
        text_hash TEXT NOT NULL,
        minhash BLOB NOT NULL,
        shingles INTEGER NOT NULL,
        features TEXT NOT NULL
    );
    CREATE INDEX story_articles_story ON story_articles (story_id, seq);
    CREATE INDEX story_articles_text ON story_articles (text_hash);
    CREATE INDEX story_articles_original ON story_articles (duplicate_of);
    CREATE TABLE story_merges (
        old_id TEXT PRIMARY KEY,
        new_id TEXT NOT NULL,
        merged_at TEXT NOT NULL
    );
    CREATE TABLE story_df (
        term TEXT PRIMARY KEY,
        df INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE story_meta (
        key TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    );
    """,
    # 5: knowledge: one row per entity (kind + canonical name), and where each is mentioned.
    # Aliases are the distinct surfaces of its mentions, so they need no table of their own.
    """
    CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        UNIQUE (kind, name)
    );
    CREATE TABLE mentions (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL,
        entity_id TEXT NOT NULL REFERENCES entities (id),
        surface TEXT NOT NULL,
        role TEXT,
        PRIMARY KEY (article_id, start_offset)
    ) WITHOUT ROWID;
    CREATE INDEX mentions_entity ON mentions (entity_id, article_id);
    """,
    # 6: re-fetching edited items. item_updated_at is the feed's own updated (else published)
    # time of the version queued, in whole UNIX seconds, so a later poll that shows a newer
    # time re-queues a done item; refetches counts how often that happened, to bound it.
    # Rows queued before this migration take their time from the item they hold.
    """
    ALTER TABLE fetch_queue ADD COLUMN item_updated_at INTEGER;
    ALTER TABLE fetch_queue ADD COLUMN refetches INTEGER NOT NULL DEFAULT 0;
    UPDATE fetch_queue SET item_updated_at = CAST(
        strftime('%s', json_extract(item, '$.published_at')) AS INTEGER
    ) WHERE json_valid(item) AND json_extract(item, '$.published_at') IS NOT NULL;
    """,
    # 7: leases: one row per named lease ('poller'), naming its holder (host, pid and a random
    # token) and when it expires unless the holder renews it, so that two pollers never run
    # on one database and a dead poller's lease can be taken over.
    """
    CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        token TEXT NOT NULL,
        acquired_at REAL NOT NULL,
        renewed_at REAL NOT NULL,
        expires_at REAL NOT NULL
    );
    """,
    # 8: the outlet column names an article's publisher (Article.publisher: the outlet, else
    # its web domain, else the aggregator that carried it), so outlet pages, filters and story
    # outlet counts find aggregator items under the name the pages show for them.
    """
    UPDATE articles SET outlet = COALESCE(
        NULLIF(json_extract(data, '$.outlet_domain'), ''),
        NULLIF(json_extract(data, '$.aggregator'), '')
    ) WHERE outlet IS NULL OR outlet = '';
    UPDATE search_docs SET outlet = (
        SELECT a.outlet FROM articles a WHERE a.id = search_docs.article_id
    );
    """,
    # 9: search keys for names the dictionary does not know became stems («Асії», «Асію» →
    # «асі»): every stored article is queued to be indexed again.
    """
    INSERT OR IGNORE INTO search_pending (article_id) SELECT id FROM articles;
    """,
    # 10: what a story rebuild (`strichka recluster`) notes before it forgets the stories:
    # each stored article's place in the replay (position), the story it was in (none if it
    # had none) and its rank by publication alone (dated), which breaks ties. The articles
    # are then read back by position a batch at a time, and each old story id is followed to
    # where its articles went, without holding the store in memory.
    """
    CREATE TABLE IF NOT EXISTS story_rebuild (
        position INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL,
        story_id TEXT,
        dated INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS story_rebuild_story ON story_rebuild (story_id);
    """,
)
