"""What a reader sees of a story: headline, «Коротко», who reported first, why it is one story.

Everything is extractive and computed from the stored articles and the story index, so it
is reproducible and never says more than the articles do:
- headline: the title of the article closest to the story's centroid (the most typical
  telling, not the first or the loudest);
- «Коротко»: 2–3 sentences from the articles' opening paragraphs chosen by maximal marginal
  relevance: each next sentence is the one most about the story and least like the sentences
  already chosen; a sentence that repeats a chosen one in substance (cosine ≥ `REPEAT`) is
  never taken, so two outlets' wordings of one fact appear once;
- why: the terms and names that most of the story's articles share, shown to the user;
- every article without a given lead gets an extractive one (its first 1–2 sentences).

Quotes, attributed claims and contradictions are left empty (`quotes`, `claims`): they are
filled when the quote/claim layer stores them per article.
"""

from __future__ import annotations

import heapq
import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from strichka.nlp.tokens import split_sentences
from strichka.records import Article
from strichka.store.base import StoryLink, StoryStore
from strichka.stories.features import Analyzer, ArticleFeatures
from strichka.stories.index import StoryIndex

SUMMARY_SENTENCES = 3
REPEAT = 0.5
"""Cosine between two sentences above which the second says the same thing again."""
_MMR_LAMBDA = 0.7
_LEAD_CHARS = 300
_SENTENCES_PER_ARTICLE = 6


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    article_id: str
    title: str
    outlet: str | None
    published_at: datetime | None
    duplicate_of: str | None
    lead: str


@dataclass(frozen=True, slots=True)
class RelatedStory:
    id: str
    headline: str
    score: float


@dataclass(frozen=True, slots=True)
class StorySummary:
    id: str
    headline: str
    korotko: tuple[str, ...]
    first_outlet: str | None
    first_at: datetime | None
    outlets: tuple[tuple[str, int], ...]
    article_count: int
    timeline: tuple[TimelineEntry, ...]
    top_entities: tuple[str, ...]
    why: tuple[str, ...]
    related: tuple[RelatedStory, ...] = ()
    quotes: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)
    claims: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        def when(moment: datetime | None) -> str | None:
            return moment.isoformat() if moment else None

        return {
            "id": self.id,
            "headline": self.headline,
            "korotko": list(self.korotko),
            "first_outlet": self.first_outlet,
            "first_at": when(self.first_at),
            "outlets": [{"outlet": o, "articles": n} for o, n in self.outlets],
            "article_count": self.article_count,
            "timeline": [
                {
                    "article_id": e.article_id,
                    "title": e.title,
                    "outlet": e.outlet,
                    "published_at": when(e.published_at),
                    "duplicate_of": e.duplicate_of,
                    "lead": e.lead,
                }
                for e in self.timeline
            ],
            "top_entities": list(self.top_entities),
            "why": list(self.why),
            "related": [
                {"id": r.id, "headline": r.headline, "score": r.score} for r in self.related
            ],
            "quotes": list(self.quotes),
            "claims": list(self.claims),
        }


def extractive_lead(article: Article, *, max_chars: int = _LEAD_CHARS) -> str:
    """The article's own lead, else its first sentence (two when the first is short)."""
    if article.lead:
        return article.lead
    text = next(iter(article.paragraphs), "") or article.body_text
    sentences = [text[s.start : s.end] for s in split_sentences(text)]
    lead = ""
    for sentence in sentences[:2]:
        if lead and len(lead) + len(sentence) > max_chars:
            break
        lead = f"{lead} {sentence}".strip()
    return lead


