"""The reader's pages and the Atom feeds, rendered on the server.

Templates autoescape everything; the only markup built in Python is the entity links and the
search marks, each made from escaped text (markupsafe) so a hostile title stays text.

Entities are what the store knows: an article's highlights are its stored analysis (offsets
into `Article.analysis_text`, mapped back onto the title, lead and blocks), and each links
to the entity's page by id, which lists the entity's stories from the stored mentions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from strichka.api.context import AppContext
from strichka.api.http import ApiError, check_story_cursor, read_story_cursor, story_cursor
from strichka.api.views import StoryView, get_story_view, story_views, top_stories
from strichka.clock import clock_time
from strichka.errors import NotFound
from strichka.nlp.leads import lead_of
from strichka.records import Article, Mention, entity_id
from strichka.search import MalformedQuery, SearchResult, parse_query, run_query
from strichka.store.base import SearchFilters

PAGE = 20
STORY_PAGE = 50
"""Articles of a story's timeline per page: a big story has thousands."""
RELATED = 5
"""Stories under «Інші новини» on an article's page, as the aggregator's items carry."""
_HERE = Path(str(resources.files("strichka.web")))
_LABELS = {"PER": "особа", "ORG": "організація", "LOC": "місце", "MISC": "інше"}


def _context(request: Request) -> AppContext:
    ctx = request.app.state.context
    assert isinstance(ctx, AppContext)
    return ctx


def _published(article: Article, zone: str) -> Markup:
    """The article's <time> on the reader's clock: the day alone where the source gave no
    time of day (it is stored as midnight, which is not when it was published)."""
    moment = article.published_at
    if moment is None:
        return Markup("")
    day_only = article.published_day_only
    stamp = moment.date().isoformat() if day_only else moment.isoformat()
    shown = clock_time(moment, zone, day_only=day_only, day_format="%d.%m.%Y")
    return Markup('<time datetime="{}">{}</time>').format(stamp, shown)


def _entity_url(entity: str) -> str:
    return "/entities/" + quote(entity, safe="")


def outlet_url(name: str) -> str:
    """The outlet's page: the name quoted whole ("/" too), read back by `{name:path}`."""
    return "/outlets/" + quote(name, safe="")


def web_url(url: object) -> str | None:
    """`url` if it is an absolute http(s) URL with a host, else None.

    Article URLs come from feeds and imports, so a `javascript:` or `data:` URL must never
    reach an href or a src; the scheme is checked on the string exactly as the browser gets
    it (no leading blanks), so nothing the browser strips can hide another scheme.
    """
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        return None
    try:
        host = urlsplit(url).netloc
    except ValueError:
        return None
    return url if host else None


def plural(count: int, one: str, few: str, many: str) -> str:
    """Ukrainian agreement with a number: 1 джерело, 3 джерела, 5 джерел, 21 джерело."""
    if count % 10 == 1 and count % 100 != 11:
        word = one
    elif 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        word = few
    else:
        word = many
    return f"{count} {word}"


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=_HERE / "templates")
    templates.env.filters["plural"] = plural
    templates.env.filters["lead"] = lead_of
    templates.env.filters["entity_url"] = _entity_url
    templates.env.filters["entity_feed_url"] = lambda entity: (
        "/feeds/entities/" + quote(entity, safe="") + ".xml"
    )
    templates.env.filters["outlet_url"] = outlet_url
    templates.env.filters["web_url"] = web_url
    templates.env.globals["labels"] = _LABELS
    return templates


@dataclass(frozen=True, slots=True)
class NamedEntity:
    """An entity as a page links it: by id, under its canonical name."""

    id: str
    name: str
    kind: str


