"""Story assignment with 100,000 and 1,000,000 articles already indexed.

The articles are real BRUK press texts, perturbed: each copy drops a fifth of its terms at
random and gains a few random rare terms, and the copies are spread over time at about 3,000
articles a day (a large national aggregator). Building a million articles through the
importer and SQLite would take far longer than a benchmark should on a small machine, so the
state is built directly: each perturbed article is counted into the document frequencies and
opens a story in the `StoryIndex` (the same calls assignment makes, minus the search). Then
2,000 further perturbed articles are assigned (feature extraction excluded: it does not
depend on the store's size) and timed. Cold stories leave memory as in production, so the
time per article must stay flat: the second size may take at most twice the first.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from benchmarks.common import SHARED_DATA, report, require
from strichka.records import Article, Block
from strichka.stories.features import Analyzer, ArticleFeatures
from strichka.stories.index import StoryIndex

SIZES = (100_000, 1_000_000)
PER_DAY = 3_000
MEASURED = 2_000


def base_features() -> list[ArticleFeatures]:
    corpus = require(SHARED_DATA / "bruk-press" / "bruk-press.jsonl")
    analyzer = Analyzer()
    features = []
    for line in corpus.open(encoding="utf-8"):
        record = json.loads(line)
        blocks = tuple(Block("paragraph", p) for p in record["text"].split("\n") if p.strip())
        article = Article(id=record["id"], title=record["title"], blocks=blocks, language="uk")
        features.append(analyzer.features(article))
    return features


def perturb(base: ArticleFeatures, rng: random.Random) -> ArticleFeatures:
    terms = {t: w for t, w in base.terms.items() if rng.random() > 0.2}
    for _ in range(5):
        terms[f"x{rng.randrange(500_000)}"] = 1.0
    return ArticleFeatures(base.language, terms, base.entities, base.dates, base.regions)


def moment(n: int) -> datetime:
    return datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=n / PER_DAY)


def build(size: int, bases: list[ArticleFeatures], rng: random.Random) -> StoryIndex:
    index = StoryIndex()
    for n in range(size):
        features = perturb(bases[n % len(bases)], rng)
        index.observe(features)
        index.add_story(f"s{n}", n, features, moment(n))
    return index


def assign(
    index: StoryIndex, start: int, bases: list[ArticleFeatures], rng: random.Random
) -> float:
    batch = [perturb(bases[rng.randrange(len(bases))], rng) for _ in range(MEASURED)]
    began = time.perf_counter()
    for offset, features in enumerate(batch):
        n = start + offset
        index.observe(features)
        match = index.best_match(features, moment(n))
        if match is None:
            index.add_story(f"s{n}", n, features, moment(n))
        else:
            index.join(match.story_id, features, moment(n))
    return time.perf_counter() - began


def main() -> None:
    rng = random.Random(6)
    bases = base_features()
    figures: dict[str, object] = {"benchmark": "story assignment"}
    per_article = []
    for size in SIZES:
        began = time.perf_counter()
        index = build(size, bases, rng)
        built = time.perf_counter() - began
        seconds = assign(index, size, bases, rng)
        per_article.append(seconds / MEASURED)
        label = f"{size // 1000}k"
        figures[f"build_{label}_s"] = round(built, 1)
        figures[f"articles_per_s_{label}"] = round(MEASURED / seconds, 1)
        figures[f"ms_per_article_{label}"] = round(1000 * seconds / MEASURED, 3)
        figures[f"warm_stories_{label}"] = len(index.stories)
        print(f"{size}: built in {built:.0f} s", file=sys.stderr)
        del index
    figures["ratio"] = round(per_article[1] / per_article[0], 2)
    report(**figures)


if __name__ == "__main__":
    main()
