"""The web application: the REST API, the reader's pages and the feeds, built by a factory."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from strichka.api.context import AppContext, StoryReader
from strichka.api.routes import router, writes
from strichka.config import Settings
from strichka.errors import NotFound, StrichkaError
from strichka.nlp.analysis import LanguageResources
from strichka.pipeline import story_params
from strichka.stories.features import Analyzer
from strichka.web.routes import STATIC_DIR, error_page
from strichka.web.routes import router as web_router


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413: by Content-Length before reading,
    and by counting when the body is chunked, so a client cannot stream past the cap."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        response = JSONResponse(
            {"error": {"code": "E503", "message": f"request body over {self.limit} bytes"}},
            status_code=413,
        )
        await response({"type": "http"}, _no_body, send)


class _TooLarge(Exception):
    pass


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


_ROUTING_CODES = {404: "E505", 405: "E506"}
"""Errors the router raises itself (see strichka.errors for the E5xx the API answers with)."""


def _is_api(request: Request) -> bool:
    path = request.url.path
    return path == "/api" or path.startswith("/api/")


async def _http_error(request: Request, exc: Exception) -> Response:
    """Every HTTP error, Starlette's own (no such path, wrong method) included: the API's
    error body under /api, the site's HTML error page elsewhere."""
    assert isinstance(exc, HTTPException)
    if not _is_api(request):
        return error_page(request, exc.status_code, headers=exc.headers)
    detail: Any = exc.detail
    if not isinstance(detail, dict):
        code = _ROUTING_CODES.get(exc.status_code, "E500")
        detail = {"code": code, "message": str(detail)}
    return JSONResponse({"error": detail}, status_code=exc.status_code, headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    """A query parameter out of range or of the wrong type: 422 with the API's error body
    under /api; a page answers 400 with its HTML error page, as for any bad link."""
    assert isinstance(exc, RequestValidationError)
    if not _is_api(request):
        return error_page(request, 400)
    problems = "; ".join(
        f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors()
    )
    return JSONResponse({"error": {"code": "E504", "message": problems}}, status_code=422)


async def _strichka_error(request: Request, exc: Exception) -> Response:
    """A typed error no route answered itself (the store failing: a damaged database, one
    busy for too long): its own code and message in the API's error body, 500, and the
    site's error page elsewhere, not a bare «Internal Server Error» and a traceback."""
    assert isinstance(exc, StrichkaError)
    status = 404 if isinstance(exc, NotFound) else 500
    if not _is_api(request):
        return error_page(request, status)
    return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, status_code=status)


class HeadAsGet:
    """Answer HEAD wherever GET is answered: run the request as GET and send its status and
    headers (Content-Length, ETag, a 304 included) without the body. FastAPI routes take only
    the methods they declare, and every page, feed and API read is a GET."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


def build_context(settings: Settings) -> AppContext:
    """Load morphology, gazetteers and the story analyser once (about a second)."""
    language = LanguageResources.load(ner_model=settings.ner_model_path)
    return AppContext(
        settings=settings,
        lemmatiser=language.morph,
        language=language,
        stories=StoryReader(Analyzer.sharing(language), story_params(settings)),
    )


def create_app(settings: Settings, *, context: AppContext | None = None) -> FastAPI:
    """The whole application for `settings`; `context` lets tests share loaded resources."""
    ctx = context or build_context(settings)
    with ctx.store() as store:  # create or migrate the database before the first request
        ctx.refresh_index(store)
    app = FastAPI(
        title="strichka",
        version="1",
        description="Ukrainian news: articles, stories, search.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.context = ctx
    app.include_router(router)
    app.include_router(writes)
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StrichkaError, _strichka_error)
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    app.add_middleware(HeadAsGet)
    app.add_middleware(_SecurityHeaders)
    return app


class _SecurityHeaders:
    """A strict Content-Security-Policy: even markup that slipped past escaping cannot run
    inline script, and pages cannot be framed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Any] = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", _CSP),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


_CSP = (
    b"default-src 'self'; img-src 'self' https: data:; script-src 'self'; "
    b"style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
