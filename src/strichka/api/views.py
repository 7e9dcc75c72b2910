"""Stories as readers see them, assembled from what the store keeps.

The store keeps a story's members and times; a story's headline is its most typical
article's title (`StoryReader.typical`: one name in every list and on its page) and the
lead shown under it is that article's; its original (the earliest article that copies no
other) opens its timeline, and its picture is the first at the start of its timeline. A view
reads one page of the timeline (earliest first, resumed by key), never the whole story: a
war story gathers thousands of articles; counts and outlets come from SQL. A single
story's full reading («Коротко» across its articles, claims, contradictions, why) is
strichka.stories' summary, through `AppContext.stories`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from strichka.api.context import StoryReader
from strichka.errors import NotFound
from strichka.nlp.leads import lead_of
from strichka.records import Article, Image
from strichka.store.base import StoryLink, StoryRow, TimelineKey
from strichka.store.sqlite import SQLiteStore

HEAD = 5
"""Articles read from the start of a story's timeline where no page of it is shown (lists of
stories): enough to find the story's picture without reading a big story whole."""


@dataclass(frozen=True, slots=True)
class StoryArticle:
    article: Article
    duplicate_of: str | None


@dataclass(frozen=True, slots=True)
class TimelinePage:
    """One page of a story's articles, earliest first, and where the next page starts."""

    story_id: str
    articles: tuple[StoryArticle, ...]
    article_count: int
    """All the story's stored articles, not only this page's."""
    position: int
    """How many of the timeline's articles come before this page."""
    next_key: TimelineKey | None
    """The key to resume after; None on the last page."""


@dataclass(frozen=True, slots=True)
class StoryView:
    id: str
    typical_article: Article
    """The article the story is headlined by (see `StoryReader.typical`)."""
    size: int
    lead_article: Article
    timeline: TimelinePage
    outlet_counts: tuple[tuple[str | None, int], ...]
    """Each outlet's articles in the whole story (by `Article.publisher`; None: none known), in the
    order they first published, dated reports first: `first_outlet` is the earliest dated."""
    image: Image | None
    """The first picture among the timeline's first HEAD articles, else the lead article's:
    the same on every page and in every list."""
    first_report: Article | None
    """The earliest dated article: pages show when the story began by its publication time,
    as the timeline does (a day-only date as the day, not as midnight)."""
    last_report: Article | None
    """The latest dated article: when the story last moved, shown the same way."""

    @property
    def first_at(self) -> datetime | None:
        """When the first report was published (by which it is the first)."""
        return self.first_report.published_at if self.first_report else None

    @property
    def last_at(self) -> datetime | None:
        return self.last_report.published_at if self.last_report else None

    @property
    def articles(self) -> tuple[StoryArticle, ...]:
        """This page of the timeline, earliest first: on the first page, who was first is the
        first row."""
        return self.timeline.articles

    @property
    def article_count(self) -> int:
        return self.timeline.article_count

    @property
    def title(self) -> str:
        """The original report's title."""
        return self.lead_article.title

    @property
    def headline(self) -> str:
        """What every page, feed and API answer names the story by."""
        return self.typical_article.title

    @property
    def summary(self) -> str | None:
        """The headline article's lead, else its first sentences: in a list, the lines under
        a headline are that headline's."""
        return lead_of(self.typical_article) or None

    @property
    def outlets(self) -> list[str]:
        """Distinct outlets in the order they published."""
        return [name for name, _ in self.outlet_counts if name]

    @property
    def first_outlet(self) -> str | None:
        outlets = self.outlets
        return outlets[0] if outlets else None


def _load(store: SQLiteStore, links: Sequence[StoryLink]) -> list[tuple[StoryLink, Article]]:
    members = []
    for link in links:
        try:
            members.append((link, store.get_article(link.article_id)))
        except NotFound:
            continue
    return members


