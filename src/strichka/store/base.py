"""What any store backend offers. SQLite implements it now; PostgreSQL will, with the same tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, Protocol

from strichka.records import Article, Entity


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


@dataclass(frozen=True, slots=True)
class FeedState:
    """One feed of a source, with the validators of its last 200 response."""

    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A source as stored: its feeds and its polling state (times are UNIX seconds)."""

    id: int
    name: str
    home_url: str | None
    allow_local: bool
    feeds: tuple[FeedState, ...]
    interval_s: float
    next_poll_at: float
    failures: int = 0


@dataclass(frozen=True, slots=True)
class SourceHealth:
    id: int
    name: str
    feeds: int
    interval_s: float
    last_success_at: str | None
    last_error: str | None
    last_error_at: str | None
    items_24h: int
    pending: int
    failed: int


@dataclass(frozen=True, slots=True)
class QueuedItem:
    """A feed item waiting to be fetched; `item` is the FeedItem as JSON-ready data.

    `updated_at` is the feed's own updated (else published) time of this version of the item,
    in whole UNIX seconds, None when the feed gives none. `article_id` is set when an earlier
    version was stored already, i.e. when this is a re-fetch of an edited item.
    """

    key: str
    source_id: int
    url: str
    item: dict[str, Any]
    attempts: int = 0
    updated_at: int | None = None
    article_id: str | None = None


@dataclass(frozen=True, slots=True)
class Lease:
    """Who holds a named lease (the poller's) and until when; times are UNIX seconds.

    `token` is random per holder: it alone says that a lease is ours, since a host and pid
    can come back in another process.
    """

    host: str
    pid: int
    token: str
    acquired_at: float
    expires_at: float


class SourceStore(Protocol):
    """Sources, their feeds, and the persisted fetch queue that makes polling resumable."""

    def transaction(self) -> AbstractContextManager[None]: ...

    def add_source(
        self,
        name: str,
        *,
        feeds: Sequence[str],
        home_url: str | None,
        allow_local: bool,
        interval_s: float,
    ) -> int:
        """Create the source, or add feeds to the one of that name; returns its id."""
        ...

    def list_sources(self) -> list[SourceRow]: ...

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
        """Remember how a poll went and when to poll next: `answered` when any of the
        source's feeds was read (its last success), `error` what failed (None if nothing)."""
        ...

    def set_feed_validators(
        self, url: str, *, etag: str | None, last_modified: str | None
    ) -> None: ...

    def enqueue(self, items: Sequence[QueuedItem], *, now: float) -> int:
        """Add items not seen before (by key); returns how many were new."""
        ...

    def requeue_updated(
        self, items: Sequence[QueuedItem], *, now: float, min_gap: float, max_refetches: int
    ) -> int:
        """Queue again the done items whose feed now shows them updated later than the version
        fetched (`updated_at` newer than the row's); returns how many.

        An item is re-queued at most `max_refetches` times, and becomes due no sooner than
        `min_gap` seconds after it was last fetched. Items without a time are never re-queued;
        a pending item takes the newer version's data. The stored article is not touched.
        """
        ...

    def claim(self, *, limit: int, now: float) -> list[QueuedItem]:
        """Mark up to `limit` due pending items as being fetched, oldest first."""
        ...

    def release_claimed(self) -> int:
        """Return every item marked as being fetched to pending (at start and at exit).

        Only the holder of the poller lease may call it: the rows it returns are its own,
        or those of a poller whose lease it took over.
        """
        ...

    def finish_item(
        self,
        key: str,
        *,
        now: float,
        article_id: str | None = None,
        error: str | None = None,
        retry_at: float | None = None,
    ) -> None:
        """done (no error), pending again at `retry_at`, or failed (error, no retry_at).

        A failed re-fetch of an item stored before leaves it done with the stored version:
        the error is kept on the row, the article and the row's article id are untouched.
        """
        ...

    def acquire_lease(
        self, lease: Lease, *, now: float, holder_gone: Callable[[Lease], bool]
    ) -> Lease | None:
        """Hold the poller lease as `lease`, or renew it when `lease.token` holds it already.

        A lease held by another token is taken over when it has expired or `holder_gone`
        says its holder died; the lease taken over is returned (None if it was free or ours).
        Otherwise raise PollerBusy naming the holder, since when, and what to do.
        """
        ...

    def release_lease(self, token: str) -> None:
        """Give the poller lease up if `token` holds it; nothing if someone else does."""
        ...

    def current_lease(self) -> Lease | None:
        """Who holds the poller lease, expired or not; None when nobody does."""
        ...

    def next_due(self) -> float | None:
        """The earliest time a source or a queued item is due, if any."""
        ...

    def source_health(self, *, now: float) -> list[SourceHealth]: ...

    def media_for_url(self, url: str) -> str | None: ...

    def remember_media(self, url: str, sha256: str) -> None: ...


