"""JSON Lines of articles: strichka's own export, and the simple corpus form.

The simple form is `{"id", "url", "title", "text", "published_at", "outlet"}`; fields that
mean something (author, lang, lead, image, date) are used, the rest kept as metadata.
An `id` given in the input is kept, so a corpus keeps its own identifiers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import datetime, tzinfo
from typing import Any

from strichka.errors import InputError, MalformedItem
from strichka.extract.text import blocks_from_text, check_sizes, unescape_entities
from strichka.records import (
    DAY_PRECISION,
    Article,
    Image,
    Rejected,
    collapse_spaces,
    content_id,
    names_day_only,
    url_id,
    web_domain,
    within_calendar,
)

_EXPORT_KEYS = frozenset({"blocks", "source_format"})
_TEXT_KEYS = ("text", "body", "content")
_DATE_KEYS = ("published_at", "published", "date", "pubDate", "datetime")
_LEAD_KEYS = ("lead", "summary", "description")
_AUTHOR_KEYS = ("authors", "author")
_LANGUAGE_KEYS = ("language", "lang")
_USED_KEYS = frozenset(
    {"id", "url", "canonical_url", "title", "outlet", "image", "feed_id", "aggregator"}
    | set(_TEXT_KEYS)
    | set(_DATE_KEYS)
    | set(_LEAD_KEYS)
    | set(_AUTHOR_KEYS)
    | set(_LANGUAGE_KEYS)
)

# JSON can escape half of a UTF-16 pair on its own («\ud800»): no text holds one, and no
# UTF-8 database can store it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def looks_like_json(text: str) -> bool:
    return text.lstrip().startswith(("{", "["))


def read_json_records(
    text: str, *, source: str, default_tz: tzinfo, max_title_chars: int, max_body_chars: int
) -> Iterator[Article | Rejected]:
    """JSON Lines, or one JSON document holding an object or an array of objects.

    One Article or one Rejected per record; a bad record never stops the rest.
    """
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        records = [(f"{source}:{n}", line) for n, line in enumerate(text.splitlines(), start=1)]
    else:
        items = whole if isinstance(whole, list) else [whole]
        records = [(f"{source}[{n}]", json.dumps(item)) for n, item in enumerate(items)]
    for where, line in records:
        if not line.strip():
            continue
        try:
            yield read_json_object(
                line,
                source=where,
                default_tz=default_tz,
                max_title_chars=max_title_chars,
                max_body_chars=max_body_chars,
            )
        except InputError as exc:
            yield Rejected(where, exc.reason, exc.code)


def read_json_object(
    line: str, *, source: str, default_tz: tzinfo, max_title_chars: int, max_body_chars: int
) -> Article:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise MalformedItem(
            f"not valid JSON: {exc.msg} at column {exc.colno}", source=source
        ) from exc
    if not isinstance(data, dict):
        raise MalformedItem(f"a JSON {type(data).__name__}, not an object", source=source)
    if "\\u" in line and _holds_surrogate(data):
        raise MalformedItem(
            "a \\u escape of half a UTF-16 surrogate pair, which is no text", source=source
        )
    try:
        article = (
            _from_export(data, default_tz)
            if _EXPORT_KEYS & data.keys()
            else _from_simple(data, default_tz)
        )
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise MalformedItem(f"not an article: {exc!r}", source=source) from exc
    check_sizes(
        article.title,
        article.blocks,
        source=source,
        max_title_chars=max_title_chars,
        max_body_chars=max_body_chars,
    )
    if not article.blocks and not article.lead:
        raise MalformedItem("the item has no text", source=source)
    return article


def _from_export(data: Mapping[str, Any], default_tz: tzinfo) -> Article:
    """strichka's own record, as `export` writes it (or a hand-edited copy of one)."""
    _check_export_types(data)
    article = Article.from_dict(data)
    published = article.published_at
    if published is not None and not within_calendar(published):
        raise ValueError(f"the date {data['published_at']!r} is outside the years 2 to 9998")
    if published is not None and published.tzinfo is None:
        # read in the corpus's zone, as in the simple form: a naive time cannot be ordered
        # among the others, and stories order by it
        published = published.replace(tzinfo=default_tz)
    return article.with_changes(title=collapse_spaces(article.title), published_at=published)


