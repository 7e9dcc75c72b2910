"""How well stories form, on labelled and unlabelled real news.

- `evaluate_pairs`: expert-labelled pairs («same story» OK / BAD). All articles of the file go
  into a fresh store in file order and are clustered exactly as in production (assignment,
  then one consolidation pass); a pair is predicted OK when both articles end up in one
  story. Precision, recall and F1 are of the OK class.
- `bruk_false_merges`: 580 mostly unrelated press texts; how many land in a story with
  another text, and how many of those share it with another publication (not merely with
  another part of one publication the corpus cut in two).
- `slavicner_purity`: news on six topics in Ukrainian and Russian; purity is the share of
  articles that belong to their story's majority topic (a story mixing topics lowers it).
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from strichka.errors import MalformedItem
from strichka.evaluation.corpus import corpus_files, json_lines, object_field, text_field
from strichka.extract.text import is_site_chrome, without_timestamps
from strichka.nlp.analysis import LanguageResources
from strichka.pipeline import Stages
from strichka.records import Article, Block, stable_id
from strichka.store import SQLiteStore
from strichka.stories.engine import StoryEngine
from strichka.stories.features import Analyzer
from strichka.stories.index import StoryParams


@dataclass(frozen=True, slots=True)
class PairsReport:
    precision: float
    recall: float
    f1: float
    pairs: int
    orders: OrdersReport | None = None
    """F1 over shuffled arrival orders, when asked for (`orders=`)."""

    def to_json(self) -> str:
        data = asdict(self)
        if self.orders is None:
            del data["orders"]
        return json.dumps(data)

    def describe(self) -> str:
        line = (
            f"pairs {self.pairs}  precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"F1 {self.f1:.3f}"
        )
        if self.orders is not None:
            line += "\n" + self.orders.describe()
        return line


@dataclass(frozen=True, slots=True)
class OrdersReport:
    """Online clustering depends on arrival order: the spread of F1 over random orders says
    how much of the file-order figure is luck."""

    count: int
    f1_mean: float
    f1_sd: float
    f1_min: float
    f1_max: float

    def describe(self) -> str:
        return (
            f"{self.count} random orders: F1 mean {self.f1_mean:.3f}  sd {self.f1_sd:.3f}  "
            f"min {self.f1_min:.3f}  max {self.f1_max:.3f}"
        )


def _article(title: str, text: str, *, url: str | None, key: str, language: str | None) -> Article:
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    return Article(
        id=stable_id(key),
        title=title,
        blocks=tuple(Block("paragraph", p) for p in paragraphs),
        url=url,
        canonical_url=url,
        language=language,
        source_format="evaluation",
    )


def cluster_articles(
    articles: Iterable[Article],
    *,
    analyzer: Analyzer,
    params: StoryParams | None = None,
    on_article: Callable[[], object] | None = None,
) -> dict[str, str]:
    """Analyse, store and cluster articles as import does, in a fresh temporary store;
    article id → story id."""
    with tempfile.TemporaryDirectory() as folder, SQLiteStore(Path(folder) / "eval.db") as store:
        engine = StoryEngine.load(store, analyzer, params)
        stages = Stages(language=LanguageResources.load(), stories=engine)
        ids: list[str] = []
        for article in articles:
            _, stored = store.upsert_article(stages.analyse(article))
            stages.stored(stored)
            ids.append(stored.id)
            if on_article:
                on_article()
        stages.finish_batch()
        stories = {}
        for article_id in ids:
            link = store.story_link(article_id)
            assert link is not None
            stories[article_id] = store.resolve_story(link.story_id)
        return stories


def evaluate_pairs(
    path: Path,
    *,
    analyzer: Analyzer | None = None,
    params: StoryParams | None = None,
    orders: int = 0,
) -> PairsReport:
    """P/R/F1 of «same story» on the OK class for a pairs file like pairs-dev.jsonl, in file
    order; with `orders`, also F1 over that many seeded random orders."""
    articles: dict[str, Article] = {}
    pairs: list[tuple[str, str, bool]] = []
    for where, row in json_lines(path):
        label = text_field(row, "label", where)
        if label not in ("OK", "BAD"):
            raise MalformedItem(f"label must be OK or BAD, not {label!r}", source=where)
        ids = []
        for name in ("first", "second"):
            side = object_field(row, name, where)
            title = text_field(side, "title", where)
            text = text_field(side, "text", where, default="")
            url = text_field(side, "url", where, default="") or None
            key = "url:" + url if url else "text:" + stable_id(title + "\n" + text)
            article = _article(title, text, url=url, key=key, language=None)
            articles.setdefault(article.id, article)
            ids.append(article.id)
        pairs.append((ids[0], ids[1], label == "OK"))
    analyzer = analyzer or Analyzer.with_entities()
    precision, recall, f1 = _scores(
        pairs, cluster_articles(articles.values(), analyzer=analyzer, params=params)
    )
    spread = None
    if orders:
        shuffled = []
        for seed in range(orders):
            order = list(articles.values())
            random.Random(seed).shuffle(order)
            shuffled.append(
                _scores(pairs, cluster_articles(order, analyzer=analyzer, params=params))[2]
            )
        spread = OrdersReport(
            orders,
            round(statistics.fmean(shuffled), 4),
            round(statistics.pstdev(shuffled), 4),
            round(min(shuffled), 4),
            round(max(shuffled), 4),
        )
    return PairsReport(round(precision, 4), round(recall, 4), round(f1, 4), len(pairs), spread)


def _scores(
    pairs: Iterable[tuple[str, str, bool]], stories: Mapping[str, str]
) -> tuple[float, float, float]:
    """Precision, recall and F1 of the OK class: a pair is predicted OK when both articles
    are in one story."""
    tp = fp = fn = 0
    for first, second, ok in pairs:
        together = stories[first] == stories[second]
        tp += ok and together
        fp += not ok and together
        fn += ok and not together
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def bruk_false_merges(
    path: Path, *, analyzer: Analyzer | None = None, params: StoryParams | None = None
) -> tuple[int, int, int]:
    """(texts in multi-article stories, those in a story with another publication, texts).

    Each text goes in as an article of its own, even where the corpus gives several texts
    one URL. BRUK cuts some long publications into parts (ids ending _1, _2 or (I), (II))
    that keep the publication's URL and title; parts of one publication are one story, so a
    story is a false merge only when it holds texts of two publications (URL and title,
    the title in NFKC so that «…» and «...» agree; PDF issues of a magazine share one URL
    across different titles).
    """
    articles: list[Article] = []
    publication_of: list[tuple[str, str]] = []  # (URL or id, title) of each article
    for where, record in json_lines(path):
        text_id, title = text_field(record, "id", where), text_field(record, "title", where)
        text = text_field(record, "text", where)
        articles.append(_article(title, text, url=None, key=f"bruk:{text_id}", language="uk"))
        url = str(record.get("url") or text_id)
        publication_of.append((url, unicodedata.normalize("NFKC", title).strip()))
    stories = cluster_articles(
        articles, analyzer=analyzer or Analyzer.with_entities(), params=params
    )
    publications: dict[str, set[tuple[str, str]]] = {}
    for article, publication in zip(articles, publication_of, strict=True):
        publications.setdefault(stories[article.id], set()).add(publication)
    sizes = Counter(stories.values())
    merged = [story for story in stories.values() if sizes[story] > 1]
    false = [story for story in merged if len(publications[story]) > 1]
    return len(merged), len(false), len(stories)


def slavicner_purity(
    raw_dir: Path, *, analyzer: Analyzer | None = None, params: StoryParams | None = None
) -> tuple[float, int, int]:
    """(purity, articles, stories) over raw/<topic>/<lang>/*.txt (first line the title)."""
    topics: dict[str, str] = {}
    articles: list[Article] = []
    expected = "a SlavicNER raw/ folder (<topic>/uk/*.txt, <topic>/ru/*.txt)"
    for path in corpus_files(raw_dir, "*/uk/*.txt", "*/ru/*.txt", expected=expected):
        topic, language = path.parent.parent.name, path.parent.name
        # The first line is the title, unless it is a cookie notice the scraper kept; as
        # import reads a title, without a listing's time stamp.
        lines = [
            line.strip()
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not is_site_chrome(line)
        ]
        article = _article(
            without_timestamps(lines[0]),
            "\n".join(lines[1:]),
            url=None,
            key=f"slavicner:{topic}/{language}/{path.name}",
            language=language,
        )
        topics[article.id] = topic
        articles.append(article)
    stories = cluster_articles(
        articles, analyzer=analyzer or Analyzer.with_entities(), params=params
    )
    members: dict[str, Counter[str]] = {}
    for article_id, story in stories.items():
        members.setdefault(story, Counter())[topics[article_id]] += 1
    majority = sum(counts.most_common(1)[0][1] for counts in members.values())
    return majority / len(stories), len(stories), len(members)
