"""The online story index: which stories are warm, what they are about, how words weigh.

One `StoryIndex` is the whole clustering state. It is an object the caller owns and passes
around (never a global); `strichka.stories.engine` loads it from the store and writes every
change back, so a restart resumes where it stopped.

Decisions, and why:
- Similarity is the cosine of TF-IDF vectors: an article's term weights (see features.py)
  against its story's centroid, the summed weights of the story's articles. Document
  frequencies are learnt online from the articles seen, never shipped from a corpus: the
  weight of a word is what it is worth in *this* stream. Until the stream is large, IDF is
  smoothed by `idf_prior_docs` pseudo-documents that lack every term, so the first articles
  are not compared with near-zero weights (a term in 2 of 3 articles is not common yet).
- Candidates come from an inverted index: each of the article's `key_terms` heaviest terms
  points to the stories most recently about it (at most `posting_cap` per term). The cost of
  one article is bounded by key_terms × posting_cap and does not grow with the store.
- Stories go cold: a story whose last article is more than `window` older than the newest
  article seen is dropped from memory (it stays in the store). Without times (the labelled
  pairs have none) nothing goes cold by time; `max_warm` bounds memory instead, evicting the
  least recently updated stories.
- A story's centroid keeps its `centroid_terms` heaviest terms: enough to describe an event,
  and it bounds the cost of a comparison.
- Two titles that name different days («8 листопада», «16 листопада»), or two reports from
  different regions («у Полтавській області», «у Сумській області»), are different events
  (`apart`); a story names the days and regions of all its articles.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from strichka.stories.features import ArticleFeatures


@dataclass(frozen=True, slots=True)
class StoryParams:
    """The few knobs of clustering. Defaults are what `make eval` figures were measured with.

    `threshold` is the cosine at which an article joins a story: below it an article shares
    only its topic's vocabulary with the story; `merge_threshold` is the stricter cosine at
    which consolidation fuses two stories' centroids (both are averages, so less noisy).
    """

    threshold: float = 0.4
    merge_threshold: float = 0.5
    window: timedelta | None = timedelta(days=3)
    max_warm: int = 300_000
    posting_cap: int = 48
    key_terms: int = 12
    centroid_terms: int = 64
    candidates: int = 24
    idf_prior_docs: float = 100.0
    near_duplicate_jaccard: float = 0.5
    near_duplicate_containment: float = 0.85


@dataclass(slots=True)
class StoryState:
    """A warm story as the index sees it."""

    id: str
    seq: int
    centroid: dict[str, float]
    size: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None
    dates: frozenset[str] = field(default_factory=frozenset)
    regions: frozenset[str] = field(default_factory=frozenset)
    touched: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "centroid": self.centroid,
            "dates": sorted(self.dates),
            "regions": sorted(self.regions),
        }


@dataclass(frozen=True, slots=True)
class Match:
    story_id: str
    score: float


class StoryIndex:
    """Document frequencies, warm stories and the inverted index over their key terms."""

    def __init__(self, params: StoryParams | None = None) -> None:
        self.params = params or StoryParams()
        self.docs = 0
        self.df: Counter[str] = Counter()
        self.stories: dict[str, StoryState] = {}
        self.postings: dict[str, deque[str]] = {}
        self.clock: datetime | None = None
        self._touch = 0
        self._since_sweep = 0

    # ------------------------------------------------------------------ weights

    def idf(self, term: str) -> float:
        prior = self.params.idf_prior_docs
        return math.log((self.docs + prior + 1.0) / (self.df.get(term, 0) + 1.0))

    def weighted(self, terms: Mapping[str, float]) -> dict[str, float]:
        """Unit-length TF-IDF vector of raw term weights."""
        vector = {term: weight * self.idf(term) for term, weight in terms.items()}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        return {term: w / norm for term, w in vector.items()}

    def observe(self, features: ArticleFeatures) -> None:
        """Count the article into the document frequencies (before it is matched)."""
        self.docs += 1
        self.df.update(features.terms.keys())

    # ------------------------------------------------------------------ matching

    def best_match(self, features: ArticleFeatures, published_at: datetime | None) -> Match | None:
        """The warm story the article belongs to, if any reaches the threshold."""
        vector = self.weighted(features.terms)
        best: Match | None = None
        for story_id in self.candidates(vector):
            story = self.stories[story_id]
            if not self._in_time(story, published_at) or apart(features, story):
                continue
            score = self.similarity(vector, story.centroid)
            if score >= self.params.threshold and (best is None or score > best.score):
                best = Match(story_id, score)
        return best

    def similarity(self, vector: Mapping[str, float], centroid: Mapping[str, float]) -> float:
        other = self.weighted(centroid)
        return sum(weight * other.get(term, 0.0) for term, weight in vector.items())

    def candidates(self, vector: Mapping[str, float], *, exclude: str | None = None) -> list[str]:
        """Warm stories sharing the vector's key terms, best-overlapping first."""
        keys = heapq.nlargest(self.params.key_terms, vector.items(), key=lambda item: item[1])
        overlap: dict[str, float] = {}
        for term, weight in keys:
            for story_id in set(self.postings.get(term, ())):
                if story_id in self.stories and story_id != exclude:
                    overlap[story_id] = overlap.get(story_id, 0.0) + weight
        return heapq.nlargest(self.params.candidates, overlap, key=overlap.__getitem__)

    def _in_time(self, story: StoryState, moment: datetime | None) -> bool:
        window = self.params.window
        if window is None or moment is None or story.last_at is None or story.first_at is None:
            return True
        return story.first_at - window <= moment <= story.last_at + window

    # ------------------------------------------------------------------ updates

    def add_story(
        self,
        story_id: str,
        seq: int,
        features: ArticleFeatures,
        published_at: datetime | None,
    ) -> StoryState:
        story = StoryState(story_id, seq, {})
        self.stories[story_id] = story
        self.join(story_id, features, published_at)
        return story

    def join(
        self, story_id: str, features: ArticleFeatures, published_at: datetime | None
    ) -> StoryState:
        """Add an article's terms to a warm story and re-index the story's key terms."""
        story = self.stories[story_id]
        for term, weight in features.terms.items():
            story.centroid[term] = story.centroid.get(term, 0.0) + weight
        story.size += 1
        story.dates = story.dates | features.dates
        story.regions = story.regions | features.regions
        if published_at is not None:
            story.first_at = min(story.first_at or published_at, published_at)
            story.last_at = max(story.last_at or published_at, published_at)
            self.clock = max(self.clock or published_at, published_at)
        self._prune(story)
        self._index(story)
        self._touch += 1
        story.touched = self._touch
        self._since_sweep += 1
        if self._since_sweep >= 1000:
            self.sweep()
        return story

    def restore(self, story: StoryState) -> None:
        """Put a story read back from the store into the index."""
        self.stories[story.id] = story
        self._index(story)
        self._touch += 1
        story.touched = self._touch
        if story.last_at is not None:
            self.clock = max(self.clock or story.last_at, story.last_at)

    def absorb(self, target_id: str, source_id: str) -> StoryState:
        """Fold story `source_id` into `target_id` (consolidation); the source leaves."""
        target = self.stories[target_id]
        source = self.stories.pop(source_id)
        for term, weight in source.centroid.items():
            target.centroid[term] = target.centroid.get(term, 0.0) + weight
        target.size += source.size
        target.dates |= source.dates
        target.regions |= source.regions
        for moment in (source.first_at, source.last_at):
            if moment is not None:
                target.first_at = min(target.first_at or moment, moment)
                target.last_at = max(target.last_at or moment, moment)
        self._prune(target)
        self._index(target)
        return target

    def _prune(self, story: StoryState) -> None:
        limit = self.params.centroid_terms
        if len(story.centroid) > 2 * limit:
            top = heapq.nlargest(
                limit, story.centroid.items(), key=lambda item: item[1] * self.idf(item[0])
            )
            story.centroid = dict(top)

    def _index(self, story: StoryState) -> None:
        vector = self.weighted(story.centroid)
        for term, _ in heapq.nlargest(
            self.params.key_terms, vector.items(), key=lambda item: item[1]
        ):
            posting = self.postings.get(term)
            if posting is None:
                posting = self.postings[term] = deque(maxlen=self.params.posting_cap)
            if not posting or posting[-1] != story.id:
                posting.append(story.id)

    def sweep(self) -> list[str]:
        """Drop cold stories (by time, then by memory bound); returns the ids dropped."""
        self._since_sweep = 0
        dropped: list[str] = []
        window = self.params.window
        if window is not None and self.clock is not None:
            horizon = self.clock - 2 * window
            dropped = [
                s.id for s in self.stories.values() if s.last_at is not None and s.last_at < horizon
            ]
        excess = len(self.stories) - len(dropped) - self.params.max_warm
        if excess > 0:
            gone = set(dropped)
            kept = (s for s in self.stories.values() if s.id not in gone)
            dropped += [s.id for s in heapq.nsmallest(excess, kept, key=lambda s: s.touched)]
        for story_id in dropped:
            del self.stories[story_id]
        # Postings skip absent stories when read; rebuilding them only pays once many went.
        if len(dropped) * 10 > len(self.stories):
            self._compact_postings()
        return dropped

    def _compact_postings(self) -> None:
        for term in list(self.postings):
            kept = [story_id for story_id in self.postings[term] if story_id in self.stories]
            if kept:
                self.postings[term] = deque(kept, maxlen=self.params.posting_cap)
            else:
                del self.postings[term]


class _Setting(Protocol):
    @property
    def dates(self) -> frozenset[str]: ...
    @property
    def regions(self) -> frozenset[str]: ...


def apart(first: _Setting, second: _Setting) -> bool:
    """Whether two reports (or stories) name different days, or regions that differ in
    every language both name them in (one region they share keeps them together): then they
    are about different events, however alike their words."""
    if _disjoint(first.dates, second.dates):
        return True
    if not (first.regions and second.regions) or not first.regions.isdisjoint(second.regions):
        return False
    languages = {region.partition(":")[0] for region in first.regions}
    return any(
        _disjoint(_in(first.regions, language), _in(second.regions, language))
        for language in languages
    )


def _in(regions: frozenset[str], language: str) -> frozenset[str]:
    return frozenset(region for region in regions if region.startswith(language + ":"))


def _disjoint(first: frozenset[str], second: frozenset[str]) -> bool:
    return bool(first) and bool(second) and first.isdisjoint(second)
