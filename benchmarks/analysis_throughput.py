"""Language analysis throughput on 3 KB (UTF-8) Ukrainian articles built from real BRUK press texts.

Part I is language, sentences, entities with canonical names and keywords; part I+II adds
dates, cited outlets, quotes, roles and claims. Each article is analysed once, in one
process on one core, with caches starting empty: what a stream of new articles costs.
"""

from __future__ import annotations

import json
import time

from benchmarks.common import SHARED_DATA, report, require
from strichka.nlp.analysis import LanguageResources, analyse
from strichka.nlp.claims import analyse_attribution
from strichka.nlp.entities import recognise
from strichka.nlp.tokens import split_sentences
from strichka.records import Article, Block

ARTICLE_BYTES = 3 * 1024


def articles() -> list[Article]:
    corpus = require(SHARED_DATA / "bruk-press" / "bruk-press.jsonl")
    built = []
    for line in corpus.open(encoding="utf-8"):
        record = json.loads(line)
        text = record["text"].encode("utf-8")[:ARTICLE_BYTES].decode("utf-8", "ignore")
        text = text.rsplit(" ", 1)[0]  # end on a whole word
        blocks = tuple(Block("paragraph", p) for p in text.split("\n") if p.strip())
        built.append(Article(id=record["id"], title=record["title"], blocks=blocks))
    return built


def rate(corpus: list[Article], resources: LanguageResources) -> float:
    started = time.perf_counter()
    for article in corpus:
        analyse(article, resources=resources)
    return len(corpus) / (time.perf_counter() - started)


def main() -> None:
    started = time.perf_counter()
    resources = LanguageResources.load()
    load_seconds = time.perf_counter() - started
    corpus = articles()
    size = sum(len(a.analysis_text.encode("utf-8")) for a in corpus)

    started = time.perf_counter()
    for article in corpus:
        recognise(article.analysis_text, resources=resources.entities)
    entities_rate = len(corpus) / (time.perf_counter() - started)

    cold = rate(corpus, LanguageResources.load())
    # A running aggregator has seen most words before: warm the caches on one half of the
    # corpus, measure on the other half (different articles, so no text is seen twice).
    warm = LanguageResources.load()
    half = len(corpus) // 2
    rate(corpus[:half], warm)
    steady = rate(corpus[half:], warm)

    part_two = 0.0
    for article in corpus:
        text = article.analysis_text
        sentences = split_sentences(text)
        mentions = recognise(text, resources=warm.entities)
        t0 = time.perf_counter()
        analyse_attribution(
            text,
            mentions=mentions,
            sentences=sentences,
            reference_date=None,
            resources=warm.entities,
        )
        part_two += time.perf_counter() - t0
    report(
        benchmark="analysis 3 KB uk",
        articles=len(corpus),
        mean_bytes=round(size / len(corpus)),
        load_s=round(load_seconds, 2),
        entities_only_per_s=round(entities_rate, 1),
        full_cold_per_s=round(cold, 1),
        full_steady_per_s=round(steady, 1),
        part_two_ms=round(1000 * part_two / len(corpus), 2),
    )


if __name__ == "__main__":
    main()
