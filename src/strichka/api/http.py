"""What the API and the web pages share over HTTP: the error every answer uses, ETags, and
the opaque cursors that page lists.

A cursor is URL-safe base64 of a small JSON object whose "k" names the list it pages; a
cursor of another list, or one this application did not give out, is refused with 400
(E502), never misread.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request, Response
from pydantic import BaseModel

from strichka.api.views import TimelinePage
from strichka.errors import NotFound
from strichka.store import SQLiteStore
from strichka.store.base import PageKey, TimelineKey


class ApiError(HTTPException):
    """An error with a stable code, rendered as {"error": {"code", "message"}}."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(status_code=status, detail={"code": code, "message": message})


def cached(request: Request, payload: BaseModel) -> Response:
    """The JSON body with an ETag; 304 when the client already holds this version."""
    body = payload.model_dump_json().encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    wanted = request.headers.get("if-none-match", "")
    if etag in (tag.strip().removeprefix("W/") for tag in wanted.split(",")) or wanted == "*":
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


def encode_cursor(**state: Any) -> str:
    raw = json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, *, kind: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        state = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise ApiError(400, "E502", "cursor is not one this API gave out") from exc
    if not isinstance(state, dict) or state.get("k") != kind:
        raise ApiError(400, "E502", "cursor is not one this API gave out for this list")
    return state


def read_offset(cursor: str | None, kind: str) -> int:
    if cursor is None:
        return 0
    offset = decode_cursor(cursor, kind=kind).get("o")
    if not isinstance(offset, int) or not 0 <= offset <= 100_000:
        raise ApiError(400, "E502", "cursor is not one this API gave out")
    return offset


def read_page_key(cursor: str | None) -> PageKey | None:
    if cursor is None:
        return None
    state = decode_cursor(cursor, kind="a")
    try:
        return PageKey(
            undated=bool(state["u"]),
            published_at=str(state["p"]),
            first_seen_at=str(state["s"]),
            article_id=str(state["i"]),
        )
    except KeyError as exc:
        raise ApiError(400, "E502", "cursor is not one this API gave out") from exc


@dataclass(frozen=True, slots=True)
class StoryPosition:
    """Where a page of a story's timeline starts, as a story cursor says."""

    story_id: str
    after: TimelineKey
    position: int
    """How many articles come before (for display: `<ol start>`, «51–100 з 3412»)."""


def story_cursor(page: TimelinePage) -> str | None:
    """The cursor of the page after `page`; None when `page` is the last."""
    key = page.next_key
    if key is None:
        return None
    return encode_cursor(
        k="t",
        s=page.story_id,
        u=key.undated,
        p=key.published_at,
        q=key.seq,
        i=key.article_id,
        o=page.position + len(page.articles),
    )


def read_story_cursor(cursor: str) -> StoryPosition:
    """Raise ApiError 400 for anything `story_cursor` did not give out."""
    state = decode_cursor(cursor, kind="t")
    story, undated, published, seq, article, position = (state.get(f) for f in "supqio")
    if not (
        isinstance(story, str)
        and isinstance(undated, bool)
        and isinstance(published, str)
        and type(seq) is int
        and 0 <= seq < 2**62
        and isinstance(article, str)
        and type(position) is int
        and 0 <= position < 2**62
    ):
        raise ApiError(400, "E502", "cursor is not one this API gave out")
    return StoryPosition(story, TimelineKey(undated, published, seq, article), position)


def check_story_cursor(store: SQLiteStore, cursor: StoryPosition, story_id: str) -> None:
    """400 unless the cursor was given out for this live story (or for one merged into it
    since, whose timeline goes on in this one)."""
    try:
        same = store.resolve_story(cursor.story_id) == story_id
    except NotFound:
        same = False
    if not same:
        raise ApiError(400, "E502", "cursor is not one this API gave out for this story")
