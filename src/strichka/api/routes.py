"""The REST API under /api: reads for anyone, writes with the configured API key.

Every read answers with an ETag (a hash of the body) and a 304 to a matching If-None-Match,
so polling clients cost a query but no transfer. Lists page by an opaque `cursor`.
"""

from __future__ import annotations

import hmac
import time
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Header, Query, Request, Response

from strichka.api.context import AppContext, EntityReader
from strichka.api.http import (
    ApiError,
    cached,
    check_story_cursor,
    encode_cursor,
    read_offset,
    read_page_key,
    read_story_cursor,
    story_cursor,
)
from strichka.api.schemas import (
    ArticleIn,
    ArticleOut,
    ArticlePage,
    ArticleSummary,
    EntityOut,
    EntityPage,
    EntitySummary,
    ErrorBody,
    ImportOut,
    PollOut,
    Rejection,
    SearchHitOut,
    SearchPage,
    SourceAdded,
    SourceIn,
    SourceList,
    SourceOut,
    StoryArticlePage,
    StoryOut,
    StoryPage,
    StorySummary,
)
from strichka.api.views import get_story_view, story_views, timeline_page, top_stories
from strichka.errors import BlockedAddress, FetchError, NotFound, PollerBusy
from strichka.ingest.files import Document
from strichka.pipeline import add_sources, discover, import_documents, reader_options, run_ingest
from strichka.search import MalformedQuery, parse_query, run_query
from strichka.store import SQLiteStore
from strichka.store.base import SearchFilters

MAX_PAGE = 100
STORY_PAGE = 50
"""A story's articles per page unless asked otherwise: a big story has thousands."""
MAX_IMPORT_ITEMS = 1000

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Malformed query, cursor or filter"},
    404: {"model": ErrorBody, "description": "No such item"},
}
_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Missing or wrong X-API-Key"},
    413: {"model": ErrorBody, "description": "Request body too large"},
}

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page.")]
Cursor = Annotated[str | None, Query(max_length=500, description="From `next_cursor`.")]
StoryLimit = Annotated[
    int,
    Query(ge=1, le=MAX_PAGE, description="Articles per page of the story's timeline."),
]
StoryCursor = Annotated[
    str | None,
    Query(
        max_length=500,
        description="The `next_cursor` of the story, or of the previous page of its articles; "
        "without it, the first page. A cursor of another story or list is refused with 400.",
    ),
]


def context(request: Request) -> AppContext:
    ctx = request.app.state.context
    assert isinstance(ctx, AppContext)
    return ctx


Context = Annotated[AppContext, Depends(context)]


def require_key(ctx: Context, key: Annotated[str | None, Header(alias="X-API-Key")] = None) -> None:
    configured = ctx.settings.api_key
    if not configured or key is None or not hmac.compare_digest(key, configured):
        raise ApiError(401, "E501", "writes need the API key from config in X-API-Key")


def not_found(exc: NotFound) -> ApiError:
    return ApiError(404, exc.code, exc.message)


router = APIRouter(prefix="/api", responses=_ERRORS)


