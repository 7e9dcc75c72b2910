"""Searching and keeping the index current, over any store that implements SearchStore.

The store queues every article it stores or changes; `index_pending` lemmatises the queue and
writes the keys. Whoever holds a lemmatiser drains it: the import pipeline after a batch, the
API before a search, `strichka search` before it looks. So the poller, which has no
morphology, still never leaves an article out of the index for longer than until the next
search.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from strichka.records import Article
from strichka.search.query import Highlight, ParsedQuery, parse_query
from strichka.search.terms import Lemmatiser, body_text, search_document, words
from strichka.store.base import SearchFilters, SearchStore

SNIPPET_WORDS = 32
_INDEX_BATCH = 500
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One hit; `title_html` and `snippet_html` are escaped text with <mark> around matches."""

    article: Article
    score: float
    title_html: str
    snippet_html: str


def index_pending(store: SearchStore, lemmatiser: Lemmatiser) -> int:
    """Index every queued article; returns how many. Cheap when the queue is empty."""
    done = 0
    while batch := store.pending_search_articles(limit=_INDEX_BATCH):
        store.index_articles([search_document(article, lemmatiser) for article in batch])
        done += len(batch)
    return done


def search(
    store: SearchStore,
    query: str,
    *,
    lemmatiser: Lemmatiser,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    now: datetime | None = None,
) -> list[SearchResult]:
    """Best matches first; raises MalformedQuery for a query that cannot be read."""
    parsed = parse_query(query, lemmatiser)
    return run_query(
        store, parsed, filters=filters or SearchFilters(), limit=limit, offset=offset, now=now
    )


def run_query(
    store: SearchStore,
    parsed: ParsedQuery,
    *,
    filters: SearchFilters,
    limit: int,
    offset: int,
    now: datetime | None = None,
) -> list[SearchResult]:
    hits = store.search_articles(
        parsed.match,
        filters=filters,
        now=now or datetime.now(UTC),
        limit=limit,
        offset=offset,
    )
    return [
        SearchResult(
            article=hit.article,
            score=hit.score,
            title_html=mark_text(hit.article.title, hit.title_terms, parsed.highlight),
            snippet_html=snippet(body_text(hit.article), hit.body_terms, parsed.highlight),
        )
        for hit in hits
    ]


def mark_text(text: str, terms: str, highlight: Highlight) -> str:
    """All of `text`, escaped, with matched words in <mark>."""
    spans = list(words(text))
    keys = terms.split()
    if not spans or len(spans) != len(keys):  # changed since it was indexed: unmarked
        return html.escape(text)
    return _render(text, spans, keys, highlight, 0, len(spans))


def snippet(text: str, terms: str, highlight: Highlight, *, size: int = SNIPPET_WORDS) -> str:
    """The `size`-word window of `text` with the most matched words, escaped and marked."""
    spans = list(words(text))
    keys = terms.split()
    if not spans:
        return ""
    if len(spans) != len(keys):
        keys = [""] * len(spans)
    matched = [i for i, key in enumerate(keys) if key and highlight.matches(key)]
    start = 0
    best = 0
    first = 0
    for last, index in enumerate(matched):
        while index - matched[first] >= size:
            first += 1
        if last - first + 1 > best:
            best = last - first + 1
            start = matched[first]
    start = max(0, min(start - 3, len(spans) - size))
    end = min(len(spans), start + size)
    body = _render(text, spans, keys, highlight, start, end)
    return ("… " if start else "") + body + (" …" if end < len(spans) else "")


def _render(
    text: str,
    spans: list[re.Match[str]],
    keys: list[str],
    highlight: Highlight,
    start: int,
    end: int,
) -> str:
    parts: list[str] = []
    position = 0 if start == 0 else spans[start].start()
    for index in range(start, end):
        span = spans[index]
        parts.append(html.escape(_SPACES.sub(" ", text[position : span.start()])))
        word = html.escape(span.group())
        marked = keys[index] and highlight.matches(keys[index])
        parts.append(f"<mark>{word}</mark>" if marked else word)
        position = span.end()
    if end == len(spans):
        parts.append(html.escape(_SPACES.sub(" ", text[position:]).rstrip()))
    return "".join(parts)
