"""Assigning articles to stories as they arrive, and keeping the store in step.

`StoryEngine` ties the pure parts together: `Analyzer` (features), `NearDuplicates`
(copies) and `StoryIndex` (clustering state). Every decision is written to the store in the
same transaction as the article's link, so the store alone can rebuild the engine
(`StoryEngine.load`).

Stable ids: a story's id is derived from the article that opened it, and an article that
already has a story keeps it on re-import, so neither late articles nor repeated imports
reshuffle stories. Consolidation may fuse two stories; the merge is recorded and the old id
resolves to the surviving one (the older story keeps its id).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from datasketch import MinHash

from strichka.errors import NotFound
from strichka.records import Article, stable_id
from strichka.store.base import StoryLink, StoryRow, StoryStore
from strichka.stories.duplicates import NearDuplicates, from_bytes, signature, to_bytes
from strichka.stories.features import Analyzer, ArticleFeatures, shingles, text_hash
from strichka.stories.index import StoryIndex, StoryParams, StoryState, apart

_SWEEP_EVERY = 1000


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where an article went: its story, the original it copies, and how it was decided."""

    article_id: str
    story_id: str
    duplicate_of: str | None
    how: str  # "existing", "duplicate", "near-duplicate", "joined", "new"
    score: float | None = None


def story_id_for(article_id: str) -> str:
    """A story is named after the article that opened it, so rebuilding gives the same id."""
    return stable_id("story:" + article_id)


def _original_key(link: StoryLink) -> tuple[bool, datetime | None, bool, int]:
    """Earliest published first; an outlet's copy before an aggregator's; then arrival."""
    moment = link.published_at
    return (moment is None, moment, link.aggregator, link.seq)


def load_index(store: StoryStore, params: StoryParams | None = None) -> StoryIndex:
    """The clustering state the store implies: document frequencies and the warm stories
    (those updated within two windows of the newest). Readers that only score stories (a
    summary's IDF weights, related stories) need this much and no duplicate signatures."""
    index = StoryIndex(params or StoryParams())
    index.docs, frequencies = store.document_frequencies()
    index.df.update(frequencies)
    window = index.params.window
    newest = store.warm_stories(since=None, limit=1)
    since = None
    if newest and newest[0].last_at is not None and window is not None:
        since = newest[0].last_at - 2 * window
    for row in reversed(store.warm_stories(since=since, limit=index.params.max_warm)):
        state = json.loads(row.state)
        index.restore(
            StoryState(
                row.id,
                row.seq,
                {str(k): float(v) for k, v in state["centroid"].items()},
                size=row.size,
                first_at=row.first_at,
                last_at=row.last_at,
                dates=frozenset(state["dates"]),
                regions=frozenset(state.get("regions", ())),
            )
        )
    return index