_EXPORT_TEXT = (
    "lead",
    "url",
    "canonical_url",
    "outlet",
    "outlet_domain",
    "aggregator",
    "language",
    "source_format",
    "raw_sha256",
    "published_at",
)
_IMAGE_TEXT = ("url", "content_id", "media_sha256")


def _check_export_types(data: Mapping[str, Any]) -> None:
    """Raise TypeError where a field of an exported record is not what export writes: a
    number or an object where text belongs went on into analysis or the store and failed
    there, taking the whole file with it, or was stored as it was."""
    for key in _EXPORT_TEXT:
        if data.get(key) is not None and not isinstance(data[key], str):
            raise TypeError(f"{key} must be text or null, not {type(data[key]).__name__}")
    authors = data.get("authors")
    if authors is not None and not (
        isinstance(authors, list) and all(isinstance(a, str) for a in authors)
    ):
        raise TypeError("authors must be a list of names")
    image = data.get("image")
    if image is not None and not (
        isinstance(image, dict)
        and all(image.get(k) is None or isinstance(image[k], str) for k in _IMAGE_TEXT)
    ):
        raise TypeError("image must be an object of text fields")


def _from_simple(data: Mapping[str, Any], default_tz: tzinfo) -> Article:
    title = collapse_spaces(unescape_entities(_text(data.get("title"))))
    blocks = blocks_from_text(unescape_entities(_text(_first(data, _TEXT_KEYS))))
    lead = collapse_spaces(unescape_entities(_text(_first(data, _LEAD_KEYS)))) or None
    url = _text(data.get("url")) or None
    canonical = _text(data.get("canonical_url")) or url
    given_id = _text(data.get("id"))
    if given_id:
        article_id = given_id
    elif canonical:
        article_id = url_id(canonical)
    else:
        article_id = content_id(title, lead, blocks)
    image = data.get("image")
    feed_id = data.get("feed_id")
    published = _text(_first(data, _DATE_KEYS))
    metadata = {k: v for k, v in data.items() if k not in _USED_KEYS}
    if names_day_only(published):
        metadata.update(DAY_PRECISION)
    return Article(
        id=article_id,
        title=title,
        lead=lead,
        blocks=blocks,
        url=url,
        canonical_url=canonical,
        outlet=_text(data.get("outlet")) or None,
        outlet_domain=web_domain(canonical),
        aggregator=_text(data.get("aggregator")) or None,
        feed_id=int(feed_id) if feed_id is not None else None,
        image=Image(url=image) if isinstance(image, str) and image else None,
        published_at=_parse_date(published, default_tz),
        language=_text(_first(data, _LANGUAGE_KEYS)) or None,
        authors=_authors(_first(data, _AUTHOR_KEYS)),
        source_format="jsonl",
        metadata=metadata,
        id_from_input=bool(given_id),
    )


def _holds_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, list):
        return any(_holds_surrogate(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_surrogate(k) or _holds_surrogate(v) for k, v in value.items())
    return False


def _first(data: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    return next((data[k] for k in keys if data.get(k) not in (None, "")), None)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    raise TypeError(f"expected text, got {type(value).__name__}")


def _authors(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(collapse_spaces(_text(v)) for v in value if v)
    name = collapse_spaces(_text(value))
    return (name,) if name else ()


def _parse_date(value: str, default_tz: tzinfo) -> datetime | None:
    """ISO dates; a naive time is read in `default_tz`, the zone the corpus was written in."""
    text = value.strip()
    if not text:
        return None
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if not within_calendar(parsed):
        raise ValueError(f"the date {text!r} is outside the years 2 to 9998")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=default_tz)
