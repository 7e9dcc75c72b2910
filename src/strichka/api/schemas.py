"""The JSON the API speaks. Field names are part of the contract: add fields, never rename."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from strichka.api.context import EntityRecord
from strichka.api.views import StoryArticle, StoryView, TimelinePage
from strichka.nlp.leads import lead_of
from strichka.records import Article
from strichka.search import SearchResult
from strichka.store.base import SourceHealth
from strichka.stories import summary as stories


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ImageOut(_Out):
    url: str
    media_sha256: str | None


class BlockOut(_Out):
    kind: Literal["paragraph", "heading"]
    text: str


class ArticleSummary(_Out):
    id: str
    title: str
    lead: str | None = Field(
        description="The outlet's lead, else the article's first 1–2 sentences "
        "(`lead_extracted`); null only for an article without text."
    )
    lead_extracted: bool = Field(description="Whether `lead` was taken from the text.")
    outlet: str | None
    url: str | None
    published_at: datetime | None
    language: str | None
    image: ImageOut | None

    @classmethod
    def of(cls, article: Article) -> ArticleSummary:
        return cls(
            id=article.id,
            title=article.title,
            lead=lead_of(article) or None,
            lead_extracted=not article.lead,
            outlet=article.publisher,
            url=article.canonical_url or article.url,
            published_at=article.published_at,
            language=article.language,
            image=_image(article),
        )


class ArticleOut(ArticleSummary):
    blocks: list[BlockOut]
    authors: list[str]
    outlet_domain: str | None
    aggregator: str | None
    source_format: str
    analysis_text: str = Field(
        description="Title, lead and blocks a blank line apart: the text `analysis` offsets index."
    )
    analysis: dict[str, Any] | None = Field(
        description="The stored language analysis, as `strichka show --json` gives it: "
        "language, sentences, entities with canonical names, keywords, dates, citations, "
        "quotes, claims and roles; null for an article not analysed."
    )

    @classmethod
    def of(cls, article: Article) -> ArticleOut:
        return cls(
            **ArticleSummary.of(article).model_dump(),
            blocks=[BlockOut(kind=b.kind, text=b.text) for b in article.blocks],
            authors=list(article.authors),
            outlet_domain=article.outlet_domain,
            aggregator=article.aggregator,
            source_format=article.source_format,
            analysis_text=article.analysis_text,
            analysis=article.analysis.to_dict() if article.analysis else None,
        )


def _image(article: Article) -> ImageOut | None:
    if article.image is None:
        return None
    return ImageOut(url=article.image.url, media_sha256=article.image.media_sha256)


class ArticlePage(_Out):
    items: list[ArticleSummary]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class StorySummary(_Out):
    id: str
    headline: str = Field(
        description="The most representative title among its articles (the one closest to "
        "what they share): the story's name in every list, on its page and in `strichka story`."
    )
    title: str = Field(description="The title of the story's original report.")
    summary: str | None = Field(
        description="«Коротко» in lists: the lead of the article the headline is from."
    )
    size: int
    outlets: list[str]
    first_outlet: str | None
    first_at: datetime | None = Field(
        description="When the first report was published; its day's midnight where "
        "`first_day_only`."
    )
    first_day_only: bool = Field(description="The first report names its day but no time.")
    last_at: datetime | None
    last_day_only: bool = Field(description="The latest report names its day but no time.")
    image: ImageOut | None

    @classmethod
    def of(cls, view: StoryView) -> StorySummary:
        return cls(
            id=view.id,
            headline=view.headline,
            title=view.title,
            summary=view.summary,
            size=view.size,
            outlets=view.outlets,
            first_outlet=view.first_outlet,
            first_at=view.first_at,
            first_day_only=bool(view.first_report and view.first_report.published_day_only),
            last_at=view.last_at,
            last_day_only=bool(view.last_report and view.last_report.published_day_only),
            image=_image(view.lead_article),
        )


class StoryArticleOut(ArticleSummary):
    duplicate_of: str | None

    @classmethod
    def of_member(cls, item: StoryArticle) -> StoryArticleOut:
        return cls(**ArticleSummary.of(item.article).model_dump(), duplicate_of=item.duplicate_of)


class StoryArticlePage(_Out):
    story_id: str = Field(description="The story's id (a merged-away id resolves to it).")
    items: list[StoryArticleOut] = Field(description="This page of the timeline, earliest first.")
    article_count: int = Field(description="All the story's articles, on every page.")
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last one."
    )

    @classmethod
    def of(cls, page: TimelinePage, *, next_cursor: str | None) -> StoryArticlePage:
        return cls(
            story_id=page.story_id,
            items=[StoryArticleOut.of_member(item) for item in page.articles],
            article_count=page.article_count,
            next_cursor=next_cursor,
        )


class EntityRef(_Out):
    id: str
    kind: str = Field(description="PER, ORG, LOC or MISC.")
    name: str = Field(description="The canonical name.")
    mentions: int


class CitedOutletOut(_Out):
    outlet: str
    citations: int = Field(description="How often the story's articles attribute to it.")


class QuoteOut(_Out):
    text: str
    speaker: str | None
    article_id: str
    outlet: str | None

    @classmethod
    def of(cls, quote: stories.StoryQuote) -> QuoteOut:
        return cls(**quote.to_dict())


class ClaimOut(_Out):
    text: str
    source: str
    stance: Literal["reports", "confirms", "denies"]
    cites: str | None = Field(description="The source's own source, if it names one.")
    article_id: str
    outlet: str | None = Field(description="The outlet of the article that carries it.")
    disputed: bool = Field(description="Whether it is either side of a contradiction.")

    @classmethod
    def of(cls, claim: stories.StoryClaim, summary: stories.StorySummary) -> ClaimOut:
        return cls(**claim.to_dict(), disputed=summary.disputed(claim))


class ClaimsBySource(_Out):
    source: str
    claims: list[ClaimOut]


class ContradictionOut(_Out):
    denial: ClaimOut
    report: ClaimOut
    shared: list[str] = Field(description="The entities and lemmas both are about.")


class AdditionOut(_Out):
    outlet: str | None
    article_id: str = Field(description="The article the sentence is from.")
    sentence: str = Field(description="What no earlier report in the story told.")
    published_at: datetime | None

    @classmethod
    def of(cls, addition: stories.Addition) -> AdditionOut:
        return cls(
            outlet=addition.outlet,
            article_id=addition.article_id,
            sentence=addition.sentence,
            published_at=addition.published_at,
        )


class StoryOut(StorySummary):
    articles: list[StoryArticleOut] = Field(
        description="The first page of the timeline, earliest first (`limit` articles); "
        "/api/stories/{story_id}/articles with `next_cursor` gives the rest."
    )
    article_count: int = Field(description="All the story's articles, not only `articles`.")
    next_cursor: str | None = Field(
        description="Pass as `cursor` to /api/stories/{story_id}/articles for the articles "
        "after `articles`; null when `articles` is the whole timeline."
    )
    korotko: list[str] = Field(description="«Коротко»: 2–3 sentences across the articles.")
    why: list[str] = Field(description="The terms and names its articles share.")
    entities: list[EntityRef] = Field(description="Mentioned by most of its articles first.")
    cited_outlets: list[CitedOutletOut]
    quotes: list[QuoteOut]
    claims: list[ClaimsBySource] = Field(description="Grouped by source, most claims first.")
    contradictions: list[ContradictionOut] = Field(
        description="A source denies what another reports."
    )
    additions: list[AdditionOut] = Field(
        description="What each outlet adds: per outlet, the sentence of its reports that "
        "earlier reports did not tell; the outlets that add most, in the order they published."
    )

    @classmethod
    def of_story(
        cls, view: StoryView, summary: stories.StorySummary, *, next_cursor: str | None
    ) -> StoryOut:
        def claim(item: stories.StoryClaim) -> ClaimOut:
            return ClaimOut.of(item, summary)

        return cls(
            **StorySummary.of(view).model_dump(),
            articles=[StoryArticleOut.of_member(item) for item in view.articles],
            article_count=view.article_count,
            next_cursor=next_cursor,
            korotko=list(summary.korotko),
            why=list(summary.why),
            entities=[
                EntityRef(id=e.id, kind=e.kind, name=e.name, mentions=e.mentions)
                for e in summary.top_entities
            ],
            cited_outlets=[CitedOutletOut(outlet=o, citations=n) for o, n in summary.cited_outlets],
            quotes=[QuoteOut.of(q) for q in summary.quotes],
            claims=[
                ClaimsBySource(source=source, claims=[claim(c) for c in claims])
                for source, claims in summary.claims
            ],
            contradictions=[
                ContradictionOut(
                    denial=claim(c.denial), report=claim(c.report), shared=list(c.shared)
                )
                for c in summary.contradictions
            ],
            additions=[AdditionOut.of(a) for a in summary.additions],
        )


class StoryPage(_Out):
    items: list[StorySummary]
    next_cursor: str | None


class EntitySummary(EntityRef):
    aliases: list[str] = Field(description="Other forms it is mentioned under, commonest first.")

    @classmethod
    def of(cls, entity: EntityRecord) -> EntitySummary:
        return cls(
            id=entity.id,
            kind=entity.kind,
            name=entity.name,
            mentions=entity.mentions,
            aliases=list(entity.aliases),
        )


class EntityPage(_Out):
    items: list[EntitySummary]
    next_cursor: str | None


class EntityOut(EntitySummary):
    stories: list[StorySummary] = Field(description="Stories that mention it, newest first.")


class SearchHitOut(_Out):
    article: ArticleSummary
    score: float
    title_html: str = Field(description="The title, HTML-escaped, matches in <mark>.")
    snippet_html: str = Field(description="A passage, HTML-escaped, matches in <mark>.")

    @classmethod
    def of(cls, result: SearchResult) -> SearchHitOut:
        return cls(
            article=ArticleSummary.of(result.article),
            score=round(result.score, 6),
            title_html=result.title_html,
            snippet_html=result.snippet_html,
        )


class SearchPage(_Out):
    query: str
    items: list[SearchHitOut]
    next_cursor: str | None


class SourceOut(_Out):
    id: int
    name: str
    feeds: int
    interval_s: float
    last_success_at: str | None
    last_error: str | None
    items_24h: int
    pending: int
    failed: int

    @classmethod
    def of(cls, health: SourceHealth) -> SourceOut:
        return cls(
            id=health.id,
            name=health.name,
            feeds=health.feeds,
            interval_s=health.interval_s,
            last_success_at=health.last_success_at,
            last_error=health.last_error,
            items_24h=health.items_24h,
            pending=health.pending,
            failed=health.failed,
        )


class SourceList(_Out):
    items: list[SourceOut]


class SourceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=8, max_length=2000, pattern=r"^https?://\S+$")
    name: str | None = Field(default=None, min_length=1, max_length=200)


class SourceAdded(_Out):
    id: int
    name: str
    feeds: list[str]


class ArticleIn(BaseModel):
    """The simple import form; `strichka export` records are accepted too (extra fields)."""

    model_config = ConfigDict(extra="allow")

    title: str = Field(min_length=1, max_length=1000)
    id: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=2000)
    text: str | None = None
    published_at: str | None = None
    outlet: str | None = Field(default=None, max_length=200)


class Rejection(_Out):
    source: str
    code: str
    reason: str


class ImportOut(_Out):
    imported: int
    updated: int
    unchanged: int
    failed: list[Rejection]
    ids: list[str]


class PollOut(_Out):
    polled: int
    not_modified: int
    feeds_failed: int = Field(description="Feeds that could not be fetched or read this time.")
    new_items: int
    updated: int = Field(
        description="Stored items queued again because their feed shows a later version."
    )
    stored: int
    failed: int
    errors: list[str]


class ErrorOut(_Out):
    code: str
    message: str


class ErrorBody(_Out):
    error: ErrorOut