def _unit(vector: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
    return {t: w / norm for t, w in vector.items()}


def _cosine(first: Mapping[str, float], second: Mapping[str, float]) -> float:
    return sum(w * second.get(t, 0.0) for t, w in first.items())


def _display(term: str) -> str:
    return term[1:] if term[:1] in "@#" else term


def summarise(
    store: StoryStore,
    story_id: str,
    *,
    analyzer: Analyzer,
    index: StoryIndex,
    related: int = 5,
) -> StorySummary:
    """The full reader's view of one story (by id, prefix or an id merged into it)."""
    row = store.get_story(story_id)
    members = store.story_members(row.id)
    articles = [store.get_article(link.article_id) for link, _ in members]
    features = [ArticleFeatures.from_dict(json.loads(data)) for _, data in members]
    links = [link for link, _ in members]
    centroid: Counter[str] = Counter()
    for item in features:
        centroid.update(item.terms)
    center = _unit({t: w * index.idf(t) for t, w in centroid.items()})
    typical = max(
        range(len(articles)),
        key=lambda i: _cosine(
            _unit({t: w * index.idf(t) for t, w in features[i].terms.items()}), center
        ),
    )
    order = sorted(range(len(articles)), key=lambda i: _time_key(links[i]))
    first = articles[order[0]]
    outlets = Counter(a.outlet or a.outlet_domain or a.aggregator or "—" for a in articles)
    return StorySummary(
        id=row.id,
        headline=articles[typical].title,
        korotko=_korotko(articles, features, center, analyzer=analyzer, index=index),
        first_outlet=first.outlet or first.outlet_domain or first.aggregator,
        first_at=first.published_at,
        outlets=tuple(outlets.most_common()),
        article_count=len(articles),
        timeline=tuple(
            TimelineEntry(
                articles[i].id,
                articles[i].title,
                articles[i].outlet or articles[i].outlet_domain,
                articles[i].published_at,
                links[i].duplicate_of,
                extractive_lead(articles[i]),
            )
            for i in order
        ),
        top_entities=_top_entities(features),
        why=_why(features, index),
        related=tuple(related_stories(store, index, row.id, k=related)),
    )


def _time_key(link: StoryLink) -> tuple[bool, datetime | None, int]:
    return (link.published_at is None, link.published_at, link.seq)


def _korotko(
    articles: Sequence[Article],
    features: Sequence[ArticleFeatures],
    center: Mapping[str, float],
    *,
    analyzer: Analyzer,
    index: StoryIndex,
) -> tuple[str, ...]:
    candidates: list[tuple[str, dict[str, float]]] = []
    seen: set[str] = set()
    for article, item in zip(articles, features, strict=True):
        text = "\n".join(p for p in (article.lead, *article.paragraphs) if p)
        for sentence in split_sentences(text)[:_SENTENCES_PER_ARTICLE]:
            words = text[sentence.start : sentence.end].strip()
            if len(words) < 40 or words in seen:
                continue
            seen.add(words)
            terms = Counter(analyzer.terms(words, item.language))
            vector = _unit({t: (1 + math.log(n)) * index.idf(t) for t, n in terms.items()})
            candidates.append((words, vector))
    chosen: list[tuple[str, dict[str, float]]] = []
    while candidates and len(chosen) < SUMMARY_SENTENCES:

        def gain(item: tuple[str, dict[str, float]]) -> float:
            redundancy = max((_cosine(item[1], c[1]) for c in chosen), default=0.0)
            return _MMR_LAMBDA * _cosine(item[1], center) - (1 - _MMR_LAMBDA) * redundancy

        best = max(candidates, key=gain)
        candidates.remove(best)
        if all(_cosine(best[1], c[1]) < REPEAT for c in chosen):
            chosen.append(best)
    return tuple(words for words, _ in chosen)


def _top_entities(features: Sequence[ArticleFeatures], limit: int = 8) -> tuple[str, ...]:
    """Names most articles give most prominence (each article lists its names by frequency)."""
    scores: Counter[str] = Counter()
    for item in features:
        for rank, name in enumerate(item.entities[:limit]):
            scores[name] += limit - rank
    return tuple(name for name, _ in scores.most_common(limit))


def _why(
    features: Sequence[ArticleFeatures], index: StoryIndex, limit: int = 10
) -> tuple[str, ...]:
    """Terms and names in at least half the articles (all, for two), the rarest first."""
    if len(features) < 2:
        return ()
    shared: Counter[str] = Counter()
    for item in features:
        shared.update(item.terms.keys())
    needed = max(2, math.ceil(len(features) / 2))
    common = [t for t, n in shared.items() if n >= needed]
    best = heapq.nlargest(limit, common, key=lambda t: shared[t] * index.idf(t))
    return tuple(dict.fromkeys(_display(t) for t in best))


def related_stories(
    store: StoryStore, index: StoryIndex, story_id: str, *, k: int = 5
) -> list[RelatedStory]:
    """The k warm stories most like this one (shared terms and names), never itself."""
    resolved = store.resolve_story(story_id)
    story = index.stories.get(resolved)
    if story is None:
        members = store.story_members(resolved)
        centroid: Counter[str] = Counter()
        for _, data in members:
            centroid.update(ArticleFeatures.from_dict(json.loads(data)).terms)
        vector = index.weighted(centroid)
    else:
        vector = index.weighted(story.centroid)
    scored = []
    for other_id in index.candidates(vector, exclude=resolved):
        score = index.similarity(vector, index.stories[other_id].centroid)
        if score > 0:
            scored.append((score, other_id))
    found = []
    for score, other_id in heapq.nlargest(k, scored):
        first = store.story_members(other_id)[:1]
        headline = store.get_article(first[0][0].article_id).title if first else ""
        found.append(RelatedStory(other_id, headline, round(score, 3)))
    return found
