"""Search latency: p50/p95/p99 of a fixed mix of 200 queries over 100,000 articles.

The articles are built from the real press texts of ../shared/data/bruk-press: each takes a
title sentence and 4-14 body sentences drawn from one to three texts, with a random outlet and
date over two years. Sentences are lemmatised once and their keys reused, so building the index
takes a minute instead of an hour; the keys are exactly what the import would have written.
The timed call is the whole `strichka.search.search`: parsing, FTS5, ranking and snippets.

    python -m benchmarks.search_latency [ARTICLES]
"""

from __future__ import annotations

import json
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pymorphy3

from benchmarks.common import SHARED_DATA, report, require
from strichka.nlp.morph import Morphology
from strichka.records import Article, Block
from strichka.search import search
from strichka.search.terms import text_keys
from strichka.store import SQLiteStore
from strichka.store.base import SearchDocument, SearchFilters

QUERIES = 200
_SENTENCE = re.compile(r"(?<=[.!?…])\s+")
_START = datetime(2024, 1, 1, tzinfo=UTC)


def _sentences(morph: Morphology, texts: list[dict[str, str]]) -> list[list[tuple[str, str]]]:
    """Per text: its sentences with their index keys."""
    result = []
    for item in texts:
        pieces = [s.strip() for s in _SENTENCE.split(item["text"]) if len(s.split()) >= 4]
        result.append([(s, " ".join(text_keys(s, morph))) for s in pieces[:60]])
    return [r for r in result if len(r) >= 3]


def build(store: SQLiteStore, morph: Morphology, count: int, rng: random.Random) -> list[str]:
    texts = [
        json.loads(line)
        for line in (SHARED_DATA / "bruk-press" / "bruk-press.jsonl").open(encoding="utf-8")
    ]
    outlets = sorted({t["outlet"] for t in texts if t.get("outlet")})
    corpus = _sentences(morph, texts)
    documents: list[SearchDocument] = []
    with store.transaction():
        for n in range(count):
            sources = rng.sample(corpus, rng.randint(1, 3))
            title, title_keys = rng.choice(sources[0])
            body = [rng.choice(rng.choice(sources)) for _ in range(rng.randint(4, 14))]
            article = Article(
                id=f"b{n:07d}",
                title=title,
                blocks=tuple(Block("paragraph", text) for text, _ in body),
                outlet=rng.choice(outlets),
                published_at=_START + timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60)),
                language="uk",
                source_format="benchmark",
            )
            store.upsert_article(article)
            documents.append(
                SearchDocument(article.id, title_keys, " ".join(keys for _, keys in body))
            )
            if len(documents) == 1000:
                store.index_articles(documents)
                documents.clear()
        store.index_articles(documents)
    return outlets


def query_mix(
    morph: Morphology, outlets: list[str], rng: random.Random
) -> list[tuple[str, SearchFilters]]:
    """200 queries: words in inflected forms, pairs, phrases, OR, NOT, prefixes, filters."""
    texts = [
        json.loads(line)
        for line in (SHARED_DATA / "bruk-press" / "bruk-press.jsonl").open(encoding="utf-8")
    ]
    words = [w for t in texts[:200] for w in re.findall(r"[А-ЯІЇЄҐа-яіїєґ']{5,}", t["text"])]
    pairs = [
        " ".join(m) for t in texts[:200] for m in re.findall(r"(\w{4,}) (\w{4,})", t["text"])[:5]
    ]
    mix: list[tuple[str, SearchFilters]] = []
    no_filter = SearchFilters()
    for n in range(QUERIES):
        kind = n % 8
        if kind in (0, 1):
            mix.append((rng.choice(words), no_filter))
        elif kind == 2:
            mix.append((f"{rng.choice(words)} {rng.choice(words)}", no_filter))
        elif kind == 3:
            mix.append((f'"{rng.choice(pairs)}"', no_filter))
        elif kind == 4:
            mix.append((f"{rng.choice(words)} OR {rng.choice(words)}", no_filter))
        elif kind == 5:
            mix.append((f"{rng.choice(words)} NOT {rng.choice(words)}", no_filter))
        elif kind == 6:
            mix.append((rng.choice(words)[:4] + "*", no_filter))
        else:
            since = _START + timedelta(days=rng.randint(0, 600))
            filters = SearchFilters(
                outlet=rng.choice(outlets), since=since, until=since + timedelta(days=90)
            )
            mix.append((rng.choice(words), filters))
    return mix


def main() -> None:
    require(SHARED_DATA / "bruk-press" / "bruk-press.jsonl")
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    morph = Morphology(pymorphy3.MorphAnalyzer(lang="uk"))
    rng = random.Random(20251031)
    with tempfile.TemporaryDirectory() as tmp, SQLiteStore(Path(tmp) / "bench.db") as store:
        started = time.perf_counter()
        outlets = build(store, morph, count, rng)
        build_s = time.perf_counter() - started
        mix = query_mix(morph, outlets, rng)
        now = datetime(2026, 1, 1, tzinfo=UTC)
        for query, filters in mix[:20]:  # warm the page cache
            search(store, query, lemmatiser=morph, filters=filters, now=now)
        timings = []
        hits = 0
        for query, filters in mix:
            started = time.perf_counter()
            results = search(store, query, lemmatiser=morph, filters=filters, limit=20, now=now)
            timings.append((time.perf_counter() - started) * 1000)
            hits += bool(results)
        cuts = statistics.quantiles(timings, n=100)
        report(
            benchmark="search_latency",
            articles=count,
            queries=len(mix),
            queries_with_hits=hits,
            p50_ms=round(cuts[49], 2),
            p95_ms=round(cuts[94], 2),
            p99_ms=round(cuts[98], 2),
            max_ms=round(max(timings), 2),
            build_s=round(build_s, 1),
        )


if __name__ == "__main__":
    main()