# Search: the full-text index over lemmas (see strichka.search for how the terms are made).


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """What the index keeps for one article: its title and text as space-joined lemma keys.

    The keys are aligned word for word with the raw text (strichka.search.terms), so snippets
    can mark matched words in the original text without lemmatising it again.
    """

    article_id: str
    title_terms: str
    body_terms: str


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Restrictions on a search; None means no restriction. Dates compare with UTC times."""

    outlet: str | None = None
    language: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: Article
    score: float
    title_terms: str
    body_terms: str


@dataclass(frozen=True, slots=True)
class PageKey:
    """Where a page of the newest-first article list ends: the sort key of its last row."""

    undated: bool
    published_at: str
    first_seen_at: str
    article_id: str


@dataclass(frozen=True, slots=True)
class OutletCount:
    outlet: str
    articles: int
    latest: str | None


class SearchStore(Protocol):
    """The lemma index. Writes to `articles` queue the article; an indexer drains the queue."""

    def pending_search_articles(self, *, limit: int) -> list[Article]:
        """Articles stored or changed since they were last indexed, oldest first."""
        ...

    def index_articles(self, documents: Sequence[SearchDocument]) -> None:
        """Replace the index rows of these articles and take them off the queue."""
        ...

    def search_articles(
        self,
        match: str,
        *,
        filters: SearchFilters,
        now: datetime,
        limit: int,
        offset: int = 0,
    ) -> list[SearchHit]:
        """Articles matching an FTS5 `match` expression, best first (BM25 with recency)."""
        ...

    def list_articles_page(
        self,
        *,
        limit: int,
        after: PageKey | None = None,
        outlet: str | None = None,
        language: str | None = None,
    ) -> list[tuple[Article, PageKey]]:
        """Newest first like `list_articles`, resuming after `after` (keyset pagination)."""
        ...

    def list_outlets(self) -> list[OutletCount]:
        """Every publisher (`Article.publisher`) with its article count, largest first."""
        ...


# Stories (strichka.stories): which story each article is in, and the clustering state.


@dataclass(frozen=True, slots=True)
class StoryLink:
    """An article's place in the stories: its story, and the original it copies, if any.

    `seq` orders articles as they were assigned; with `published_at` and `aggregator` it
    decides which copy of a text is the original (earliest, an outlet before an aggregator).
    `published_at` is when the article was published at the latest (`Article.published_by`):
    a story's timeline and «who was first» go by it.
    """

    article_id: str
    story_id: str
    duplicate_of: str | None
    published_at: datetime | None
    aggregator: bool
    seq: int


@dataclass(frozen=True, slots=True)
class StoredSignature:
    """A near-duplicate signature as stored: MinHash values and the shingle count."""

    article_id: str
    story_id: str
    minhash: bytes
    shingles: int


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A story as stored; `state` is the clustering index's JSON (centroid, title dates)."""

    id: str
    seq: int
    size: int
    first_at: datetime | None
    last_at: datetime | None
    state: str
    merged_into: str | None = None


@dataclass(frozen=True, slots=True)
class FormerStory:
    """A story id from before a rebuild and where its articles are now: `kept` when some are
    in a story of that id again, `most` the story holding most of them (on a tie, the one
    holding the earliest published of them)."""

    id: str
    kept: bool
    most: str


@dataclass(frozen=True, slots=True)
class TimelineKey:
    """Where a page of a story's timeline ends: the sort key of its last article.

    The timeline puts undated articles first, then the rest by publication time (the link's,
    else the article's, as UTC ISO text), then in assignment order (`seq`), then by id.
    """

    undated: bool
    published_at: str
    seq: int
    article_id: str


