"""Near-duplicates: republications with a new headline, a trimmed tail or an added line.

Each article's body becomes a set of word triples (shingles) and a 64-value MinHash of that
set (datasketch); a MinHash LSH over the warm articles finds candidates in time independent
of how many articles there are. A candidate is a copy when the estimated Jaccard similarity
of the two shingle sets is high, or when the shorter text is nearly contained in the longer
one (a trimmed or extended copy has a low Jaccard but a high containment). Containment is
estimated from the Jaccard J and the set sizes a ≤ b: |A ∩ B| = J (a + b) / (1 + J).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
_SCHEME = "affine32"
"""Named, so that stored signatures are read back with the hashing that made them."""
_LSH_THRESHOLD = 0.3
"""Candidates from Jaccard 0.3: a copy trimmed to a third still shares that much."""


def signature(shingles: Iterable[bytes]) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM, scheme=_SCHEME)
    minhash.update_batch(list(shingles))
    return minhash


def to_bytes(minhash: MinHash) -> bytes:
    return np.asarray(minhash.hashvalues, dtype="<u8").tobytes()


def from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, hashvalues=np.frombuffer(data, dtype="<u8"), scheme=_SCHEME)


@dataclass(frozen=True, slots=True)
class _Entry:
    minhash: MinHash
    shingles: int
    story_id: str


class NearDuplicates:
    """The warm articles' signatures; forgets a story's articles when the story goes cold."""

    def __init__(self, *, jaccard: float, containment: float) -> None:
        self.jaccard = jaccard
        self.containment = containment
        self._lsh = MinHashLSH(threshold=_LSH_THRESHOLD, num_perm=NUM_PERM)
        self._entries: dict[str, _Entry] = {}
        self._by_story: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def find(self, minhash: MinHash, shingles: int) -> list[str]:
        """Ids of warm articles this text copies (or that copy it), most similar first."""
        if shingles == 0:
            return []
        scored = []
        for key in self._lsh.query(minhash):
            entry = self._entries[key]
            similarity = float(minhash.jaccard(entry.minhash))
            smaller = min(shingles, entry.shingles) or 1
            contained = similarity * (shingles + entry.shingles) / ((1 + similarity) * smaller)
            if similarity >= self.jaccard or (
                contained >= self.containment and similarity >= _LSH_THRESHOLD
            ):
                scored.append((similarity, key))
        return [key for _, key in sorted(scored, reverse=True)]

    def add(self, article_id: str, minhash: MinHash, shingles: int, story_id: str) -> None:
        if shingles == 0 or article_id in self._entries:
            return
        self._lsh.insert(article_id, minhash)
        self._entries[article_id] = _Entry(minhash, shingles, story_id)
        self._by_story.setdefault(story_id, []).append(article_id)

    def move_story(self, source: str, target: str) -> None:
        """After a merge the articles of `source` belong to `target`."""
        moved = self._by_story.pop(source, [])
        for article_id in moved:
            entry = self._entries[article_id]
            self._entries[article_id] = _Entry(entry.minhash, entry.shingles, target)
        self._by_story.setdefault(target, []).extend(moved)

    def forget_stories(self, story_ids: Iterable[str]) -> None:
        for story_id in story_ids:
            for article_id in self._by_story.pop(story_id, []):
                self._lsh.remove(article_id)
                del self._entries[article_id]
