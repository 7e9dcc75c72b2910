"""Stories as readers see them, assembled from what the store keeps.

The store keeps a story's members and times; in lists, a story's headline, lead and image
are those of its original article (the earliest that copies no other), which is what a
reader would see first. A single story's full reading («Коротко» across its articles,
claims, contradictions, why) is strichka.stories' summary, through `AppContext.stories`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from strichka.errors import NotFound
from strichka.records import Article, Image
from strichka.store.base import StoryLink, StoryRow
from strichka.store.sqlite import SQLiteStore

_EPOCH = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class StoryArticle:
    article: Article
    duplicate_of: str | None


@dataclass(frozen=True, slots=True)
class StoryView:
    id: str
    size: int
    first_at: datetime | None
    last_at: datetime | None
    lead_article: Article
    articles: tuple[StoryArticle, ...]
    """Earliest first: who was first is the first row."""

    @property
    def title(self) -> str:
        return self.lead_article.title

    @property
    def summary(self) -> str | None:
        return self.lead_article.lead

    @property
    def image(self) -> Image | None:
        return next((a.article.image for a in self.articles if a.article.image), None)

    @property
    def outlets(self) -> list[str]:
        """Distinct outlets in the order they published."""
        names = (a.article.outlet or a.article.aggregator for a in self.articles)
        return list(dict.fromkeys(name for name in names if name))

    @property
    def first_outlet(self) -> str | None:
        outlets = self.outlets
        return outlets[0] if outlets else None


def _when(link: StoryLink, article: Article) -> datetime:
    return link.published_at or article.published_at or _EPOCH


def story_view(store: SQLiteStore, row: StoryRow) -> StoryView | None:
    """None for a story whose articles are no longer stored."""
    members: list[tuple[StoryLink, Article]] = []
    for link, _features in store.story_members(row.id):
        try:
            members.append((link, store.get_article(link.article_id)))
        except NotFound:
            continue
    if not members:
        return None
    members.sort(key=lambda pair: (_when(*pair), pair[0].seq))
    originals = [article for link, article in members if link.duplicate_of is None]
    return StoryView(
        id=row.id,
        size=row.size,
        first_at=row.first_at,
        last_at=row.last_at,
        lead_article=(originals or [members[0][1]])[0],
        articles=tuple(StoryArticle(article, link.duplicate_of) for link, article in members),
    )


def get_story_view(store: SQLiteStore, story_id: str) -> StoryView:
    """Raise NotFound for an unknown story; a merged story's id resolves to where it went."""
    view = story_view(store, store.get_story(story_id))
    if view is None:
        raise NotFound(f"story {story_id!r} has no stored articles")
    return view


def story_views(store: SQLiteStore, ids: Sequence[str]) -> list[StoryView]:
    """Views of the stories that still have stored articles, in the given order."""
    views = []
    for story_id in ids:
        try:
            view = story_view(store, store.get_story(story_id))
        except NotFound:
            continue
        if view is not None:
            views.append(view)
    return views


def top_stories(store: SQLiteStore, *, limit: int, offset: int = 0) -> list[StoryView]:
    rows = store.list_stories(since=None, limit=offset + limit)[offset:]
    return [view for row in rows if (view := story_view(store, row)) is not None]