class StoryStore(Protocol):
    """What story clustering needs from a store; all writes inside `transaction()`."""

    def transaction(self) -> AbstractContextManager[None]: ...

    def get_article(self, article_id: str) -> Article: ...

    def story_link(self, article_id: str) -> StoryLink | None: ...

    def links_by_text_hash(self, text_hash: str) -> list[StoryLink]: ...

    def add_story_link(
        self, link: StoryLink, *, text_hash: str, minhash: bytes, shingles: int, features: str
    ) -> None: ...

    def repoint_duplicates(self, old_original: str, new_original: str) -> None:
        """Make every copy of `old_original` (and it) a copy of `new_original`."""
        ...

    def save_story(self, story: StoryRow) -> None: ...

    def merge_story(self, source: str, target: str) -> None:
        """Move `source`'s articles into `target`, remembering that `source` resolves there."""
        ...

    def resolve_story(self, story_id: str) -> str:
        """The live story an id (or a unique prefix, or a merged-away id) stands for."""
        ...

    def count_document(self, terms: Sequence[str]) -> None:
        """Add one document containing `terms` to the stored document frequencies."""
        ...

    def document_frequencies(self) -> tuple[int, dict[str, int]]: ...

    def next_story_seq(self) -> int: ...

    def warm_stories(self, *, since: datetime | None, limit: int) -> list[StoryRow]:
        """Live stories, newest first: those last updated at or after `since` (or undated)."""
        ...

    def story_signatures(self, story_ids: Sequence[str]) -> list[StoredSignature]: ...

    def get_story(self, story_id: str) -> StoryRow: ...

    def list_stories(self, *, since: datetime | None, limit: int) -> list[StoryRow]:
        """Live stories with an article published at or after `since`, largest first."""
        ...

    def count_stories(self) -> int:
        """How many live stories have articles: all `list_stories` lists, without reading them."""
        ...

    def story_members(self, story_id: str) -> list[tuple[StoryLink, str]]:
        """The story's articles with their stored features JSON, in assignment order."""
        ...

    def story_timeline(
        self,
        story_id: str,
        *,
        limit: int,
        after: TimelineKey | None = None,
        originals: bool = False,
    ) -> list[tuple[StoryLink, TimelineKey]]:
        """One page of the story's stored articles, earliest first (see TimelineKey),
        resuming after `after` (keyset pagination); only originals (no copies) if asked."""
        ...

    def story_article_count(self, story_id: str) -> int:
        """How many stored articles the story has: what its timeline pages through."""
        ...

    def story_ends(self, story_id: str) -> tuple[str, str] | None:
        """The ids of the story's earliest and latest dated stored articles (by the
        timeline's time); None when none is dated."""
        ...

    def story_outlets(self, story_id: str) -> list[tuple[str | None, int]]:
        """Each publisher (`Article.publisher`; None for none) with its articles in the
        story, in the order they first published: dated reports first (an undated one cannot
        claim to be first), then in assignment order."""
        ...

    def clear_stories(self) -> None:
        """Forget every story for a rebuild; the record of merges stays, so an id merged
        away before the rebuild still resolves after it (a story the rebuild opens again
        under that id is itself again: `save_story`). First note each stored article's
        story and place in the replay, for `rebuild_order` and `former_stories`."""
        ...

    def rebuild_order(self, *, batch: int = 500) -> Iterator[Article]:
        """The articles noted by `clear_stories`, read `batch` at a time in the order a rebuild
        replays them: those that were in a story as they first arrived (their links' `seq`),
        the rest after them, earliest published first (`Article.published_by`, undated last,
        then as first stored). Ties go by that same publication order."""
        ...

    def former_stories(self, *, batch: int = 500) -> Iterator[FormerStory]:
        """Each story id the articles noted by `clear_stories` were in, and where those
        articles are now, `batch` ids at a time: what a rebuild needs to record where an id
        it dropped went."""
        ...

    def end_rebuild(self) -> None:
        """Drop what `clear_stories` noted, once the rebuild is done."""
        ...

    def story_entities(self, story_id: str, *, limit: int) -> list[Entity]:
        """The entities the story's original articles mention most widely (stored mentions)."""
        ...
