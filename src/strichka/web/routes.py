"""The reader's pages and the Atom feeds, rendered on the server.

Templates autoescape everything; the only markup built in Python is the entity links and the
search marks, each made from escaped text (markupsafe) so a hostile title stays text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from strichka.api.context import AppContext
from strichka.api.views import StoryView, get_story_view, top_stories
from strichka.errors import NotFound
from strichka.records import Mention
from strichka.search import MalformedQuery, SearchResult, parse_query, run_query
from strichka.store.base import SearchFilters

PAGE = 20
_HERE = Path(str(resources.files("strichka.web")))
_LABELS = {"PER": "особа", "ORG": "організація", "LOC": "місце", "MISC": "інше"}


def _context(request: Request) -> AppContext:
    ctx = request.app.state.context
    assert isinstance(ctx, AppContext)
    return ctx


def _when(moment: datetime | None, zone: str) -> str:
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(zone)).strftime("%d.%m.%Y %H:%M")


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=_HERE / "templates")
    templates.env.filters["entity_url"] = lambda name: "/entities/" + quote(name, safe="")
    templates.env.filters["entity_feed_url"] = lambda name: (
        "/feeds/entities/" + quote(name, safe="") + ".xml"
    )
    templates.env.filters["outlet_url"] = lambda name: "/outlets/" + quote(name, safe="")
    templates.env.globals["labels"] = _LABELS
    return templates


def linked(text: str, mentions: Sequence[Mention]) -> Markup:
    """`text` escaped, each entity mention a link to its entity page."""
    parts: list[str] = []
    position = 0
    for mention in mentions:
        if mention.start < position:
            continue
        parts.append(escape(text[position : mention.start]))
        href = "/entities/" + quote(mention.canonical, safe="")
        parts.append(
            Markup('<a class="entity entity-{}" href="{}" title="{}">{}</a>').format(
                mention.label.lower(), href, mention.canonical, text[mention.start : mention.end]
            )
        )
        position = mention.end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


STATIC_DIR = _HERE / "static"
router = APIRouter(include_in_schema=False)
templates = _templates()


def _page(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    ctx = _context(request)
    return templates.TemplateResponse(
        request,
        template,
        {"when": lambda moment: _when(moment, ctx.settings.timezone), **values},
        status_code=status,
    )


def _missing(request: Request, message: str) -> HTMLResponse:
    return _page(request, "error.html", status=404, title="Не знайдено", message=message)


@router.get("/", response_class=HTMLResponse)
def front(request: Request, page: Annotated[int, Query(ge=1, le=1000)] = 1) -> HTMLResponse:
    ctx = _context(request)
    offset = (page - 1) * PAGE
    with ctx.store() as store:
        stories = top_stories(store, limit=PAGE + 1, offset=offset)
        articles = [] if stories else store.list_articles(limit=PAGE + 1, offset=offset)
    more = len(stories) > PAGE or len(articles) > PAGE
    return _page(
        request,
        "front.html",
        title="Головне",
        stories=stories[:PAGE],
        articles=articles[:PAGE],
        page=page,
        more=more,
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    ctx = _context(request)
    with ctx.store() as store:
        try:
            article = store.get_article(article_id)
        except NotFound:
            return _missing(request, "Такої статті немає.")
        link = store.story_link(article.id)
    mentions = ctx.mentions.get(article)
    blocks = [
        (block.kind, linked(block.text, found))
        for block, found in zip(article.blocks, mentions.blocks, strict=True)
    ]
    return _page(
        request,
        "article.html",
        title=article.title,
        article=article,
        title_html=linked(article.title, mentions.title),
        lead_html=linked(article.lead, mentions.lead) if article.lead else None,
        blocks=blocks,
        entities=mentions.names(),
        story_id=link.story_id if link else None,
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> HTMLResponse:
    ctx = _context(request)
    with ctx.store() as store:
        try:
            story = get_story_view(store, story_id)
        except NotFound:
            return _missing(request, "Такого сюжету немає.")
    entities: dict[str, str] = {}
    for item in story.articles:
        for name, label in ctx.mentions.get(item.article).names():
            entities.setdefault(name, label)
    return _page(
        request, "story.html", title=story.title, story=story, entities=list(entities.items())
    )


def _search(
    ctx: AppContext, query: str, filters: SearchFilters, *, offset: int
) -> tuple[list[SearchResult], str | None]:
    try:
        parsed = parse_query(query, ctx.lemmatiser)
    except MalformedQuery as exc:
        return [], exc.reason
    with ctx.store() as store:
        ctx.refresh_index(store)
        return run_query(store, parsed, filters=filters, limit=PAGE + 1, offset=offset), None


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    outlet: Annotated[str, Query(max_length=200)] = "",
    language: Annotated[str, Query(max_length=10)] = "",
    since: Annotated[str, Query(max_length=10)] = "",
    until: Annotated[str, Query(max_length=10)] = "",
    page: Annotated[int, Query(ge=1, le=500)] = 1,
) -> HTMLResponse:
    ctx = _context(request)
    error = None
    results: list[SearchResult] = []
    try:
        filters = SearchFilters(
            outlet=outlet or None,
            language=language or None,
            since=_date(since, ctx.settings.timezone),
            until=_date(until, ctx.settings.timezone, next_day=True),
        )
    except ValueError:
        error = "Дату слід писати як РРРР-ММ-ДД."
    else:
        if q.strip():
            results, error = _search(ctx, q, filters, offset=(page - 1) * PAGE)
    with ctx.store() as store:
        outlets = [o.outlet for o in store.list_outlets()]
    return _page(
        request,
        "search.html",
        status=400 if error else 200,
        title=f"Пошук: {q}" if q else "Пошук",
        q=q,
        form={"outlet": outlet, "language": language, "since": since, "until": until},
        outlets=outlets,
        results=results[:PAGE],
        more=len(results) > PAGE,
        page=page,
        error=error,
    )


def _date(text: str, zone: str, *, next_day: bool = False) -> datetime | None:
    if not text:
        return None
    day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=ZoneInfo(zone))
    return day + timedelta(days=1) if next_day else day


@router.get("/entities/{name}", response_class=HTMLResponse)
def entity_page(
    request: Request, name: str, page: Annotated[int, Query(ge=1, le=500)] = 1
) -> HTMLResponse:
    """Articles that name the entity, in any inflection (a phrase search of its name)."""
    ctx = _context(request)
    results, error = _search(ctx, _phrase(name), SearchFilters(), offset=(page - 1) * PAGE)
    if error or not results:
        return _missing(request, f"Про «{name}» статей немає.")
    return _page(
        request,
        "entity.html",
        title=name,
        name=name,
        results=results[:PAGE],
        more=len(results) > PAGE,
        page=page,
    )


def _phrase(name: str) -> str:
    return '"' + name.replace('"', " ") + '"'


@router.get("/outlets/{name}", response_class=HTMLResponse)
def outlet_page(
    request: Request, name: str, page: Annotated[int, Query(ge=1, le=1000)] = 1
) -> HTMLResponse:
    ctx = _context(request)
    offset = (page - 1) * PAGE
    with ctx.store() as store:
        rows = store.list_articles_page(limit=offset + PAGE + 1, outlet=name)[offset:]
    if not rows:
        return _missing(request, f"Від «{name}» статей немає.")
    return _page(
        request,
        "outlet.html",
        title=name,
        name=name,
        articles=[article for article, _ in rows[:PAGE]],
        more=len(rows) > PAGE,
        page=page,
    )


# Atom feeds.


def _atom(request: Request, *, title: str, entries: list[dict[str, Any]]) -> Response:
    updated = max((e["updated"] for e in entries if e["updated"]), default=None)
    values = {"title": title, "self_url": str(request.url), "entries": entries, "updated": updated}
    return templates.TemplateResponse(
        request, "feed.xml", values, media_type="application/atom+xml; charset=utf-8"
    )


@router.get("/feeds/stories.xml")
def stories_feed(request: Request) -> Response:
    """The top stories; the newest articles while no stories are built."""
    ctx = _context(request)
    with ctx.store() as store:
        stories = top_stories(store, limit=PAGE)
        articles = [] if stories else store.list_articles(limit=PAGE)
    entries = [_story_entry(request, story) for story in stories] + [
        {
            "id": f"{request.base_url}articles/{a.id}",
            "title": a.title,
            "link": f"{request.base_url}articles/{a.id}",
            "updated": a.published_at,
            "summary": a.lead or "",
        }
        for a in articles
    ]
    return _atom(request, title="strichka: головне", entries=entries)


def _story_entry(request: Request, story: StoryView) -> dict[str, Any]:
    link = f"{request.base_url}stories/{story.id}"
    return {
        "id": link,
        "title": story.title,
        "link": link,
        "updated": story.last_at or story.first_at,
        "summary": story.summary or "",
    }


@router.get("/feeds/entities/{name}.xml")
def entity_feed(request: Request, name: str) -> Response:
    ctx = _context(request)
    results, _error = _search(ctx, _phrase(name), SearchFilters(), offset=0)
    entries = [
        {
            "id": f"{request.base_url}articles/{r.article.id}",
            "title": r.article.title,
            "link": f"{request.base_url}articles/{r.article.id}",
            "updated": r.article.published_at,
            "summary": r.article.lead or "",
        }
        for r in results[:PAGE]
    ]
    return _atom(request, title=f"strichka: {name}", entries=entries)