def linked(text: str, mentions: Sequence[Mention], *, offset: int = 0) -> Markup:
    """`text` escaped, each mention a link to its entity's page; a mention's offsets are
    `offset` characters past the start of `text` (it indexes the whole analysed text)."""
    parts: list[str] = []
    position = 0
    for mention in mentions:
        start, end = mention.start - offset, mention.end - offset
        if start < position or end > len(text):
            continue
        parts.append(escape(text[position:start]))
        parts.append(
            Markup('<a class="entity entity-{}" href="{}" title="{}">{}</a>').format(
                mention.label.lower(),
                _entity_url(entity_id(mention.label, mention.canonical)),
                mention.canonical,
                text[start:end],
            )
        )
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def highlighted(article: Article) -> tuple[Markup, Markup | None, list[tuple[str, Markup]]]:
    """Title, lead and blocks with the stored analysis's mentions linked.

    `analysis_text` is the title, the lead and each block joined by a blank line, so each
    part starts two characters after the previous one ends; a mention that would cross from
    one part into the next is left unlinked rather than cut.
    """
    mentions = sorted(article.analysis.entities if article.analysis else (), key=_start)
    texts = [article.title, *([article.lead] if article.lead else [])]
    texts += [block.text for block in article.blocks]
    html: list[Markup] = []
    offset = 0
    for text in texts:
        end = offset + len(text)
        inside = [m for m in mentions if offset <= m.start and m.end <= end]
        html.append(linked(text, inside, offset=offset))
        offset = end + 2
    lead = html[1] if article.lead else None
    blocks = html[2:] if article.lead else html[1:]
    kinds = [block.kind for block in article.blocks]
    return html[0], lead, list(zip(kinds, blocks, strict=True))


def _start(mention: Mention) -> int:
    return mention.start


def named_entities(article: Article) -> list[NamedEntity]:
    """The article's distinct entities in order of first mention."""
    seen: dict[str, NamedEntity] = {}
    for mention in article.analysis.entities if article.analysis else ():
        key = entity_id(mention.label, mention.canonical)
        seen.setdefault(key, NamedEntity(key, mention.canonical, mention.label))
    return list(seen.values())


STATIC_DIR = _HERE / "static"
router = APIRouter(include_in_schema=False)
templates = _templates()