def timeline_page(
    store: SQLiteStore,
    story_id: str,
    *,
    limit: int,
    after: TimelineKey | None = None,
    position: int = 0,
) -> TimelinePage:
    """`limit` articles of a live story's timeline after `after` (from the start if None);
    `position` is only carried along, for display: how many articles `after` follows."""
    rows = store.story_timeline(story_id, limit=limit + 1, after=after)
    members = _load(store, [link for link, _ in rows[:limit]])
    return TimelinePage(
        story_id=story_id,
        articles=tuple(StoryArticle(article, link.duplicate_of) for link, article in members),
        article_count=store.story_article_count(story_id),
        position=position,
        next_key=rows[limit - 1][1] if len(rows) > limit else None,
    )


def story_view(
    store: SQLiteStore,
    stories: StoryReader,
    row: StoryRow,
    *,
    limit: int = HEAD,
    after: TimelineKey | None = None,
    position: int = 0,
) -> StoryView | None:
    """The story with `limit` articles of its timeline after `after`; None for a story whose
    articles are no longer stored. Reads the page, the start of the timeline and the lead
    article, and counts the rest in SQL, so a story of thousands costs what a small one does."""
    page = timeline_page(store, row.id, limit=limit, after=after, position=position)
    if page.article_count == 0:
        return None
    head = [item.article for item in page.articles[:HEAD]]
    if after is not None or len(head) < min(HEAD, page.article_count):
        start = _load(store, [link for link, _ in store.story_timeline(row.id, limit=HEAD)])
        head = [article for _, article in start]
    if not head:
        return None
    lead = _lead_article(store, row.id, head)
    image = next((article.image for article in head if article.image), lead.image)
    first_report, last_report = _ends(store, row.id, head)
    return StoryView(
        id=row.id,
        typical_article=stories.typical(store, row.id) or lead,
        size=row.size,
        lead_article=lead,
        timeline=page,
        outlet_counts=tuple(store.story_outlets(row.id)),
        image=image,
        first_report=first_report,
        last_report=last_report,
    )


def _ends(
    store: SQLiteStore, story_id: str, head: Sequence[Article]
) -> tuple[Article | None, Article | None]:
    """The story's earliest and latest dated articles, from `head` where it holds them."""
    ids = store.story_ends(story_id)
    if ids is None:
        return None, None
    known = {article.id: article for article in head}
    first, last = (known.get(i) or store.get_article(i) for i in ids)
    return first, last


def _lead_article(store: SQLiteStore, story_id: str, head: Sequence[Article]) -> Article:
    """The story's original: its earliest article that copies no other; else its first."""
    known = {article.id: article for article in head}
    for link, _ in store.story_timeline(story_id, limit=1, originals=True):
        if link.article_id in known:
            return known[link.article_id]
        try:
            return store.get_article(link.article_id)
        except NotFound:
            break
    return head[0]


def get_story_view(
    store: SQLiteStore,
    stories: StoryReader,
    story_id: str,
    *,
    limit: int = HEAD,
    after: TimelineKey | None = None,
    position: int = 0,
) -> StoryView:
    """Raise NotFound for an unknown story; a merged story's id resolves to where it went."""
    row = store.get_story(story_id)
    view = story_view(store, stories, row, limit=limit, after=after, position=position)
    if view is None:
        raise NotFound(f"story {story_id!r} has no stored articles")
    return view


def story_views(store: SQLiteStore, stories: StoryReader, ids: Sequence[str]) -> list[StoryView]:
    """Views of the stories that still have stored articles, in the given order."""
    views = []
    for story_id in ids:
        try:
            view = story_view(store, stories, store.get_story(story_id))
        except NotFound:
            continue
        if view is not None:
            views.append(view)
    return views


def top_stories(
    store: SQLiteStore, stories: StoryReader, *, limit: int, offset: int = 0
) -> list[StoryView]:
    rows = store.list_stories(since=None, limit=offset + limit)[offset:]
    return [view for row in rows if (view := story_view(store, stories, row)) is not None]