@router.get("/articles", response_model=ArticlePage, tags=["articles"])
def list_articles(
    request: Request,
    ctx: Context,
    limit: Limit = 20,
    cursor: Cursor = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    language: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    """Articles, newest first."""
    with ctx.store() as store:
        rows = store.list_articles_page(
            limit=limit + 1, after=read_page_key(cursor), outlet=outlet, language=language
        )
    next_cursor = None
    if len(rows) > limit:
        key = rows[limit - 1][1]
        next_cursor = encode_cursor(
            k="a", u=key.undated, p=key.published_at, s=key.first_seen_at, i=key.article_id
        )
    items = [ArticleSummary.of(article) for article, _ in rows[:limit]]
    return cached(request, ArticlePage(items=items, next_cursor=next_cursor))


@router.get("/articles/{article_id}", response_model=ArticleOut, tags=["articles"])
def get_article(request: Request, ctx: Context, article_id: str) -> Response:
    """One article by id (or a unique prefix of at least 4 characters)."""
    with ctx.store() as store:
        try:
            article = store.get_article(article_id)
        except NotFound as exc:
            raise not_found(exc) from exc
    return cached(request, ArticleOut.of(article))


@router.get("/articles/{article_id}/related", response_model=StoryPage, tags=["articles"])
def article_related(request: Request, ctx: Context, article_id: str, limit: Limit = 5) -> Response:
    """«Інші новини» for an article: the stories most like the article's own story, most
    related first; never its own story (empty while the article has none)."""
    with ctx.store() as store:
        try:
            article = store.get_article(article_id)
        except NotFound as exc:
            raise not_found(exc) from exc
        link = store.story_link(article.id)
        ids = []
        if link is not None:
            own = store.resolve_story(link.story_id)
            ids = [r.id for r in ctx.stories.related_stories(store, own, limit=limit)]
        views = story_views(store, ctx.stories, ids)
    items = [StorySummary.of(view) for view in views]
    return cached(request, StoryPage(items=items, next_cursor=None))


@router.get("/stories", response_model=StoryPage, tags=["stories"])
def list_stories(
    request: Request, ctx: Context, limit: Limit = 20, cursor: Cursor = None
) -> Response:
    """Stories, largest and freshest first."""
    offset = read_offset(cursor, "s")
    with ctx.store() as store:
        views = top_stories(store, ctx.stories, limit=limit + 1, offset=offset)
    next_cursor = encode_cursor(k="s", o=offset + limit) if len(views) > limit else None
    items = [StorySummary.of(view) for view in views[:limit]]
    return cached(request, StoryPage(items=items, next_cursor=next_cursor))


@router.get("/stories/{story_id}", response_model=StoryOut, tags=["stories"])
def get_story(
    request: Request, ctx: Context, story_id: str, limit: StoryLimit = STORY_PAGE
) -> Response:
    """One story with the first page of its articles, earliest first (`next_cursor` and
    /api/stories/{story_id}/articles give the rest, `article_count` counts them all), and
    what they say: «Коротко», why they belong together, entities, cited outlets, quotes,
    claims and contradictions. A merged story's id still resolves."""
    with ctx.store() as store:
        try:
            view = get_story_view(store, ctx.stories, story_id, limit=limit)
            summary = ctx.stories.summary(store, view.id)
        except NotFound as exc:
            raise not_found(exc) from exc
    out = StoryOut.of_story(view, summary, next_cursor=story_cursor(view.timeline))
    return cached(request, out)


@router.get("/stories/{story_id}/articles", response_model=StoryArticlePage, tags=["stories"])
def story_articles(
    request: Request,
    ctx: Context,
    story_id: str,
    limit: StoryLimit = STORY_PAGE,
    cursor: StoryCursor = None,
) -> Response:
    """The story's articles, earliest first, a page at a time: the first page without a
    cursor, then each `next_cursor` until it is null. Pages resume after the last article
    seen, so articles that arrive meanwhile neither repeat nor shift a page."""
    start = read_story_cursor(cursor) if cursor is not None else None
    with ctx.store() as store:
        try:
            row = store.get_story(story_id)
        except NotFound as exc:
            raise not_found(exc) from exc
        if start is not None:
            check_story_cursor(store, start, row.id)
        page = timeline_page(
            store,
            row.id,
            limit=limit,
            after=start.after if start else None,
            position=start.position if start else 0,
        )
    if page.article_count == 0:
        raise not_found(NotFound(f"story {story_id!r} has no stored articles"))
    return cached(request, StoryArticlePage.of(page, next_cursor=story_cursor(page)))


@router.get("/stories/{story_id}/related", response_model=StoryPage, tags=["stories"])
def related_stories(request: Request, ctx: Context, story_id: str, limit: Limit = 10) -> Response:
    """Other stories sharing this one's terms and names, most related first; never itself."""
    with ctx.store() as store:
        try:
            resolved = store.resolve_story(story_id)
        except NotFound as exc:
            raise not_found(exc) from exc
        ids = [r.id for r in ctx.stories.related_stories(store, resolved, limit=limit)]
        views = story_views(store, ctx.stories, ids)
    items = [StorySummary.of(view) for view in views]
    return cached(request, StoryPage(items=items, next_cursor=None))


Kind = Annotated[
    Literal["PER", "ORG", "LOC", "MISC"] | None,
    Query(description="Only entities of this kind: PER, ORG, LOC or MISC."),
]


@router.get("/entities", response_model=EntityPage, tags=["entities"])
def list_entities(
    request: Request, ctx: Context, limit: Limit = 20, cursor: Cursor = None, kind: Kind = None
) -> Response:
    """Entities (people, organisations, places, other), most mentioned first."""
    offset = read_offset(cursor, "e" + (kind or ""))
    with ctx.store() as store:
        rows = _entities(store).list_entities(kind=kind, limit=limit + 1, offset=offset)
    next_cursor = None
    if len(rows) > limit:
        next_cursor = encode_cursor(k="e" + (kind or ""), o=offset + limit)
    items = [EntitySummary.of(row) for row in rows[:limit]]
    return cached(request, EntityPage(items=items, next_cursor=next_cursor))


@router.get("/entities/{entity_id}", response_model=EntityOut, tags=["entities"])
def get_entity(request: Request, ctx: Context, entity_id: str, limit: Limit = 20) -> Response:
    """One entity with its aliases, how often it is mentioned, and its stories over time,
    newest first."""
    with ctx.store() as store:
        entities = _entities(store)
        try:
            entity = entities.get_entity(entity_id)
        except NotFound as exc:
            raise not_found(exc) from exc
        views = story_views(store, ctx.stories, entities.entity_stories(entity.id, limit=limit))
    out = EntityOut(
        **EntitySummary.of(entity).model_dump(), stories=[StorySummary.of(v) for v in views]
    )
    return cached(request, out)


def _entities(store: SQLiteStore) -> EntityReader:
    """The store as the entity endpoints read it (checked by mypy against the protocol)."""
    return store


@router.get("/search", response_model=SearchPage, tags=["search"])
def search_articles(
    request: Request,
    ctx: Context,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Query; see the docs.")],
    limit: Limit = 20,
    cursor: Cursor = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    language: Annotated[str | None, Query(max_length=10)] = None,
    since: Annotated[datetime | None, Query(description="Published at or after.")] = None,
    until: Annotated[datetime | None, Query(description="Published before.")] = None,
) -> Response:
    """Articles matching `q` in any inflection, best first (BM25 with a recency boost)."""
    offset = read_offset(cursor, "q")
    try:
        parsed = parse_query(q, ctx.lemmatiser)
    except MalformedQuery as exc:
        raise ApiError(400, exc.code, exc.reason) from exc
    filters = SearchFilters(outlet=outlet, language=language, since=since, until=until)
    with ctx.store() as store:
        ctx.refresh_index(store)
        results = run_query(store, parsed, filters=filters, limit=limit + 1, offset=offset)
    next_cursor = encode_cursor(k="q", o=offset + limit) if len(results) > limit else None
    items = [SearchHitOut.of(result) for result in results[:limit]]
    return cached(request, SearchPage(query=q, items=items, next_cursor=next_cursor))


@router.get("/sources", response_model=SourceList, tags=["sources"])
def list_sources(request: Request, ctx: Context) -> Response:
    """Every source with its health: last success and error, items in 24 h, queue."""
    with ctx.store() as store:
        health = store.source_health(now=time.time())
    return cached(request, SourceList(items=[SourceOut.of(h) for h in health]))


writes = APIRouter(
    prefix="/api", dependencies=[Depends(require_key)], responses=_WRITE_ERRORS | _ERRORS
)


@writes.post("/sources", response_model=SourceAdded, status_code=201, tags=["sources"])
def add_source(ctx: Context, source: SourceIn) -> SourceAdded:
    """Add the source that a feed URL is, or that a home page announces."""
    try:
        found = discover(source.url, settings=ctx.settings, name=source.name)
    except BlockedAddress as exc:
        raise ApiError(422, exc.code, exc.message) from exc
    except FetchError as exc:
        raise ApiError(502, exc.code, exc.message) from exc
    with ctx.store() as store:
        add_sources(store, [found], settings=ctx.settings)
        source_id = next(row.id for row in store.list_sources() if row.name == found.name)
    return SourceAdded(id=source_id, name=found.name, feeds=list(found.feeds))


@writes.post("/articles", response_model=ImportOut, tags=["articles"])
def import_articles(
    ctx: Context,
    items: Annotated[list[ArticleIn], Body(max_length=MAX_IMPORT_ITEMS)],
) -> ImportOut:
    """Import articles in the simple JSON form (or `strichka export` records)."""
    lines = "\n".join(item.model_dump_json(exclude_none=True) for item in items)
    document = Document(source="api", data=lines.encode("utf-8"))
    with ctx.writes, ctx.store() as store:
        report = import_documents(
            [document],
            store=store,
            media=ctx.media,
            options=reader_options(ctx.settings),
            stages=ctx.stages(store),
        )
    return ImportOut(
        imported=report.imported,
        updated=report.updated,
        unchanged=report.unchanged,
        failed=[Rejection(source=r.source, code=r.code, reason=r.reason) for r in report.failed],
        ids=report.stored_ids,
    )


@writes.post(
    "/poll",
    response_model=PollOut,
    tags=["sources"],
    responses={409: {"model": ErrorBody, "description": "Another poller holds the database"}},
)
def poll(ctx: Context) -> PollOut:
    """One poll round over the due sources; answers when the round is done.

    409 (E203) while a `strichka run` polls this database: one poller at a time.
    """
    with ctx.writes, ctx.store() as store:
        try:
            report = run_ingest(
                store=store,
                media=ctx.media,
                settings=ctx.settings,
                once=True,
                handle_signals=False,
                stages=ctx.stages(store),
            )
        except PollerBusy as exc:
            raise ApiError(409, exc.code, exc.message) from exc
    return PollOut(
        polled=report.polled,
        not_modified=report.not_modified,
        feeds_failed=report.feeds_failed,
        new_items=report.new_items,
        updated=report.updated,
        stored=report.stored,
        failed=report.failed,
        errors=report.errors,
    )