class StoryEngine:
    """Online story assignment over one store; the index is this object's state."""

    def __init__(
        self,
        store: StoryStore,
        analyzer: Analyzer,
        index: StoryIndex,
        near: NearDuplicates,
        *,
        next_seq: int = 0,
    ) -> None:
        self.store = store
        self.analyzer = analyzer
        self.index = index
        self.near = near
        self._seq = next_seq
        self._dirty: set[str] = set()
        self._since_sweep = 0

    @classmethod
    def load(
        cls, store: StoryStore, analyzer: Analyzer, params: StoryParams | None = None
    ) -> StoryEngine:
        """Rebuild the in-memory state from the store: frequencies and the warm stories."""
        params = params or StoryParams()
        index = load_index(store, params)
        near = NearDuplicates(
            jaccard=params.near_duplicate_jaccard,
            containment=params.near_duplicate_containment,
        )
        for stored in store.story_signatures(list(index.stories)):
            near.add(
                stored.article_id, from_bytes(stored.minhash), stored.shingles, stored.story_id
            )
        return cls(store, analyzer, index, near, next_seq=store.next_story_seq())

    # ------------------------------------------------------------------ assignment

    def assign(self, article: Article) -> Assignment:
        """Put one stored article into a story (idempotent: a known article stays put)."""
        known = self.store.story_link(article.id)
        if known is not None:
            story = self.store.resolve_story(known.story_id)
            return Assignment(article.id, story, known.duplicate_of, "existing")
        features = self.analyzer.features(article)
        digest = text_hash(article)
        words = shingles(article)
        minhash = signature(words)
        with self.store.transaction():
            self.index.observe(features)
            self.store.count_document(sorted(features.terms))
            link = StoryLink(
                article.id,
                "",
                None,
                article.published_by,
                article.aggregator is not None,
                self._seq,
            )
            assignment = self._decide(article, features, link, digest, minhash, len(words))
            link = StoryLink(
                article.id,
                assignment.story_id,
                assignment.duplicate_of,
                link.published_at,
                link.aggregator,
                self._seq,
            )
            self._seq += 1
            self.store.add_story_link(
                link,
                text_hash=digest,
                minhash=to_bytes(minhash),
                shingles=len(words),
                features=json.dumps(features.to_dict(), ensure_ascii=False),
            )
            self._save(assignment.story_id)
        self.near.add(article.id, minhash, len(words), assignment.story_id)
        self._since_sweep += 1
        if self._since_sweep >= _SWEEP_EVERY:
            self._sweep()
        return assignment

    def _decide(
        self,
        article: Article,
        features: ArticleFeatures,
        link: StoryLink,
        digest: str,
        minhash: MinHash,
        size: int,
    ) -> Assignment:
        copies = self.store.links_by_text_hash(digest)
        how = "duplicate"
        if not copies:
            how = "near-duplicate"
            copies = [
                found
                for key in self.near.find(minhash, size)
                if (found := self.store.story_link(key)) is not None
                and not self._apart(features, found.story_id)
            ]
        if copies:
            return self._copy(article, features, link, copies[0], how)
        match = self.index.best_match(features, article.published_at)
        if match is not None:
            self.index.join(match.story_id, features, article.published_at)
            self._dirty.add(match.story_id)
            return Assignment(article.id, match.story_id, None, "joined", match.score)
        story_id = story_id_for(article.id)
        self.index.add_story(story_id, self._seq, features, article.published_at)
        self._dirty.add(story_id)
        return Assignment(article.id, story_id, None, "new")

    def _apart(self, features: ArticleFeatures, story_id: str) -> bool:
        """A template filled in for another day or region (a regional office's release) is
        as alike as a copy, yet another event: it is nobody's near-duplicate."""
        story = self.index.stories.get(self.store.resolve_story(story_id))
        return story is not None and apart(features, story)

    def _copy(
        self,
        article: Article,
        features: ArticleFeatures,
        link: StoryLink,
        copy: StoryLink,
        how: str,
    ) -> Assignment:
        """Join the copied article's story; the earliest copy is the original of them all."""
        original_id = copy.duplicate_of or copy.article_id
        original = self.store.story_link(original_id) or copy
        story_id = self.store.resolve_story(copy.story_id)
        if story_id in self.index.stories:
            self.index.join(story_id, features, article.published_at)
            self._dirty.add(story_id)
        if _original_key(link) < _original_key(original):
            self.store.repoint_duplicates(original.article_id, article.id)
            return Assignment(article.id, story_id, None, how)
        return Assignment(article.id, story_id, original.article_id, how)

    def _save(self, story_id: str) -> None:
        story = self.index.stories.get(story_id)
        if story is None:
            return
        self.store.save_story(
            StoryRow(
                story.id,
                story.seq,
                story.size,
                story.first_at,
                story.last_at,
                json.dumps(story.to_dict(), ensure_ascii=False),
            )
        )

    def _sweep(self) -> None:
        self._since_sweep = 0
        cold = self.index.sweep()
        self.near.forget_stories(cold)
        self._dirty.difference_update(cold)

    # ------------------------------------------------------------------ consolidation

    def consolidate(self) -> list[tuple[str, str]]:
        """Merge stories that grew into one since the last pass; returns (old, kept) ids.

        Only stories that changed and are still warm are probed (a long replay leaves
        stories cold behind it), through the same inverted index as articles, so a pass
        costs in proportion to the new articles, not to the store.
        """
        merges: list[tuple[str, str]] = []
        params = self.index.params
        warm = [story_id for story_id in self._dirty if story_id in self.index.stories]
        for story_id in sorted(warm, key=lambda s: self.index.stories[s].seq):
            story = self.index.stories.get(story_id)
            if story is None:  # absorbed earlier in this pass
                continue
            vector = self.index.weighted(story.centroid)
            best: tuple[float, str] | None = None
            for other_id in self.index.candidates(vector, exclude=story_id):
                other = self.index.stories[other_id]
                if apart(story, other):
                    continue
                if not _overlapping(story, other, params):
                    continue
                score = self.index.similarity(vector, other.centroid)
                if score >= params.merge_threshold and (best is None or score > best[0]):
                    best = (score, other_id)
            if best is None:
                continue
            kept, gone = sorted((story_id, best[1]), key=lambda s: self.index.stories[s].seq)
            with self.store.transaction():
                self.index.absorb(kept, gone)
                self.near.move_story(gone, kept)
                self.store.merge_story(gone, kept)
                self._save(kept)
            merges.append((gone, kept))
        self._dirty.clear()
        return merges

    # ------------------------------------------------------------------ rebuilding

    def recluster(self, *, on_article: Callable[[], object] | None = None) -> int:
        """Forget every story and assign every stored article again; returns how many.

        The store replays them a batch at a time (`StoryStore.rebuild_order`): articles that
        had a story in the order they first arrived, the rest after them, oldest first. An
        article that opened a story opens it again, so the rebuilt story keeps its id even
        when an earlier-dated report arrived later. A story the rebuild does not keep (its
        articles joined others, say after a setting changed) is recorded as merged into the
        story holding most of its articles, so its old id still resolves.
        """
        self.store.clear_stories()
        params = self.index.params
        self.index = StoryIndex(params)
        self.near = NearDuplicates(
            jaccard=params.near_duplicate_jaccard,
            containment=params.near_duplicate_containment,
        )
        self._seq = 0
        self._dirty.clear()
        count = 0
        for article in self.store.rebuild_order():
            self.assign(article)
            count += 1
            if on_article:
                on_article()
        self.consolidate()
        self._keep_old_ids()
        self.store.end_rebuild()
        return count

    def _keep_old_ids(self) -> None:
        """Record each story id that no longer names a story as merged into the rebuilt
        story that holds most of its articles (the earliest such story on a tie)."""
        with self.store.transaction():
            for former in self.store.former_stories():
                if not former.kept and not self._is_story(former.id):
                    self.store.merge_story(former.id, former.most)

    def _is_story(self, story_id: str) -> bool:
        try:
            return self.store.resolve_story(story_id) == story_id
        except NotFound:
            return False


def _overlapping(first: StoryState, second: StoryState, params: StoryParams) -> bool:
    window = params.window
    if window is None or None in (first.first_at, first.last_at, second.first_at, second.last_at):
        return True
    assert first.first_at and first.last_at and second.first_at and second.last_at
    return first.first_at - window <= second.last_at and second.first_at - window <= first.last_at