def _page(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    ctx = _context(request)
    return templates.TemplateResponse(
        request,
        template,
        {
            "published": lambda article: _published(article, ctx.settings.timezone),
            **values,
        },
        status_code=status,
    )


def _missing(request: Request, message: str) -> HTMLResponse:
    return _page(request, "error.html", status=404, title="Не знайдено", message=message)


def error_page(
    request: Request, status: int, *, headers: Mapping[str, str] | None = None
) -> HTMLResponse:
    """The site's HTML error page for an error that no page handled itself: an unknown
    address, a bad query parameter, a method the address does not take."""
    if status == 404:
        response = _missing(request, "Такої сторінки немає.")
    elif status == 400:
        response = _page(
            request,
            "error.html",
            status=400,
            title="Хибне посилання",
            message="У цьому посиланні хибні параметри.",
        )
    else:
        response = _page(
            request, "error.html", status=status, title="Помилка", message=f"Код {status}."
        )
    response.headers.update(headers or {})
    return response


@router.get("/", response_class=HTMLResponse)
def front(request: Request, page: Annotated[int, Query(ge=1, le=1000)] = 1) -> HTMLResponse:
    """The top stories; the newest articles only while no story is built at all (past the
    last page of stories there is nothing, not articles that a story page already shows)."""
    ctx = _context(request)
    offset = (page - 1) * PAGE
    with ctx.store() as store:
        stories = top_stories(store, ctx.stories, limit=PAGE + 1, offset=offset)
        built = bool(stories) or bool(store.list_stories(since=None, limit=1))
        articles = [] if built else store.list_articles(limit=PAGE + 1, offset=offset)
    if page > 1 and not stories and not articles:
        return error_page(request, 404)
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
        story_id = store.resolve_story(link.story_id) if link else None
        related = []
        if story_id is not None:
            related = ctx.stories.related_stories(store, story_id, limit=RELATED)
    title_html, lead_html, blocks = highlighted(article)
    return _page(
        request,
        "article.html",
        title=article.title,
        article=article,
        title_html=title_html,
        lead_html=lead_html,
        blocks=blocks,
        entities=named_entities(article),
        story_id=story_id,
        related=related,
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(
    request: Request,
    story_id: str,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> HTMLResponse:
    """The story with one page of its timeline: the first, or the one after `cursor` (the
    «Показати ще» link); «За виданнями» counts every article of the story in SQL."""
    ctx = _context(request)
    with ctx.store() as store:
        try:
            resolved = store.resolve_story(story_id)
            start = read_story_cursor(cursor) if cursor else None
            if start is not None:
                check_story_cursor(store, start, resolved)
            story = get_story_view(
                store,
                ctx.stories,
                resolved,
                limit=STORY_PAGE,
                after=start.after if start else None,
                position=start.position if start else 0,
            )
            summary = ctx.stories.summary(store, story.id)
        except NotFound:
            return _missing(request, "Такого сюжету немає.")
        except ApiError:
            return _page(
                request,
                "error.html",
                status=400,
                title="Хибне посилання",
                message="Це посилання на сторінку сюжету зіпсоване або не з цього сюжету.",
            )
    return _page(
        request,
        "story.html",
        title=story.headline,
        story=story,
        summary=summary,
        first_page=start is None,
        next_cursor=story_cursor(story.timeline),
        by_outlet=[(outlet or "—", count) for outlet, count in story.outlet_counts],
    )


def _search(
    ctx: AppContext, query: str, filters: SearchFilters, *, offset: int
) -> tuple[list[SearchResult], str | None]:
    try:
        parsed = parse_query(query, ctx.lemmatiser)
    except MalformedQuery as exc:
        return [], exc.reason_uk
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


@router.get("/entities/{entity}", response_class=HTMLResponse)
def entity_page(
    request: Request, entity: str, page: Annotated[int, Query(ge=1, le=500)] = 1
) -> HTMLResponse:
    """The entity's canonical name, kind and aliases, and its stories over time, newest
    first, from the stored mentions."""
    ctx = _context(request)
    offset = (page - 1) * PAGE
    with ctx.store() as store:
        try:
            found = store.get_entity(entity)
        except NotFound:
            return _missing(request, "Про це ще нічого не написано.")
        ids = store.entity_stories(found.id, limit=offset + PAGE + 1)[offset:]
        stories = story_views(store, ctx.stories, ids)
    if page > 1 and not stories:
        return error_page(request, 404)
    return _page(
        request,
        "entity.html",
        title=found.name,
        entity=found,
        stories=stories[:PAGE],
        more=len(ids) > PAGE,
        page=page,
    )


@router.get("/outlets/{name:path}", response_class=HTMLResponse)
def outlet_page(
    request: Request, name: str, page: Annotated[int, Query(ge=1, le=1000)] = 1
) -> HTMLResponse:
    ctx = _context(request)
    offset = (page - 1) * PAGE
    with ctx.store() as store:
        rows = store.list_articles_page(limit=offset + PAGE + 1, outlet=name)[offset:]
    if page > 1 and not rows:
        return error_page(request, 404)
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
    """The feed is as new as its newest entry (now, while it has none dated); an entry with
    no time of its own takes the feed's, so no `<updated>` ever reads 1970."""
    dated = [e["updated"] for e in entries if e["updated"]]
    updated = max(dated) if dated else datetime.now(UTC).replace(microsecond=0)
    entries = [{**e, "updated": e["updated"] or updated} for e in entries]
    values = {"title": title, "self_url": str(request.url), "entries": entries, "updated": updated}
    return templates.TemplateResponse(
        request, "feed.xml", values, media_type="application/atom+xml; charset=utf-8"
    )


@router.get("/feeds/stories.xml")
def stories_feed(request: Request) -> Response:
    """The top stories; the newest articles while no stories are built (an undated article
    dated by when it was first stored)."""
    ctx = _context(request)
    with ctx.store() as store:
        stories = top_stories(store, ctx.stories, limit=PAGE)
        rows = [] if stories else store.list_articles_page(limit=PAGE)
    entries = [_story_entry(request, story) for story in stories] + [
        {
            "id": f"{request.base_url}articles/{a.id}",
            "title": a.title,
            "link": f"{request.base_url}articles/{a.id}",
            "updated": a.published_at or datetime.fromisoformat(key.first_seen_at),
            "summary": lead_of(a),
        }
        for a, key in rows
    ]
    return _atom(request, title="strichka: головне", entries=entries)


def _story_entry(request: Request, story: StoryView) -> dict[str, Any]:
    link = f"{request.base_url}stories/{story.id}"
    return {
        "id": link,
        "title": story.headline,
        "link": link,
        "updated": story.last_at or story.first_at,
        "summary": story.summary or "",
    }


@router.get("/feeds/entities/{entity}.xml")
def entity_feed(request: Request, entity: str) -> Response:
    """The entity's newest stories, as its page lists them."""
    ctx = _context(request)
    with ctx.store() as store:
        try:
            found = store.get_entity(entity)
        except NotFound:
            return _missing(request, "Про це ще нічого не написано.")
        stories = story_views(store, ctx.stories, store.entity_stories(found.id, limit=PAGE))
    entries = [_story_entry(request, story) for story in stories]
    return _atom(request, title=f"strichka: {found.name}", entries=entries)
